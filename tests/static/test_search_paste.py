"""Paste what is on the screen, land on the entry: every symptom, every way it is seen.

For each symptom in troubleshoot_snippets/symptoms.py, tests/support/pasted.py
derives the lines users paste (clipper_admin's log prefix, a JSON response, a
Python repr or exception line, their own names and numbers). All of them are
asked in one page of the built site in Chromium: of the site's own search
worker with its built index, through the page's query transform
(docs/javascripts/paste_search.js), and of the error lookup shown above the
results. The first word result must be the entry's page and its first section
the entry; the lookup must name the entry. A sample of each wrapping is also
pasted with Ctrl+V into the search box, and the rendered results must be the
worker's.
"""
import re
from urllib.parse import urlsplit

import pytest

from scripts import known_errors
from tests.support.browser import local_context
from tests.support.pasted import variants
from troubleshoot_snippets import tracker
from troubleshoot_snippets.symptoms import SYMPTOMS

CASES = [(s, kind, text) for s in SYMPTOMS for kind, text in variants(s)]
# Error texts of other software, as users paste them; the guide knows none of them.
FOREIGN = [
    'psql: error: connection to server at "localhost" (::1), port 5432 failed: FATAL:  '
    'password authentication failed for user "postgres"',
    'ERROR:  relation "users" does not exist at character 15',
    'Error from server (NotFound): pods "web-7d4b9c7f5-x2x9z" not found',
    "The connection to the server localhost:8080 was refused - did you specify the right host or port?",
    'Exception in thread "main" java.lang.NullPointerException\n'
    "\tat com.example.App.main(App.java:14)",
    "npm ERR! code ERESOLVE\nnpm ERR! ERESOLVE unable to resolve dependency tree",
    "fatal: not a git repository (or any of the parent directories): .git",
    "Traceback (most recent call last):\n  File \"app.py\", line 3, in <module>\n"
    "    import flask\nModuleNotFoundError: No module named 'flask'",
    "error[E0382]: borrow of moved value: `v`",
    "nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)",
    "panic: runtime error: invalid memory address or nil pointer dereference",
    "Segmentation fault (core dumped)",
    "ORA-12154: TNS:could not resolve the connect identifier specified",
]
# The setup message (built index and search config) the page sends its search worker.
KEEP_SETUP = """
const post = Worker.prototype.postMessage;
Worker.prototype.postMessage = function (message) {
  if (message && message.type === 0) window.__searchSetup = message;
  return post.apply(this, arguments);
};
"""
# One page, one more instance of the site's search worker, set up as the page set up
# its own, queried through the page's transform (paste_search.js wraps postMessage):
# every query's result locations, best first, in order, and what the lookup answers.
ASK_ALL = """async texts => {
  const config = JSON.parse(document.getElementById('__config').textContent);
  const worker = new Worker(new URL(config.search, new URL(config.base + '/', location.href)));
  const answers = [];
  const done = new Promise((resolve, reject) => {
    worker.onerror = reject;
    worker.onmessage = ev => {
      if (ev.data.type === 1) texts.forEach(t => worker.postMessage({type: 2, data: t}));
      if (ev.data.type !== 3) return;
      answers.push(ev.data.data.items.flat().map(d => d.location));
      if (answers.length === texts.length) resolve();
    };
  });
  worker.postMessage(window.__searchSetup);
  await done;
  worker.terminate();
  return texts.map((t, i) => {
    const found = window.clipperLookup(t);
    return {links: answers[i], lookup: found && found.known.map(e => e.path)};
  });
}"""
# Every known-error regex against every text, in the browser: [[bool]].
MATCH_ALL = """texts => window.clipperKnownErrors.map(e => texts.map(t => e.re.test(t)))"""
META = "document.querySelector('.md-search-result__meta').textContent"
CLEAR = """async text => {
  const box = document.querySelector('.md-search__input');
  box.value = '';
  box.dispatchEvent(new KeyboardEvent('keyup'));
  await navigator.clipboard.writeText(text);
}"""
# Once the answer to the box's query has come (Material sets the count first and
# renders the result items a frame later): the box's text, result links, lookup panel.
ANSWER = """() => {
  const meta = %s;
  if (/Type to start|Initializing/.test(meta)) return null;
  const links = [...document.querySelectorAll('.md-search-result__link')].map(a => a.href);
  if (!links.length && !/No matching/.test(meta)) return null;
  const panel = document.querySelector('.clipper-lookup');
  return {box: document.querySelector('.md-search__input').value, links: links,
          panel: panel && panel.dataset.lookup,
          panel_links: panel ? [...panel.querySelectorAll('a')].map(a => a.href) : []};
}""" % META
ANSWERED = [r for r in tracker.ROWS if r.verdict == tracker.ANSWERED]
FIXED = [r for r in tracker.ROWS if r.verdict == tracker.FIXED]
TEXTS = list(dict.fromkeys([t for _, _, t in CASES] + FOREIGN + [r.text for r in tracker.ROWS]
                           + ["default_explanation", "deploy"]))


def local(href):
    return re.sub(r"\?h=[^#]*", "", urlsplit(href)._replace(scheme="", netloc="").geturl())


def entry(detail):
    """"page.md#anchor" -> "page/#anchor", as symptoms' paths are written."""
    page, anchor = detail.split("#")
    return "{}/#{}".format(page[:-len(".md")], anchor)


@pytest.fixture(scope="module")
def page(browser, site):  # noqa: F811
    context, outside = local_context(browser)
    context.add_init_script(KEEP_SETUP)
    page = context.new_page()
    page.goto(site)
    page.wait_for_function("window.__searchSetup")
    yield page
    context.close()
    assert outside == [], "the site tried to fetch from the internet: {}".format(outside)


@pytest.fixture(scope="module")
def answers(page):
    """{pasted text: {"links": ["/page/#anchor", ...], "lookup": [entry paths] or None}}."""
    found = page.evaluate(ASK_ALL, TEXTS)
    return {t: {"links": ["/" + link for link in a["links"]], "lookup": a["lookup"]}
            for t, a in zip(TEXTS, found)}


@pytest.mark.parametrize("symptom, kind, text", CASES,
                         ids=["{} | {}".format(s.text[:50], kind) for s, kind, _ in CASES])
def test_pasted_line_lands_on_its_entry(answers, symptom, kind, text):
    links, lookup = answers[text]["links"], answers[text]["lookup"]
    want = "/" + symptom.path
    first_section = next((link for link in links if "#" in link), None)
    assert links and links[0].startswith(want.split("#")[0]) and first_section == want, (
        "pasting ({}) {!r}: expected the first result to be {}, got {}".format(
            kind, text, want, links[:5] or "no matching documents"))
    assert lookup and lookup[0] == symptom.path, (
        "pasting ({}) {!r}: the lookup should name {} first, named {}".format(kind, text, symptom.path, lookup))


def test_every_symptom_is_pasted_in_every_wrapping():
    """The variants are real: each symptom gets its log, JSON, repr and exception forms."""
    wrappings = {"log line", "JSON field", "JSON response", "Python repr", "exception repr"}
    for symptom in SYMPTOMS:
        kinds = {kind for kind, _ in variants(symptom)}
        assert wrappings <= kinds, "{}: only {}".format(symptom.text, sorted(kinds))
    assert any(kind == "user's names" for _, kind, _ in CASES)


# A keyboard paste of each wrapping, each of another symptom.
KINDS = list(dict.fromkeys(kind for _, kind, _ in CASES))
SAMPLE = [next(c for i, c in enumerate(CASES[n:] + CASES[:n]) if c[1] == kind)
          for n, kind in zip(range(0, len(CASES), max(1, len(CASES) // len(KINDS))), KINDS)]


def test_ctrl_v_pastes_show_the_workers_results_and_the_lookup(page, answers):
    page.click(".md-search__input")
    page.wait_for_function(META + ".trim() != 'Initializing search'")
    for symptom, kind, text in SAMPLE:
        page.evaluate(CLEAR, text)
        page.wait_for_function(META + ".includes('Type to start')")
        page.keyboard.press("Control+V")
        shown = page.wait_for_function(ANSWER).json_value()
        assert shown["box"] == text
        # Material shows each page before its sections: the same first page and section.
        links, asked = [local(h) for h in shown["links"]], answers[text]["links"]
        assert links and asked and links[0] == asked[0].split("#")[0] and (
            next(h for h in links if "#" in h) == next(h for h in asked if "#" in h)), (
            kind, text, links[:3], asked[:3])
        assert shown["panel"] == "known" and local(shown["panel_links"][0]) == "/" + symptom.path, (
            kind, text, shown)
    assert {kind for _, kind, _ in SAMPLE} == set(KINDS)


def test_ctrl_v_of_an_unknown_error_says_so_with_the_way_on(page):
    page.click(".md-search__input")
    page.evaluate(CLEAR, FOREIGN[2])
    page.wait_for_function(META + ".includes('Type to start')")
    page.keyboard.press("Control+V")
    shown = page.wait_for_function(ANSWER).json_value()
    assert shown["panel"] == "not known"
    links = shown["panel_links"]
    assert [local(h) for h in links[:3]] == [
        "/#where-are-you-stuck", "/doctor/", "/doctor/#filing-an-issue"], links
    assert links[3].startswith("https://github.com/ucbrise/clipper/issues?q="), links


@pytest.mark.parametrize("text", FOREIGN, ids=lambda t: t[:40])
def test_other_softwares_errors_are_not_known(answers, text):
    assert answers[text]["lookup"] == [], "{!r}: lookup answered {}".format(text, answers[text]["lookup"])


def test_no_section_wins_unrelated_pastes_on_common_words(answers):
    firsts = [next((link for link in answers[t]["links"] if "#" in link), None) for t in FOREIGN]
    top = max(set(firsts), key=firsts.count)
    assert firsts.count(top) <= 3, "{} is first for {} of {} unrelated pastes".format(
        top, firsts.count(top), len(FOREIGN))


@pytest.mark.parametrize("text", ["default_explanation", "deploy"])
def test_plain_words_get_word_results_only(answers, text):
    assert answers[text]["lookup"] is None and answers[text]["links"]


@pytest.mark.parametrize("row", ANSWERED, ids=lambda r: str(r.issue))
def test_answered_tracker_rows_land_on_their_entry(answers, row):
    got = answers[row.text]["lookup"]
    assert got and got[0] == entry(row.detail), "#{} {!r}: lookup named {}".format(row.issue, row.text, got)


@pytest.mark.parametrize("row", FIXED, ids=lambda r: str(r.issue))
def test_fixed_tracker_rows_land_on_the_error_index(answers, built_site, row):
    index = (built_site / "error-index" / "index.html").read_text()
    if row.text not in index and row.text.replace('"', "&quot;") not in index:
        pytest.skip("the error index does not show #{}'s text yet".format(row.issue))
    assert answers[row.text]["lookup"] == ["error-index/"], (row.issue, answers[row.text]["lookup"])


def test_known_error_regexes_behave_in_javascript_as_in_python(page):
    texts = TEXTS + [s.text for s in SYMPTOMS]
    in_browser = page.evaluate(MATCH_ALL, texts)
    expected = [[s.found_in(t) for t in texts] for s in SYMPTOMS]
    assert len(in_browser) >= len(SYMPTOMS)
    for s, js, py in zip(SYMPTOMS, in_browser, expected):
        differ = [t for t, a, b in zip(texts, js, py) if a != b]
        assert not differ, "{!r}: JavaScript and Python disagree on {}".format(s.text, differ[:3])


def test_known_errors_js_is_generated_from_symptoms():
    committed = known_errors.TARGET.read_text()
    assert committed == known_errors.render(), (
        "docs/javascripts/known_errors.js is stale; regenerate: " + known_errors.COMMAND)
