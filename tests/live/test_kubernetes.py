"""docs/kubernetes.md: the manager fails with the installed kubernetes client, no cluster needed."""
import os
import subprocess
import sys

from tests.live.clipper_live import shown
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


def test_kubernetes_manager_fails_on_current_client(tmp_path):
    config = tmp_path / "kubeconfig"
    config.write_text(KUBECONFIG)
    # A fresh interpreter: the kubernetes package reads KUBECONFIG at import.
    result = subprocess.run(
        [sys.executable, "-c", "from troubleshoot_snippets.kubernetes import kubernetes_connection\n"
                               "kubernetes_connection()"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env=dict(os.environ, KUBECONFIG=str(config)))
    assert result.returncode == 1
    assert result.stderr.splitlines()[-1] + "\n" == shown("kubernetes_attribute_error.txt"), result.stderr
