#!/usr/bin/env bash
# Shell snippets for docs/docker-cluster.md; the live tests run each section.

# --8<-- [start:engine_info]
docker version --format '{{.Server.Version}}'
# --8<-- [end:engine_info]

# --8<-- [start:frontend_ports]
docker ps --filter label=ai.clipper.query_frontend.label --format '{{.Names}}  {{.Ports}}'
# --8<-- [end:frontend_ports]

# --8<-- [start:frontend_cpu]
docker stats --no-stream --format '{{.Name}}  {{.CPUPerc}}' \
  $(docker ps -q --filter label=ai.clipper.query_frontend.label)
# --8<-- [end:frontend_cpu]

# --8<-- [start:cap_frontend_cpu]
label="label=ai.clipper.container.label=${CLUSTER:-default-cluster}"
docker update --cpus 0.5 \
  $(docker ps -q --filter "$label" --filter label=ai.clipper.query_frontend.label)
# --8<-- [end:cap_frontend_cpu]

# --8<-- [start:start_stopped_cluster]
label="label=ai.clipper.container.label=${CLUSTER:-default-cluster}"
docker start $(docker ps -aq --filter "$label" --filter name=redis-)
docker start $(docker ps -aq --filter "$label" --filter name=mgmt_frontend-)
docker start $(docker ps -aq --filter "$label" --filter 'name=query_frontend-[0-9]')
docker start $(docker ps -aq --filter "$label" --filter status=exited)
# --8<-- [end:start_stopped_cluster]

# --8<-- [start:list_clusters]
docker ps -a --filter label=ai.clipper.container.label \
  --format '{{.Label "ai.clipper.container.label"}} {{.Status}}' | sort | uniq -c
# --8<-- [end:list_clusters]
