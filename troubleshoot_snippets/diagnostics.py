"""Snippets for docs/doctor.md, "Filing an issue": what a maintainer asks for.

`clipper-doctor --collect` runs these same sections (troubleshoot_snippets/doctor/collect.py).
"""


def listings(clipper_conn):
    # --8<-- [start:listings]
    import pprint
    import sys

    import clipper_admin
    import cloudpickle
    import docker

    print("Python", sys.version)
    print("clipper_admin", clipper_admin.__version__)
    print("cloudpickle", cloudpickle.__version__)
    print("docker-py", docker.__version__)
    for name, listing in [
        ("get_all_apps", clipper_conn.get_all_apps(verbose=True)),
        ("get_all_models", clipper_conn.get_all_models(verbose=True)),
        ("get_all_model_replicas", clipper_conn.get_all_model_replicas(verbose=True)),
        ("inspect_instance", clipper_conn.inspect_instance()),
    ]:
        print(name)
        pprint.pprint(listing)
    # --8<-- [end:listings]
