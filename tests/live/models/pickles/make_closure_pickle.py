"""Pickle a closure the way deploy_python_closure does (clipper_admin 0.4.1,
protocol 2), with whatever cloudpickle the running Python 3.6 has.

Run as `python -c "$(cat make_closure_pickle.py)" OUT.pkl`, so that the pickle
holds no file path. The closure-cloudpickle-<version>.pkl files beside it were
made so; tests/live/test_cloudpickle_live.py remakes them and compares.
"""
import shutil
import sys

from clipper_admin.deployers.deployer_utils import save_python_function


def predict(inputs):
    return [str(sum(x)) for x in inputs]


shutil.copy(save_python_function("closure-model", predict) + "/func.pkl", sys.argv[1])
