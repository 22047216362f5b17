"""The Python a user deploys with: ask it (env_probe.py) and judge its versions
against the guide's tables (docs/installing.md: the closure deployer's Pythons,
docs/importing.md: `import clipper_admin` per Python, the cloudpickle table)."""
import json
import os
import subprocess
from pathlib import Path

from troubleshoot_snippets.doctor import entries as E
from troubleshoot_snippets.doctor.report import NOTE, OK, PROBLEM, UNCHECKED, Finding

SCRIPT = Path(__file__).with_name("env_probe.py")
GUIDE_RELEASE = "0.4.1"
CLOSURE_PYTHONS = {(2, 7), (3, 5), (3, 6)}  # installing.md#closure-python-version
TIMEOUT = 60  # seconds; importing clipper_admin loads kubernetes and numpy


class ProbeFailed(Exception):
    pass


def ask(python=None):
    """The probe's answer for `python` (a path), or for the doctor's own interpreter."""
    if python is None:
        from troubleshoot_snippets.doctor import env_probe
        return env_probe.probe()
    try:
        result = subprocess.run([python, str(SCRIPT)], capture_output=True, text=True, timeout=TIMEOUT,
                                cwd=os.path.expanduser("~"))
    except (OSError, subprocess.TimeoutExpired) as e:
        raise ProbeFailed("{}: {}".format(python, e))
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0 or not lines:
        tail = (result.stderr.strip().splitlines() or ["no output"])[-1]
        raise ProbeFailed("{} exited {}: {}".format(python, result.returncode, tail))
    return json.loads(lines[-1])


def shown_path(path):
    """`path` relative to the current folder when inside it (`.venv/bin/python`), else under `~/`."""
    path, home = Path(path), Path.home()
    if path.is_relative_to(Path.cwd()):
        return str(path.relative_to(Path.cwd()))
    if path.is_relative_to(home):
        return "~/" + str(path.relative_to(home))
    return str(path)


def python_version(found):
    return tuple(int(n) for n in found["python"].split(".")[:2])


def pickles_closures(found):
    """Whether deploy_python_closure runs on this interpreter (so its cloudpickle matters)."""
    return python_version(found) in CLOSURE_PYTHONS


def import_problem(found, package, check):
    """A finding for a package whose import failed: the entry of the guide's text it shows."""
    got = found[package]
    from troubleshoot_snippets.doctor.checks import from_text
    return from_text("versions", check, PROBLEM, "{}: `import {}` fails: {}".format(
        got["version"], "docker" if package == "docker-py" else package, got["error"]))


def client_findings(found, python=None):
    """Findings for the probed interpreter; `python` is None for the doctor's own."""
    path = shown_path(found["executable"])
    if python is None:
        found_list = [Finding("versions", "interpreter", NOTE, "{} (the doctor's own); check the "
                              "Python you deploy with: --python PATH".format(path))]
    else:
        found_list = [Finding("versions", "interpreter", OK, "{} (--python)".format(path))]
    if pickles_closures(found):
        found_list.append(Finding("versions", "Python", OK, found["python"]))
    else:
        found_list.append(Finding("versions", "Python", NOTE, "{}: deploy_python_closure refuses it; "
                                  "deploy images built from modules".format(found["python"]),
                                  E.CLOSURE_PYTHON))
    admin = found["clipper_admin"]
    if admin["version"] is None:
        found_list.append(Finding("versions", "clipper_admin", NOTE, "not installed" + (
            " (the doctor does not need it)" if python is None else "")))
    elif admin["error"]:
        found_list.append(import_problem(found, "clipper_admin", "clipper_admin"))
    elif admin["version"] != GUIDE_RELEASE:
        found_list.append(Finding("versions", "clipper_admin", NOTE, "{}: this guide covers {}".format(
            admin["version"], GUIDE_RELEASE)))
    else:
        found_list.append(Finding("versions", "clipper_admin", OK, admin["version"]))
    pickle = found["cloudpickle"]
    if pickle["version"] is None:
        found_list.append(Finding("versions", "cloudpickle", NOTE, "not installed"))
    elif pickle["error"]:
        found_list.append(Finding("versions", "cloudpickle", NOTE, "{}: `import cloudpickle` fails: "
                                  "{}".format(pickle["version"], pickle["error"])))
    else:
        found_list.append(Finding("versions", "cloudpickle", OK, pickle["version"] + (
            "" if pickles_closures(found) else " (this Python pickles no closures for Clipper)")))
    docker = found["docker-py"]
    found_list.append(Finding("versions", "docker-py", OK, docker["version"]) if docker["version"]
                      else Finding("versions", "docker-py", NOTE, "not installed"))
    return found_list


def could_not_ask(python, e):
    return [Finding("versions", "interpreter", UNCHECKED, "{}: {}".format(python, e))]


def closure_cloudpickle(found):
    """The cloudpickle that pickles this interpreter's closures, or None when it pickles none."""
    pickle = found["cloudpickle"]
    if not pickles_closures(found) or pickle["version"] is None or pickle["error"]:
        return None
    return pickle["version"]
