"""A model that takes a while to load, like one reading large weights at import."""
import time

LOAD_SECONDS = 25
time.sleep(LOAD_SECONDS)


def predict(inputs):
    return [str(sum(x)) for x in inputs]
