"""docs/installing.md: cloudpickle 0.5.3 imports on Python 3.7, where only the closure
deployer refuses; create_endpoint registers its application before that refusal."""
import pytest
from clipper_admin import ClipperException

from tests.live.clipper_live import shown, wait_for_route
from tests.support import legacy_python
from troubleshoot_snippets import installing

pytestmark = pytest.mark.timeout(900)

# installing.py's deploy_python_closure snippet, run by the 3.7 venv's Python
DEPLOY_CLOSURE = """\
from clipper_admin import ClipperConnection, DockerContainerManager
from troubleshoot_snippets.installing import deploy_closure
deploy_closure(ClipperConnection(DockerContainerManager()), "closure-model")
"""
REFUSAL = "Python closure deployer only supports Python 2.7, 3.5, and 3.6. Detected {}"


def test_python37_imports_clipper_admin_as_pinned_and_refuses_closures(docker_client):
    python = legacy_python.python_venv_or_skip("3.7")
    imported = legacy_python.run_python(
        python, "import clipper_admin, cloudpickle; print(clipper_admin.__version__, cloudpickle.__version__)")
    assert (imported.returncode, imported.stdout) == (0, "0.4.1 0.5.3\n"), imported.stderr
    refused = legacy_python.run_python(python, DEPLOY_CLOSURE)
    assert refused.returncode == 1
    assert refused.stderr.splitlines()[-1] == "clipper_admin.exceptions.ClipperException: " + REFUSAL.format("3.7")


@pytest.mark.live
def test_create_endpoint_retry_finds_its_own_application(clipper_conn):
    app = "endpoint-app"
    with pytest.raises(ClipperException) as first:
        installing.endpoint(clipper_conn, app)
    assert str(first.value).startswith(REFUSAL.format(""))
    assert app in clipper_conn.get_all_apps()  # registered before the refusal
    # Deleting an app the query frontend has not read yet aborts it: `std::invalid_argument`,
    # "is not a valid input string", exit code 134 (seen here, within 8 ms of registering).
    wait_for_route(clipper_conn, app)

    with pytest.raises(ClipperException) as retry:
        installing.endpoint(clipper_conn, app)
    assert str(retry.value) + "\n" == shown("app_already_exists.txt")

    installing.unregister_app(clipper_conn, app)
    assert app not in clipper_conn.get_all_apps()
