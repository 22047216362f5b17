"""Versions on the client and in the model images, against the guide's tables
(docs/installing.md: the closure deployer's Pythons, the cloudpickle table)."""
import sys
from concurrent.futures import ThreadPoolExecutor

from troubleshoot_snippets.doctor import entries as E
from troubleshoot_snippets.doctor.report import NOTE, OK, PROBLEM, Finding

GUIDE_RELEASE = "0.4.1"
CLOSURE_PYTHONS = {(2, 7), (3, 5), (3, 6)}  # installing.md#closure-python-version
# installing.md#cloudpickle-mismatch: cloudpickle on the client that pickled a closure ->
# (entry in a container with cloudpickle 0.5.3, entry with 0.5.4 to 0.5.6); None: it works.
CLOSURE_TABLE = {
    "0.5.3": (None, None),
    "0.6.1": (E.CLOUDPICKLE_MISMATCH, None),
    "1.5.0": (E.CLOUDPICKLE_MISMATCH, E.CLOUDPICKLE_MISMATCH),
    "2.2.1": (E.CLOUDPICKLE_MAKE_FUNCTION, E.CLOUDPICKLE_MAKE_FUNCTION),
}
CONTAINER_COLUMNS = {"0.5.3": 0, "0.5.4": 1, "0.5.5": 1, "0.5.6": 1}
# What the guide's `container_version` snippet runs in the image (cloudpickle_versions.sh).
PROBE = "import cloudpickle; print(cloudpickle.__version__)"
PROBE_LABEL = "ai.clipper.troubleshoot-guide.doctor-probe"


def closure_result(client_cloudpickle, container_cloudpickle):
    """(known, entry): what the guide's table says a closure pickled on the client does."""
    row = CLOSURE_TABLE.get(client_cloudpickle)
    column = CONTAINER_COLUMNS.get(container_cloudpickle)
    if row is None or column is None:
        return False, None
    return True, row[column]


def client_versions():
    """{name: version} of the client: Python, clipper_admin, cloudpickle, docker-py."""
    import clipper_admin
    import cloudpickle
    import docker
    return {"Python": "{}.{}.{}".format(*sys.version_info[:3]),
            "clipper_admin": clipper_admin.__version__,
            "cloudpickle": cloudpickle.__version__, "docker-py": docker.__version__}


def probe_base(client, image_name):
    """The image whose cloudpickle to ask: the first tagged ancestor (the base image a
    model image was built FROM), else the image itself."""
    image = client.images.get(image_name)
    parent = image.attrs.get("Parent")
    while parent:
        ancestor = client.images.get(parent)
        if ancestor.tags:
            return ancestor.tags[0]
        parent = ancestor.attrs.get("Parent")
    return image_name


def image_cloudpickle(client, image):
    """cloudpickle's version in `image`, asked the way the guide's snippet asks it."""
    container = client.containers.run(image, entrypoint=["python", "-c", PROBE], detach=True,
                                      network_disabled=True, labels={PROBE_LABEL: ""})
    try:
        status = container.wait(timeout=60)["StatusCode"]
        out = container.logs().decode("utf-8", "replace").strip()
        return out.splitlines()[-1] if status == 0 and out else "unknown ({})".format(out[-200:])
    finally:
        container.remove(force=True)


def start_probes(client, images, pool):
    """Futures {base image: version}, one probe per distinct base of `images`."""
    bases = {}
    for image in sorted(set(images)):
        try:
            bases.setdefault(probe_base(client, image), []).append(image)
        except Exception as e:  # an image removed meanwhile: say so, do not stop
            bases.setdefault("{} ({})".format(image, e.__class__.__name__), [])
    return {base: (users, pool.submit(image_cloudpickle, client, base) if users else None)
            for base, users in bases.items()}


def check_versions(probes):
    """Findings for the client's versions and each probed model image."""
    v = client_versions()
    py = sys.version_info[:2]
    found = []
    if py in CLOSURE_PYTHONS:
        found.append(Finding("versions", "Python", OK, v["Python"]))
    else:
        found.append(Finding("versions", "Python", NOTE, "{}: deploy_python_closure refuses it; "
                             "deploy images built from modules".format(v["Python"]), E.CLOSURE_PYTHON))
    found.append(Finding("versions", "clipper_admin", OK if v["clipper_admin"] == GUIDE_RELEASE else NOTE,
                         v["clipper_admin"] if v["clipper_admin"] == GUIDE_RELEASE else
                         "{}: this guide covers {}".format(v["clipper_admin"], GUIDE_RELEASE)))
    pickles_closures = py in CLOSURE_PYTHONS
    found.append(Finding("versions", "cloudpickle", OK, v["cloudpickle"] + (
        "" if pickles_closures else " (this Python pickles no closures for Clipper)")))
    found.append(Finding("versions", "docker-py", OK, v["docker-py"]))
    for base, (users, future) in sorted(probes.items()):
        if future is None:
            found.append(Finding("versions", "cloudpickle in model image", NOTE, base + ": could not inspect"))
            continue
        try:
            version = future.result(timeout=90)
        except Exception as e:
            found.append(Finding("versions", "cloudpickle in model image", NOTE,
                                 "{}: {}".format(base, e)))
            continue
        where = "{} in {} (base of {})".format(version, base, ", ".join(users)) if users != [base] \
            else "{} in {}".format(version, base)
        if not pickles_closures:
            found.append(Finding("versions", "cloudpickle in model image", OK, where))
            continue
        known, entry = closure_result(v["cloudpickle"], version)
        if not known:
            found.append(Finding("versions", "cloudpickle in model image", NOTE, "{}; cloudpickle {} on "
                                 "the client: not in the guide's table".format(where, v["cloudpickle"]),
                                 E.CLOUDPICKLE_MISMATCH))
        elif entry:
            found.append(Finding("versions", "cloudpickle in model image", PROBLEM, "{}; closures pickled "
                                 "by cloudpickle {} on the client fail to load there".format(
                                     where, v["cloudpickle"]), entry))
        else:
            found.append(Finding("versions", "cloudpickle in model image", OK, where))
    return found


def pool():
    return ThreadPoolExecutor(max_workers=4)
