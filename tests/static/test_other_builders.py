"""The same mkdocs.yml under MkDocs' successors builds the same site.

ProperDocs (pinned in requirements.txt) always; Zensical when its newest release
installs from PyPI. Compared with the MkDocs build: the pages, each page's headings
and #anchors, every code block's text, the rest of each article's text and links,
and the search index entries. A difference fails, naming the page.
"""
import re
import subprocess
from importlib.metadata import version

import pytest
import yaml

from tests.conftest import ROOT, mkdocs_build
from tests.support.site_compare import differences, read_site
from tests.support.snippets import includes
from tests.support.zensical_env import ZensicalUnavailable, installable_release, zensical_command

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


@pytest.fixture(scope="module")
def properdocs_site():
    """The site built by ProperDocs, --strict, into build/site-properdocs (a CI artifact)."""
    site = ROOT / "build" / "site-properdocs"
    result = mkdocs_build(ROOT, site, builder="properdocs")
    assert result.returncode == 0, "properdocs build --strict failed:\n" + result.stderr
    return site


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


@pytest.mark.parametrize("break_it, expected", BREAKS.values(), ids=list(BREAKS))
def test_comparison_fails_on_a_properdocs_only_break(
        mkdocs_site, project_copy, tmp_path, break_it, expected):
    break_it(project_copy)
    sites = {}
    for builder in ("mkdocs", "properdocs"):
        result = mkdocs_build(project_copy, tmp_path / builder, builder=builder)
        assert result.returncode == 0, "{} build failed:\n{}".format(builder, result.stderr)
        sites[builder] = read_site(tmp_path / builder)
    assert differences(mkdocs_site, sites["mkdocs"]) == [], "the break is not ProperDocs-only"
    problems = differences(mkdocs_site, sites["properdocs"], ("MkDocs", "ProperDocs"))
    assert any(p.startswith(expected) for p in problems), problems


@pytest.fixture(scope="module")
def zensical():
    try:
        release = installable_release()
        return release, zensical_command(release)
    except ZensicalUnavailable as e:
        pytest.skip(str(e))


def test_zensical_builds_the_same_site_as_mkdocs(mkdocs_site, zensical, project_copy):
    release, command = zensical
    # Zensical has no --site-dir: it writes to mkdocs.yml's site_dir, here inside the copy.
    result = subprocess.run(command + ["build", "--config-file", "mkdocs.yml", "--strict"],
                            cwd=project_copy, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, "zensical {} build --strict failed:\n{}{}".format(
        release, result.stdout, result.stderr)
    site = project_copy / yaml.safe_load((ROOT / "mkdocs.yml").read_text())["site_dir"]
    assert generator(site).startswith("zensical"), generator(site)
    problems = differences(mkdocs_site, read_site(site), ("MkDocs", "Zensical " + release))
    assert not problems, "\n".join(problems)
