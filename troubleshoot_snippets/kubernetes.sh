#!/usr/bin/env bash
# Shell snippets for docs/kubernetes.md. No Kubernetes cluster runs in this
# project's tests: these are checked with bash -n only.

# --8<-- [start:node_addresses]
kubectl get nodes -o wide
kubectl get services
# --8<-- [end:node_addresses]

# --8<-- [start:kubectl_proxy]
kubectl proxy --port=8080
# --8<-- [end:kubectl_proxy]
