"""docs/importing.md: `import clipper_admin` 0.4.1 as pinned (cloudpickle 0.5.3) on
each Python from pyenv, in cached venvs; no Docker needed, so every test is @early."""
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.live.clipper_live import shown
from tests.live.early import early
from tests.support import legacy_python
from tests.support.snippets import section

pytestmark = pytest.mark.timeout(900)
SHELL = "troubleshoot_snippets/importing.sh"

# Python -> the last line of `import clipper_admin` as the page's table says (None: imports).
IMPORT_RESULT = {
    "3.6": None,
    "3.7": None,
    "3.8": "import_integer_required.txt",
    "3.9": "import_integer_required.txt",
    "3.10": "import_bytes_not_integer.txt",
    "3.11": "cloudpickle_import_error.txt",
    "3.12": "import_no_module_imp.txt",
    "3.13": "import_no_module_imp.txt",
}


def run_section(name, python, timeout=300):
    """Section `name` with `python`'s venv first on PATH, as after `source bin/activate`."""
    bin_dir = os.path.dirname(str(python))
    return subprocess.run(
        ["bash", "-c", section(SHELL, name)], capture_output=True, text=True, timeout=timeout,
        env=dict(os.environ, PATH=bin_dir + ":" + os.environ["PATH"], VIRTUAL_ENV=os.path.dirname(bin_dir),
                 PIP_DISABLE_PIP_VERSION_CHECK="1"))


@pytest.mark.parametrize("version", sorted(IMPORT_RESULT, key=lambda v: tuple(map(int, v.split(".")))))
@early
def test_import_with_pinned_cloudpickle(version):
    python = legacy_python.python_venv_or_skip(version)
    result = run_section("import_check", python)
    if IMPORT_RESULT[version] is None:
        assert result.returncode == 0, result.stderr
        return
    assert result.returncode == 1
    assert "/cloudpickle/cloudpickle.py" in result.stderr
    assert result.stderr.splitlines()[-1] + "\n" == shown(IMPORT_RESULT[version])


@early
def test_versions_snippet_shows_the_pinned_cloudpickle():
    python = legacy_python.python_venv_or_skip("3.12")
    result = run_section("versions", python)
    assert result.returncode == 0, result.stderr
    # the patch release is whatever pyenv built
    assert re.sub(r"3\.12\.\d+", "3.12.1", result.stdout) == shown("import_versions.txt")


@pytest.mark.parametrize("version", ["3.10", "3.12"])
@early
def test_upgrading_cloudpickle_makes_it_import(version):
    """On a copy of the cached venv, so the cache keeps its pinned cloudpickle."""
    cached = legacy_python.python_venv_or_skip(version)
    with tempfile.TemporaryDirectory(prefix="upgrade-cloudpickle-") as folder:
        venv = Path(folder) / "venv"
        shutil.copytree(cached.parents[1], venv, symlinks=True)
        result = run_section("upgrade_cloudpickle", venv / "bin" / "python")
    if result.returncode != 0 and "NewConnectionError" in result.stderr:
        pytest.skip("PyPI is not reachable from this machine")
    assert result.returncode == 0, result.stderr
    assert "clipper-admin 0.4.1 requires cloudpickle==0.5.3" in result.stderr
    assert result.stdout.splitlines()[-1] + "\n" == shown("clipper_admin_version.txt")


@pytest.mark.parametrize("version", ["3.12", "3.13"])
@early
def test_clipper_admin_itself_has_no_imp(version):
    """With a current cloudpickle, 0.4.1 imports on 3.12+: only cloudpickle 0.5.3 needs `imp`."""
    python = legacy_python.python_venv_or_skip(version, ["cloudpickle>=3"])
    code = "import clipper_admin\nprint(clipper_admin.__version__)"
    result = legacy_python.run_python(python, code)
    assert (result.returncode, result.stdout) == (0, "0.4.1\n"), result.stderr
    package = next(python.parents[1].glob("lib/python*/site-packages/clipper_admin"))
    imports_imp = [str(p) for p in package.rglob("*.py")
                   if re.search(r"^\s*(import imp\b|from imp )", p.read_text(), re.M)]
    assert imports_imp == []
