#!/usr/bin/env bash
# Shell snippets for docs/model-containers.md (a model container's entry point fails);
# the live tests run each section. IMAGE is the model image, ENTRY its entry script.

# --8<-- [start:entrypoint]
docker image inspect --format '{{json .Config.Entrypoint}}' "$IMAGE"
# --8<-- [end:entrypoint]

# --8<-- [start:show_entry_script]
docker run --rm --entrypoint cat "$IMAGE" -A "$ENTRY" | head -n 3
# --8<-- [end:show_entry_script]

# --8<-- [start:fix_line_endings]
sed -i 's/\r$//' entry.sh
# --8<-- [end:fix_line_endings]
