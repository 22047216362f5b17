"""The same mkdocs.yml under MkDocs' successors builds the same site.

ProperDocs (pinned in requirements.txt) always; Zensical at the newest release
that installs here (tests/support/zensical_env.py; skips only if none does).
Compared with the MkDocs build: the pages, each page's headings and #anchors,
every code block's text, the rest of each article's text and links (the error
index rows among them), the search index entries, and the site's own scripts.
A difference fails, naming the page, unless THEME_DIFFERENCES names it. Each
site is built once per run, the three side by side.
"""
import os
import re
import shutil
import subprocess
from importlib.metadata import version

import pytest
import yaml

from tests.conftest import BUILDERS, ROOT
from tests.support.site_compare import differences, read_site
from tests.support.snippets import includes
from tests.support.zensical_env import (ZensicalUnavailable, installable_release, resolution,
                                        zensical_command)
from troubleshoot_snippets import tracker
from troubleshoot_snippets.symptoms import SYMPTOMS

GENERATOR = re.compile(r'<meta name="generator" content="([^"]+)">')


def generator(site):
    return GENERATOR.search((site / "index.html").read_text()).group(1)


@pytest.fixture(scope="module")
def mkdocs_site(built_site):
    site = read_site(built_site)
    # Guard against two empty reads agreeing: the MkDocs build has every include.
    assert sum(len(p.code) for p in site["pages"].values()) >= len(includes()), built_site
    assert sum(len(p.headings) for p in site["pages"].values()) > len(site["pages"]), built_site
    assert site["search"]["entries"], "no search index entries in {}".format(built_site)
    return site


ZENSICAL_SOURCES = ROOT / "build" / "zensical"  # Zensical has no --site-dir: a copy


def _start(command, cwd):
    return subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))


def _finish(process, what):
    try:
        output, _ = process.communicate(timeout=300)
    except subprocess.TimeoutExpired:
        process.kill()
        raise AssertionError("{} took over 300 s".format(what))
    assert process.returncode == 0, "{} failed:\n{}".format(what, output)


@pytest.fixture(scope="module")
def builds(request):
    """{builder: site folder}, "zensical": (release, folder) or the reason it cannot.
    ProperDocs and Zensical start first, then MkDocs' built_site builds beside them."""
    started = {"properdocs": _start(BUILDERS["properdocs"] + [
        "--strict", "--site-dir", str(ROOT / "build" / "site-properdocs")], ROOT)}
    try:
        release = installable_release()
        command = zensical_command(release)
    except ZensicalUnavailable as e:
        release, reason = None, str(e)
    if release:
        shutil.rmtree(ZENSICAL_SOURCES, ignore_errors=True)
        for name in ("docs", "troubleshoot_snippets", "overrides", "generated"):
            shutil.copytree(ROOT / name, ZENSICAL_SOURCES / name,
                            ignore=shutil.ignore_patterns("__pycache__"))
        shutil.copy(ROOT / "mkdocs.yml", ZENSICAL_SOURCES)
        started["zensical"] = _start(
            command + ["build", "--config-file", "mkdocs.yml", "--strict"], ZENSICAL_SOURCES)
    built_site = request.getfixturevalue("built_site")
    _finish(started["properdocs"], "properdocs build --strict")
    sites = {"mkdocs": built_site, "properdocs": ROOT / "build" / "site-properdocs",
             "zensical": reason if not release else None}
    if release:
        _finish(started["zensical"], "zensical {} build --strict".format(release))
        site_dir = yaml.safe_load((ROOT / "mkdocs.yml").read_text())["site_dir"]
        sites["zensical"] = (release, ZENSICAL_SOURCES / site_dir)
    return sites


@pytest.fixture(scope="module")
def properdocs_site(builds):
    """The site built by ProperDocs, --strict, into build/site-properdocs (a CI artifact)."""
    return builds["properdocs"]


def test_properdocs_build_is_really_properdocs(properdocs_site):
    assert generator(properdocs_site).startswith(
        "mkdocs-ProperDocs {}, mkdocs-material-".format(version("properdocs")))


def test_properdocs_builds_the_same_site_as_mkdocs(mkdocs_site, properdocs_site):
    problems = differences(mkdocs_site, read_site(properdocs_site), ("MkDocs", "ProperDocs"))
    assert not problems, "\n".join(problems)


# Each case breaks the project only under ProperDocs (`mkdocs` is an alias of the
# properdocs module there; templates see mkdocs_version "ProperDocs x.y.z").
OVERRIDE = """{% extends "base.html" %}
{% block content %}{% if mkdocs_version.startswith("ProperDocs") -%}
{{ super() | replace('<h2 id="', '<h2 id="pd-') }}
{%- else %}{{ super() }}{% endif %}{% endblock %}
"""
HOOK_WITHOUT_SEARCH = """import mkdocs
def on_config(config):
    if mkdocs.__name__ == "properdocs":
        config.plugins["material/search"].config.enabled = False
"""
HOOK_EDITING_CODE = """import mkdocs
def on_page_content(html, page, **kwargs):
    end = html.find("</code></pre>")  # of the page's first code block
    if mkdocs.__name__ == "properdocs" and page.file.src_uri == "query-errors.md":
        return html[:end] + "# a line only ProperDocs shows" + html[end:]
    return html
"""


def edit_config(project, old, new):
    config = project / "mkdocs.yml"
    assert old in config.read_text(), "mkdocs.yml has no {!r}: update this test".format(old)
    config.write_text(config.read_text().replace(old, new, 1))


def add_hook(project, name, code):
    (project / name).write_text(code)
    if "hooks" in yaml.safe_load((project / "mkdocs.yml").read_text()):
        edit_config(project, "hooks:\n", "hooks:\n  - {}\n".format(name))
    else:
        with open(project / "mkdocs.yml", "a") as config:
            config.write("\nhooks:\n  - {}\n".format(name))


def add_theme_override(project, template, text):
    """`template` in the project's theme custom_dir (one is added if it has none)."""
    theme = yaml.safe_load((project / "mkdocs.yml").read_text())["theme"]
    if "custom_dir" not in theme:
        edit_config(project, "  name: material\n", "  name: material\n  custom_dir: overrides\n")
    target = project / theme.get("custom_dir", "overrides") / template
    assert not target.exists(), "the project already overrides {}: pick another".format(template)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text)


BREAKS = {
    "theme override renames anchors": (
        lambda project: add_theme_override(project, "main.html", OVERRIDE),
        "default-predictions/index.html: headings and #anchors not the same"),
    "search plugin does not run": (
        lambda project: add_hook(project, "no_search.py", HOOK_WITHOUT_SEARCH),
        "search/search_index.json or search.json: no search index in the ProperDocs build"),
    "hook edits a code block": (
        lambda project: add_hook(project, "edit_code.py", HOOK_EDITING_CODE),
        "query-errors/index.html: code blocks not the same"),
}


# The breaks are shown on a three-page project under the guide's own mkdocs.yml
# (theme, overrides, plugins, extensions, scripts): a guide build takes seconds.
TINY_PAGES = {
    "index.md": "# Home\n\nSee [the defaults](default-predictions.md) and [errors](query-errors.md).\n",
    "default-predictions.md": "# Defaults\n\n## First { #first }\n\nOne.\n\n## Second { #second }\n\nTwo.\n",
    "query-errors.md": "# Errors\n\nA block:\n\n```python\nprint(\"shown\")\n```\n",
}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """(the project's folder, {builder: read_site} of it unbroken)."""
    config = (ROOT / "mkdocs.yml").read_text()
    nav = re.search(r"^nav:\n(  - .*\n)+", config, re.M)
    assert nav, "mkdocs.yml has no nav: update this test"
    project = tmp_path_factory.mktemp("tiny") / "project"
    shutil.copytree(ROOT / "overrides", project / "overrides")
    shutil.copytree(ROOT / "docs" / "javascripts", project / "docs" / "javascripts")
    for watched in yaml.safe_load(config).get("watch", []):
        (project / watched).mkdir(parents=True, exist_ok=True)
    for name, text in TINY_PAGES.items():
        (project / "docs" / name).write_text(text)
    (project / "mkdocs.yml").write_text(config.replace(nav.group(0), "nav:\n" + "".join(
        "  - {}\n".format(name) for name in TINY_PAGES)))
    return project, build_both(project, project.parent / "site")


def build_both(project, out):
    """{builder: read_site} of `project` built --strict by MkDocs and ProperDocs at once."""
    started = {b: _start(BUILDERS[b] + ["--strict", "--site-dir", str(out / b)], project)
               for b in ("mkdocs", "properdocs")}
    for builder, process in started.items():
        _finish(process, "{} build --strict of {}".format(builder, project))
    return {builder: read_site(out / builder) for builder in started}


def test_tiny_project_builds_alike(tiny):
    """Unbroken, both builders agree: a difference below is the break's."""
    sites = tiny[1]
    pages = ["404.html", "index.html"] + [n[:-3] + "/index.html" for n in TINY_PAGES if n != "index.md"]
    assert sorted(sites["mkdocs"]["pages"]) == sorted(pages), sorted(sites["mkdocs"]["pages"])
    assert sites["mkdocs"]["search"]["entries"]
    assert differences(sites["mkdocs"], sites["properdocs"], ("MkDocs", "ProperDocs")) == []


@pytest.mark.parametrize("break_it, expected", BREAKS.values(), ids=list(BREAKS))
def test_comparison_fails_on_a_properdocs_only_break(tiny, tmp_path, break_it, expected):
    source, unbroken = tiny
    project = tmp_path / "project"
    shutil.copytree(source, project)
    break_it(project)
    sites = build_both(project, tmp_path / "site")
    assert differences(unbroken["mkdocs"], sites["mkdocs"]) == [], "the break is not ProperDocs-only"
    problems = differences(unbroken["mkdocs"], sites["properdocs"], ("MkDocs", "ProperDocs"))
    assert any(p.startswith(expected) for p in problems), problems


# Differences that come from Zensical's theme, by name; any other difference fails,
# and so does a listed one that no longer occurs (the list stays true).
THEME_DIFFERENCES = {
    "404 page links home without the trailing '.'":
        "404.html: article links not the same (MkDocs vs Zensical): item 2: "
        "'/clipper-troubleshooting/.' != '/clipper-troubleshooting/'",
}


@pytest.fixture(scope="module")
def zensical_site(builds):
    if isinstance(builds["zensical"], str):
        pytest.skip(builds["zensical"])
    return builds["zensical"]


def test_zensical_is_the_newest_release_that_installs(zensical_site):
    release, site = zensical_site
    assert generator(site) == "zensical-{}".format(release), generator(site)
    found = resolution()
    assert found["release"] == release
    for newer, error in found["newer"].items():  # each newer one was tried and failed
        assert error, "Zensical {} was skipped without a reason".format(newer)


def test_zensical_builds_the_same_site_as_mkdocs(mkdocs_site, zensical_site):
    release, site = zensical_site
    problems = differences(mkdocs_site, read_site(site), ("MkDocs", "Zensical"))
    unlisted = [p for p in problems if p not in THEME_DIFFERENCES.values()]
    gone = [name for name, p in THEME_DIFFERENCES.items() if p not in problems]
    assert not unlisted, "Zensical {} differs from MkDocs:\n{}".format(release, "\n".join(unlisted))
    assert not gone, "no longer differ under Zensical {}: remove from THEME_DIFFERENCES: {}".format(
        release, gone)


def error_index_rows(site):
    article = re.search(r"<article.*?</article>", (site / "error-index" / "index.html").read_text(),
                        re.S).group(0)
    return re.findall(r"<tr>.*?</tr>", article, re.S)


def test_every_builder_renders_the_whole_error_index(builds):
    fixed = sum(r.verdict == tracker.FIXED for r in tracker.ROWS)
    rows = len(SYMPTOMS) + 1 + (fixed + 1 if fixed else 0)  # each table has a header row
    sites = {"MkDocs": builds["mkdocs"], "ProperDocs": builds["properdocs"]}
    if not isinstance(builds["zensical"], str):
        sites["Zensical " + builds["zensical"][0]] = builds["zensical"][1]
    for name, site in sites.items():
        found = error_index_rows(site)
        assert len(found) == rows, "{}: {} rows in the error index, expected {}".format(
            name, len(found), rows)
        assert "Answers ucbrise/clipper" in (site / "default-predictions" / "index.html").read_text()


SCRIPTS = sorted((ROOT / "docs" / "javascripts").glob("*.js"))


def test_every_builder_ships_and_loads_the_site_scripts(builds):
    assert SCRIPTS, "no docs/javascripts/*.js"
    sites = {"MkDocs": builds["mkdocs"], "ProperDocs": builds["properdocs"]}
    if not isinstance(builds["zensical"], str):
        sites["Zensical " + builds["zensical"][0]] = builds["zensical"][1]
    for name, site in sites.items():
        for script in SCRIPTS:
            shipped = site / "javascripts" / script.name
            assert shipped.is_file() and shipped.read_bytes() == script.read_bytes(), (
                "{}: javascripts/{} missing or changed in the output".format(name, script.name))
            for page in site.rglob("index.html"):
                assert re.search(r'<script src="[./]*javascripts/{}"'.format(re.escape(
                    script.name)), page.read_text()), "{}: {} does not load javascripts/{}".format(
                        name, page.relative_to(site), script.name)


# Zensical's search is its own (a dialog in a shadow root, other class names): the
# results once they stop changing for 250 ms. Under load none may show for longer than
# that (xdist run): none count only after 10 s.
ZENSICAL_RESULTS = """async () => {
  const root = [...document.querySelectorAll('body *')].find(e => e.shadowRoot).shadowRoot;
  const read = () => [...root.querySelectorAll('[role=listbox] a[role=option]')].map(a => a.href);
  const started = performance.now();
  let last = JSON.stringify(read()), since = started;
  while (performance.now() - since < 250 || (last === '[]' && performance.now() - started < 10000)) {
    await new Promise(r => setTimeout(r, 25));
    const now = JSON.stringify(read());
    if (now !== last) { last = now; since = performance.now(); }
  }
  return JSON.parse(last);
}"""
# Pasted JSON: its key ("default_explanation") is on no entry, and Zensical finds
# only pages with every word, so these land only if paste_search.js drops the key.
PASTED = [s for s in SYMPTOMS if s.anchor in (
    "no-connected-models", "cluster-already-exists", "ints-to-doubles")]


def test_paste_search_works_on_the_zensical_build(zensical_site, browser):
    from tests.support.browser import local_context
    from tests.support.pasted import variants
    from tests.support.site_server import serve
    release, site = zensical_site
    assert len(PASTED) == 3, "update PASTED: an anchor is gone from symptoms.py"
    context, outside = local_context(browser)
    loaded = []
    context.on("request", lambda r: loaded.append(r.url))
    try:
        with serve(site) as base:
            page = context.new_page()
            page.goto(base)
            page.click(".md-search__button")
            box = page.locator("input[aria-label=Search]")
            for symptom in PASTED:
                text = dict(variants(symptom))["JSON field"]
                box.fill("")
                page.evaluate("text => navigator.clipboard.writeText(text)", text)
                box.press("Control+V")
                links = [re.sub(r"\?h=[^#]*", "", h.split("/", 3)[3])
                         for h in page.evaluate(ZENSICAL_RESULTS)]
                assert links and links[0] == symptom.path, (
                    "Zensical {}: pasting {!r}: expected {} first, got {}".format(
                        release, text, symptom.path, links[:3] or "no results"))
    finally:
        context.close()
    assert any(url.endswith("/javascripts/paste_search.js") for url in loaded), loaded
    assert outside == [], "the site tried to fetch from the internet: {}".format(outside)
