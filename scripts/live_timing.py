"""Wall time of the live suite, split into cluster start, the background scenarios' deploys
before their pool, image builds (on first use, so also inside the other parts), scenarios
(each test's call; a background scenario's test only joins it), teardown, then each
background scenario's own time; then CPU-seconds: pytest's process and its children, and
the containers' (the Docker cgroup's counter, which keeps removed containers' time), split
by whose containers they were: each background scenario's (its models, its own cluster),
the session cluster's (its frontends, shared, and the main thread's models), the rest;
then the same by image (query frontends, Prometheus, models...); last, the
cores the whole machine kept busy in each 10 s (where it idled). A container's own counter
is read every half second while it runs, so one that lived less than that is in the total
but may be in no part.

Usage: .venv/bin/python scripts/live_timing.py [extra pytest args]
Runs tests/live once against the local Docker engine and prints the split;
pytest's whole output goes to build/live-timing.log, each container's CPU-seconds to
build/live-timing-containers.json.
"""
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import docker

ROOT = Path(__file__).resolve().parents[1]
# Docker's parent cgroup under cgroupfs: v1 (nanoseconds), v2 (cpu.stat usage_usec)
DOCKER_CGROUPS = (Path("/sys/fs/cgroup/cpuacct/docker/cpuacct.usage"), Path("/sys/fs/cgroup/docker/cpu.stat"))


def containers_cpu():
    """CPU-seconds all Docker containers have used so far, or None where it cannot be read."""
    for path in DOCKER_CGROUPS:
        try:
            return cpu_seconds(path)
        except OSError:
            continue
    return None


SUITE_LABEL = "ai.clipper.troubleshoot-guide.run"  # tests/live/conftest.py
CLUSTER_LABEL = "ai.clipper.container.label"  # clipper_admin's, on each container of a cluster


class ContainerCPU(threading.Thread):
    """Samples each running container's own CPU counter (the cgroup Docker made for it), its
    labels and image, until stopped; `seconds` {container id: CPU-seconds}, `labels` {id:
    labels}, `images` {id: image name}."""

    def __init__(self):
        super().__init__(daemon=True)
        self.seconds, self.labels, self.images, self._asked = {}, {}, {}, set()
        self._done = threading.Event()
        self._client = docker.from_env(timeout=30)
        self._before = dict(self._read())  # (left by removed containers too: not this run's)
        self.busy = []  # the machine's busy CPU-seconds in each BUSY_EVERY seconds
        self._machine = machine_cpu()

    @staticmethod
    def _read():
        for path in DOCKER_CGROUPS:
            for counter in path.parent.glob("*/" + path.name):
                try:
                    yield counter.parent.name, cpu_seconds(counter)
                except (OSError, KeyError, ValueError):
                    pass  # stopped meanwhile

    def run(self):
        started = time.monotonic()
        while not self._done.wait(0.5):
            bucket = int((time.monotonic() - started) // BUSY_EVERY)
            self.busy += [0.0] * (bucket + 1 - len(self.busy))
            now = machine_cpu()
            self.busy[bucket] += now - self._machine
            self._machine = now
            for container, seconds in self._read():
                self.seconds[container] = seconds - self._before.get(container, 0.0)
            unknown = set(self.seconds) - set(self.labels) - self._asked
            if unknown:
                try:
                    for c in self._client.api.containers(all=True):
                        self.labels.setdefault(c["Id"], c["Labels"] or {})
                        self.images.setdefault(c["Id"], c["Image"])
                except docker.errors.DockerException:
                    continue
                self._asked |= unknown  # asked once: gone or not a container

    def stop(self):
        self._done.set()
        self.join()
        self._client.close()

    def by_owner_of(self, timings):
        """{container: its part}: a scenario's, the session cluster's, the rest."""
        owners, found = timings.get("owners", {}), {}
        for container in self.seconds:
            labels = self.labels.get(container, {})
            owner = owners.get(labels.get(SUITE_LABEL))
            if owner is None:
                owner = ("session cluster (its frontends; the main thread's models)"
                         if labels.get(CLUSTER_LABEL) == timings.get("session cluster")
                         else "other containers (image builds, second clusters, probes)")
            found[container] = owner
        return found

    def by_owner(self, timings):
        """{part: CPU-seconds}: each scenario's containers, the session cluster's, the rest."""
        return self._summed(self.by_owner_of(timings).get)

    def by_image(self):
        """{image: CPU-seconds} of every container seen (model images: by their repository)."""
        return self._summed(self._image)

    def rows(self, timings):
        """[(owner, image, container, CPU-seconds)] of every container seen, for a closer look."""
        owners = self.by_owner_of(timings)
        return sorted(((owners[c], self._image(c), c[:12], round(s, 2)) for c, s in self.seconds.items()),
                      key=lambda row: -row[3])

    def _image(self, container):
        return self.images.get(container, "(gone before its image was read)")

    def _summed(self, part_of):
        parts = {}
        for container, seconds in self.seconds.items():
            part = part_of(container)
            parts[part] = parts.get(part, 0.0) + seconds
        return parts


def cpu_seconds(path):
    text = path.read_text()
    if path.name == "cpuacct.usage":
        return int(text) / 1e9
    return int(dict(line.split() for line in text.splitlines())["usage_usec"]) / 1e6


BUSY_EVERY = 10  # seconds


def machine_cpu():
    """CPU-seconds all processes of the machine have used (/proc/stat: all but idle and iowait)."""
    with open("/proc/stat") as f:
        ticks = [int(n) for n in f.readline().split()[1:]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main():
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        # as scripts/test.sh runs pytest: byte-code caches written
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["LIVE_TIMING_FILE"] = out.name
        started, cpu, docker_cpu = time.monotonic(), children_cpu(), containers_cpu()
        sampler = ContainerCPU()
        sampler.start()
        try:
            result = subprocess.run(
                [sys.executable, "-m", "pytest", "tests/live", "-q", "-rfEs", *sys.argv[1:]],
                cwd=ROOT, env=env,
                capture_output=True, text=True)
        finally:
            sampler.stop()
        wall = time.monotonic() - started
        cpu = children_cpu() - cpu
        # Docker makes its parent cgroup with the first container after dockerd starts
        docker_cpu, before = containers_cpu(), docker_cpu or 0.0
        docker_cpu = None if docker_cpu is None else docker_cpu - before
        text = Path(out.name).read_text()
        timings = json.loads(text) if text else {}
    log = ROOT / "build" / "live-timing.log"
    log.parent.mkdir(exist_ok=True)
    log.write_text(result.stdout + result.stderr)
    lines = result.stdout.strip().splitlines()
    # pytest's short summary (-rfEs): what failed or skipped, then the counts
    print("\n".join(l for l in lines if l.startswith(("FAILED", "ERROR", "SKIPPED", "ucbrise/clipper#758"))))
    print(lines[-1] if lines else result.stderr)
    if "cluster start" not in timings:
        print("no live test ran; pytest said:\n" + result.stdout[-2000:])
        return 2
    print("{:<48} {:>9}".format("part", "seconds"))
    for key in ("venv builds waited for", "cluster start", "scenario parts before the pool", "image builds",
                "scenarios", "teardown"):
        print("{:<48} {:>9.1f}".format(key, timings.get(key, 0.0)))
    for key in sorted((k for k in timings if k.startswith("before pool:")), key=timings.get, reverse=True):
        print("  {:<46} {:>9.1f}".format(key.split(":", 1)[1] + " (before the pool)", timings[key]))
    for key in sorted(k for k in timings if k.startswith("scenario:")):
        print("  {:<46} {:>9.1f}".format(key.split(":", 1)[1], timings[key]))
    # @background scenarios: their tests only join them; these are their own times,
    # SCENARIOS_AT_ONCE of them overlapping
    # and when each ran, in seconds after the pool started: what ends last makes the tail
    spans = timings.get("span", {})
    print("{:<48} {:>9}  {}".format("background scenarios (threads, overlapping)", "",
                                    "ran (s after the pool started)"))
    for key in sorted((k for k in timings if k.startswith("thread:")), key=timings.get, reverse=True):
        name = key.split(":", 1)[1]
        ran = "{:.0f}-{:.0f}".format(*spans[name]) if name in spans else ""
        print("  {:<46} {:>9.1f}  {}".format(name, timings[key], ran))
    if "main thread ended" in timings:
        print("  {:<46} {:>9}  ended {:.0f}".format("main thread (its last own test)", "",
                                                    timings["main thread ended"]))
    print("{:<48} {:>9.1f}".format("wall time (whole pytest run)", wall))
    print("{:<48} {:>9.1f}".format("CPU-seconds: pytest and its child processes", cpu))
    if docker_cpu is None:
        print("{:<48} {:>9}".format("CPU-seconds: containers", "could not read (no cgroupfs Docker cgroup)"))
    else:
        print("{:<48} {:>9.1f}".format("CPU-seconds: containers (all on this engine)", docker_cpu))
        parts = sampler.by_owner(timings)
        for owner in sorted(parts, key=parts.get, reverse=True):
            print("  {:<46} {:>9.1f}".format(owner, parts[owner]))
        print("{:<48} {:>9}".format("  the same by image", ""))
        images = sampler.by_image()
        for image in sorted(images, key=images.get, reverse=True)[:12]:
            print("    {:<44} {:>9.1f}".format(image[:44], images[image]))
        print("{:<48} {:>9.1f}".format("CPU-seconds: total", cpu + docker_cpu))
    # where the machine idled: the cores busy, on average, in each BUSY_EVERY seconds
    print("cores busy per {} s (of {}): {}".format(
        BUSY_EVERY, os.cpu_count(), " ".join("{:.1f}".format(b / BUSY_EVERY) for b in sampler.busy)))
    if docker_cpu is not None:
        rows = ROOT / "build" / "live-timing-containers.json"
        rows.write_text(json.dumps(sampler.rows(timings), indent=0))
        print("each container's CPU-seconds, owner and image: " + str(rows.relative_to(ROOT)))
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
