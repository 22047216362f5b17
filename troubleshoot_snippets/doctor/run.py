"""The doctor's run: the checks in the guide's order, then the report (and the bundle)."""
import argparse
import json
import logging
import signal
import sys

import docker
import requests

from troubleshoot_snippets.doctor import checks, cli, report, versions
from troubleshoot_snippets.doctor import entries as E
from troubleshoot_snippets.doctor.report import PROBLEM, UNCHECKED, Finding

CLIENT_SIDE_FRONTENDS = ("query frontend", "management frontend")
# clipper_admin's admin calls have no timeout of their own: the whole run gets one.
TIME_LIMIT = 120  # seconds
# A request to the engine that fails after the engine answered (10 s timeouts: a saturated
# engine has missed them); the run stops there and says so.
ENGINE_ERRORS = (docker.errors.DockerException, requests.RequestException)


class Run:
    """One doctor run: its findings, and what --collect reuses (docker client, connection)."""

    def __init__(self, cluster="default-cluster", app=None, progress=None, probe_images=True, host=None,
                 query=None, python=None):
        self.cluster, self.app, self.probe_images, self.query = cluster, app, probe_images, query
        self.host = host or checks.default_host()
        self.python, self.client_probe = python, None  # --python: the interpreter to judge
        self.progress = progress or (lambda message: None)
        self.findings, self.client, self.clipper_conn = [], None, None

    def diagnose(self):
        self.client_probe = cli.start_client_probe(self.python)
        self.progress("checking the Docker engine")
        self.client, found = checks.engine()
        self.findings.append(found)
        if self.client is None:
            return self.findings
        self.progress("checking cluster " + self.cluster)
        containers = checks.cluster_containers(self.client, self.cluster)
        self.findings += checks.frontends(containers, self.cluster, self.client)
        self.findings += checks.frontend_deadlock(containers)
        if not self._can_connect():
            return self.findings
        self.clipper_conn, found = checks.connect(self.cluster, self.host)
        if found:
            self.findings.append(found)
            return self.findings
        self.findings += checks.addresses(self.clipper_conn)
        if any(f.check == "management reachable" and f.status == PROBLEM for f in self.findings):
            return self.findings
        state = checks.ClusterState(self.clipper_conn, containers)
        names = sorted(a["name"] for a in state.apps)
        if self.app is not None:
            if self.app not in names:
                self.findings.append(Finding("app " + self.app, "registered", PROBLEM, "no application "
                                             "named {!r}; registered: {}".format(self.app, names or "none"),
                                             E.UNKNOWN_APP))
            names = [self.app] if self.app in names else []
        else:
            self.findings += checks.orphans(containers, state.models)
        with versions.pool() as pool:
            images = _images(state, names) + cli.closure_images(self) if self.probe_images else []
            probes = versions.start_probes(self.client, images, pool)
            for i, name in enumerate(names, 1):
                self.progress("checking app {}/{}: {}".format(i, len(names), name))
                self.findings += checks.check_app(state, name)
            if self.query is not None and names:
                self.progress("sending one query to " + names[0])
                self.findings.append(checks.one_query(self.clipper_conn, names[0], self.query))
            self.progress("checking versions")
            self.findings += versions.check_versions(probes, self.client_probe, self.python)
        return self.findings

    def _can_connect(self):
        blocked = [f for f in self.findings if f.status == UNCHECKED or (
            f.status == PROBLEM and f.check in CLIENT_SIDE_FRONTENDS + ("cluster running",))]
        return not blocked


def _images(state, app_names):
    """The images of the linked models' current versions."""
    images = []
    for app in state.apps:
        if app["name"] in app_names and app.get("linked_models"):
            model = app["linked_models"][0]
            version = state.current_version(model)
            images += [m.get("container_name") for m in state.models
                       if m["model_name"] == model and str(m["model_version"]) == version]
    return [i for i in images if i]


def progress_to(stream):
    """A progress line on `stream`: rewritten in place on a terminal, one line per step otherwise."""
    tty = stream.isatty()

    def show(message):
        stream.write(("\r\033[K" + message) if tty else ("clipper-doctor: " + message + "\n"))
        stream.flush()
    show.done = lambda: tty and stream.write("\r\033[K") and stream.flush()
    return show


def stopped_by_engine(run, error):
    """The run's findings so far and a could-not-check one for the engine's failed request."""
    return run.findings + [Finding("cluster", "engine answers", UNCHECKED, "a request to the Docker "
                                   "engine failed, so the checks after it did not run: {}: {}".format(
                                       error.__class__.__name__, error))]


def within_time_limit(run):
    """run.diagnose(), stopped with a could-not-check finding after TIME_LIMIT seconds."""
    def out_of_time(signum, frame):
        raise TimeoutError("the cluster did not answer every check within {} s".format(TIME_LIMIT))
    previous = signal.signal(signal.SIGALRM, out_of_time)
    signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT)
    try:
        return run.diagnose()
    except TimeoutError as e:
        return run.findings + [Finding("cluster", "answers in time", UNCHECKED, str(e))]
    except ENGINE_ERRORS as e:
        return stopped_by_engine(run, e)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog=cli.prog(),
        description="Run the Clipper 0.4.1 troubleshooting guide's checks against a cluster. "
                    "Exit 0: all well; 1: a problem found; 2: could not check.")
    parser.add_argument("--cluster", default="default-cluster",
                        help="cluster name given to DockerContainerManager (default: %(default)s)")
    parser.add_argument("--app", help="check only this application")
    parser.add_argument("--json", action="store_true", help="print the findings as JSON")
    parser.add_argument("--collect", metavar="DIR",
                        help="also write the diagnostics bundle for an issue report into DIR")
    # issue 23: what the doctor does on the engine, and where
    parser.add_argument("--no-image-probe", dest="probe_images", action="store_false",
                        help="start no probe container from the linked models' images")
    parser.add_argument("--host", help="the address where the engine publishes the cluster's ports, "
                        "as DockerContainerManager(docker_ip_address=...) (default: the host of "
                        "DOCKER_HOST when it is tcp://, else localhost)")
    parser.add_argument("--query", metavar="JSON", help="with --app: send one query of this input, "
                        "e.g. '[1.0, 2.0]', and report the answer")
    cli.add_options(parser)
    args = parser.parse_args(argv)
    python = cli.apply(parser, args)
    if args.query is not None:
        if not args.app:
            parser.error("--query needs --app")
        try:
            args.query = json.loads(args.query)
        except ValueError as e:
            parser.error("--query {!r} is not JSON: {}".format(args.query, e))
    logging.getLogger("clipper_admin").setLevel(logging.WARNING)

    progress = progress_to(sys.stderr)
    run = Run(args.cluster, args.app, progress, probe_images=args.probe_images, host=args.host,
              query=args.query, python=python)
    findings = within_time_limit(run)
    findings += cli.versions_if_stopped(run, findings)
    text = report.as_text(args.cluster, findings)
    if args.collect:
        from troubleshoot_snippets.doctor import collect
        progress("writing the diagnostics bundle")
        path = collect.bundle(args.collect, run, text)
    progress.done()
    print(report.as_json(args.cluster, findings) if args.json else text, end="" if not args.json else "\n")
    if args.collect:
        print("diagnostics bundle: {}".format(path), file=sys.stderr)
    return report.exit_code(findings)
