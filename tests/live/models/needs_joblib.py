"""A model that needs a PyPI package the closure image does not have."""
import joblib


def predict(inputs):
    return [str(sum(x)) for x in inputs]
