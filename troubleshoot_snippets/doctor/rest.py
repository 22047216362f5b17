"""The part of clipper_admin 0.4.1's ClipperConnection the doctor's checks call, for
when clipper_admin cannot be imported (the installed doctor does not depend on it:
its cloudpickle==0.5.3 pin fails to import on Python 3.8+).

Same requests as clipper_admin 0.4.1 makes (endpoints, JSON bodies, Docker label
filters), so the guide's snippet functions run unchanged on it. Read-only: nothing
here registers, deploys or removes anything.
"""
import json

import docker
import requests

# clipper_admin/container_manager.py (0.4.1)
CLUSTER_LABEL = "ai.clipper.container.label"
MODEL_LABEL = "ai.clipper.model_container.label"
PORT_LABELS = {"redis": "ai.clipper.redis.port", "query_rest": "ai.clipper.query_frontend.query.port",
               "management": "ai.clipper.management.port"}
TIMEOUT = 30  # seconds; clipper_admin sets none, the doctor's run has its own limit


class ClipperException(Exception):
    """Raised where clipper_admin raises its ClipperException, with its message."""


class DockerContainerManager:
    def __init__(self, cluster_name="default-cluster", docker_ip_address="localhost"):
        self.cluster_name = cluster_name
        self.public_hostname = docker_ip_address
        self.clipper_query_port, self.clipper_management_port, self.redis_port = 1337, 1338, 6379
        self.docker_client = docker.from_env()

    def connect(self):
        """The ports from the labels of the cluster's running containers, as clipper_admin reads them."""
        containers = self.docker_client.containers.list(
            filters={"label": ["{}={}".format(CLUSTER_LABEL, self.cluster_name)]})
        all_labels = {}
        for container in containers:
            all_labels.update(container.labels)
        if PORT_LABELS["redis"] in all_labels:
            self.redis_port = all_labels[PORT_LABELS["redis"]]
        # a KeyError when missing, as in clipper_admin
        self.clipper_management_port = all_labels[PORT_LABELS["management"]]
        self.clipper_query_port = all_labels[PORT_LABELS["query_rest"]]

    def get_num_replicas(self, name, version):
        return len(self.docker_client.containers.list(filters={"label": [
            "{}={}".format(CLUSTER_LABEL, self.cluster_name),
            "{}={}_{}".format(MODEL_LABEL, name, version)]}))

    def get_admin_addr(self):
        return "{}:{}".format(self.public_hostname, self.clipper_management_port)

    def get_query_addr(self):
        return "{}:{}".format(self.public_hostname, self.clipper_query_port)


class ClipperConnection:
    def __init__(self, container_manager):
        self.cm = container_manager
        self.connected = False

    def connect(self):
        self.cm.connect()
        self.connected = True

    def get_query_addr(self):
        return self.cm.get_query_addr()

    def _admin(self, call, body):
        r = requests.post("http://{}/admin/{}".format(self.cm.get_admin_addr(), call), data=json.dumps(body),
                          headers={"Content-type": "application/json"}, timeout=TIMEOUT)
        if r.status_code != requests.codes.ok:
            raise ClipperException("Received error status code: {} and message: {}".format(
                r.status_code, r.text))
        return r.json()

    def get_all_apps(self, verbose=False):
        return self._admin("get_all_applications", {"verbose": verbose})

    def get_app_info(self, name):
        info = self._admin("get_application", {"name": name})
        return info or None

    def get_linked_models(self, app_name):
        return self._admin("get_linked_models", {"app_name": app_name})

    def get_all_models(self, verbose=False):
        return self._admin("get_all_models", {"verbose": verbose})

    def get_all_model_replicas(self, verbose=False):
        return self._admin("get_all_containers", {"verbose": verbose})

    def inspect_instance(self):
        r = requests.get("http://{}/metrics".format(self.cm.get_query_addr()), timeout=TIMEOUT)
        if r.status_code != requests.codes.ok:
            raise ClipperException("Received error status code: {} and message: {}".format(
                r.status_code, r.text))
        return r.json()
