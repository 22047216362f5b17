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


def query_new_app(clipper_conn, app_name, x):
    # --8<-- [start:query_new_app]
    import time

    import requests

    url = "http://{}/{}/predict".format(clipper_conn.get_query_addr(), app_name)
    for attempt in range(50):
        try:
            response = requests.post(url, json={"input": x}, timeout=10)
            break
        except requests.exceptions.ConnectionError:
            if attempt == 49:
                raise
            time.sleep(0.1)  # the query frontend adds the route a moment after registering
    print(response.status_code, response.text)
    # --8<-- [end:query_new_app]
    return response


def app_names(clipper_conn):
    # --8<-- [start:get_all_apps]
    print(clipper_conn.get_all_apps())
    # --8<-- [end:get_all_apps]
    return clipper_conn.get_all_apps()


def send_bytes(clipper_conn, app_name, payload):
    # --8<-- [start:send_bytes]
    import base64

    import requests

    # A bytes application takes one base64 string per input, not a list of numbers.
    x = base64.b64encode(payload).decode("ascii")
    url = "http://{}/{}/predict".format(clipper_conn.get_query_addr(), app_name)
    response = requests.post(url, json={"input": x}, timeout=10)
    print(response.status_code, response.text)
    # --8<-- [end:send_bytes]
    return response


def send_batch(clipper_conn, app_name, batch):
    # --8<-- [start:send_batch]
    import requests

    # Several inputs in one request go under "input_batch", one element per input.
    url = "http://{}/{}/predict".format(clipper_conn.get_query_addr(), app_name)
    response = requests.post(url, json={"input_batch": batch}, timeout=10)
    print(response.status_code, response.text)
    # --8<-- [end:send_batch]
    return response
