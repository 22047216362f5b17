"""Docker images of Debian's own minimal root filesystems (debootstrap --variant=minbase).

The root filesystem is built once a week per release and cached as a tarball in the user's
cache (tests/support/user_cache.py: a clean clone reuses it); `docker import` turns it into an
image tagged after the tarball. The runs' clone and logs are under build/fresh_machine/.
"""
import shutil
import subprocess
import time

from tests.support.snippets import ROOT
from tests.support.user_cache import USER_CACHE

MIRROR = "http://deb.debian.org/debian"
CACHE = ROOT / "build" / "fresh_machine"
ROOTFS = USER_CACHE / "fresh_machine"
ROOTFS_FOR = 7 * 24 * 3600  # seconds: then debootstrap again (Debian's point releases)
IMAGE = "clipper-guide-fresh-machine"


def rootfs_tarball(release):
    """<release>-minbase.tar in ROOTFS, made by debootstrap when missing or a week old."""
    tarball = ROOTFS / "{}-minbase.tar".format(release)
    if tarball.exists() and time.time() - tarball.stat().st_mtime < ROOTFS_FOR:
        return tarball
    ROOTFS.mkdir(parents=True, exist_ok=True)
    tree = ROOTFS / "{}-minbase.tmp".format(release)
    shutil.rmtree(tree, ignore_errors=True)
    try:
        run(["debootstrap", "--variant=minbase", release, str(tree), MIRROR], timeout=1200)
        partial = tarball.with_suffix(".tar.tmp")
        run(["tar", "-C", str(tree), "-cf", str(partial), "."], timeout=600)
        partial.rename(tarball)
    finally:
        shutil.rmtree(tree, ignore_errors=True)
    return tarball


def image(release):
    """The image of the release's minbase root filesystem: imported again (replacing
    this test's previous one, so none pile up) when the tarball is not the one it holds."""
    tarball = rootfs_tarball(release)
    tag = "{}:{}".format(IMAGE, release)
    made_from = "{}:{}".format(tarball.stat().st_size, int(tarball.stat().st_mtime))
    held = subprocess.run(["docker", "image", "inspect", "--format",
                           '{{index .Config.Labels "clipper-guide.rootfs"}}', tag],
                          capture_output=True, text=True, timeout=60).stdout.strip()
    if held != made_from:
        subprocess.run(["docker", "rmi", "-f", tag], capture_output=True, timeout=120)
        run(["docker", "import", "--change", "LABEL clipper-guide.rootfs=" + made_from,
             str(tarball), tag], timeout=600)
    return tag


def run(command, timeout):
    result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError("{} exited {}:\n{}{}".format(
            " ".join(command), result.returncode, result.stdout[-3000:], result.stderr[-3000:]))
    return result
