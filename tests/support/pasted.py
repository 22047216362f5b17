"""What users paste into the search box: a symptom's text as it sits on their screen.

Every variant is derived from the symptom's text, never typed per symptom: the
same line in clipper_admin's own log format, inside a JSON response, as a
Python repr and exception line, and with the user's own names and numbers where
the symptom's matcher (Symptom.found_in) still recognises the result.
"""
import ast
import json
import logging
import re

from clipper_admin.container_manager import ClusterAdapter

# clipper_admin 0.4.1's logging.basicConfig (clipper_admin.py:38).
CLIPPER_LOG_FORMAT = "%(asctime)s %(levelname)-8s [%(filename)s:%(lineno)d] %(message)s"
CLIPPER_LOG_DATEFMT = "%y-%m-%d:%H:%M:%S"
USER_CLUSTER = "prod-cluster"
# Placeholders a symptom's text uses for what differs per user.
USER_NAMES = {"<model>": "iris-classifier", "<version>": "7", "default-cluster": USER_CLUSTER,
              "NNNNN": "48213"}


def log_line(text, level=logging.WARNING, cluster="default-cluster", line=353):
    """`text` as clipper_admin's Docker container manager logs it, prefix and all."""
    message, _ = ClusterAdapter(None, {"cluster_name": cluster}).process(text, {})
    record = logging.LogRecord("clipper_admin", level, "clipper_admin/docker/"
                               "docker_container_manager.py", line, message, None, None)
    return logging.Formatter(CLIPPER_LOG_FORMAT, CLIPPER_LOG_DATEFMT).format(record)


def json_field(text, key="default_explanation"):
    """`"key": "text"`, as one line of a pretty-printed JSON response."""
    return "{}: {}".format(json.dumps(key), json.dumps(text))


def json_response(text):
    """A whole query response, as requests' `response.text` prints it."""
    return json.dumps({"query_id": 42, "output": -1.0, "default": True,
                       "default_explanation": text}, separators=(",", ":"))


def exception_line(text):
    """The last line of a traceback raising `text` (its own, if it names an exception)."""
    if re.match(r"[\w.]+(Error|Exception)\b", text):
        return text
    return "clipper_admin.exceptions.ClipperException: " + text


def user_versions(symptom):
    """The symptom's text with the user's own names (its placeholders filled in), and,
    where its pattern lets a number vary (`\\d`), with each such number changed:
    each one that the symptom's matcher still recognises."""
    text, found = symptom.text, []
    named = text
    for placeholder, value in USER_NAMES.items():
        named = named.replace(placeholder, value)
    found.append(named)
    if symptom.pattern and "\\d" in symptom.pattern:
        for m in re.finditer(r"\d+(?:\.\d+)*", text):
            parts = m.group().split(".")
            parts[-1] = str(int(parts[-1]) + 1)
            found.append(text[:m.start()] + ".".join(parts) + text[m.end():])
    return [t for t in dict.fromkeys(found) if t != text and symptom.found_in(t)]


def variants(symptom):
    """[(kind, pasted text)] for `symptom`: the clean text first, then every variant
    whose content, unescaped, still shows the symptom by its own matcher."""
    text = symptom.text
    # (kind, what is pasted, what it says once JSON or repr escaping is undone)
    found = [("clean", text, None),
             ("log line", log_line(text), None),
             ("log line, user's cluster", log_line(text, logging.INFO, USER_CLUSTER), None),
             ("JSON field", json_field(text), lambda v: json.loads("{" + v + "}")),
             ("JSON response", json_response(text), json.loads),
             ("Python repr", repr(text), ast.literal_eval),
             ("exception line", exception_line(text), None),
             ("exception repr", "ClipperException({!r})".format(text),
              lambda v: ast.literal_eval(v[len("ClipperException("):-1]))]
    for own in user_versions(symptom):
        found += [("user's names", own, None), ("user's names in a log line", log_line(own), None)]
    # Each variant must still be this symptom, or the test would prove nothing.
    unique = {}
    for kind, pasted, decode in found:
        said = pasted if decode is None else decode(pasted)
        if isinstance(said, dict):
            said = said["default_explanation"]
        if symptom.found_in(said):
            unique.setdefault(pasted, kind)
    return [(kind, pasted) for pasted, kind in unique.items()]
