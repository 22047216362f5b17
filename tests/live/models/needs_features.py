"""A model that imports a module of its own: an ImportError if features.py is not shipped."""
import features


def predict(inputs):
    return [str(features.total(x)) for x in inputs]
