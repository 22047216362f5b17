"""Every shown Python section, as a reader pastes it: alone, into a fresh interpreter
in which only the inputs the page names are set.

Statically, a section's free names (read with symtable) must be inputs: names
docs/index.md says every snippet uses, or names its page writes as inline code
(`x`, `body`), never a module or a clipper_admin class, which the section must
import itself. Live, tests/live/test_paste_alone_live.py execs each section's
text in a fresh namespace holding only those inputs; a section it cannot run
is listed in EXECUTED_ELSEWHERE with the test that runs its text instead.
"""
import ast
import builtins
import contextlib
import functools
import importlib.util
import io
import keyword
import re
import symtable
from pathlib import Path

import clipper_admin

from tests.support.snippets import ROOT, includes, section, where

# The paragraph of docs/index.md that names the inputs every snippet may use.
GLOBAL_INPUTS_MARK = "these names"
INLINE_CODE = re.compile(r"`([^`\n]+)`")
FENCE = re.compile(r"^\s*(```|~~~)")
LIVE_TEST = "tests/live/test_paste_alone_live.py"

# Inputs the live paste test can set, by name (the values are made there).
LIVE_INPUTS = {
    "clipper_conn", "app_name", "model_name", "model_version", "x", "body", "values",
    "new_app_name", "module_paths", "function", "pkgs_to_install", "image", "payload", "batch",
}

# (snippet file, section) -> (test file that execs its text alone, why not the paste test).
EXECUTED_ELSEWHERE = {
    ("troubleshoot_snippets/start_up.py", "remote_engine"):
        ("tests/live/test_doctor_truth_live.py", "needs DOCKER_HOST=tcp:// to an engine at engine_address"),
}


def python_sections(root=ROOT):
    """{(snippet path, section): [(page, line), ...]} for every shown Python section."""
    found = {}
    for page, line, path, name, _ in includes(root):
        if path.endswith(".py") and name is not None:
            found.setdefault((path, name), []).append((page, line))
    return found


def free_names(source, filename="<section>"):
    """Names `source` reads that it neither binds nor gets from builtins, sorted."""
    top = symtable.symtable(source, filename, "exec")
    bound = {s.get_name() for s in top.get_symbols()
             if s.is_assigned() or s.is_imported() or s.is_namespace()}
    read = set()

    def walk(table):
        for s in table.get_symbols():
            if s.is_referenced() and (table is top or s.is_global()):
                read.add(s.get_name())
        for child in table.get_children():
            walk(child)
    walk(top)
    return sorted(read - bound - set(dir(builtins)))


@functools.lru_cache(maxsize=None)  # find_spec walks sys.path; pages name the same code often
def _needs_import(name):
    """A module or a clipper_admin name: a reader's fresh interpreter has it only if imported."""
    return (hasattr(clipper_admin, name) or name == "clipper_admin"
            or importlib.util.find_spec(name) is not None)


def _inline_names(lines):
    names = set()
    fenced = False
    for line in lines:
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced:
            names.update(code for code in INLINE_CODE.findall(line)
                         if code.isidentifier() and not keyword.iskeyword(code))
    return {n for n in names if not hasattr(builtins, n) and not _needs_import(n)}


def global_inputs(root=ROOT):
    """The names docs/index.md says every snippet uses (its paragraph with GLOBAL_INPUTS_MARK)."""
    index = Path(root, "docs", "index.md")
    for paragraph in index.read_text().split("\n\n"):
        if GLOBAL_INPUTS_MARK in paragraph:
            return _inline_names(paragraph.splitlines())
    raise AssertionError("{}: no paragraph says which names the snippets use (looked for {!r})"
                         .format(where(index, root=root), GLOBAL_INPUTS_MARK))


def page_inputs(page, root=ROOT):
    """Inputs a reader of `page` has: the global ones and those the page names as inline code."""
    return global_inputs(root) | _inline_names(Path(page).read_text().splitlines())


def paste_errors(root=ROOT):
    """Shown sections that would fail pasted alone, as 'docs/page.md:line: ...' lines."""
    errors = []
    for (path, name), shown_at in sorted(python_sections(root).items()):
        text = section(path, name, root)
        try:
            names = free_names(text, "{}:{}".format(path, name))
        except SyntaxError as e:
            errors.append("{}:{}: section '{}' does not compile alone: {}".format(
                path, name, name, e))
            continue
        for page, line in shown_at:
            inputs = page_inputs(page, root)
            missing = [n for n in names if n not in inputs]
            for n in missing:
                how = ("import it inside the section" if _needs_import(n) else
                       "name it on the page (e.g. \"Here `{}` is ...\") or set it in the section"
                       .format(n))
                errors.append("{}: {}:{} uses `{}`, which a reader pasting it alone does not "
                              "have: {}".format(where(page, line, root), path, name, n, how))
    return errors


def coverage_errors(root=ROOT):
    """Shown sections that no test execs alone: the paste test cannot set their inputs
    and EXECUTED_ELSEWHERE does not name a test that runs their text."""
    errors = []
    for (path, name), shown_at in sorted(python_sections(root).items()):
        page, line = shown_at[0]
        if (path, name) in EXECUTED_ELSEWHERE:
            test_file, _ = EXECUTED_ELSEWHERE[path, name]
            test_path = Path(root, test_file)
            if not test_path.exists():  # a project copy without tests/
                test_path = Path(ROOT, test_file)
            if not runs_section_text(test_path, path, name):
                errors.append("{}: {}:{} is listed as run by {}, which never takes its text "
                              "with section({!r}, {!r})".format(
                                  where(page, line, root), path, name, test_file, path, name))
            continue
        unknown = [n for n in free_names(section(path, name, root))
                   if n not in LIVE_INPUTS and not _needs_import(n)]  # paste_errors() says those
        if unknown:
            errors.append("{}: {}:{} needs {}, which {} cannot set: add it to LIVE_INPUTS in "
                          "tests/support/paste_alone.py and make a value in the paste test, or "
                          "list the section in EXECUTED_ELSEWHERE".format(
                              where(page, line, root), path, name,
                              ", ".join("`{}`".format(n) for n in unknown), LIVE_TEST))
    return errors


def runs_section_text(test_file, path, name):
    """True if `test_file` calls section(path, name) with these literal arguments."""
    for node in ast.walk(ast.parse(Path(test_file).read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "section":
            args = [a.value for a in node.args if isinstance(a, ast.Constant)]
            if args[:2] == [path, name]:
                return True
    return False


def run_alone(path, name, inputs):
    """Exec section `name` of `path`, as shown, in a fresh namespace holding only `inputs`.

    Returns (namespace, printed). The code object is named after the section,
    so a traceback points at 'troubleshoot_snippets/x.py:name', line N of the section.
    """
    text = section(path, name)
    namespace = {"__name__": "__main__", "__builtins__": builtins}
    namespace.update(inputs)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(text, "{}:{}".format(path, name), "exec"), namespace)
    return namespace, printed.getvalue()
