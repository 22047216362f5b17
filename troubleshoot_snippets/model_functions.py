"""Prediction functions shown in the guide and deployed by the live tests.

This file is copied into model images built FROM Clipper's Python 3.6
closure image, so it must stay valid Python 3.6.
"""
import time


# --8<-- [start:wrong_interface]
def predict_one_number(inputs):
    # Wrong: returns one number for the whole batch.
    return sum(inputs[0])
# --8<-- [end:wrong_interface]


# --8<-- [start:right_interface]
def predict_sums(inputs):
    # Right: one string per input, in the same order.
    return [str(sum(x)) for x in inputs]
# --8<-- [end:right_interface]


def predict_sums_slowly(inputs):
    time.sleep(0.5)  # a model slower than its application's SLO
    return [str(sum(x)) for x in inputs]


# --8<-- [start:returns_a_string]
def predict_one_string(inputs):
    # Wrong: one string for the whole batch; the closure container makes a
    # list of its characters.
    return str(sum(inputs[0]))
# --8<-- [end:returns_a_string]


def predict_sums_as_array(inputs):
    # Also works in a closure container: it calls str() on each element.
    import numpy as np
    return np.array([sum(x) for x in inputs])


def predict_byte_counts(inputs):
    # For a bytes application: each input arrives decoded, as an array of bytes.
    return [str(len(x)) for x in inputs]
