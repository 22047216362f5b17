"""clipper-doctor: the guide's checks, run against your own Clipper cluster.

    python -m troubleshoot_snippets.doctor [--cluster NAME] [--app NAME] [--json] [--collect DIR]

Every check calls the guide's own snippet functions, and every finding names
the one guide entry that explains it (docs/doctor.md). Modules: `entries`
(which entry, which snippet next), `checks` (cluster, apps, versions),
`report` (text and JSON, exit codes), `collect` (the diagnostics bundle).
"""
