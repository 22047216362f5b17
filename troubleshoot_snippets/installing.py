"""Snippets for docs/installing.md."""


def deploy_closure(clipper_conn, model_name):
    # --8<-- [start:deploy_python_closure]
    from clipper_admin.deployers.python import deploy_python_closure

    def predict(inputs):
        return [str(sum(x)) for x in inputs]

    deploy_python_closure(
        clipper_conn, name=model_name, version="1", input_type="doubles", func=predict
    )
    # --8<-- [end:deploy_python_closure]
