#!/usr/bin/env bash
# Shell snippets for docs/start-up.md; the live tests run each section.

# --8<-- [start:no_proxy]
export NO_PROXY=localhost,127.0.0.1
# --8<-- [end:no_proxy]

# --8<-- [start:cluster_images]
echo "CLIPPER_REGISTRY=${CLIPPER_REGISTRY:-(not set: clipper)}"
docker images --format '{{.Repository}}:{{.Tag}}' | grep -E \
  '/(query_frontend|management_frontend|frontend-exporter):|^redis:alpine$|^prom/prometheus:v2.9.2$' | sort
# --8<-- [end:cluster_images]

# --8<-- [start:statedb_log]
for c in $(docker ps -q --filter label=ai.clipper.management_frontend.label); do
  echo "== $c"; docker logs --tail 4 "$c" 2>&1 | grep -A1 STATEDB || echo "(no StateDB error)"
done
# --8<-- [end:statedb_log]

# --8<-- [start:engine_sees_config]
docker run --rm -v "$(dirname "$CONFIG"):/engine:ro" redis:alpine ls -ld "/engine/$(basename "$CONFIG")"
# --8<-- [end:engine_sees_config]
