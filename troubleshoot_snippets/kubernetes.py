"""Snippets for docs/kubernetes.md."""


def kubernetes_connection():
    # --8<-- [start:kubernetes_manager]
    from clipper_admin import ClipperConnection, KubernetesContainerManager

    clipper_conn = ClipperConnection(KubernetesContainerManager())
    # --8<-- [end:kubernetes_manager]
    return clipper_conn


def kubernetes_proxy_connection():
    # --8<-- [start:kubernetes_proxy_manager]
    from clipper_admin import ClipperConnection, KubernetesContainerManager

    clipper_conn = ClipperConnection(
        KubernetesContainerManager(kubernetes_proxy_addr="127.0.0.1:8080", useInternalIP=True)
    )
    clipper_conn.connect()
    # --8<-- [end:kubernetes_proxy_manager]
    return clipper_conn
