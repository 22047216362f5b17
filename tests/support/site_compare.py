"""What a reader gets from a built site, whichever tool built it, and how two builds differ.

Per page: its headings (level, #anchor, text), the text of every code block, and
the rest of the <article>'s text and links (a table a hook renders, say). Per site:
the search index entries (title and location) of each page, and the index's word
separator and language. Read with the stdlib's html.parser; it relies on nothing
but <h1>-<h6> with ids, <pre>, <article> and Material's `headerlink` permalinks.
"""
import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# MkDocs and ProperDocs write search/search_index.json ("docs"); Zensical search.json ("items").
SEARCH_INDEXES = (("search/search_index.json", "docs"), ("search.json", "items"))
# How the browser splits a query into words: a different separator finds other pages.
SEARCH_SETTINGS = ("lang", "separator")


@dataclass
class Page:
    headings: list = field(default_factory=list)  # (level, id, text)
    code: list = field(default_factory=list)      # text of each <pre>, in page order
    text: str = ""                                # the <article>'s words, outside <pre>
    links: list = field(default_factory=list)     # hrefs in the <article>, in page order


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._heading = None  # [tag, id, text parts] while inside a heading
        self._pre = None      # text parts while inside a <pre>
        self._in_permalink = False
        self._article = 0     # depth of <article> elements we are inside
        self._words = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in HEADINGS:
            self._heading = [tag, attrs.get("id"), []]
        elif tag == "pre":
            self._pre = []
        elif tag == "article":
            self._article += 1
        elif tag == "a" and "headerlink" in (attrs.get("class") or "").split():
            self._in_permalink = True  # the ¶ after a heading is not its text
        elif tag == "a" and self._article and attrs.get("href") is not None:
            self.page.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "a":
            self._in_permalink = False
        elif tag == "article":
            self._article -= 1
        elif tag in HEADINGS and self._heading and self._heading[0] == tag:
            level, anchor, parts = self._heading
            self.page.headings.append((level, anchor, " ".join("".join(parts).split())))
            self._heading = None
        elif tag == "pre" and self._pre is not None:
            self.page.code.append("".join(self._pre))
            self._pre = None

    def handle_data(self, data):
        if self._heading and not self._in_permalink:
            self._heading[2].append(data)
        if self._pre is not None:
            self._pre.append(data)
        elif self._article and not self._in_permalink:
            self._words.append(data)

    def close(self):
        super().close()
        self.page.text = " ".join("".join(self._words).split())


def read_page(path):
    parser = _PageParser()
    parser.feed(Path(path).read_text())
    parser.close()
    return parser.page


def page_of(location):
    """The HTML file a search location points into: '' -> index.html, 'a/#x' -> a/index.html."""
    path = location.split("#", 1)[0]
    if not path or path.endswith("/"):
        path += "index.html"
    return path


def search_index(site):
    """The site's search index as {"settings": {name: value}, "entries": {page: [(title,
    location), ...]}}, or None if it has none."""
    for name, key in SEARCH_INDEXES:
        index = Path(site) / name
        if index.exists():
            data = json.loads(index.read_text())
            entries = {}
            for entry in data[key]:
                entries.setdefault(page_of(entry["location"]), []).append(
                    (entry["title"], entry["location"]))
            settings = {k: data.get("config", {}).get(k) for k in SEARCH_SETTINGS}
            return {"settings": settings, "entries": entries}
    return None


def read_site(site):
    """{'pages': {relative path: Page}, 'search': search_index(site)} of a built site."""
    site = Path(site)
    pages = {p.relative_to(site).as_posix(): read_page(p) for p in sorted(site.rglob("*.html"))}
    return {"pages": pages, "search": search_index(site)}


LABELS = (("headings", "headings and #anchors"), ("code", "code blocks"),
          ("text", "article text"), ("links", "article links"))


def _first_difference(a, b, names):
    """'item N: X != Y' for the first place two lists differ."""
    for number, (x, y) in enumerate(zip(a, b), 1):
        if x != y:
            return "item {}: {!r} != {!r}".format(number, x, y)
    longer, extra = (a, names[0]) if len(a) > len(b) else (b, names[1])
    return "{} more in the {} build, from item {}: {!r}".format(
        abs(len(a) - len(b)), extra, min(len(a), len(b)) + 1, longer[min(len(a), len(b))])


def differences(expected, actual, names=("MkDocs", "other")):
    """Every way site `actual` differs from `expected` (read_site results), one line
    each, starting with the page: "<page>: <what> not the same (<names>): <first difference>"."""
    found = []
    left, right = names
    a_pages, b_pages = expected["pages"], actual["pages"]
    for page in sorted(set(a_pages) ^ set(b_pages)):
        found.append("{}: page only in the {} build".format(
            page, left if page in a_pages else right))
    for page in sorted(set(a_pages) & set(b_pages)):
        for what, label in LABELS:
            a, b = getattr(a_pages[page], what), getattr(b_pages[page], what)
            if what == "text" and a != b:
                a, b = a.split(), b.split()  # word by word, so the message shows where
            if a != b:
                found.append("{}: {} not the same ({} vs {}): {}".format(
                    page, label, left, right, _first_difference(a, b, names)))
    a_search, b_search = expected["search"], actual["search"]
    if a_search is None or b_search is None:
        missing = [n for n, s in ((left, a_search), (right, b_search)) if s is None]
        found.append("{}: no search index in the {} build".format(
            " or ".join(name for name, _ in SEARCH_INDEXES), " and ".join(missing)))
        return found
    for setting in SEARCH_SETTINGS:
        a, b = a_search["settings"][setting], b_search["settings"][setting]
        if a != b:
            found.append("search index: setting {!r} not the same ({} vs {}): {!r} != {!r}"
                         .format(setting, left, right, a, b))
    a_search, b_search = a_search["entries"], b_search["entries"]
    for page in sorted(set(a_search) | set(b_search)):
        a, b = a_search.get(page, []), b_search.get(page, [])
        if a != b:
            found.append("{}: search index entries not the same ({} vs {}): {}".format(
                page, left, right, _first_difference(a, b, names)))
    return found
