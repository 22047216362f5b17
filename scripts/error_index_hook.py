"""MkDocs hook: the error index table, rendered from troubleshoot_snippets/symptoms.py.

The page docs/error-index.md holds the marker line below; the table replaces it
at build time, so the index cannot drift from the list the tests and the doctor use.
"""
import importlib.util
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


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri != "error-index.md":
        return markdown
    if MARKER not in markdown:
        raise ValueError("docs/error-index.md: the line {!r} is missing".format(MARKER))
    return markdown.replace(MARKER, table(_symptoms()))
