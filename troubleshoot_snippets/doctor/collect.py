"""--collect DIR: the diagnostics bundle, made by the guide's own "Filing an issue" snippets.

It holds `docker ps -a`, the log of every cluster container (exited ones too),
the verbose listings, inspect_instance(), the versions and the doctor's report.
No environment variables: nothing here reads `docker inspect` or os.environ.
"""
import contextlib
import os
import shutil
import subprocess
import tarfile
import tempfile
import time
from pathlib import Path

from troubleshoot_snippets import diagnostics
from troubleshoot_snippets.doctor.entries import section

LOGS = "diagnostics.sh:collect_logs"


def bundle(directory, run, report_text):
    """Write clipper-diagnostics-<time>.tar.gz into `directory`; its path."""
    name = "clipper-diagnostics-" + time.strftime("%Y%m%d-%H%M%S")
    work = Path(tempfile.mkdtemp()) / name
    work.mkdir()
    try:
        notes = []
        shell = subprocess.run(["bash", "-c", section(LOGS)], cwd=work, capture_output=True, text=True,
                               timeout=300, env=dict(os.environ, CLUSTER=run.cluster))
        if shell.returncode != 0:
            notes.append("the collect_logs snippet exited {}:\n{}".format(shell.returncode, shell.stderr))
        with open(work / "listings.txt", "w") as out, contextlib.redirect_stdout(out):
            if run.clipper_conn is not None:
                try:
                    diagnostics.listings(run.clipper_conn)
                except Exception as e:
                    notes.append("listings failed: {!r}".format(e))
            else:
                notes.append("not connected to the cluster: no listings")
        (work / "doctor.txt").write_text(report_text)
        if notes:
            (work / "collect-notes.txt").write_text("\n".join(notes) + "\n")
        Path(directory).mkdir(parents=True, exist_ok=True)
        path = Path(directory) / (name + ".tar.gz")
        with tarfile.open(path, "w:gz") as tar:
            tar.add(work, arcname=name)
        return path
    finally:
        shutil.rmtree(work.parent)
