"""Skips that must not happen in CI.

Where CI has provided everything the live suite needs (CI=true and Clipper's
images archive given in CLIPPER_IMAGES_ARCHIVE), a missing engine, image,
cluster or Python 3.6 is a broken CI machine, not a reason to skip.
"""
import os

import pytest


def strict():
    return os.environ.get("CI") == "true" and bool(os.environ.get("CLIPPER_IMAGES_ARCHIVE"))


def skip_or_fail(reason):
    """Skip with `reason`; fail with it instead where CI must run everything."""
    if strict():
        pytest.fail("CI=true with CLIPPER_IMAGES_ARCHIVE set, so this must not skip: " + reason,
                    pytrace=False)
    pytest.skip(reason)
