"""A throwaway container from a fresh-machine image, and commands run inside it.

Its name is unique and it carries none of Clipper's labels, so the live tests'
cleanup never touches it and it never touches theirs; it is removed on exit,
also when the test fails.
"""
import configparser
import contextlib
import subprocess
import threading
import time
import uuid
from pathlib import Path

LABEL = "clipper-guide.fresh-machine"
USER_CA_DIR = Path("/usr/local/share/ca-certificates")
CA_BUNDLE = Path("/etc/ssl/certs/ca-certificates.crt")


@contextlib.contextmanager
def container(image, release):
    """A running container of `image` on a network of its own (not the default bridge,
    which another engine user may have taken down), removed with it on exit."""
    name = "clipper-guide-fresh-{}-{}".format(release, uuid.uuid4().hex[:10])
    label = "{}={}".format(LABEL, release)
    docker("network", "create", "--label", label, name)
    try:
        docker("run", "-d", "--name", name, "--label", label, "--network", name,
               image, "sleep", "infinity")
        yield name
    finally:
        subprocess.run(["docker", "rm", "-f", name], capture_output=True, timeout=120)
        subprocess.run(["docker", "network", "rm", name], capture_output=True, timeout=120)


def docker(*args, timeout=300):
    result = subprocess.run(["docker"] + list(args), capture_output=True, text=True, timeout=timeout)
    if result.returncode != 0:
        raise RuntimeError("docker {} exited {}: {}".format(
            " ".join(args[:3]), result.returncode, result.stderr.strip()))
    return result.stdout


def sh(name, script, timeout=120):
    """Run `script` with bash inside the container; the CompletedProcess."""
    return subprocess.run(["docker", "exec", name, "bash", "-c", script],
                          capture_output=True, text=True, timeout=timeout)


def copy_in(name, source, target):
    sh(name, "mkdir -p '{}'".format(Path(target).parent))
    docker("cp", str(source), "{}:{}".format(name, target), timeout=600)


def copy_network_trust(name):
    """What a user's machine behind this network has: its local CAs (kept by apt's
    update-ca-certificates), the CA bundle, and pip's `cert` setting. Nothing else
    of this machine's pip config (its constraints and wheel folders are not a user's)."""
    for crt in sorted(USER_CA_DIR.glob("*.crt")):
        copy_in(name, crt, str(crt))
    if CA_BUNDLE.exists():
        copy_in(name, CA_BUNDLE, str(CA_BUNDLE))
    pip_conf = configparser.ConfigParser()
    pip_conf.read("/etc/pip.conf")
    cert = pip_conf.get("global", "cert", fallback=None)
    if cert:
        sh(name, "printf '[global]\\ncert = %s\\n' '{}' > /etc/pip.conf".format(cert))


def run_streamed(name, script, log_path, prefix, timeout, echo):
    """Run `script` in the container, writing each output line to log_path and, prefixed,
    to `echo` (a queue the waiting test prints); returns (exit code, output, seconds).
    Kills it at timeout."""
    started = time.monotonic()
    lines = []
    proc = subprocess.Popen(["docker", "exec", name, "bash", "-c", script],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
    with open(log_path, "w") as log:
        def pump():
            for line in proc.stdout:
                lines.append(line)
                log.write(line)
                log.flush()
                echo.put("[{}] {}".format(prefix, line))
        reader = threading.Thread(target=pump, daemon=True)
        reader.start()
        try:
            code = proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            code = "timeout after {} s".format(timeout)
        reader.join(30)
    return code, "".join(lines), time.monotonic() - started


def http_status(name, path, port=8000):
    """The status line of GET `path` on 127.0.0.1:port inside the container (bash's /dev/tcp:
    a fresh machine has no curl), or '' when nothing answers."""
    request = "GET {} HTTP/1.0\\r\\nHost: 127.0.0.1:{}\\r\\n\\r\\n".format(path, port)
    result = sh(name, "exec 3<>/dev/tcp/127.0.0.1/{} && printf '{}' >&3 && head -n 1 <&3".format(
        port, request), timeout=60)
    return result.stdout.strip() if result.returncode == 0 else ""


def still_running(name, pid_file):
    return sh(name, "kill -0 \"$(cat {})\"".format(pid_file)).returncode == 0
