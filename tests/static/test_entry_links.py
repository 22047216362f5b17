"""Around the entries: the home page's router reaches every entry, each entry
shows the ucbrise/clipper issues it answers (rendered from symptoms.py), and
entries that share a symptom link each other."""
import re
from html.parser import HTMLParser

import pytest

from scripts import generate_docs
from tests.support.snippets import ROOT
from troubleshoot_snippets import symptoms
from troubleshoot_snippets.symptoms import ISSUES_URL, SYMPTOMS

ROUTER_HEADING = "## Where are you stuck?"
# Entries whose symptom is the same (a model container that exits), told apart
# by when it dies; each must link the others.
CONTAINER_EXITS = ["model-containers.md#container-not-running-yet-or-broken",
                   "model-containers.md#missing-packages",
                   "installing.md#cloudpickle-mismatch"]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def router_links():
    text = (ROOT / "docs" / "index.md").read_text()
    assert ROUTER_HEADING in text, "docs/index.md: no '{}' section".format(ROUTER_HEADING)
    router = text.split(ROUTER_HEADING, 1)[1].split("\n## ", 1)[0]
    return set(LINK.findall(router))


def test_the_router_reaches_every_entry():
    links = router_links()
    missing = sorted({"{}#{}".format(s.page, s.anchor) for s in SYMPTOMS} - links)
    assert not missing, "\n".join(
        "docs/index.md ({}): no link to {} (troubleshoot_snippets/symptoms.py); add it under "
        "the situation where users meet it".format(ROUTER_HEADING, m) for m in missing)


def test_the_router_has_the_four_situations():
    text = (ROOT / "docs" / "index.md").read_text().split(ROUTER_HEADING, 1)[1].split("\n## ", 1)[0]
    for situation in ["starting Clipper fails", "A deploy hangs", "queries get the default answer",
                      "HTTP 400, or no response"]:
        assert situation in " ".join(text.split()), situation


class _Sections(HTMLParser):
    """{heading id: (text of the first paragraph after it, links up to the next heading)}."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.sections, self._current, self._in_p, self._first_p_done = {}, None, False, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag) and attrs.get("id"):
            self._current = attrs["id"]
            self.sections[self._current] = ["", []]
            self._first_p_done = False
        elif tag == "p" and self._current and not self._first_p_done:
            self._in_p = True
        elif tag == "a" and self._current and attrs.get("href"):
            self.sections[self._current][1].append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "p" and self._in_p:
            self._in_p, self._first_p_done = False, True

    def handle_data(self, data):
        if self._in_p:
            self.sections[self._current][0] += data


def page_sections(built_site, page):
    parser = _Sections()
    parser.feed((built_site / page[:-len(".md")] / "index.html").read_text())
    return parser.sections


def test_each_entry_says_which_clipper_issues_it_answers(built_site):
    for page in sorted({s.page for s in SYMPTOMS}):
        sections = page_sections(built_site, page)
        for anchor, (_, numbers) in generate_docs.answered_issues(symptoms, page).items():
            first_paragraph, links = sections[anchor]
            assert first_paragraph == "Answers ucbrise/clipper {}.".format(
                ", ".join("#{}".format(n) for n in numbers)), (page, anchor, first_paragraph)
            assert [ISSUES_URL.format(n) for n in numbers] == [
                link for link in links if "github.com/ucbrise/clipper/issues/" in link][:len(numbers)]


@pytest.mark.parametrize("entry", CONTAINER_EXITS)
def test_entries_sharing_a_symptom_link_each_other(built_site, entry):
    page, anchor = entry.split("#")
    _, links = page_sections(built_site, page)[anchor]
    for other in CONTAINER_EXITS:
        if other == entry:
            continue
        other_page, other_anchor = other.split("#")
        href = "#" + other_anchor if other_page == page else "../{}/#{}".format(
            other_page[:-len(".md")], other_anchor)
        assert href in links, "docs/{} #{} does not link {}".format(page, anchor, other)
