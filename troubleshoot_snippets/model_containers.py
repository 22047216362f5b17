"""Snippets for docs/model-containers.md; the live tests call each function."""


def raise_memory_limit(clipper_conn, model_name):
    # --8<-- [start:raise_memory_limit]
    from clipper_admin import ClipperConnection, DockerContainerManager

    # clipper_admin passes extra_container_kwargs to every container this connection
    # starts: 1 GiB for the model, and no swap on top of it.
    bigger = ClipperConnection(DockerContainerManager(
        cluster_name=clipper_conn.cm.cluster_name,
        extra_container_kwargs={"mem_limit": "1g", "memswap_limit": "1g"},
    ))
    bigger.connect()
    # The killed replica no longer runs, so this starts one, with the new limit.
    bigger.set_num_replicas(name=model_name, num_replicas=1)
    # --8<-- [end:raise_memory_limit]
    return bigger
