#!/usr/bin/env bash
# Shell snippets for docs/doctor.md; tests run them from the project's root.

# --8<-- [start:run]
.venv/bin/python -m troubleshoot_snippets.doctor
# --8<-- [end:run]

# --8<-- [start:run_app]
.venv/bin/python -m troubleshoot_snippets.doctor --app "$APP_NAME" --cluster "$CLUSTER"
# --8<-- [end:run_app]

# --8<-- [start:run_json]
.venv/bin/python -m troubleshoot_snippets.doctor --json
# --8<-- [end:run_json]

# --8<-- [start:collect]
.venv/bin/python -m troubleshoot_snippets.doctor --collect diagnostics
# --8<-- [end:collect]
