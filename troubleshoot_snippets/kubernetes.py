"""Snippets for docs/kubernetes.md."""


def kubernetes_connection():
    # --8<-- [start:kubernetes_manager]
    from clipper_admin import ClipperConnection, KubernetesContainerManager

    clipper_conn = ClipperConnection(KubernetesContainerManager())
    # --8<-- [end:kubernetes_manager]
    return clipper_conn
