"""Every ucbrise/clipper issue that reports a failure, with the guide's verdict on it.

One row per issue: the failure text as the user pasted it, the component, the
Clipper version where the thread tells it, and the verdict:

- ANSWERED: `detail` is the entry, "page.md#anchor" (an anchor of symptoms.py);
- FIXED: fixed before 0.4.1; `detail` is "0.x (#PR)" or "0.x (commit abc1234)";
- NOT_CLIPPER: not a Clipper failure; `detail` says why;
- OUT_OF_SCOPE: out of scope for this guide; `detail` says why.

The README's counts, the error index's "fixed in" lines and the search tests
are derived from ROWS.
"""
from collections import Counter
from dataclasses import dataclass

ANSWERED, FIXED, NOT_CLIPPER, OUT_OF_SCOPE = "answered", "fixed", "not a Clipper failure", "out of scope"
VERDICTS = (ANSWERED, FIXED, NOT_CLIPPER, OUT_OF_SCOPE)
COMPONENTS = ("query frontend", "management frontend", "clipper_admin", "Python closure container",
              "other deployers", "Kubernetes", "metrics and Prometheus", "installing", "Redis")


@dataclass(frozen=True)
class Row:
    issue: int
    text: str
    component: str
    version: str  # "0.3.0", "0.4.1", "" where the thread does not tell
    verdict: str
    detail: str


ROWS = (
    Row(758, "[CONTAINERS] Removing container 0 for model sum-model:1",
        "query frontend", "0.4.1", ANSWERED, "default-predictions.md#frontend-deadlock"),
)


def counts(rows=ROWS):
    """{verdict: number of rows}, every verdict present."""
    found = Counter(r.verdict for r in rows)
    return {v: found[v] for v in VERDICTS}
