"""Paste what is on the screen, land on the entry: every symptom, every way it is seen.

For each symptom in troubleshoot_snippets/symptoms.py, tests/support/pasted.py
derives the lines users paste (clipper_admin's log prefix, a JSON response, a
Python repr or exception line, their own names and numbers). Each is pasted
with Ctrl+V into the search box of the built site in Chromium, on one page for
all of them; the first result must be the entry's page and its first section
the entry.
"""
import re
from urllib.parse import urlsplit

import pytest

from tests.static.test_browser import browser, local_context, site  # noqa: F401 (fixtures)
from tests.support.pasted import variants
from troubleshoot_snippets.symptoms import SYMPTOMS

CASES = [(s, kind, text) for s in SYMPTOMS for kind, text in variants(s)]
META = "document.querySelector('.md-search-result__meta').textContent"
# Empty the box (Material reads it on keyup) and put `text` on the clipboard.
CLEAR = """async text => {
  const box = document.querySelector('.md-search__input');
  box.value = '';
  box.dispatchEvent(new KeyboardEvent('keyup'));
  await navigator.clipboard.writeText(text);
}"""
# Once the answer to the box's query has come (Material sets the count first and
# renders the result items a frame later): the box's text and the result links.
ANSWER = """() => {
  const meta = %s;
  if (/Type to start|Initializing/.test(meta)) return null;
  const links = [...document.querySelectorAll('.md-search-result__link')].map(a => a.href);
  if (!links.length && !/No matching/.test(meta)) return null;
  return {box: document.querySelector('.md-search__input').value, links: links};
}""" % META


@pytest.fixture(scope="module")
def paste(browser, site):  # noqa: F811
    """paste(text) -> the result links, best first, without ?h=; one page for the module."""
    context, outside = local_context(browser)
    page = context.new_page()
    page.goto(site)
    page.click(".md-search__input")
    page.wait_for_function(META + ".trim() != 'Initializing search'")

    def paste(text):
        page.evaluate(CLEAR, text)
        page.wait_for_function(META + ".includes('Type to start')")
        page.keyboard.press("Control+V")
        answer = page.wait_for_function(ANSWER).json_value()
        assert answer["box"] == text
        return [re.sub(r"\?h=[^#]*", "", urlsplit(h)._replace(scheme="", netloc="").geturl())
                for h in answer["links"]]

    yield paste
    context.close()
    assert outside == [], "the site tried to fetch from the internet: {}".format(outside)


@pytest.mark.parametrize("symptom, kind, text", CASES,
                         ids=["{} | {}".format(s.text[:50], kind) for s, kind, _ in CASES])
def test_pasted_line_lands_on_its_entry(paste, symptom, kind, text):
    links = paste(text)
    want = "/" + symptom.path
    first_section = next((link for link in links if "#" in link), None)
    assert links and links[0].startswith(want.split("#")[0]) and first_section == want, (
        "pasting ({}) {!r}: expected the first result to be {}, got {}".format(
            kind, text, want, links[:5] or "no matching documents"))


def test_every_symptom_is_pasted_in_every_wrapping():
    """The variants are real: each symptom gets its log, JSON, repr and exception forms."""
    wrappings = {"log line", "JSON field", "JSON response", "Python repr", "exception repr"}
    for symptom in SYMPTOMS:
        kinds = {kind for kind, _ in variants(symptom)}
        assert wrappings <= kinds, "{}: only {}".format(symptom.text, sorted(kinds))
    assert any(kind == "user's names" for _, kind, _ in CASES)
