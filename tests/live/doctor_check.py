"""What clipper-doctor says about one application, for the live scenarios:
`assert doctor_anchor(app) == "model-not-linked"` at the moment a scenario is broken."""
from tests.live.conftest import CLUSTER
from troubleshoot_snippets.doctor.report import OK, PROBLEM
from troubleshoot_snippets.doctor.run import Run


def doctor_findings(app_name, cluster=CLUSTER):
    # Image probes (cloudpickle in the model image) take seconds and say nothing about one app.
    return Run(cluster, app_name, probe_images=False).diagnose()


def doctor_anchors(app_name, cluster=CLUSTER):
    """The anchors of the app's problem findings, in the doctor's (the guide's) order."""
    return [f.entry.anchor if f.entry else None for f in doctor_findings(app_name, cluster)
            if f.scope == "app " + app_name and f.status == PROBLEM]


def doctor_anchor(app_name, cluster=CLUSTER):
    """'OK' for a healthy app; else the anchor of its most specific finding (the last one)."""
    findings = [f for f in doctor_findings(app_name, cluster) if f.scope == "app " + app_name]
    problems = [f for f in findings if f.status == PROBLEM]
    if not problems:
        assert [f.summary[:2] for f in findings] == ["OK"], findings
        return "OK"
    return problems[-1].entry.anchor if problems[-1].entry else None
