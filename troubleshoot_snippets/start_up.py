"""Snippets for docs/start-up.md."""


def proxies_for_query_frontend():
    # --8<-- [start:proxy_check]
    import requests

    print(requests.utils.get_environ_proxies("http://localhost:1337/metrics"))
    # --8<-- [end:proxy_check]
    return requests.utils.get_environ_proxies("http://localhost:1337/metrics")
