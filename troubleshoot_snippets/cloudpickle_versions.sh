#!/usr/bin/env bash
# Shell snippets for docs/installing.md (cloudpickle mismatch); tests run them.

# --8<-- [start:client_version]
python -c "import cloudpickle; print(cloudpickle.__version__)"
# --8<-- [end:client_version]

# --8<-- [start:container_version]
docker run --rm --entrypoint python clipper/python36-closure-container:0.4.1 \
  -c "import cloudpickle; print(cloudpickle.__version__)"
# --8<-- [end:container_version]

# --8<-- [start:pin_client]
python -m pip install cloudpickle==0.5.3
# --8<-- [end:pin_client]
