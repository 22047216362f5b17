"""Snippets for docs/default-predictions.md.

Each function's parameters are the names the shown code uses
(`clipper_conn`, `app_name`, `model_name`, ...); it returns what it printed
so the live tests can assert on it.
"""


def connect():
    # --8<-- [start:connect]
    from clipper_admin import ClipperConnection, DockerContainerManager

    clipper_conn = ClipperConnection(DockerContainerManager())
    clipper_conn.connect()
    # --8<-- [end:connect]
    return clipper_conn


def query(clipper_conn, app_name, x):
    # --8<-- [start:query]
    import requests

    url = "http://{}/{}/predict".format(clipper_conn.get_query_addr(), app_name)
    response = requests.post(url, json={"input": x}, timeout=10)
    print(response.status_code, response.text)
    # --8<-- [end:query]
    return response


def defaults_count(clipper_conn, app_name):
    # --8<-- [start:defaults_count]
    metrics = clipper_conn.inspect_instance()
    counts = {name: stats for entry in metrics["counters"] for name, stats in entry.items()}
    ratios = {name: stats for entry in metrics["ratio_counters"] for name, stats in entry.items()}
    total = int(counts["app:{}:num_predictions".format(app_name)]["count"])
    ratio = float(ratios["app:{}:default_prediction_ratio".format(app_name)]["ratio"])
    defaults = round(ratio * total) if total else 0  # the ratio is "nan" before the first query
    print("{} of {} queries got the default".format(defaults, total))
    # --8<-- [end:defaults_count]
    return defaults, total


def linked_models(clipper_conn, app_name):
    # --8<-- [start:get_linked_models]
    linked = clipper_conn.get_linked_models(app_name=app_name)
    print(linked)
    # --8<-- [end:get_linked_models]
    return linked


def link_model(clipper_conn, app_name, model_name):
    # --8<-- [start:link_model_to_app]
    clipper_conn.link_model_to_app(app_name=app_name, model_name=model_name)
    # --8<-- [end:link_model_to_app]


def num_replicas(clipper_conn, model_name, model_version):
    # --8<-- [start:get_num_replicas]
    replicas = clipper_conn.cm.get_num_replicas(name=model_name, version=model_version)
    print(replicas)
    # --8<-- [end:get_num_replicas]
    return replicas


def clipper_logs(clipper_conn):
    # --8<-- [start:get_clipper_logs]
    log_files = clipper_conn.get_clipper_logs()
    for path in log_files:
        print(path)
    # --8<-- [end:get_clipper_logs]
    return log_files


def latency_against_slo(clipper_conn, app_name, model_name, model_version):
    # --8<-- [start:latency_vs_slo]
    slo = clipper_conn.get_app_info(name=app_name)["latency_slo_micros"]
    metrics = clipper_conn.inspect_instance()
    names = [
        "app:{}:prediction_latency".format(app_name),
        "model:{}:{}:prediction_latency".format(model_name, model_version),
    ]
    latencies = {}
    for histogram in metrics["histograms"]:
        for name, stats in histogram.items():
            if name in names:
                latencies[name] = {"mean": float(stats["mean"]), "p50": float(stats["p50"])}
                print(name, "mean", stats["mean"], "p50", stats["p50"], "p99", stats["p99"],
                      "us; SLO", slo, "us")
    # --8<-- [end:latency_vs_slo]
    return slo, latencies


def app_with_higher_slo(clipper_conn, app_name, model_name):
    # --8<-- [start:new_app_higher_slo]
    new_app_name = app_name + "-v2"  # any name not registered yet
    old = clipper_conn.get_app_info(name=app_name)
    clipper_conn.register_application(
        name=new_app_name,
        input_type=old["input_type"],
        default_output=old["default_output"],
        slo_micros=2000000,  # 2 s: above the latency inspect_instance() reported
    )
    clipper_conn.link_model_to_app(app_name=new_app_name, model_name=model_name)
    # --8<-- [end:new_app_higher_slo]
    return new_app_name


def connected_replicas(clipper_conn, model_name):
    # --8<-- [start:get_all_model_replicas]
    replicas = clipper_conn.get_all_model_replicas(verbose=True)
    print([r for r in replicas if r["model_name"] == model_name])
    # --8<-- [end:get_all_model_replicas]
    return [r for r in replicas if r["model_name"] == model_name]


def restart_replica(clipper_conn, model_name):
    # --8<-- [start:set_num_replicas]
    # Starts a container of the model's current version from its registered image.
    clipper_conn.set_num_replicas(name=model_name, num_replicas=1)
    # --8<-- [end:set_num_replicas]


def reregister_with_higher_slo(clipper_conn, app_name):
    # --8<-- [start:reregister_higher_slo]
    old = clipper_conn.get_app_info(name=app_name)
    clipper_conn.unregister_application(name=app_name)
    clipper_conn.register_application(
        name=app_name,
        input_type=old["input_type"],
        default_output=old["default_output"],
        slo_micros=2000000,  # 2 s: above the latency inspect_instance() reported
    )
    # The link to the model survives unregister_application: no need to link again.
    # --8<-- [end:reregister_higher_slo]


def restart_query_frontend(clipper_conn):
    # --8<-- [start:restart_query_frontend]
    import docker

    # The running query frontend keeps the SLO it read when the application was
    # first registered; a restarted one reads the new one.
    label = "ai.clipper.container.label=" + clipper_conn.cm.cluster_name
    frontends = docker.from_env().containers.list(
        filters={"label": [label, "ai.clipper.query_frontend.label"]}
    )
    for frontend in frontends:
        frontend.restart(timeout=0)  # it ignores SIGTERM: do not wait 10 s for it
    # --8<-- [end:restart_query_frontend]


def restart_model_containers(clipper_conn):
    # --8<-- [start:restart_model_containers]
    import docker

    # A model container greets the query frontend once, then waits for an answer
    # before it would ever time out and greet again: one that started while the
    # query frontend was stuck waits forever. Restarted, it greets the new one.
    label = "ai.clipper.container.label=" + clipper_conn.cm.cluster_name
    models = docker.from_env().containers.list(
        filters={"label": [label, "ai.clipper.model_container.label"]}
    )
    for container in models:
        container.restart(timeout=0)
    # --8<-- [end:restart_model_containers]
