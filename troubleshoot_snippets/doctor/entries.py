"""The guide entries the doctor names, and the snippet to run next for each.

Symptom texts come only from troubleshoot_snippets/symptoms.py; this module
adds the entries of the guide's decision tree that have no error text of
their own (a model that is not linked, a container still initializing, ...).
"""
import os
from dataclasses import dataclass
from pathlib import Path

from troubleshoot_snippets.symptoms import SYMPTOMS, matching

SNIPPETS = Path(__file__).resolve().parents[1]


# mkdocs.yml's site_url (a static test keeps them equal): the installed doctor has no mkdocs.yml.
PUBLISHED = "https://ucbrise.github.io/clipper-troubleshooting/"


def _site_url():
    """The guide's address: CLIPPER_GUIDE_URL, else the published site."""
    return os.environ.get("CLIPPER_GUIDE_URL") or PUBLISHED


GUIDE_URL = _site_url()


def use_guide(where):
    """Link entries to another copy: an address, or file:///.../ of a built site (--guide)."""
    global GUIDE_URL
    GUIDE_URL = where

# anchor -> "file:section" under troubleshoot_snippets/: what to run after this finding.
NEXT = {
    "model-not-linked": "default_predictions.py:link_model_to_app",
    "model-container-not-running": "inspect_containers.sh:ps_models",
    "model-initializing": "inspect_containers.sh:ready_line",
    "slo-too-low": "default_predictions.py:new_app_higher_slo",
    "numpy-float64-not-iterable": "model_functions.py:right_interface",
    "missing-packages": "model_image.py:build_function_image",
    "cloudpickle-mismatch": "cloudpickle_versions.sh:pin_client",
    "cloudpickle-make-function": "cloudpickle_versions.sh:pin_client",
    "cloudpickle-import-error": "install_clipper_admin.sh:install_no_deps",
    "closure-python-version": "model_image.py:build_function_image",
    "container-not-running-yet-or-broken": "inspect_containers.sh:logs",
    "docker-unreachable": "docker_cluster.sh:engine_info",
    "docker-api-version-error": "docker_cluster.sh:engine_info",
    "port-taken": "docker_cluster.py:get_query_addr",
    "unknown-application": "diagnostics.py:listings",
    "no-cluster": "docker_cluster.py:start_clipper",
    "cluster-stopped": "docker_cluster.sh:start_stopped_cluster",
    "defaults-count": "default_predictions.py:defaults_count",
    "oom-killed": "model_containers.py:raise_memory_limit",
}


@dataclass(frozen=True)
class Entry:
    page: str
    anchor: str
    under: str = None  # anchor of the symptom (in SYMPTOMS) this entry is a cause of

    @property
    def symptom(self):
        """The guide's text of what a user sees for this entry, when it has one."""
        for s in SYMPTOMS:
            if s.anchor in (self.under, self.anchor):
                return s.text
        return None

    @property
    def path(self):
        """`default-predictions/#model-not-linked`, as Symptom.path writes it."""
        return "{}/#{}".format(self.page[:-len(".md")], self.anchor)

    @property
    def url(self):
        if GUIDE_URL.startswith("file:"):  # a built site on disk: no server adds index.html
            return "{}/{}/index.html#{}".format(GUIDE_URL.rstrip("/"), self.page[:-len(".md")], self.anchor)
        return GUIDE_URL.rstrip("/") + "/" + self.path if GUIDE_URL else self.path

    @property
    def next(self):
        return NEXT.get(self.anchor)


def of_symptom(symptom):
    return Entry(symptom.page, symptom.anchor)


# The decision tree's entries, by anchor.
MODEL_NOT_LINKED = Entry("default-predictions.md", "model-not-linked", "no-connected-models")
NOT_RUNNING = Entry("default-predictions.md", "model-container-not-running", "no-connected-models")
INITIALIZING = Entry("default-predictions.md", "model-initializing", "no-connected-models")
SLO_TOO_LOW = Entry("default-predictions.md", "slo-too-low", "slo-default")
PORT_TAKEN = Entry("docker-cluster.md", "port-taken")
CLOSURE_PYTHON = Entry("installing.md", "closure-python-version")
CLOUDPICKLE_MISMATCH = Entry("installing.md", "cloudpickle-mismatch")
CLOUDPICKLE_MAKE_FUNCTION = Entry("installing.md", "cloudpickle-make-function")
DEPLOY_WAITS = Entry("model-containers.md", "container-not-running-yet-or-broken")
ENGINE_UNREACHABLE = Entry("docker-cluster.md", "docker-api-version-error")
UNKNOWN_APP = Entry("query-errors.md", "unknown-application")
NO_CLUSTER = Entry("doctor.md", "no-cluster")
OTHER_CLUSTER = Entry("docker-cluster.md", "another-cluster-name", "management-port-keyerror")
STOPPED_CLUSTER = Entry("docker-cluster.md", "cluster-stopped", "management-port-keyerror")
FRONTEND_DEADLOCK = Entry("default-predictions.md", "frontend-deadlock")
DEFAULTS_COUNT = Entry("default-predictions.md", "defaults-count")
OOM_KILLED = Entry("model-containers.md", "oom-killed")


def symptom_in(text):
    """The one symptom `text` (a log, an exception) shows, or None.

    The last line that shows any symptom decides: a container's log ends with
    what killed it. Within one line, the first symptom of SYMPTOMS wins.
    """
    for line in reversed(text.splitlines()):
        found = matching(line)
        if found:
            return found[0]
    found = matching(text)  # a text that spans lines
    return found[0] if found else None


def all_entries():
    """Every entry the doctor can name (for the static checks)."""
    named = [v for v in globals().values() if isinstance(v, Entry)]
    return named + [of_symptom(s) for s in SYMPTOMS]


def section(ref):
    """The text of section `file:section` of a snippet file, as the page shows it."""
    path, name = ref.split(":")
    lines, inside = [], False
    for line in (SNIPPETS / path).read_text().splitlines():
        marker = line.strip()
        if marker == "# --8<-- [start:{}]".format(name):
            inside = True
        elif marker == "# --8<-- [end:{}]".format(name):
            break
        elif inside:
            lines.append(line)
    indent = min((len(l) - len(l.lstrip()) for l in lines if l.strip()), default=0)
    return "\n".join(l[indent:] for l in lines).strip("\n") + "\n"
