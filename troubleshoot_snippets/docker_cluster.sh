#!/usr/bin/env bash
# Shell snippets for docs/docker-cluster.md; the live tests run each section.

# --8<-- [start:engine_info]
docker info --format '{{.ServerVersion}}'
# --8<-- [end:engine_info]

# --8<-- [start:frontend_ports]
docker ps --filter label=ai.clipper.query_frontend.label --format '{{.Names}}  {{.Ports}}'
# --8<-- [end:frontend_ports]

# --8<-- [start:frontend_cpu]
docker stats --no-stream --format '{{.Name}}  {{.CPUPerc}}' \
  $(docker ps -q --filter label=ai.clipper.query_frontend.label)
# --8<-- [end:frontend_cpu]
