"""Every shown Python section, pasted alone, on the session's real cluster.

Each section's text (tests/support/snippets.section, what the page shows) is
exec'd in a fresh namespace that holds only the inputs it reads, all of which
its page names (tests/static/test_paste_alone.py checks that). The state they
need is made here, with `paste-` names: an application per section, one model
built and deployed by the guide's own build and deploy sections. Sections
that would harm the session's cluster run against other state, listed in PLANS
with what they must do there; a section not listed must simply run.
"""
import os
import subprocess
import sys
import uuid
from dataclasses import dataclass

import pytest
from clipper_admin import ClipperConnection, ClipperException, DockerContainerManager

from tests.live.clipper_live import fresh_input, register_app, shown, wait_for_prediction
from tests.live.conftest import SUITE_LABEL, remove_containers
from tests.live.test_kubernetes import KUBECONFIG
from tests.support.paste_alone import EXECUTED_ELSEWHERE, free_names, python_sections, run_alone
from tests.support.snippets import ROOT, section, sections_defined, snippet_files

pytestmark = [pytest.mark.live, pytest.mark.timeout(600)]

RUN = uuid.uuid4().hex[:6]
SECTIONS = sorted(k for k in python_sections() if k not in EXECUTED_ELSEWHERE)
MODEL = ("paste-model", "1")
BUILD = ("troubleshoot_snippets/model_image.py", "build_function_image")
DEPLOY = ("troubleshoot_snippets/model_image.py", "deploy_model")


@dataclass
class Plan:
    """How a section runs here when the plain way (own app, shared model) is wrong."""
    why: str
    raises: tuple = None        # (exception type, text in its message) the page shows
    app: str = "registered"     # "registered", or "unregistered": a name nobody has used
    cluster: str = "session"    # or "removed"/"restarted": on a cluster of one container of
                                # ours (labelled as a query frontend and a model container),
                                # which the section must do
    # In a child Python of its own cwd, with KUBECONFIG naming no real cluster (cwd and
    # environment are process-wide: background scenarios run in this process); a
    # clipper_conn it reads is connected there, to the session's cluster.
    fresh_interpreter: bool = False
    fails_as: str = None        # ...where it must fail with the last line of this shown output


CLOSURE_VERSION_ERROR = (ClipperException, "Python closure deployer only supports Python 2.7, 3.5, and 3.6")
PLANS = {
    "docker_cluster.py:start_clipper": Plan(
        "the session's cluster runs, so pasted alone it reaches start_clipper, which refuses "
        "as the page shows", raises=(ClipperException, "cannot be started because it already exists")),
    "docker_cluster.py:connect_cluster_name": Plan(
        "no cluster of that name runs, so connect() fails as the page shows",
        raises=(KeyError, "ai.clipper.management.port")),
    "docker_cluster.py:start_over": Plan(
        "it stops and removes a whole cluster: run on a cluster of one container of ours",
        cluster="removed"),
    "default_predictions.py:restart_query_frontend": Plan(
        "restarting the session's query frontend would cut off the scenarios running "
        "meanwhile: run on a cluster whose query frontend is one container of ours",
        cluster="restarted"),
    "default_predictions.py:restart_model_containers": Plan(
        "as restart_query_frontend: our container is labelled as a model container too",
        cluster="restarted"),
    "installing.py:deploy_python_closure": Plan(
        "this Python is not 2.7, 3.5 or 3.6, so it fails as the page shows", raises=CLOSURE_VERSION_ERROR),
    "installing.py:create_endpoint": Plan(
        "it registers the application itself, then fails on this Python as the page shows",
        raises=CLOSURE_VERSION_ERROR, app="unregistered"),
    "default_predictions.py:get_clipper_logs": Plan(
        "it writes ./clipper_logs/ into the current folder", fresh_interpreter=True),
    "kubernetes.py:kubernetes_manager": Plan(
        "the kubernetes package reads KUBECONFIG at import: a fresh interpreter, with a "
        "kubeconfig for an address where no cluster runs; it fails as the page shows",
        fresh_interpreter=True, fails_as="kubernetes_attribute_error.txt"),
    "kubernetes.py:kubernetes_proxy_manager": Plan(
        "as kubernetes_manager: the proxied manager fails the same way before any request",
        fresh_interpreter=True, fails_as="kubernetes_attribute_error.txt"),
}


# The child: the section's text exec'd in a fresh namespace, with only clipper_conn set
# (connected to the cluster named by argv[1]) if it reads it.
CHILD = """import sys
namespace = {"__name__": "__main__"}
if sys.argv[1]:
    from clipper_admin import ClipperConnection, DockerContainerManager
    namespace["clipper_conn"] = ClipperConnection(DockerContainerManager(cluster_name=sys.argv[1]))
    namespace["clipper_conn"].connect()
exec(compile(sys.argv[2], sys.argv[3], "exec"), namespace)
"""


def key(path, name):
    return "{}:{}".format(path.split("/")[-1], name)


class Paste:
    """The inputs the sections read, made on first use, and each section's run, once."""

    def __init__(self, clipper_conn, docker_client, tmp_path_factory):
        self.conn = clipper_conn
        self.docker = docker_client
        self.tmp = tmp_path_factory
        self.runs = {}
        self.apps = 0

    def app(self, registered=True):
        self.apps += 1
        name = "paste-{}-{}".format(self.apps, RUN)
        if registered:
            register_app(self.conn, name, slo_micros=1000000)  # one query's answer is asserted (run 42)
        return name

    def image(self):
        """What the guide's build section printed and left in `image`; deployed once by
        the guide's deploy section, so model_name/model_version name a live model."""
        namespace, _ = self.run(*BUILD)
        self.run(*DEPLOY)
        return namespace["image"]

    def inputs(self, path, name, plan):
        values = {}
        for input_name in free_names(section(path, name)):
            values[input_name] = self.value(input_name, (path, name), plan)
        return values

    def value(self, input_name, which, plan):
        if input_name == "clipper_conn":
            return self.conn
        if input_name == "app_name":
            return self.app(registered=plan.app == "registered")
        if input_name == "new_app_name":
            return self.app(registered=False)
        if input_name in ("model_name", "model_version"):
            if which not in (BUILD, DEPLOY) and plan.raises is None:
                self.image()  # the model exists before anything links or scales it
            return MODEL[0] if input_name == "model_name" else MODEL[1]
        if input_name == "image":
            return self.run(*BUILD)[0]["image"]
        return {
            "x": fresh_input(),
            "body": '{"input": [1.1, 2.2]}',
            "values": [1, 2],
            "batch": [fresh_input(), fresh_input()],
            "payload": b"paste-alone",
            "module_paths": [str(ROOT / "troubleshoot_snippets" / "model_functions.py")],
            "function": "model_functions.predict_sums",
            "pkgs_to_install": None,
        }[input_name]

    def run(self, path, name):
        """(namespace, printed) of the section run alone; raises what it raised. Once."""
        if (path, name) not in self.runs:
            try:
                self.runs[path, name] = ("ok", self._run(path, name))
            except Exception as e:  # kept, so a dependent section fails with the cause
                self.runs[path, name] = ("raised", e)
        outcome, result = self.runs[path, name]
        if outcome == "raised":
            raise result
        return result

    def _run(self, path, name):
        plan = PLANS.get(key(path, name), Plan("plain"))
        if plan.fresh_interpreter:
            return self._run_fresh_interpreter(path, name)
        if plan.cluster != "session":
            return self._run_on_own_cluster(path, name, plan.cluster)
        return run_alone(path, name, self.inputs(path, name, plan))

    def _run_fresh_interpreter(self, path, name):
        config = self.tmp.mktemp("paste-kube") / "kubeconfig"
        config.write_text(KUBECONFIG)
        env = dict(os.environ, KUBECONFIG=str(config))
        cluster = self.conn.cm.cluster_name if "clipper_conn" in free_names(section(path, name)) else ""
        cwd = self.tmp.mktemp("paste")
        result = subprocess.run([sys.executable, "-c", CHILD, cluster, section(path, name),
                                 "{}:{}".format(path, name)], cwd=cwd,
                                capture_output=True, text=True, timeout=120, env=env)
        return {"returncode": result.returncode, "stderr": result.stderr, "cwd": cwd}, result.stdout

    def _run_on_own_cluster(self, path, name, expected):
        """Run with clipper_conn on a cluster of one container of ours; check it was `expected`."""
        cluster = "paste-own-{}-{}".format(RUN, name.replace("_", "-"))
        label = "ai.clipper.container.label=" + cluster
        container = self.docker.containers.run(
            "redis:alpine", detach=True, name=cluster, network_mode="none",
            labels={"ai.clipper.container.label": cluster, "ai.clipper.query_frontend.label": "",
                    "ai.clipper.model_container.label": "paste-model_1", SUITE_LABEL: RUN})
        container.reload()
        started = container.attrs["State"]["StartedAt"]
        try:
            conn = ClipperConnection(DockerContainerManager(cluster_name=cluster))
            result = run_alone(path, name, {"clipper_conn": conn})
            left = self.docker.containers.list(all=True, filters={"label": label})
            if expected == "removed":
                assert left == [], "{} left {}".format(key(path, name), [c.name for c in left])
            else:
                assert [c.id for c in left] == [container.id], key(path, name)
                left[0].reload()
                assert left[0].status == "running", left[0].status
                assert left[0].attrs["State"]["StartedAt"] != started, "not restarted"
            return result
        finally:
            remove_containers(self.docker.containers.list(all=True, filters={"label": label}))


@pytest.fixture(scope="module")
def paste(clipper_conn, docker_client, tmp_path_factory):
    return Paste(clipper_conn, docker_client, tmp_path_factory)


@pytest.mark.parametrize("path, name", SECTIONS, ids=[key(*s) for s in SECTIONS])
def test_section_runs_pasted_alone(paste, path, name):
    plan = PLANS.get(key(path, name), Plan("plain"))
    if plan.raises:
        kind, text = plan.raises
        with pytest.raises(kind) as error:
            paste.run(path, name)
        assert text in str(error.value), "{}: {}".format(key(path, name), error.value)
        return
    namespace, printed = paste.run(path, name)
    if plan.fresh_interpreter and plan.fails_as:
        assert namespace["returncode"] == 1, namespace["stderr"]
        last = namespace["stderr"].splitlines()[-1]
        assert last + "\n" == shown(plan.fails_as), namespace["stderr"]
    elif plan.fresh_interpreter:
        assert namespace["returncode"] == 0, namespace["stderr"]


def test_the_shown_chain_serves_a_real_prediction(paste, clipper_conn):
    """build_function_image -> deploy_model -> link_model_to_app -> query, each pasted alone:
    what they left behind serves the model."""
    paste.image()
    app = paste.app()
    run_alone("troubleshoot_snippets/default_predictions.py", "link_model_to_app",
              {"clipper_conn": clipper_conn, "app_name": app, "model_name": MODEL[0]})
    wait_for_prediction(clipper_conn, app)
    _, printed = run_alone("troubleshoot_snippets/default_predictions.py", "query",
                           {"clipper_conn": clipper_conn, "app_name": app, "x": [1.5, 2.0]})
    assert printed.startswith('200 {"query_id":') and '"output":3.5,"default":false' in printed, printed


def test_every_plan_is_for_a_section_that_exists():
    defined = {"{}:{}".format(path.name, name)
               for path in snippet_files(suffix=".py") for name in sections_defined(path)}
    assert set(PLANS) <= defined, "plans for sections that do not exist: {}".format(
        sorted(set(PLANS) - defined))
