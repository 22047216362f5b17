"""A helper module of the user's own, imported by needs_features.py."""


def total(x):
    return sum(x)
