"""Every snippet file is valid, every section is shown, every include resolves."""
import py_compile
import subprocess

import pytest

from tests.support.api_binding import check_file, check_source
from tests.support.snippets import (
    ROOT, include_errors, includes, inline_code_blocks, section,
    sections_defined, snippet_files, where,
)

PY_FILES = snippet_files(suffix=".py")
SH_FILES = snippet_files(suffix=".sh")
PAGES = sorted((ROOT / "docs").rglob("*.md"))

# The seed page's call, verbatim: not even valid Python.
SEED_CALL = 'clipper_conn.cm.get_num_replicas("name"="<your-model-name>", version="<your-model-version>")\n'


def ids(paths):
    return [where(p) for p in paths]


@pytest.mark.parametrize("path", PY_FILES, ids=ids(PY_FILES))
def test_python_snippet_compiles(path):
    py_compile.compile(str(path), doraise=True, cfile=str(ROOT / "build" / "pyc" / path.name) + "c")


@pytest.mark.parametrize("path", SH_FILES, ids=ids(SH_FILES))
def test_shell_snippet_parses(path):
    result = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, "{}: bash -n failed:\n{}".format(where(path), result.stderr)


@pytest.mark.parametrize("path", PY_FILES, ids=ids(PY_FILES))
def test_clipper_admin_calls_bind_to_real_signatures(path):
    errors = check_file(path, where(path))
    assert not errors, "\n".join(errors)


def test_binding_check_catches_the_seed_call():
    errors = check_source(SEED_CALL, "seed.md")
    assert errors == ['seed.md:1: SyntaxError: expression cannot contain assignment, perhaps you meant "=="?']


def test_binding_check_catches_a_wrong_keyword():
    call = 'clipper_conn.cm.get_num_replicas(model_name="sum-model", version="1")\n'
    errors = check_source(call, "x.py")
    assert len(errors) == 1
    assert errors[0].startswith("x.py:1: clipper_conn.cm.get_num_replicas(...) does not match "
                                "DockerContainerManager.get_num_replicas(self, name, version)")
    assert "unexpected keyword argument 'model_name'" in errors[0]


def test_binding_check_catches_a_method_that_does_not_exist():
    errors = check_source('clipper_conn.get_linked_model(app_name="a")\n', "x.py")
    assert errors == ["x.py:1: clipper_conn.get_linked_model(...): "
                      "ClipperConnection.get_linked_model does not exist in clipper_admin 0.4.1"]


def test_a_wrong_keyword_in_a_snippet_file_is_reported_with_its_line(project_copy):
    path = project_copy / "troubleshoot_snippets" / "default_predictions.py"
    text = path.read_text()
    assert "get_num_replicas(name=model_name" in text
    path.write_text(text.replace("get_num_replicas(name=model_name", "get_num_replicas(model=model_name"))
    line = next(n for n, l in enumerate(path.read_text().splitlines(), 1) if "get_num_replicas(model=" in l)
    errors = check_file(path, "troubleshoot_snippets/default_predictions.py")
    assert len(errors) == 1
    assert errors[0].startswith("troubleshoot_snippets/default_predictions.py:{}: ".format(line))


@pytest.mark.parametrize("page", PAGES, ids=ids(PAGES))
def test_no_code_typed_into_the_page(page):
    bad = inline_code_blocks(page)
    assert not bad, "\n".join(
        "{}: fenced code typed into the page; put it in troubleshoot_snippets/ "
        "and include a section".format(where(page, n)) for n in bad)


def test_inline_code_check_catches_a_typed_block(project_copy):
    page = project_copy / "docs" / "index.md"
    page.write_text(page.read_text() + "\n```python\nprint('typed by hand')\n```\n")
    bad = inline_code_blocks(page)
    assert len(bad) == 1
    assert page.read_text().splitlines()[bad[0] - 1] == "```python"


def test_every_include_resolves_and_is_fenced():
    errors = include_errors()
    assert not errors, "\n".join(errors)


def test_a_missing_section_is_reported_with_page_and_line(project_copy):
    page = project_copy / "docs" / "default-predictions.md"
    text = page.read_text()
    assert ':get_linked_models"' in text
    page.write_text(text.replace(':get_linked_models"', ':no_such_section"', 1))
    line = next(n for n, l in enumerate(page.read_text().splitlines(), 1) if "no_such_section" in l)
    assert include_errors(project_copy) == [
        "docs/default-predictions.md:{}: section 'no_such_section' not found in "
        "troubleshoot_snippets/default_predictions.py".format(line)]


def test_every_section_and_output_is_shown_somewhere():
    shown = {(path, name) for _, _, path, name, _ in includes()}
    unused = []
    for path in snippet_files():
        rel = str(path.relative_to(ROOT))
        if path.suffix in (".py", ".sh"):
            unused += ["{}: section '{}' is not included by any page".format(where(path, n), name)
                       for name, n in sections_defined(path).items() if (rel, name) not in shown]
        elif path.parent.name == "outputs" and (rel, None) not in shown:
            unused.append("{}: output file is not included by any page".format(rel))
    assert not unused, "\n".join(unused)


def test_sections_show_no_scaffolding():
    """What readers copy carries no section markers and no test-only names."""
    for _, _, path, name, _ in includes():
        if name is None:
            continue
        text = section(path, name)
        assert "--8<--" not in text, "{}:{} shows a section marker".format(path, name)
        assert "pytest" not in text and "tmp_path" not in text, "{}:{}".format(path, name)
