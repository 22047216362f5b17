"""The headless Chromium the static tests drive (Debian's, never a downloaded one)."""
from urllib.parse import urlsplit

from tests.support import system_pieces

CHROMIUM = system_pieces.chromium_path()
# Without the networking flags Chromium phones home at start; this machine has no internet.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def local_context(browser, **options):
    """(a browser context that may only talk to the local server, the list of the other
    URLs it tried: they are refused and recorded)."""
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"], **options)
    context.set_default_timeout(15000)
    outside = []

    def only_local(route):
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()
    context.route("**/*", only_local)
    return context, outside
