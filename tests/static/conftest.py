import pytest

from tests.support import system_pieces
from tests.support.browser import CHROMIUM, CHROMIUM_ARGS
from tests.support.site_server import serve


@pytest.fixture(scope="session")
def site(built_site):
    """The built site's base URL on a loopback server (search needs http://)."""
    with serve(built_site) as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the run; each test opens its own context."""
    sync_api = pytest.importorskip("playwright.sync_api")
    # Without libatomic1 Playwright's driver dies with only "Connection closed".
    system_pieces.require("chromium", "libatomic1")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=60000)
        yield browser
        browser.close()
