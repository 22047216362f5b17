"""The options of the installed command `clipper-doctor` (pyproject.toml): --version,
--python (the interpreter whose versions to judge), --guide (where entry links point)."""
import os
import shutil
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from troubleshoot_snippets.doctor import entries, probe

VERSION = "0.1.0"  # pyproject.toml reads it


def prog():
    """The name --help shows: the installed command, or the module run from a checkout."""
    if os.path.basename(sys.argv[0]) == "clipper-doctor":
        return "clipper-doctor"
    return "python -m troubleshoot_snippets.doctor"


def add_options(parser):
    parser.add_argument("--python", metavar="PATH",
                        help="judge the versions of this interpreter (the one you run clipper_admin and "
                             "deploy closures with) instead of the doctor's own")
    parser.add_argument("--guide", metavar="URL_OR_DIR",
                        help="link entries to this copy of the guide: an address (e.g. "
                             "http://127.0.0.1:8000/clipper-troubleshooting/ while scripts/serve.sh runs) "
                             "or a folder built by `mkdocs build` (default: {})".format(entries.PUBLISHED))
    parser.add_argument("--version", action="version", version="clipper-doctor {} (checks of the Clipper "
                        "{} troubleshooting guide)".format(VERSION, probe.GUIDE_RELEASE))


def apply(parser, args):
    """Check and apply the options; the interpreter to probe (None: the doctor's own)."""
    if args.guide:
        where = args.guide
        if "://" not in where:
            if not (Path(where) / "index.html").is_file():
                parser.error("--guide {}: not a URL and no built site (no index.html in it)".format(where))
            where = Path(where).resolve().as_uri() + "/"
        entries.use_guide(where)
    if args.python:
        return os.path.abspath(shutil.which(args.python) or args.python)
    return None


def start_client_probe(python):
    """A future of probe.ask(python), asked while the cluster is checked; None for the doctor's own."""
    if python is None:
        return None
    pool = ThreadPoolExecutor(max_workers=1)
    future = pool.submit(probe.ask, python)
    pool.shutdown(wait=False)
    return future


def versions_if_stopped(run, findings):
    """With --python, the interpreter's findings also when the run stopped before its versions."""
    if run.python is None or any(f.scope == "versions" for f in findings):
        return []
    from troubleshoot_snippets.doctor import versions
    return versions.check_versions({}, run.client_probe, run.python)


# clipper_admin 0.4.1's deployers/python.py: the image deploy_python_closure builds on, per Python.
CLOSURE_IMAGES = {(2, 7): "python-closure-container", (3, 5): "python35-closure-container",
                  (3, 6): "python36-closure-container"}


def closure_images(run):
    """With --python: the closure image deploy_python_closure would pick for that Python, so
    its cloudpickle is judged against the interpreter's even on a cluster without apps."""
    if run.client_probe is None:
        return []
    try:
        image = CLOSURE_IMAGES.get(probe.python_version(run.client_probe.result()))
    except probe.ProbeFailed:
        return []
    if image is None:
        return []
    return ["{}/{}:{}".format(os.environ.get("CLIPPER_REGISTRY", "clipper"), image, probe.GUIDE_RELEASE)]
