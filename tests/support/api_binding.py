"""Check that snippet code calls clipper_admin 0.4.1 the way its signatures allow.

Checked calls: `clipper_conn.<method>(...)` against ClipperConnection,
`clipper_conn.cm.<method>(...)` against DockerContainerManager, and any name
imported from clipper_admin (classes, deployer functions). Arguments are bound
with inspect.signature(...).bind, so a wrong or missing keyword, too many
positional arguments, or a method that does not exist is reported with the
file and line.
"""
import ast
import importlib
import inspect

from clipper_admin import ClipperConnection, DockerContainerManager

RECEIVERS = {
    ("clipper_conn",): ClipperConnection,
    ("clipper_conn", "cm"): DockerContainerManager,
}


def _dotted(node):
    """('clipper_conn', 'cm', 'get_num_replicas') for clipper_conn.cm.get_num_replicas."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return tuple(reversed(parts))
    return None


def _clipper_imports(tree):
    """Names bound by `import clipper_admin...` / `from clipper_admin... import x`."""
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("clipper_admin"):
            module = importlib.import_module(node.module)
            for alias in node.names:
                names[alias.asname or alias.name] = getattr(module, alias.name)
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "clipper_admin":
                    module = importlib.import_module(alias.name)
                    if alias.asname:
                        names[alias.asname] = module
                    else:
                        names["clipper_admin"] = importlib.import_module("clipper_admin")
    return names


def _target(parts, imported):
    """(callable, is_unbound_method, label) for a dotted call, or None if not clipper_admin."""
    owner, method = parts[:-1], parts[-1]
    if owner in RECEIVERS:
        cls = RECEIVERS[owner]
        label = "{}.{}".format(cls.__name__, method)
        return getattr(cls, method, None), True, label
    if parts[0] in imported:
        obj = imported[parts[0]]
        for attr in parts[1:]:
            obj = getattr(obj, attr, None)
        return obj, False, ".".join(parts)
    return None


def check_source(source, filename):
    """Every problem found in `source`, as 'filename:line: message'."""
    try:
        tree = ast.parse(source, filename)
    except SyntaxError as e:
        return ["{}:{}: SyntaxError: {}".format(filename, e.lineno, e.msg)]
    imported = _clipper_imports(tree)
    errors = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        parts = _dotted(node.func)
        found = parts and _target(parts, imported)
        if not found:
            continue
        func, unbound, label = found
        where = "{}:{}: {}(...)".format(filename, node.lineno, ".".join(parts))
        if func is None or not callable(func):
            errors.append("{}: {} does not exist in clipper_admin 0.4.1".format(where, label))
            continue
        if any(isinstance(a, ast.Starred) for a in node.args) or any(
            k.arg is None for k in node.keywords
        ):
            continue  # *args / **kwargs: nothing to bind statically
        signature = inspect.signature(func)
        params = signature.parameters
        if not any(p.kind is p.VAR_KEYWORD for p in params.values()):
            unknown = [k.arg for k in node.keywords if k.arg not in params]
            if unknown:
                errors.append("{} does not match {}{}: unexpected keyword argument {}".format(
                    where, label, signature, ", ".join(repr(k) for k in unknown)))
                continue
        args = [None] * (len(node.args) + (1 if unbound else 0))
        kwargs = {k.arg: None for k in node.keywords}
        try:
            signature.bind(*args, **kwargs)
        except TypeError as e:
            errors.append("{} does not match {}{}: {}".format(where, label, signature, e))
    return errors


def check_file(path, display_name):
    return check_source(path.read_text(), display_name)
