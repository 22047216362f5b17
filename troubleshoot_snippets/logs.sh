#!/usr/bin/env bash
# Shell snippets for docs/logs.md; the live tests run each section.

# --8<-- [start:query_frontend_name]
docker ps -a --filter label=ai.clipper.query_frontend.label \
  --format 'table {{.Names}}\t{{.Status}}\t{{.Label "ai.clipper.container.label"}}'
# --8<-- [end:query_frontend_name]

# --8<-- [start:query_frontend_log]
docker logs "$QUERY_FRONTEND" 2>&1 | grep -E 'candidate models|unknown model|No connected models|No active model|lost contact|Removing container|are removed|New container connected'
# --8<-- [end:query_frontend_log]

# --8<-- [start:start_query_frontend]
docker start "$QUERY_FRONTEND"
# --8<-- [end:start_query_frontend]
