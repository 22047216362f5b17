"""Snippets for docs/start-up.md."""


def proxies_for_query_frontend():
    # --8<-- [start:proxy_check]
    import requests

    print(requests.utils.get_environ_proxies("http://localhost:1337/metrics"))
    # --8<-- [end:proxy_check]
    return requests.utils.get_environ_proxies("http://localhost:1337/metrics")


def connect_remote(engine_address):
    # --8<-- [start:remote_engine]
    from clipper_admin import ClipperConnection, DockerContainerManager

    clipper_conn = ClipperConnection(DockerContainerManager(docker_ip_address=engine_address))
    clipper_conn.connect()
    print(clipper_conn.get_query_addr())
    # --8<-- [end:remote_engine]
    return clipper_conn
