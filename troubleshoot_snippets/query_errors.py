"""Snippets for docs/query-errors.md."""


def send_raw(clipper_conn, app_name, body):
    # --8<-- [start:send_raw]
    import requests

    url = "http://{}/{}/predict".format(clipper_conn.get_query_addr(), app_name)
    response = requests.post(
        url, data=body, headers={"Content-Type": "application/json"}, timeout=10
    )
    print(response.status_code, response.text)
    # --8<-- [end:send_raw]
    return response


def send_as_doubles(clipper_conn, app_name, values):
    # --8<-- [start:send_as_doubles]
    import requests

    x = [float(v) for v in values]  # [1, 2] becomes [1.0, 2.0]
    url = "http://{}/{}/predict".format(clipper_conn.get_query_addr(), app_name)
    response = requests.post(url, json={"input": x}, timeout=10)
    print(response.status_code, response.text)
    # --8<-- [end:send_as_doubles]
    return response


def app_names(clipper_conn):
    # --8<-- [start:get_all_apps]
    print(clipper_conn.get_all_apps())
    # --8<-- [end:get_all_apps]
    return clipper_conn.get_all_apps()
