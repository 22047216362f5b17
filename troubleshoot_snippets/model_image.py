"""Snippets for deploying a prediction function from any client Python.

Shown in docs/installing.md; the live tests build every scenario model
with `build_function_image` and deploy it with `deploy_image`.
"""


def build_function_image(clipper_conn, model_name, model_version, module_paths, function,
                         pkgs_to_install=None):
    # --8<-- [start:build_function_image]
    import pathlib
    import shutil
    import tempfile

    model_dir = pathlib.Path(tempfile.mkdtemp(), "model")
    (model_dir / "modules").mkdir(parents=True)  # on sys.path in the container
    for path in module_paths:
        shutil.copy(path, model_dir / "modules")
    # A pickle that names the function instead of serializing its code, so the
    # container's cloudpickle 0.5 loads it whatever Python built it.
    module_name, function_name = function.rsplit(".", 1)
    (model_dir / "func.pkl").write_bytes(
        "c{}\n{}\n.".format(module_name, function_name).encode()
    )
    image = clipper_conn.build_model(
        name=model_name,
        version=model_version,
        model_data_path=str(model_dir),
        base_image="clipper/python36-closure-container:0.4.1",
        pkgs_to_install=pkgs_to_install,  # e.g. ["joblib"]; None for nothing
    )
    print(image)
    # --8<-- [end:build_function_image]
    shutil.rmtree(model_dir.parent)
    return image


def deploy_image(clipper_conn, model_name, model_version, image):
    # --8<-- [start:deploy_model]
    clipper_conn.deploy_model(
        name=model_name, version=model_version, input_type="doubles", image=image
    )
    # --8<-- [end:deploy_model]


def deploy_new_version(clipper_conn, model_name, image):
    # --8<-- [start:deploy_new_version]
    print(clipper_conn.get_all_models())  # the versions already registered
    new_version = "2"  # one that is not in that list
    clipper_conn.deploy_model(
        name=model_name, version=new_version, input_type="doubles", image=image
    )
    # --8<-- [end:deploy_new_version]
