#!/usr/bin/env bash
# Shell snippets for the guide; the live tests run each section with bash.
# CONTAINER is the name or ID of a model container, from the first command.

# --8<-- [start:ps_all]
docker ps -a --filter label=ai.clipper.container.label
# --8<-- [end:ps_all]

# --8<-- [start:ps_models]
docker ps -a --filter label=ai.clipper.model_container.label \
  --format 'table {{.Names}}\t{{.Image}}\t{{.Status}}'
# --8<-- [end:ps_models]

# --8<-- [start:logs]
docker logs --tail 30 "$CONTAINER"
# --8<-- [end:logs]

# --8<-- [start:ready_line]
docker logs "$CONTAINER" 2>&1 | grep -m 1 'Sent container metadata!'
# --8<-- [end:ready_line]

# --8<-- [start:oom_killed]
docker inspect "$CONTAINER" | grep -E '"(OOMKilled|Memory)":'
# --8<-- [end:oom_killed]

# --8<-- [start:kernel_oom]
dmesg | grep -A 1 "oom-kill:.*$(docker inspect -f '{{.Id}}' "$CONTAINER")"
# --8<-- [end:kernel_oom]
