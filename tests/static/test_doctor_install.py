"""clipper-doctor as a user installs it (issue 20): the page's `pipx install .` in a clean
clone of HEAD, run from another folder; and the probe that asks the user's interpreter."""
import glob
import json
import os
import re
import subprocess
import tomllib

import pytest

from tests.support.installed_doctor import NOT_INSTALLED, installed_doctor
from tests.support.snippets import ROOT
from troubleshoot_snippets.doctor import cli, entries

OUTPUTS = ROOT / "troubleshoot_snippets" / "outputs"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())


@pytest.fixture(scope="module")
def doctor():
    return installed_doctor()


@pytest.fixture
def elsewhere(tmp_path):
    """A folder that is not the clone's: the installed command must not need the checkout."""
    (tmp_path / "elsewhere").mkdir()
    return tmp_path / "elsewhere"


def test_installs_the_doctor_without_the_sites_tools_or_the_tests(doctor):
    installed = {name.lower() for name in doctor.distributions()}
    assert "clipper-doctor" in installed
    assert not installed & NOT_INSTALLED
    assert "clipper_admin" not in installed and "clipper-admin" not in installed


def test_version_and_help_from_another_folder(doctor, elsewhere):
    result = doctor.run("--version", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "clipper-doctor {} (checks of the Clipper 0.4.1 troubleshooting guide)\n".format(
        cli.VERSION)
    result = doctor.run("--help", cwd=elsewhere)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: clipper-doctor ")
    for option in ("--cluster", "--app", "--json", "--collect", "--python PATH", "--guide URL_OR_DIR"):
        assert option in result.stdout


def test_no_engine_exits_2_with_the_shown_report(doctor, elsewhere, tmp_path):
    dead = "unix://{}".format(tmp_path / "no-engine.sock")
    result = doctor.run(cwd=elsewhere, DOCKER_HOST=dead)
    assert result.returncode == 2, result.stderr
    shown = (OUTPUTS / "doctor_no_engine.txt").read_text()
    assert result.stdout == shown.replace("unix:///var/run/docker.sock", dead)


def test_python_option_is_judged_also_without_an_engine(doctor, elsewhere, tmp_path):
    """--python reaches the run: its interpreter is the one judged, even when the engine is missing."""
    dead = "unix://{}".format(tmp_path / "no-engine.sock")
    python = str(doctor.python)
    home = os.path.expanduser("~") + "/"
    shown = "~/" + python[len(home):] if python.startswith(home) else python
    result = doctor.run("--python", python, "--json", cwd=elsewhere, DOCKER_HOST=dead)
    assert result.returncode == 2, result.stderr
    interpreter = [f for f in json.loads(result.stdout)["findings"] if f["check"] == "interpreter"]
    assert [f["summary"] for f in interpreter] == ["{} (--python)".format(shown)], interpreter


def test_links_go_to_the_published_site_unless_a_copy_is_asked_for(doctor, elsewhere, tmp_path):
    dead = "unix://{}".format(tmp_path / "no-engine.sock")
    env = {k: v for k, v in os.environ.items() if k != "CLIPPER_GUIDE_URL"}
    result = subprocess.run([str(doctor.doctor), "--json"], cwd=elsewhere, capture_output=True, text=True,
                            timeout=60, env=dict(env, DOCKER_HOST=dead))
    (engine,) = json.loads(result.stdout)["findings"]
    assert engine["entry"]["url"] == entries.PUBLISHED + "docker-cluster/#docker-api-version-error"

    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<html></html>")
    result = doctor.run("--json", "--guide", str(site), cwd=elsewhere, DOCKER_HOST=dead)
    (engine,) = json.loads(result.stdout)["findings"]
    assert engine["entry"]["url"] == site.as_uri() + "/docker-cluster/index.html#docker-api-version-error"

    served = "http://127.0.0.1:8000/clipper-troubleshooting/"
    result = doctor.run("--json", "--guide", served, cwd=elsewhere, DOCKER_HOST=dead)
    (engine,) = json.loads(result.stdout)["findings"]
    assert engine["entry"]["url"] == served + "docker-cluster/#docker-api-version-error"

    result = doctor.run("--guide", str(elsewhere), cwd=elsewhere, DOCKER_HOST=dead)
    assert result.returncode == 2
    assert "--guide {}: not a URL and no built site (no index.html in it)".format(elsewhere) in result.stderr


def test_published_address_is_mkdocs_site_url():
    site_url = re.search(r"^site_url: (\S+)", (ROOT / "mkdocs.yml").read_text(), re.M).group(1)
    assert entries.PUBLISHED == site_url
    assert PYPROJECT["project"]["urls"]["Guide"] == site_url


def test_dependencies_are_requirements_txt_pins():
    pins = {}
    for number, line in enumerate((ROOT / "requirements.txt").read_text().splitlines(), 1):
        line = line.split("#")[0].strip()
        if line and ";" not in line:
            name, _, version = line.partition("==")
            pins[name.lower()] = version
    for dependency in PYPROJECT["project"]["dependencies"]:
        name, _, version = dependency.partition("==")
        assert pins.get(name.lower()) == version, "pyproject.toml: {} is not requirements.txt's pin".format(
            dependency)


def pyenv_pythons():
    return sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/*/bin/python")))


def test_probe_runs_on_every_python_the_guide_names():
    """env_probe.py alone, by 2.7 and 3.5-3.13 (whichever pyenv has): versions, never a crash."""
    pythons = pyenv_pythons()
    if not pythons:
        pytest.skip("no pyenv Python in ~/.pyenv/versions")
    for python in pythons:
        result = subprocess.run([python, str(ROOT / "troubleshoot_snippets" / "doctor" / "env_probe.py")],
                                capture_output=True, text=True, timeout=60, cwd="/")
        assert result.returncode == 0, (python, result.stderr)
        found = json.loads(result.stdout)
        version = python.split("/versions/")[1].split("/")[0]
        assert found["python"] == version and found["executable"] == python
        assert set(found) == {"executable", "python", "clipper_admin", "cloudpickle", "docker-py"}


def test_rest_stand_in_has_clipper_admins_signatures():
    """The guide's snippet functions call the stand-in as they call clipper_admin 0.4.1."""
    import inspect

    import clipper_admin

    from troubleshoot_snippets.doctor import rest
    pairs = [(rest.ClipperConnection, clipper_admin.ClipperConnection),
             (rest.DockerContainerManager, clipper_admin.DockerContainerManager)]
    for stand_in, real in pairs:
        for name, method in vars(stand_in).items():
            if name.startswith("_") and name != "__init__":
                continue
            ours = list(inspect.signature(method).parameters.items())
            theirs = list(inspect.signature(getattr(real, name)).parameters.items())
            assert ours == theirs[:len(ours)], "rest.{}.{}{} differs from clipper_admin's {}".format(
                stand_in.__name__, name, inspect.signature(method), inspect.signature(getattr(real, name)))
