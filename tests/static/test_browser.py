"""The built site in a real headless Chromium (Debian's, never a downloaded one).

Search, copy buttons, the palette toggle, nothing fetched from the internet,
and typing a word. Pasting every error: tests/static/test_search_paste.py.
"""
import re
from urllib.parse import urlsplit

import pytest

from tests.support.browser import local_context
from tests.support.snippets import ROOT

SCREENSHOTS = ROOT / "build" / "screenshots"


@pytest.fixture
def page(browser, site):
    """A page that may only talk to the local server; other requests are recorded and refused."""
    context, outside = local_context(browser, color_scheme="light", viewport={"width": 1280, "height": 900})
    context.add_init_script(COUNT_SEARCHES)
    page = context.new_page()
    yield page
    context.close()
    assert outside == [], "the site tried to fetch from the internet: {}".format(outside)


# Counts the queries Material's page sends its search worker and the answers that
# come back (each query, a string, gets one answer carrying `items`).
COUNT_SEARCHES = """
window.__searches = {sent: 0, answered: 0, at: 0};
const NativeWorker = window.Worker;
window.Worker = class extends NativeWorker {
  constructor(...args) {
    super(...args);
    this.addEventListener('message', ev => {
      if (ev.data && ev.data.data && 'items' in ev.data.data) {
        window.__searches.answered++;
        window.__searches.at = performance.now();
      }
    });
  }
  postMessage(message, ...rest) {
    if (message && typeof message.data === 'string') window.__searches.sent++;
    return super.postMessage(message, ...rest);
  }
};
"""
# Each keystroke is a query; the results of an earlier, shorter one can be on screen
# when typing ends. Once every query has its answer, the last one's items are shown
# (Material renders them a frame after the answer): those links.
SETTLED_RESULTS = """() => {
  const s = window.__searches;
  if (!s.sent || s.sent !== s.answered || performance.now() - s.at < 100) return null;
  const links = [...document.querySelectorAll('.md-search-result__link')].map(a => a.href);
  const none = /No matching/.test(document.querySelector('.md-search-result__meta').textContent);
  return links.length || none ? links : null;
}"""


def search(page, site, text):
    """Type `text` into Material's search box; the result links, best first, without ?h=."""
    page.goto(site)
    page.click(".md-search__input")
    page.keyboard.type(text)
    hrefs = page.wait_for_function(SETTLED_RESULTS, polling=50).json_value()
    return [re.sub(r"\?h=[^#]*", "", urlsplit(h)._replace(scheme="", netloc="").geturl()) for h in hrefs]


def test_search_finds_default_explanation(page, site):
    links = search(page, site, "default_explanation")
    assert links[0].startswith("/default-predictions/"), links


def test_code_blocks_have_working_copy_buttons(page, site):
    page.goto(site + "default-predictions/")
    buttons = page.locator('button.md-code__button[data-md-type="copy"]')
    assert buttons.count() == page.locator("div.highlight pre").count() > 0
    first_code = page.locator("div.highlight pre code").first.inner_text()
    page.locator("div.highlight").first.hover()
    buttons.first.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.strip() == first_code.strip()
    assert copied.startswith("from clipper_admin import ClipperConnection")


def test_palette_toggle_switches_to_dark_and_back(page, site):
    page.goto(site)
    scheme = lambda: page.get_attribute("body", "data-md-color-scheme")
    assert scheme() == "default"
    page.click("label[for=__palette_1]")
    assert scheme() == "slate"
    page.click("label[for=__palette_0]")
    assert scheme() == "default"


def test_screenshots_for_a_person_to_look_at(page, site):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for name, path in [("home", ""), ("default-predictions", "default-predictions/")]:
        page.goto(site + path)
        page.wait_for_selector(".md-content h1")
        target = SCREENSHOTS / (name + ".png")
        page.screenshot(path=str(target), full_page=True)
        assert target.stat().st_size > 10000
