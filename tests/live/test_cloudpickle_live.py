"""docs/installing.md, cloudpickle mismatch: closures pickled by newer cloudpickle
releases on Python 3.6, loaded by the closure image's cloudpickle 0.5.

Without a cluster (Python 3.6 and PyPI needed): the committed pickles are what
clipper_admin makes, and each client/container combination in the guide's
table does what it says. With a cluster: each pickle deployed in the real
closure image, and the container's log is the shown one.
"""
import os
import pathlib
import shutil
import subprocess
import tempfile

import pytest

from tests.live.background import background
from tests.live.doctor_check import doctor_anchor
from tests.live.early import early
from tests.live.clipper_live import (
    container_log, deploy_dying_image, model_containers, register_app, run_shell, shows_log,
    wait_for_prediction, wait_until,
)
from tests.live.conftest import MODEL_BASE_IMAGE, SUITE_LABEL
from tests.support import legacy_python
from troubleshoot_snippets import default_predictions

pytestmark = pytest.mark.timeout(900)

PICKLES = pathlib.Path(__file__).parent / "models" / "pickles"
MAKE_PICKLE = (PICKLES / "make_closure_pickle.py").read_text()
CLIENTS = ["0.5.3", "0.6.1", "1.5.0", "2.2.1"]
SHELL = "troubleshoot_snippets/cloudpickle_versions.sh"
LOAD = """\
import sys, cloudpickle
with open(sys.argv[1], "rb") as f:
    print(cloudpickle.load(f)([[1.0, 2.0]]))
"""


def expected(client, container):
    """What the guide's table says: 'works', or the last line of the failure."""
    if client == "0.5.3" or (client == "0.6.1" and _v(container) >= (0, 5, 4)):
        return "works"
    return {
        "0.6.1": "TypeError: 'str' object does not support item assignment",
        "1.5.0": "ModuleNotFoundError: No module named 'cloudpickle.cloudpickle_fast'",
        "2.2.1": "AttributeError: Can't get attribute '_make_function'",
    }[client]


def _v(version):
    return tuple(int(p) for p in version.split("."))


def venv_with(*cloudpickle):
    return legacy_python.legacy_venv_or_skip(["cloudpickle==" + v for v in cloudpickle])


def shell(name, **env):
    return run_shell(name, SHELL, timeout=300, **env)


@pytest.mark.parametrize("client", CLIENTS)
def test_committed_pickle_is_what_clipper_admin_makes(client, tmp_path):
    python = venv_with(*([] if client == "0.5.3" else [client]))
    out = tmp_path / "func.pkl"
    result = subprocess.run([str(python), "-c", MAKE_PICKLE, str(out)], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == (PICKLES / "closure-cloudpickle-{}.pkl".format(client)).read_bytes()


@pytest.mark.parametrize("container", ["0.5.3", "0.5.6"])
@pytest.mark.parametrize("client", CLIENTS)
def test_guide_table_cell(client, container, tmp_path):
    # clipper_admin's own pin is 0.5.3: its venv is the 0.5.3 loader
    python = venv_with(*([] if container == "0.5.3" else [container]))
    result = subprocess.run([str(python), "-c", LOAD, str(PICKLES / "closure-cloudpickle-{}.pkl".format(client))],
                            capture_output=True, text=True, timeout=120)
    want = expected(client, container)
    if want == "works":
        assert (result.returncode, result.stdout) == (0, "['3.0']\n"), result.stderr
    else:
        assert result.returncode == 1 and result.stderr.splitlines()[-1].startswith(want), result.stderr


@early  # it waits on PyPI
def test_version_and_pin_snippets_in_a_fresh_python36_venv():
    """In a copy of the cached 3.6 venv with cloudpickle 2.2.1 (the cache keeps it)."""
    cached = legacy_python.legacy_venv_or_skip(["cloudpickle==2.2.1"])
    with tempfile.TemporaryDirectory(prefix="pin-client-") as folder:
        env_dir = pathlib.Path(folder, "venv")
        shutil.copytree(cached.parents[1], env_dir, symlinks=True)
        path = dict(PATH="{}:{}".format(env_dir / "bin", os.environ["PATH"]))
        assert shell("client_version", **path).stdout == "2.2.1\n"
        pinned = shell("pin_client", **path)
        assert pinned.returncode == 0, pinned.stderr
        assert shell("client_version", **path).stdout == "0.5.3\n"


def closure_pickle_in_the_closure_image(client):
    """The scenario for one client's pickle, deployed in the real closure image."""
    def scenario(live):
        clipper_conn = live.conn
        model = "cloudpickle-{}-model".format(client.replace(".", ""))
        model_dir = pathlib.Path(tempfile.mkdtemp(), "model")
        model_dir.mkdir()
        shutil.copy(PICKLES / "closure-cloudpickle-{}.pkl".format(client), model_dir / "func.pkl")
        try:
            image = clipper_conn.build_model(name=model, version="1", model_data_path=str(model_dir),
                                             base_image=MODEL_BASE_IMAGE)
        finally:
            shutil.rmtree(model_dir.parent)
        app = model.replace("-model", "-app")
        register_app(clipper_conn, app, slo_micros=1000000)  # the doctor may have to say OK
        deploy_dying_image(clipper_conn, model, "1", image, SUITE_LABEL)
        yield  # before this, with the machine idle: the container may die at start
        default_predictions.link_model(clipper_conn, app, model)

        version = shell("container_version")
        assert version.returncode == 0, version.stderr
        container_cloudpickle = version.stdout.strip()
        assert _v(container_cloudpickle)[:2] == (0, 5)
        want = expected(client, container_cloudpickle)
        if want == "works":
            assert wait_for_prediction(clipper_conn, app)["default"] is False
            assert doctor_anchor(app) == "OK"
            return
        wait_until(lambda: clipper_conn.cm.get_num_replicas(name=model, version="1") == 0, 60,
                   "the container to exit")
        (crashed,) = model_containers(live.docker, model, "1")
        shown_log = {"0.6.1": "cloudpickle_typeerror.log", "1.5.0": "import_error.log",
                     "2.2.1": "cloudpickle_make_function.log"}[client]
        assert shows_log(crashed.name, shown_log), container_log(crashed.name)
        assert doctor_anchor(app) == {"0.6.1": "cloudpickle-mismatch", "1.5.0": "missing-packages",
                                      "2.2.1": "cloudpickle-make-function"}[client]
    scenario.__name__ = scenario.__qualname__ = "test_closure_pickle_in_the_closure_image_" + client.replace(".", "")
    return pytest.mark.live(background(scenario))


for _client in CLIENTS:
    _test = closure_pickle_in_the_closure_image(_client)
    globals()[_test.__name__] = _test
