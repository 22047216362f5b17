"""Versions on the client and in the model images, against the guide's tables
(docs/installing.md: the closure deployer's Pythons, the cloudpickle table)."""
from concurrent.futures import ThreadPoolExecutor

from troubleshoot_snippets.doctor import entries as E
from troubleshoot_snippets.doctor import probe
from troubleshoot_snippets.doctor.report import NOTE, OK, PROBLEM, Finding

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


def check_versions(probes, client=None, python=None):
    """Findings for the client's versions and each probed model image. `client`: probe.ask()'s
    answer for `python` (the doctor's own interpreter when None), or a future of it."""
    try:
        client = client.result() if hasattr(client, "result") else client or probe.ask(python)
        found, client_pickle = probe.client_findings(client, python), probe.closure_cloudpickle(client)
    except probe.ProbeFailed as e:
        found, client_pickle = probe.could_not_ask(python, e), None
    pickles_closures = client_pickle is not None
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
        others = [u for u in users if u != base]  # --python adds the closure image itself
        where = "{} in {} (base of {})".format(version, base, ", ".join(others)) if others \
            else "{} in {}".format(version, base)
        if not pickles_closures:
            found.append(Finding("versions", "cloudpickle in model image", OK, where))
            continue
        known, entry = closure_result(client_pickle, version)
        if not known:
            found.append(Finding("versions", "cloudpickle in model image", NOTE, "{}; cloudpickle {} on "
                                 "the client: not in the guide's table".format(where, client_pickle),
                                 E.CLOUDPICKLE_MISMATCH))
        elif entry:
            found.append(Finding("versions", "cloudpickle in model image", PROBLEM, "{}; closures pickled "
                                 "by cloudpickle {} on the client fail to load there".format(
                                     where, client_pickle), entry))
        else:
            found.append(Finding("versions", "cloudpickle in model image", OK, where))
    return found


def pool():
    return ThreadPoolExecutor(max_workers=4)
