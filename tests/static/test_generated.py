"""generated/ (written by scripts/generate_docs.py) is fresh, and bad input fails with file:line."""
import re
import shutil
from types import SimpleNamespace

import pytest
import yaml

from scripts import generate_docs
from scripts.generate_docs import GenerateError, check_docs, load
from tests.support.snippets import ROOT
from troubleshoot_snippets import tracker


def test_every_generated_file_is_fresh():
    assert [path for path, _ in generate_docs.GENERATED], "nothing registered"
    stale = generate_docs.stale()
    assert not stale, "\n".join("{} is stale: run {}".format(p, generate_docs.REGENERATE)
                                for p in stale)


def test_every_generated_file_is_included_by_a_page():
    pages = "\n".join(p.read_text() for p in (ROOT / "docs").rglob("*.md"))
    scripts = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
    for path, _ in generate_docs.GENERATED:
        if path.endswith(".js"):  # loaded on every page, not included
            assert path[len("docs/"):] in scripts.get("extra_javascript", []), (
                "mkdocs.yml: extra_javascript does not load " + path)
        else:
            assert '--8<-- "{}'.format(path) in pages, "no page includes " + path


@pytest.fixture
def docs(tmp_path):
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    return tmp_path / "docs"


def edit(path, old, new):
    text = path.read_text()
    assert old in text, "{} has no {!r}: update this test".format(path, old)
    path.write_text(text.replace(old, new, 1))


def test_the_docs_as_committed_pass(docs):
    check_docs(load("symptoms"), docs)


def test_an_anchor_with_no_heading_names_symptoms_py_and_its_line(docs):
    edit(docs / "installing.md", "{ #closure-python-version }", "{ #renamed }")
    line = next(n for n, text in enumerate(
        (ROOT / "troubleshoot_snippets" / "symptoms.py").read_text().splitlines(), 1)
        if '"closure-python-version"' in text)
    with pytest.raises(GenerateError, match=r"^troubleshoot_snippets/symptoms.py:{}: "
                       r"docs/installing.md has no heading with \{{ #closure-python-version \}}$"
                       .format(line)):
        check_docs(load("symptoms"), docs)


def test_a_missing_include_names_the_page_and_the_heading_line(docs):
    include = generate_docs.include_line("closure-python-version")
    edit(docs / "installing.md", include + "\n", "")
    heading = next(n for n, text in enumerate((docs / "installing.md").read_text().splitlines(), 1)
                   if "{ #closure-python-version }" in text)
    with pytest.raises(GenerateError, match=r"^docs/installing.md:{}: under the heading of "
                       r"#closure-python-version put a blank line, then {}$".format(
                           heading, re.escape(include))):
        check_docs(load("symptoms"), docs)


def test_a_missing_error_index_include_names_the_page(docs):
    edit(docs / "error-index.md", '--8<-- "generated/error-index.md"', "")
    with pytest.raises(GenerateError, match=r'^docs/error-index.md:1: the line --8<-- '
                       r'"generated/error-index.md" is missing$'):
        check_docs(load("symptoms"), docs)


SYMPTOMS = SimpleNamespace(ISSUES_URL="https://github.com/ucbrise/clipper/issues/{}", SYMPTOMS=[])


def fixed(*rows):
    return SimpleNamespace(FIXED=tracker.FIXED, ROWS=rows)


def test_fixed_rows_render_what_users_see_and_the_release_to_upgrade_to():
    text = generate_docs.render_error_index(SYMPTOMS, fixed(
        tracker.Row(101, "KeyError: 'a|b'", "query frontend", "0.2.0", tracker.FIXED,
                    "0.3.0 (#250)"),
        tracker.Row(102, "Other", "Redis", "", tracker.ANSWERED, "logs.md#lost-contact"),
        tracker.Row(103, "Boom", "Redis", "", tracker.FIXED, "0.4.0 (commit abc1234)")))
    url = SYMPTOMS.ISSUES_URL
    assert "| `KeyError: 'a\\|b'` | [#101]({}) | fixed in 0.3.0 ([#250]({})): upgrade |".format(
        url.format(101), url.format(250)) in text.splitlines()
    assert "| `Boom` | [#103]({}) | fixed in 0.4.0 (commit abc1234): upgrade |".format(
        url.format(103)) in text.splitlines()
    assert "Other" not in text


def test_no_fixed_rows_says_none():
    assert "None: no reported failure is marked fixed before 0.4.1 yet." in (
        generate_docs.render_error_index(SYMPTOMS, fixed()))


def test_a_fixed_row_without_a_release_names_tracker_py():
    row = tracker.ROWS[0]  # a real row's number, so its line is found in tracker.py
    with pytest.raises(GenerateError, match=r"^troubleshoot_snippets/tracker.py:\d+: issue {}: "
                       r"FIXED detail 'soon' is not".format(row.issue)):
        generate_docs.render_error_index(SYMPTOMS, fixed(tracker.Row(
            row.issue, row.text, row.component, row.version, tracker.FIXED, "soon")))
