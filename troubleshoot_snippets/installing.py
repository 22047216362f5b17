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


def unregister_app(clipper_conn, app_name):
    # --8<-- [start:unregister_application]
    clipper_conn.unregister_application(name=app_name)
    # --8<-- [end:unregister_application]


def endpoint(clipper_conn, app_name):
    # --8<-- [start:create_endpoint]
    from clipper_admin.deployers.python import create_endpoint

    def predict(inputs):
        return [str(sum(x)) for x in inputs]

    create_endpoint(clipper_conn, name=app_name, input_type="doubles", func=predict)
    # --8<-- [end:create_endpoint]
