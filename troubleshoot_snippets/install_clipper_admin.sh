#!/usr/bin/env bash
# Shell snippets for docs/installing.md; tests run them in a fresh virtualenv.

# --8<-- [start:install_no_deps]
pip install "cloudpickle>=2" docker jinja2 jsonschema kubernetes numpy \
  prometheus-client psutil pyyaml redis requests
pip install --no-deps clipper_admin==0.4.1
python -c "import clipper_admin; print(clipper_admin.__version__)"
# --8<-- [end:install_no_deps]
