#!/usr/bin/env bash
# Shell snippets for docs/deploys.md; the live tests run each section.

# --8<-- [start:pip_in_image]
docker run --rm --entrypoint pip \
  clipper/python36-closure-container:0.4.1 install "$PACKAGE"
# --8<-- [end:pip_in_image]

# --8<-- [start:python_versions]
python --version
docker run --rm --entrypoint python clipper/python36-closure-container:0.4.1 --version
# --8<-- [end:python_versions]

# --8<-- [start:clipper_admin_version]
python -m pip show clipper_admin | grep '^Version'
# --8<-- [end:clipper_admin_version]
