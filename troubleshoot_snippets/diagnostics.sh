#!/usr/bin/env bash
# Shell snippets for docs/doctor.md, "Filing an issue"; `--collect` runs them as shown.

# --8<-- [start:collect_logs]
label="label=ai.clipper.container.label=${CLUSTER:-default-cluster}"
docker ps -a --filter "$label" > docker-ps.txt
mkdir -p logs
for id in $(docker ps -aq --filter "$label"); do
  name=$(docker inspect --format '{{.Name}}' "$id")
  docker logs "$id" > "logs${name}.log" 2>&1
done
ls logs
# --8<-- [end:collect_logs]
