"""Read the site the way mkdocs does: includes in docs/, sections in snippet files.

Sections are cut by pymdownx.snippets' own code with the options from
mkdocs.yml, so a test runs exactly the text a reader sees.
"""
import re
from functools import lru_cache
from pathlib import Path

import markdown
import yaml

ROOT = Path(__file__).resolve().parents[2]

# A line that is only an include: --8<-- "path" or --8<-- "path:section".
INCLUDE = re.compile(r'^\s*-{1,}8<-{1,}\s+"(?P<target>[^"]+)"\s*$')
FENCE = re.compile(r"^\s*(```|~~~)(?P<lang>[\w+-]*)")


@lru_cache(maxsize=None)
def snippet_options():
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    for ext in config["markdown_extensions"]:
        if isinstance(ext, dict) and "pymdownx.snippets" in ext:
            return ext["pymdownx.snippets"]
    raise AssertionError("mkdocs.yml: pymdownx.snippets is not configured")


@lru_cache(maxsize=None)
def _preprocessor():
    md = markdown.Markdown(
        extensions=["pymdownx.snippets"],
        extension_configs={"pymdownx.snippets": snippet_options()},
    )
    return md.preprocessors["snippet"]


def section(path, name, root=ROOT):
    """The text of section `name` of snippet file `path`, as the site shows it."""
    path = Path(root) / path
    lines = path.read_text().split("\n")
    return "\n".join(_preprocessor().extract_section(name, lines)).strip("\n") + "\n"


def sections_defined(path):
    """Names of the sections that start in `path`, with their line numbers."""
    found = {}
    for number, line in enumerate(Path(path).read_text().splitlines(), 1):
        # RE_SNIPPET_SECTION, not match_section(): pymdown-extensions 12.3 (Python < 3.11.5) lacks that.
        m = _preprocessor().RE_SNIPPET_SECTION.match(line)
        if m and m.group("type") == "start":
            found[m.group("name")] = number
    return found


def includes(root=ROOT):
    """Every include of a snippet file in docs/: (page, line, snippet path, section or None,
    fence language). Not generated/ (prose from scripts/generate_docs.py; test_generated)."""
    found = []
    for page in sorted(Path(root, "docs").rglob("*.md")):
        fence = None
        for number, line in enumerate(page.read_text().splitlines(), 1):
            m = FENCE.match(line)
            if m:
                fence = None if fence is not None else m.group("lang")
                continue
            m = INCLUDE.match(line)
            if m:
                path, _, name = m.group("target").partition(":")
                if path.startswith("generated/"):
                    continue
                found.append((page, number, path, name or None, fence))
    return found


def inline_code_blocks(page):
    """Fenced blocks in `page` whose body is anything but one include line."""
    bad, start, body = [], None, []
    for number, line in enumerate(Path(page).read_text().splitlines(), 1):
        if FENCE.match(line):
            if start is None:
                start, body = number, []
                continue
            if len(body) != 1 or not INCLUDE.match(body[0]):
                bad.append(start)
            start = None
        elif start is not None:
            body.append(line)
    return bad


def where(path, line=None, root=ROOT):
    """`docs/page.md:12`, relative to the project, for failure messages."""
    rel = Path(path).resolve().relative_to(Path(root).resolve())
    return "{}:{}".format(rel, line) if line else str(rel)


def include_errors(root=ROOT):
    """Includes that do not resolve or are not fenced, as 'docs/page.md:line: message'."""
    errors = []
    for page, line, path, name, fence in includes(root):
        here = where(page, line, root)
        target = Path(root, path)
        if fence is None:
            errors.append("{}: include of {} is not inside a fenced code block".format(here, path))
        if not target.is_file():
            errors.append("{}: {} does not exist".format(here, path))
        elif name is not None and name not in sections_defined(target):
            errors.append("{}: section '{}' not found in {}".format(here, name, path))
    return errors


def snippet_files(root=ROOT, suffix=None):
    """Files under troubleshoot_snippets/ (sorted), optionally of one suffix."""
    files = sorted(p for p in Path(root, "troubleshoot_snippets").rglob("*")
                   if p.is_file() and "__pycache__" not in p.parts)
    return [p for p in files if suffix is None or p.suffix == suffix]
