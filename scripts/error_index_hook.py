"""MkDocs hook: what troubleshoot_snippets/symptoms.py knows, rendered into the pages.

The error index table replaces the marker line below in docs/error-index.md, and
under each entry's heading goes the line of ucbrise/clipper issues it answers,
so neither can drift from the list the tests and the doctor use.
"""
import importlib.util
import re
from pathlib import Path

MARKER = "<!-- symptoms table -->"
_SYMPTOMS = Path(__file__).resolve().parents[1] / "troubleshoot_snippets" / "symptoms.py"


def _symptoms():
    spec = importlib.util.spec_from_file_location("_guide_symptoms", _SYMPTOMS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def table(module):
    """The markdown table of the error index, from the symptoms module."""
    rows = ["| What you see | Entry | Clipper issues |", "| --- | --- | --- |"]
    for s in module.SYMPTOMS:
        issues = ", ".join("[#{}]({})".format(n, module.ISSUES_URL.format(n)) for n in s.issues)
        rows.append("| `{}` | [{}]({}#{}) | {} |".format(
            s.text.replace("|", "\\|"), s.title, s.page, s.anchor, issues))
    return "\n".join(rows)


def answered_issues(module, page):
    """{anchor: [issue numbers]} of the entries on `page`, in the order of SYMPTOMS."""
    found = {}
    for s in module.SYMPTOMS:
        if s.page == page and s.issues:
            numbers = found.setdefault(s.anchor, [])
            numbers += [n for n in s.issues if n not in numbers]
    return found


def issues_line(module, numbers):
    return "Answers ucbrise/clipper {}.".format(", ".join(
        "[#{}]({})".format(n, module.ISSUES_URL.format(n)) for n in numbers))


def with_issue_lines(markdown, page, module):
    """`markdown` with an issues line after the heading of each entry that answers some."""
    for anchor, numbers in answered_issues(module, page).items():
        heading = re.search(r"^#{1,6} .*\{[^}]*#" + re.escape(anchor) + r"[\s}].*$", markdown, re.M)
        if heading is None:
            raise ValueError("troubleshoot_snippets/symptoms.py: docs/{} has no heading with "
                             "{{ #{} }}".format(page, anchor))
        end = heading.end()
        markdown = markdown[:end] + "\n\n" + issues_line(module, numbers) + markdown[end:]
    return markdown


def on_page_markdown(markdown, page, config, files):
    module = _symptoms()
    if page.file.src_uri == "error-index.md":
        if MARKER not in markdown:
            raise ValueError("docs/error-index.md: the line {!r} is missing".format(MARKER))
        return markdown.replace(MARKER, table(module))
    return with_issue_lines(markdown, page.file.src_uri, module)
