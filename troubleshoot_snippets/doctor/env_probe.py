"""What an interpreter has: Python, clipper_admin, cloudpickle, docker-py.

Run by the interpreter to check (`clipper-doctor --python PATH` runs
`PATH env_probe.py`); prints one JSON object. It must run on Python 2.7 and
3.5-3.13 alone: standard library only, no f-strings, no dataclasses, nothing
imported from this package.
"""
import json
import sys

# (name in the report, module to import, distribution on PyPI)
PACKAGES = [("cloudpickle", "cloudpickle", "cloudpickle"), ("docker-py", "docker", "docker"),
            ("clipper_admin", "clipper_admin", "clipper_admin")]


def exception_line(e):
    """An exception as the last line of its traceback reads."""
    cls = type(e)
    module = cls.__module__
    prefix = "" if module in ("builtins", "exceptions") else module + "."
    return "{0}{1}: {2}".format(prefix, getattr(cls, "__qualname__", cls.__name__), e)


def installed_version(distribution):
    """The installed version without importing it (an import can fail), or None."""
    try:
        from importlib import metadata  # 3.8+
        try:
            return metadata.version(distribution)
        except metadata.PackageNotFoundError:
            return None
    except ImportError:
        pass
    try:
        import pkg_resources
        return pkg_resources.get_distribution(distribution).version
    except Exception:
        return None


def package(module, distribution):
    """{"version": ..., "error": the import's exception line or None}."""
    try:
        imported = __import__(module)
        return {"version": getattr(imported, "__version__", None) or installed_version(distribution),
                "error": None}
    except Exception as e:  # the import table: cloudpickle 0.5.3 fails differently per Python
        return {"version": installed_version(distribution), "error": exception_line(e)}


def probe():
    found = {"executable": sys.executable, "python": "{0}.{1}.{2}".format(*sys.version_info[:3])}
    for name, module, distribution in PACKAGES:
        found[name] = package(module, distribution)
    return found


if __name__ == "__main__":
    out, sys.stdout = sys.stdout, sys.stderr  # what an import prints stays out of the JSON
    found = probe()
    sys.stdout = out
    sys.stdout.write(json.dumps(found) + "\n")
