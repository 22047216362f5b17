"""Snippets for docs/docker-cluster.md."""


def start_cluster():
    # --8<-- [start:start_clipper]
    from clipper_admin import ClipperConnection, DockerContainerManager

    clipper_conn = ClipperConnection(DockerContainerManager())
    clipper_conn.start_clipper()
    # --8<-- [end:start_clipper]
    return clipper_conn


def start_over(clipper_conn):
    # --8<-- [start:start_over]
    import docker

    clipper_conn.stop_all(graceful=False)  # kills; a graceful stop takes about 40 s
    # stop_all leaves the stopped containers behind; remove them too, with the
    # volumes Docker made for Redis's and Prometheus's data.
    label = "ai.clipper.container.label=" + clipper_conn.cm.cluster_name
    for container in docker.from_env().containers.list(all=True, filters={"label": label}):
        container.remove(v=True)
    # --8<-- [end:start_over]


def query_address(clipper_conn):
    # --8<-- [start:get_query_addr]
    print(clipper_conn.get_query_addr())
    # --8<-- [end:get_query_addr]
    return clipper_conn.get_query_addr()


def connect_by_name():
    # --8<-- [start:connect_cluster_name]
    from clipper_admin import ClipperConnection, DockerContainerManager

    # cluster_name: the one start_clipper() ran with ("default-cluster" if none was given)
    clipper_conn = ClipperConnection(DockerContainerManager(cluster_name="sum-cluster"))
    clipper_conn.connect()
    # --8<-- [end:connect_cluster_name]
    return clipper_conn
