"""docs/model-containers.md, an entry point that cannot start: a model image whose entry
script has Windows line endings or no `#!` line exits at once, and the deploy waits."""
import subprocess

import pytest

from tests.live.clipper_live import (
    container_log, deploy_until_it_retries, model_containers, run_shell, shown, wait_connected,
)
from tests.live.conftest import SUITE_LABEL
from tests.support.snippets import section
from troubleshoot_snippets.model_image import deploy_image

pytestmark = [pytest.mark.live, pytest.mark.timeout(300)]

SHELL = "troubleshoot_snippets/model_entrypoint.sh"
# A user's wrapper around the closure container's own entry point.
ENTRY = "exec /container/container_entry.sh py-closure-container /container/python_closure_container.py\n"
SCRIPTS = {
    "crlf": ("#!/bin/sh\n" + ENTRY).replace("\n", "\r\n"),
    "no-shebang": ENTRY,
}
DOCKERFILE = """\
FROM {}
COPY entry.sh /container/entry.sh
ENTRYPOINT ["/container/entry.sh"]
"""
def build(docker_client, folder, base, tag):
    (folder / "Dockerfile").write_text(DOCKERFILE.format(base))
    image, _ = docker_client.images.build(path=str(folder), tag=tag, rm=True,
                                          labels={SUITE_LABEL: tag})
    return tag


@pytest.mark.before_background
@pytest.mark.parametrize("kind, output_file", [
    ("crlf", "entrypoint_crlf.log"), ("no-shebang", "entrypoint_exec_format.log")])
def test_entry_script_that_cannot_run(kind, output_file, clipper_conn, model_images,
                                      docker_client, tmp_path):
    (tmp_path / "entry.sh").write_bytes(SCRIPTS[kind].encode())
    (tmp_path / "entry.sh").chmod(0o755)  # COPY keeps the mode; no RUN step needed
    image = build(docker_client, tmp_path, model_images["sum-model", "1"],
                  "default-cluster-entry-{}-model:1".format(kind))
    model, _ = deploy_until_it_retries("entry-{}-model".format(kind), image, SUITE_LABEL)

    (dead,) = model_containers(docker_client, model, "1")
    assert dead.status == "exited"
    assert container_log(dead.name) == shown(output_file)

    # diagnosis: the entry point, then the script as the image has it
    entrypoint = run_shell("entrypoint", SHELL, IMAGE=image)
    assert entrypoint.stdout == '["/container/entry.sh"]\n', entrypoint.stderr
    script = run_shell("show_entry_script", SHELL, IMAGE=image, ENTRY="/container/entry.sh")
    first = script.stdout.splitlines()[0]
    assert first == ("#!/bin/sh^M$" if kind == "crlf" else ENTRY.replace("\n", "$"))

    if kind != "crlf":
        return
    # fix: strip the carriage returns, rebuild, deploy again
    fixed = subprocess.run(["bash", "-c", section(SHELL, "fix_line_endings")],
                           cwd=tmp_path, capture_output=True, text=True, timeout=30)
    assert fixed.returncode == 0, fixed.stderr
    assert b"\r" not in (tmp_path / "entry.sh").read_bytes()
    build(docker_client, tmp_path, model_images["sum-model", "1"], image)
    deploy_image(clipper_conn, model, "1", image)
    wait_connected(clipper_conn, model)


@pytest.mark.before_background
def test_exited_container_of_an_image_without_healthcheck(clipper_conn, model_images, docker_client, tmp_path):
    """docs/model-containers.md: with no HEALTHCHECK, Docker reports no health state for the
    exited container, and clipper_admin's check fails at once instead of retrying."""
    (tmp_path / "entry.sh").write_bytes(SCRIPTS["crlf"].encode())
    (tmp_path / "entry.sh").chmod(0o755)
    (tmp_path / "Dockerfile").write_text(DOCKERFILE.format(model_images["sum-model", "1"]) + "HEALTHCHECK NONE\n")
    image = "default-cluster-entry-nohealth-model:1"
    docker_client.images.build(path=str(tmp_path), tag=image, rm=True, labels={SUITE_LABEL: image})
    for attempt in range(1, 4):
        model = "entry-nohealth-model-{}".format(attempt)
        try:
            deploy_image(clipper_conn, model, "1", image)
        except AttributeError as e:
            assert str(e) == "'NoneType' object has no attribute 'get'"
            (dead,) = model_containers(docker_client, model, "1")
            assert dead.status == "exited" and "Health" not in dead.attrs["State"]
            return
        # lost the race: the container was still running when clipper_admin looked
    pytest.fail("in 3 deploys clipper_admin saw the container running each time")
