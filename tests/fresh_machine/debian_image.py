"""Docker images of Debian's own minimal root filesystems (debootstrap --variant=minbase).

The root filesystem is built once per release and cached as a tarball under
build/fresh_machine/; `docker import` turns it into an image tagged after the tarball.
"""
import shutil
import subprocess

from tests.support.snippets import ROOT

MIRROR = "http://deb.debian.org/debian"
CACHE = ROOT / "build" / "fresh_machine"
IMAGE = "clipper-guide-fresh-machine"


def rootfs_tarball(release):
    """build/fresh_machine/<release>-minbase.tar, made by debootstrap when missing."""
    tarball = CACHE / "{}-minbase.tar".format(release)
    if tarball.exists():
        return tarball
    CACHE.mkdir(parents=True, exist_ok=True)
    tree = CACHE / "{}-minbase.tmp".format(release)
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
