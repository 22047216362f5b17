#!/usr/bin/env bash
# Shell snippets for docs/importing.md; tests run them in a venv of each Python.

# --8<-- [start:import_check]
python -c "import clipper_admin"
# --8<-- [end:import_check]

# --8<-- [start:versions]
python --version
python -m pip show cloudpickle | grep '^Version'
# --8<-- [end:versions]

# --8<-- [start:upgrade_cloudpickle]
python -m pip install "cloudpickle>=2"
python -c "import clipper_admin; print(clipper_admin.__version__)"
# --8<-- [end:upgrade_cloudpickle]
