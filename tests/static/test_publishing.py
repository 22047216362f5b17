"""The published site: "Edit this page" everywhere, a 404 that offers search, a deploy job."""
import yaml

from tests.support.snippets import ROOT, where

CONFIG = yaml.safe_load((ROOT / "mkdocs.yml").read_text())
WORKFLOW = ROOT / ".github" / "workflows" / "ci.yml"


def built_page(site, page):
    name = page.stem
    return (site / ("index.html" if name == "index" else name + "/index.html")).read_text()


def test_every_page_has_edit_this_page(built_site):
    base = CONFIG["repo_url"].rstrip("/") + "/" + CONFIG["edit_uri"]
    for page in sorted((ROOT / "docs").glob("*.md")):
        link = '<a href="{}{}" title="Edit this page"'.format(base, page.name)
        assert link in built_page(built_site, page), where(page) + ": no " + link


def test_404_page_offers_search(built_site):
    text = (built_site / "404.html").read_text()
    assert '<label class="md-button md-button--primary" for="__search">Search the guide</label>' in text
    assert 'class="md-search__input"' in text


def test_repository_link_fetches_nothing(built_site):
    # Material's "source" component would fetch stars and forks from api.github.com.
    text = (built_site / "index.html").read_text()
    assert 'class="md-source"' in text and 'data-md-component="source"' not in text


def test_site_is_deployed_from_main_after_the_tests():
    jobs = yaml.safe_load(WORKFLOW.read_text())["jobs"]
    deploy = jobs["deploy"]
    assert {"test", "fresh-machine"} <= set(deploy["needs"])
    assert "refs/heads/main" in deploy["if"]
    assert any(step.get("uses", "").startswith("actions/deploy-pages@") for step in deploy["steps"])
