#!/usr/bin/env bash
# Shell snippets for docs/doctor.md; tests run them from the project's root
# (install_clone from a clean clone's root, run_python with the installed command).

# --8<-- [start:install]
pipx install git+https://github.com/ucbrise/clipper-troubleshooting
# --8<-- [end:install]

# --8<-- [start:install_clone]
pipx install .
# --8<-- [end:install_clone]

# --8<-- [start:run_python]
clipper-doctor --python ~/py36/bin/python --app "$APP_NAME"
# --8<-- [end:run_python]

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
