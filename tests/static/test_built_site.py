"""The built HTML: strict build, admonitions, copy buttons, every snippet's text, offline."""
import html
import re

import pytest

from tests.conftest import mkdocs_build
from tests.support.snippets import ROOT, includes, section, where

TAG = re.compile(r"<[^>]+>")


def page_html(site, page):
    rel = page.relative_to(ROOT / "docs").with_suffix("")
    target = site / ("index.html" if rel.name == "index" else rel / "index.html")
    return target.read_text()


def code_text(page_html_text):
    """The text of every <code> block, tags stripped and entities decoded."""
    blocks = re.findall(r"<pre[^>]*>(.*?)</pre>", page_html_text, re.S)
    return [html.unescape(TAG.sub("", b)) for b in blocks]


def test_every_included_snippet_appears_verbatim_in_its_page(built_site):
    missing = []
    for page, line, path, name, _ in includes():
        shown = (section(path, name) if name else (ROOT / path).read_text()).strip("\n")
        if not any(shown in block for block in code_text(page_html(built_site, page))):
            missing.append("{}: {}{} not found in the built page".format(
                where(page, line), path, ":" + name if name else ""))
    assert not missing, "\n".join(missing)


def test_seed_notice_is_an_admonition(built_site):
    text = page_html(built_site, ROOT / "docs" / "default-predictions.md")
    assert re.search(r'<div class="admonition info">\s*<p class="admonition-title">'
                     r'These commands wrap Docker</p>', text)


def test_code_copy_is_enabled_on_every_page(built_site):
    # Material adds the copy button in the browser (test_browser.py clicks it);
    # the built page carries the feature flag that makes it do so.
    for page in sorted((ROOT / "docs").glob("*.md")):
        assert '"content.code.copy"' in page_html(built_site, page), where(page)


def test_pages_fetch_nothing_from_the_internet(built_site):
    external = re.compile(r'(?:src|href)="(?:https?:)?//[^"]+\.(?:js|css|woff2?)[^"]*"'
                          r'|fonts\.googleapis|fonts\.gstatic|@import url\(["\']?https?:')
    offenders = []
    for path in sorted(built_site.rglob("*")):
        if path.suffix in (".html", ".css", ".js") and external.search(path.read_text(errors="replace")):
            offenders.append(str(path.relative_to(built_site)))
    assert not offenders, "these load assets from the internet: {}".format(offenders)


@pytest.mark.parametrize("old, new, message", [
    (':get_linked_models"', ':no_such_section"', "Snippet section 'no_such_section' could not be located"),
    ("default_predictions.py:", "no_such_file.py:", "no_such_file.py"),
], ids=["missing section", "missing file"])
def test_strict_build_fails_on_a_broken_include(project_copy, tmp_path, old, new, message):
    page = project_copy / "docs" / "default-predictions.md"
    page.write_text(page.read_text().replace(old, new, 1))
    result = mkdocs_build(project_copy, tmp_path / "out")
    assert result.returncode != 0
    assert message in result.stderr
