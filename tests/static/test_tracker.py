"""The tracker inventory (troubleshoot_snippets/tracker.py): valid verdicts and
components, one row per issue, every answered row found first by its own
entry's symptom and anchored at a heading, and README's counts true."""
import re

import pytest

from tests.support.snippets import ROOT
from troubleshoot_snippets import symptoms, tracker
from troubleshoot_snippets.tracker import ANSWERED, FIXED, NOT_CLIPPER, OUT_OF_SCOPE, ROWS

TRACKER = "troubleshoot_snippets/tracker.py"
HEADING_ANCHOR = re.compile(r"^#+ .*\{ #([A-Za-z0-9_-]+) \}\s*$", re.M)
README_COUNTS = re.compile(
    r"It holds (\d+) rows: (\d+) answered .*?, (\d+) fixed before 0\.4\.1, (\d+) not a Clipper "
    r"failure and\s+(\d+) out of scope\.", re.S)
ANSWERED_ROWS = [r for r in ROWS if r.verdict == ANSWERED]


def where(row):
    return "{}: row for #{}".format(TRACKER, row.issue)


def test_rows_are_well_formed():
    assert ROWS, TRACKER + ": no rows"
    for row in ROWS:
        assert row.verdict in tracker.VERDICTS, "{}: unknown verdict {!r}".format(where(row), row.verdict)
        assert row.component in tracker.COMPONENTS, "{}: unknown component {!r}".format(
            where(row), row.component)
        assert row.text.strip() and row.detail.strip(), where(row) + ": empty text or detail"
        if row.verdict == FIXED:
            assert re.fullmatch(r"0\.\d+\.\d+ \((#\d+|commit [0-9a-f]{7,40})\)", row.detail), (
                "{}: a fixed row's detail is '0.x.y (#PR)', not {!r}".format(where(row), row.detail))


def test_one_row_per_issue():
    seen = {}
    for row in ROWS:
        assert row.issue not in seen, "{}: issue #{} has two rows".format(TRACKER, row.issue)
        seen[row.issue] = row


@pytest.mark.parametrize("row", ANSWERED_ROWS, ids=lambda r: "#{}".format(r.issue))
def test_answered_text_finds_its_entry_first(row):
    page, _, anchor = row.detail.partition("#")
    found = symptoms.matching(row.text)
    assert found, "{}: its text matches no symptom in symptoms.py".format(where(row))
    first = found[0]
    assert (first.page, first.anchor) == (page, anchor), (
        "{}: its text is matched first by {}#{}, not by its entry {}".format(
            where(row), first.page, first.anchor, row.detail))


@pytest.mark.parametrize("row", ANSWERED_ROWS, ids=lambda r: "#{}".format(r.issue))
def test_answered_anchor_is_a_heading(row):
    page, _, anchor = row.detail.partition("#")
    path = ROOT / "docs" / page
    assert path.is_file(), "{}: no page docs/{}".format(where(row), page)
    assert anchor in HEADING_ANCHOR.findall(path.read_text()), (
        "{}: docs/{} has no heading with {{ #{} }}".format(where(row), page, anchor))


def test_answered_issues_are_credited_on_their_symptom():
    for row in ANSWERED_ROWS:
        page, _, anchor = row.detail.partition("#")
        credited = {i for s in symptoms.SYMPTOMS if (s.page, s.anchor) == (page, anchor) for i in s.issues}
        assert row.issue in credited, "{}: #{} is not in the issues of a symptom of {}".format(
            where(row), row.issue, row.detail)


def test_readme_counts_are_the_tracker_counts():
    text = (ROOT / "README.md").read_text()
    found = README_COUNTS.search(text)
    assert found, "README.md: no 'Tracker inventory' sentence 'It holds N rows: ...'"
    counts = tracker.counts()
    stated = [int(n) for n in found.groups()]
    actual = [len(ROWS), counts[ANSWERED], counts[FIXED], counts[NOT_CLIPPER], counts[OUT_OF_SCOPE]]
    assert stated == actual, "README.md line {}: counts {} but {} has {}".format(
        text[:found.start()].count("\n") + 1, stated, TRACKER, actual)
