"""docs/kubernetes.md: the manager fails with current kubernetes clients, no cluster needed."""
import os
import subprocess
import sys

import pytest

from tests.live.clipper_live import shown
from tests.support import legacy_python
from tests.support.snippets import ROOT

KUBECONFIG = """\
apiVersion: v1
kind: Config
clusters:
- name: nowhere
  cluster: {server: "https://127.0.0.1:9", insecure-skip-tls-verify: true}
contexts:
- name: nowhere
  context: {cluster: nowhere, user: nobody}
current-context: nowhere
users:
- name: nobody
  user: {token: unused}
"""


@pytest.mark.parametrize("python", ["this Python", "Python 3.6"])
def test_kubernetes_manager_fails_on_current_client(python, tmp_path):
    """The kubernetes client pip installs today, here and next to clipper_admin's pins on 3.6."""
    exe = sys.executable if python == "this Python" else legacy_python.legacy_venv_or_skip()
    config = tmp_path / "kubeconfig"
    config.write_text(KUBECONFIG)
    # A fresh interpreter: the kubernetes package reads KUBECONFIG at import.
    result = subprocess.run(
        [str(exe), "-c", "from troubleshoot_snippets.kubernetes import kubernetes_connection\n"
                               "kubernetes_connection()"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env=dict(os.environ, KUBECONFIG=str(config)))
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] + "\n" == shown("kubernetes_attribute_error.txt"), result.stderr


def test_proxy_manager_snippet_stops_at_the_same_attribute_error(tmp_path):
    """docs/kubernetes.md#kubectl-proxy: with the current client the proxied manager
    fails as the plain one does, before any request (so no cluster is needed)."""
    config = tmp_path / "kubeconfig"
    config.write_text(KUBECONFIG)
    result = subprocess.run(
        [sys.executable, "-c", "from troubleshoot_snippets.kubernetes import "
                               "kubernetes_proxy_connection\nkubernetes_proxy_connection()"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env=dict(os.environ, KUBECONFIG=str(config)))
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] + "\n" == shown("kubernetes_attribute_error.txt"), result.stderr
