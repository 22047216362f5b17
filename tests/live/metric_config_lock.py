"""Serialize clipper_admin's rewrites of a cluster's Prometheus config file.

clipper_admin reads the file, adds or drops a job and writes it back, with no
lock. Two deploys at once (threads, or a child process such as the Python 3.7
deploy) interleave their writes and leave a file that no later deploy can parse
(yaml ScannerError in docker_metric_utils). Importing this module makes every
rewrite in this process hold an flock on the config file itself, which the
other processes that import it respect. Kept Python 3.6-compatible: child
interpreters import it too.
"""
import fcntl
import functools
import importlib

# (importlib: the attribute clipper_admin.docker is docker-py, which clipper_admin imports)
_manager = importlib.import_module("clipper_admin.docker.docker_container_manager")


def _locked(rewrite):
    @functools.wraps(rewrite)
    def locked(model_container_name, prom_config_path, *args, **kwargs):
        with open(prom_config_path) as config:
            fcntl.flock(config, fcntl.LOCK_EX)  # released when closed
            return rewrite(model_container_name, prom_config_path, *args, **kwargs)
    locked.metric_config_locked = True
    return locked


for _name in ("add_to_metric_config", "delete_from_metric_config"):
    if not getattr(getattr(_manager, _name), "metric_config_locked", False):
        setattr(_manager, _name, _locked(getattr(_manager, _name)))
