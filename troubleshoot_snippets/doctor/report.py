"""Findings, and how the doctor prints them: text for people, JSON for tools."""
import json
from dataclasses import dataclass, field

from troubleshoot_snippets.doctor.entries import section

OK, NOTE, PROBLEM, UNCHECKED = "ok", "note", "problem", "could-not-check"
MARKS = {OK: "[ok]", NOTE: "[--]", PROBLEM: "[!!]", UNCHECKED: "[??]"}
EXIT_CODES = {OK: 0, PROBLEM: 1, UNCHECKED: 2}
SHORT_SNIPPET = 5  # lines; a longer snippet is only named (the entry and --json show it)


@dataclass
class Finding:
    scope: str          # "cluster", "app <name>", "versions"
    check: str          # what was checked, e.g. "replicas running"
    status: str         # OK, NOTE (ok, with a pointer), PROBLEM or UNCHECKED
    summary: str        # what the doctor saw
    entry: object = None    # entries.Entry that explains it, or None
    matched: str = None     # the guide's symptom text it matched
    tail: list = field(default_factory=list)  # last log lines, when a log was read

    def as_dict(self):
        entry = self.entry
        return {
            "scope": self.scope, "check": self.check, "status": self.status,
            "summary": self.summary, "matched": self.matched, "tail": self.tail,
            "symptom": self.matched or (entry and entry.symptom),
            "entry": entry and {"page": entry.page, "anchor": entry.anchor, "url": entry.url},
            "next": entry and entry.next and {
                "snippet": "troubleshoot_snippets/" + entry.next, "code": section(entry.next)},
        }


def overall(findings):
    """The run's status: could-not-check beats problem beats ok."""
    statuses = {f.status for f in findings}
    for status in (UNCHECKED, PROBLEM):
        if status in statuses:
            return status
    return OK


def exit_code(findings):
    return EXIT_CODES[overall(findings)]


def as_json(cluster, findings):
    return json.dumps({
        "cluster": cluster, "status": overall(findings), "exit_code": exit_code(findings),
        "findings": [f.as_dict() for f in findings],
    }, indent=2)


def as_text(cluster, findings):
    lines = ["clipper-doctor: cluster {}".format(cluster)]
    scope = None
    for f in findings:
        if f.scope != scope:
            scope = f.scope
            lines += ["", scope]
        lines.append("{} {}: {}".format(MARKS[f.status], f.check, f.summary))
        if f.status == OK:
            continue
        if f.matched:
            lines.append("     matched: {}".format(f.matched))
        elif f.entry and f.entry.symptom:
            lines.append("     symptom: {}".format(f.entry.symptom))
        if f.entry:
            lines.append("     entry:   {}".format(f.entry.url))
            if f.entry.next:
                lines.append("     next:    troubleshoot_snippets/{}".format(f.entry.next))
                code = section(f.entry.next).splitlines()
                if len(code) <= SHORT_SNIPPET:
                    lines += [("              " + l).rstrip() for l in code]
        elif f.status in (PROBLEM, UNCHECKED):
            lines.append("     entry:   none in the guide matches; see the log below")
        if f.tail:
            lines.append("     log tail:")
            lines += ["       | " + l for l in f.tail]
    problems = sum(f.status == PROBLEM for f in findings)
    status = overall(findings)
    lines += ["", {
        OK: "All checks passed (exit 0).",
        PROBLEM: "{} problem{} found (exit 1).".format(problems, "" if problems == 1 else "s"),
        UNCHECKED: "Could not check the cluster (exit 2).",
    }[status]]
    return "\n".join(lines) + "\n"
