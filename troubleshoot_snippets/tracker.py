"""Every ucbrise/clipper issue that reports a failure, with the guide's verdict on it.

One row per issue: the failure text as the user pasted it, the component, the
Clipper version where the thread tells it, and the verdict:

- ANSWERED: `detail` is the entry, "page.md#anchor" (an anchor of symptoms.py);
- FIXED: fixed before 0.4.1; `detail` is "0.x (#PR)" or "0.x (commit abc1234)";
- NOT_CLIPPER: not a Clipper failure; `detail` says why;
- OUT_OF_SCOPE: out of scope for this guide; `detail` says why.

The README's counts, the error index's "fixed in" lines and the search tests
are derived from ROWS.
"""
from collections import Counter
from dataclasses import dataclass

ANSWERED, FIXED, NOT_CLIPPER, OUT_OF_SCOPE = "answered", "fixed", "not a Clipper failure", "out of scope"
VERDICTS = (ANSWERED, FIXED, NOT_CLIPPER, OUT_OF_SCOPE)
COMPONENTS = ("query frontend", "management frontend", "clipper_admin", "Python closure container",
              "other deployers", "Kubernetes", "metrics and Prometheus", "installing", "Redis")


@dataclass(frozen=True)
class Row:
    issue: int
    text: str
    component: str
    version: str  # "0.3.0", "0.4.1", "" where the thread does not tell
    verdict: str
    detail: str


ROWS = (
    # query frontend
    Row(758, "[CONTAINERS] Removing container 0 for model sum-model:1",
        "query frontend", "0.4.1", ANSWERED, "default-predictions.md#frontend-deadlock"),
    Row(305, '{"query_id": 6, "output": -1, "default": true, '
             '"default_explanation": "No connected models found for query"}',
        "query frontend", "", ANSWERED, "default-predictions.md#no-connected-models"),
    Row(766, "No connected models found for query",
        "query frontend", "0.4.1", ANSWERED, "default-predictions.md#no-connected-models"),
    Row(744, "'default_explanation': 'Failed to retrieve a prediction response within the specified latency SLO'",
        "query frontend", "", ANSWERED, "default-predictions.md#slo-default"),
    Row(765, "Failed to retrieve a prediction response within the specified latency SLO",
        "query frontend", "", ANSWERED, "default-predictions.md#slo-default"),
    Row(767, "Error parsing JSON: Array input of type Number is not of type double",
        "query frontend", "0.4.1", ANSWERED, "query-errors.md#ints-to-doubles"),
    Row(118, "We're getting mostly 1's for prediction coming from clipper",
        "query frontend", "", OUT_OF_SCOPE,
        "A 2017 report from before responses carried default_explanation; its cause (SLO too low) is the slo-default entry."),
    Row(117, "No containers found for model tf_cifar:1",
        "query frontend", "", OUT_OF_SCOPE,
        "A source build driven by the pre-0.2 clipper_manager script, which 0.4.1 no longer has."),
    Row(149, "query_frontend`clipper::TaskExecutor::TaskExecutor()",
        "query frontend", "", OUT_OF_SCOPE,
        "A 2017 crash of a macOS source build under the pre-0.2 deploy path; no report against released images."),
    Row(636, "terminate called after throwing an instance of 'std::runtime_error'\n"
             "  what():  Documenting receive time for an unregistered container",
        "query frontend", "", OUT_OF_SCOPE,
        "A rare race on container re-registration with no reproduction and no fix named in the thread."),
    Row(361, "Send a new query to the application. Observe that it times out.",
        "query frontend", "", OUT_OF_SCOPE,
        "A maintainer's bug note on containers started by hand against a source build; no user-facing text."),
    Row(773, "KeyError: 'ai.clipper.query_frontend.query.port'",
        "query frontend", "develop", ANSWERED, "docker-cluster.md#connect-keyerror"),
    Row(627, '{"query_id":7,"output":"this is default output","default":true,'
             '"default_explanation":"No connected models found for query"}',
        "query frontend", "", ANSWERED, "default-predictions.md#no-connected-models"),
    Row(152, "Clipper returns default predictions when a new version of a model is deployed but not connected",
        "query frontend", "", FIXED, "0.3.0 (#447)"),
    Row(544, "Error parsing JSON: Array input of type Array is not of type double",
        "query frontend", "", ANSWERED, "query-errors.md#batch-under-input"),
    Row(468, "QueryFrontend's memory usage increases continuously",
        "query frontend", "", OUT_OF_SCOPE,
        "Frontend memory growing over a week of redeploys; open upstream, no error text and no confirmed fix."),
    Row(93, "It seems like the output from `query_frontend.hpp` is casted as float",
        "query frontend", "", OUT_OF_SCOPE,
        "A 2017 report against the pre-0.2 query frontend, which returned every output as a number; "
        "string and JSON outputs came with #134 long before 0.4.1."),
    Row(245, "ConnectionError: ('Connection aborted.', BadStatusLine(\"''\",))",
        "query frontend", "", OUT_OF_SCOPE,
        "A 2017 report against the pre-0.2 frontend (lost exceptions in the predict future, #246); "
        "no report against released 0.4.1 images."),
    Row(371, "Observe that the query frontend crashes or emits the following log message: "
             "Unexpected error: JSON schema invalid",
        "query frontend", "develop", OUT_OF_SCOPE,
        "A maintainer's bug note of January 2018 on the then-new input_batch path (#321) of a develop build; "
        "the thread names no fixing PR and no report against released images."),
    Row(484, "Inconsistent prediction results for the deployed model after a day of usage",
        "query frontend", "0.2.0", OUT_OF_SCOPE,
        "Two versions of one model linked to an app on the 0.2.0 frontend and management images; the thread "
        "carries no error text and no confirmed cause."),
    # management frontend and Redis
    Row(538, "[STATEDB] StateDB failed to connect to redis",
        "Redis", "", ANSWERED, "start-up.md#statedb-redis"),
    Row(642, "[clipper_admin.py:124] Clipper still initializing.",
        "Redis", "", ANSWERED, "start-up.md#clipper-still-initializing"),
    Row(715, "The redis connections (redis - mgmt_frontend, redis - query_frontend) might be broken "
             "if there is no action during 30 minutes",
        "Redis", "", FIXED, "0.4.0 (#717)"),
    Row(155, "`clipper.get_all_apps()` shows zero applications",
        "Redis", "", OUT_OF_SCOPE,
        "redis_persistence_path of the pre-0.2 clipper_manager (kept under /tmp, cleared on reboot)."),
    # clipper_admin
    Row(585, "clipper_admin.exceptions.ClipperException: Unable to Connect to Docker. "
             "Please Check if Docker is running.",
        "clipper_admin", "", ANSWERED, "docker-cluster.md#docker-unreachable"),
    Row(382, "[clipper_admin.py:114] Error starting Clipper:\nUnable to Connect to Docker. Please Check if Docker is running.",
        "clipper_admin", "", ANSWERED, "docker-cluster.md#docker-unreachable"),
    Row(307, 'File "/Users/simonmo/Desktop/clipper/venv/lib/python2.7/site-packages/docker/api/network.py", '
             "line 144, in create_network",
        "clipper_admin", "", FIXED, "0.3.0 (#308)"),
    Row(771, "Clipper still initializing:\n query frontend end point http://localhost:1337/metrics health check "
             "failed, Retrying in 1 seconds..",
        "clipper_admin", "develop", ANSWERED, "start-up.md#clipper-still-initializing"),
    Row(630, "Clipper still initializing: \n ('Connection aborted.', "
             "RemoteDisconnected('Remote end closed connection without response',))",
        "clipper_admin", "develop", OUT_OF_SCOPE,
        "A maintainer's report against the unreleased develop branch of February 2019."),
    Row(465, "No Clipper query frontend found to attach model container to",
        "clipper_admin", "", ANSWERED, "deploys.md#no-query-frontend"),
    Row(469, "AttributeError: 'bool' object has no attribute 'startswith'",
        "clipper_admin", "", ANSWERED, "deploys.md#bool-startswith"),
    Row(288, "Successfully connected to Clipper cluster",
        "clipper_admin", "", OUT_OF_SCOPE,
        "connect() of 0.2 and 0.3 claimed success with no cluster; 0.4.1's raises a KeyError instead "
        "(docker-cluster.md#management-port-keyerror)."),
    Row(446, "[clipper_admin.py:123] Successfully connected to Clipper cluster at localhost:1337",
        "clipper_admin", "", OUT_OF_SCOPE,
        "connect() of 0.2 and 0.3 claimed success with no cluster; 0.4.1's raises a KeyError instead "
        "(docker-cluster.md#management-port-keyerror)."),
    Row(230, "Error publishing model: Error parsing JSON: Type mismatch! JSON key model_version expected type "
             "Stringbut found type Number.",
        "clipper_admin", "", OUT_OF_SCOPE,
        "The pre-0.2 clipper_manager against an older management frontend image (a maintainer's answer: "
        "pull the current images); 0.4.1's clipper_admin sends the version as a string."),
    Row(90, "Could not connect to Redis at XXX:XX:XX:XX:2201:6379: nodename nor servname provided, or not known",
        "clipper_admin", "", OUT_OF_SCOPE,
        "The SSH host:port of the pre-0.2 clipper_manager, taken for Redis's host (#91 added an SSH port); "
        "0.4.1 has no SSH mode."),
    Row(269, "AttributeError: 'ResolvePackageNotFound' object has no attribute 'pkgs'",
        "clipper_admin", "", OUT_OF_SCOPE,
        "The conda environment check of the pre-0.2 clipper_manager's deploy_predict_function against a newer "
        "conda; 0.4.1's deployers do not read conda."),
    Row(235, "Fatal error: local() encountered an error (return code 1) while executing "
             "'docker-compose up -d query_frontend'",
        "clipper_admin", "", OUT_OF_SCOPE, "The docker-compose based clipper.start() of 0.1, gone since 0.2."),
    Row(422, 'File "/usr/local/lib/python2.7/dist-packages/clipper_admin/clipper_admin.py", line 393, in build_model',
        "clipper_admin", "", OUT_OF_SCOPE,
        "clipper_admin run inside another container; the guide covers clipper_admin on the Docker host."),
    Row(560, "BuildError: The command '/bin/sh -c apt-get -y install build-essential && pip install  random' "
             "returned a non-zero code: 1",
        "clipper_admin", "", ANSWERED, "deploys.md#build-error-pkgs"),
    Row(306, "AttributeError: 'ClipperException' object has no attribute 'msg'",
        "clipper_admin", "", FIXED, "0.3.0 (#308)"),
    Row(287, "/opt/conda/envs/clipper_py2/lib/python2.7/site-packages/clipper_admin/docker/"
             "docker_container_manager.pyc in start_clipper(self, query_frontend_image, mgmt_frontend_image, cache_size)",
        "clipper_admin", "", NOT_CLIPPER,
        "Docker 1.12.6 from apt (docker.io), older than the API the Docker Python client speaks; upgrade Docker."),
    Row(289, "client and server don't have same version (client : 1.22, server: 1.18)",
        "clipper_admin", "", OUT_OF_SCOPE,
        "The docker-compose based start() of 0.1 on Docker 1.6.2, gone since 0.2."),
    Row(567, "TypeError: 'Image' object is not iterable",
        "clipper_admin", "develop", OUT_OF_SCOPE,
        "Integration tests of a develop checkout whose requirements.txt pinned docker 2.5.1; "
        "clipper_admin 0.4.1 requires docker>=3.0 (#515)."),
    Row(347, 'File "/home/ubuntu/anaconda2/envs/py27/lib/python2.7/site-packages/clipper_admin/deployers/'
             'cloudpickle.py", line 264, in save_function',
        "clipper_admin", "", NOT_CLIPPER,
        "cloudpickle cannot serialize the Cython-compiled code the closure captured."),
    Row(676, "OSError: Invalid Argument",
        "clipper_admin", "", NOT_CLIPPER,
        "CPython cannot write() more than 2 GB at once on macOS (bpo-24658, fixed in Python 3.6.8); "
        "the closure captured a large model (#681)."),
    Row(681, "Huge size python closure causes an OSError.",
        "clipper_admin", "", NOT_CLIPPER,
        "The maintainers' note on #676: CPython's write() of more than 2 GB (bpo-24658), fixed in Python 3.6.8 and 3.7."),
    Row(442, "Observe that application and models registered before stopping clipper are not present",
        "clipper_admin", "", NOT_CLIPPER,
        "start_clipper() after stop_all() makes a new cluster with a new Redis; the stopped containers keep "
        "the old state (docker-cluster.md#cluster-stopped restarts them)."),
    Row(521, "requests.exceptions.HTTPError: 404 Client Error: Not Found for url: "
             "http+docker://localhost/v1.35/containers/create?name=mgmt_frontend-87866",
        "clipper_admin", "", ANSWERED, "start-up.md#image-not-found"),
    Row(688, "HTTPError: 400 Client Error: Bad Request for url: "
             "http+docker://localnpipe/v1.35/containers/a148bb2d9811acf7ddce1122854a3421557a4ac85f458f501bb1d2540f6f878c/start",
        "clipper_admin", "0.3.0", OUT_OF_SCOPE,
        "clipper_admin 0.3.0 on Docker Desktop for Windows (named pipe); the thread does not show which "
        "container Docker refused or why (a 400 on /start is also the shape of "
        "start-up.md#prometheus-config-unseen), and the guide covers Linux and macOS Docker hosts."),
    Row(656, "[integration_py2_admin_unit_test] ERROR",
        "clipper_admin", "develop", OUT_OF_SCOPE, "The maintainers' list of failing CI jobs on develop."),
    Row(169, "`clipper.stop_all()` only removes management_frontend container.",
        "clipper_admin", "", OUT_OF_SCOPE,
        "stop_all() of the pre-0.2 clipper_manager, a regression of May 2017 the maintainer fixed in #168; "
        "0.4.1's ClipperConnection.stop_all() is other code (the clipper_admin rewrite, #251)."),
    Row(640, "failed to build clipper Docker image",
        "clipper_admin", "develop", OUT_OF_SCOPE,
        "A build_model failure with clipper_admin from the develop branch of February 2019 that a maintainer "
        "could not reproduce and the reporter later found working; the thread names no cause."),
    # Python closure container
    Row(589, "TypeError: 'str' object does not support item assignment",
        "Python closure container", "", ANSWERED, "installing.md#cloudpickle-mismatch"),
    Row(573, "TypeError: 'str' object does not support item assignment",
        "Python closure container", "develop", ANSWERED, "installing.md#cloudpickle-mismatch"),
    Row(561, "base_globals['__builtins__'] = __builtins__\nTypeError: 'str' object does not support item assignment",
        "Python closure container", "", ANSWERED, "installing.md#cloudpickle-mismatch"),
    Row(568, "TypeError: 'str' object does not support item assignment",
        "Python closure container", "", ANSWERED, "installing.md#cloudpickle-mismatch"),
    Row(619, "TypeError: 'str' object does not support item assignment",
        "Python closure container", "develop", ANSWERED, "installing.md#cloudpickle-mismatch"),
    Row(612, "Encountered an ImportError when running container. You can use the pkgs_to_install argument when "
             "calling clipper_admin.build_model() to supply any needed Python packages.",
        "Python closure container", "", ANSWERED, "model-containers.md#missing-packages"),
    Row(611, "Encountered an ImportError when running container. You can use the pkgs_to_install argument when "
             "calling clipper_admin.build_model() to supply any needed Python packages.",
        "Python closure container", "0.3.0", ANSWERED, "model-containers.md#missing-packages"),
    Row(541, "rpc.PredictionError: 'Expected model to return 2 outputs, found 1 outputs'",
        "Python closure container", "", ANSWERED, "default-predictions.md#wrong-number-of-outputs"),
    Row(634, "SystemError: unknown opcode",
        "Python closure container", "", ANSWERED, "deploys.md#unknown-opcode"),
    Row(263, "the python docker container is destroyed immediately after its creation",
        "Python closure container", "", NOT_CLIPPER,
        "The user's own prediction code crashed the container (\"a personal code mistake\", per the reporter)."),
    Row(546, "Encountered an ImportError when running container. You can use the pkgs_to_install argument when "
             "calling clipper_admin.build_model() to supply any needed Python packages.",
        "Python closure container", "", ANSWERED, "model-containers.md#missing-packages"),
    Row(562, "Encountered an ImportError when running container. You can use the pkgs_to_install argument when "
             "calling clipper_admin.build_model() to supply any needed Python packages.",
        "Python closure container", "", ANSWERED, "model-containers.md#missing-packages"),
    Row(554, "ImportError: libcublas.so.9.0: cannot open shared object file: No such file or directory",
        "Python closure container", "", NOT_CLIPPER,
        "tensorflow-gpu in the user's own base image without the CUDA libraries."),
    Row(513, "rpc.PredictionError: 'Expected model to return 2 outputs, found 1 outputs'",
        "Python closure container", "", ANSWERED, "default-predictions.md#wrong-number-of-outputs"),
    Row(555, "rpc.PredictionError: 'Expected model to return 1 outputs, found 2 outputs'",
        "Python closure container", "", ANSWERED, "default-predictions.md#wrong-number-of-outputs"),
    Row(552, "def test4(inputs):\n    result = []\n    result.append(inputs[0])\n    return result",
        "Python closure container", "", NOT_CLIPPER,
        "The user's test functions return one output whatever the batch size; Clipper hands the "
        "function a batch and wants one string per input (default-predictions.md#wrong-number-of-outputs)."),
    Row(312, "ValueError: feature_names mismatch:",
        "Python closure container", "", NOT_CLIPPER,
        "The model's function took Clipper's batch (a list of inputs) for one input; batching is by "
        "design (maintainer's answer, default-predictions.md#wrong-number-of-outputs)."),
    Row(575, "[docker_container_manager.py:257] Found 0 replicas for loan:1. Adding 1",
        "Python closure container", "", OUT_OF_SCOPE,
        "An open question thread with no container log: clipper_admin 0.3.0 waiting on a model container "
        "that never came up (0.4.1 logs model-containers.md#container-not-running-yet-or-broken instead)."),
    Row(613, "[clipper_admin.py:456] {'stream': 'Step 1/2 : FROM clipper/python35-closure-container:0.3.0'}",
        "Python closure container", "0.3.0", OUT_OF_SCOPE,
        "A quickstart deploy with clipper_admin 0.3.0 that stalls after building the image; the thread "
        "shows no error text of its own (0.3.0 stalls of those months were installing.md#cloudpickle-mismatch)."),
    Row(593, "Problem deploying my model",
        "Python closure container", "", OUT_OF_SCOPE,
        "A fastai model wrapped in a closure that reads CSV files of the user's machine; the thread carries "
        "no Clipper error text."),
    Row(309, 'File "/container/python_closure_container.py", line 91, in <module>\n'
             "    model = PythonContainer(model_path, input_type)",
        "Python closure container", "", OUT_OF_SCOPE,
        "The conda-based closure container of 0.2 (November 2017) failing to unpickle a closure that captured an "
        "xgboost model; the traceback as stored stops before the exception and the thread names no fix "
        "(0.4.1's deployers take pkgs_to_install, model-containers.md#missing-packages)."),
    Row(556, 'it seems that there is a error with "pip xgboost"!',
        "Python closure container", "", OUT_OF_SCOPE,
        "The XGBoost tutorial's deploy with pkgs_to_install=['xgboost']; the error is only in a screenshot, "
        "so it cannot be told from other build failures, and the thread is open with no answer."),
    # other deployers
    Row(563, "pytorch model: Failed to retrieve a prediction response within the specified latency SLO",
        "other deployers", "", ANSWERED, "default-predictions.md#slo-default"),
    Row(466, "Error saving torch model: Translate instance has no attribute 'state_dict'",
        "other deployers", "", NOT_CLIPPER,
        "deploy_pytorch_model was given a dict of weights, not a torch.nn.Module (maintainer's answer)."),
    Row(530, "AttributeError: 'module' object has no attribute '__registry__'",
        "other deployers", "", OUT_OF_SCOPE,
        "The R deployer (Rclipper) calling an older clipper_admin; the guide covers the Python deployers."),
    Row(522, "AttributeError: 'module' object has no attribute '__registry__'",
        "other deployers", "", OUT_OF_SCOPE, "The same Rclipper/clipper_admin mismatch as #530; the guide covers the Python deployers."),
    Row(529, "Failed to install library: Rclipper",
        "other deployers", "develop", OUT_OF_SCOPE,
        "The R container installing the user's R libraries at start; the guide covers the Python deployers."),
    Row(539, "ERROR: dependencies ‘graph’, ‘XML’ are not available for package ‘CodeDepends’",
        "other deployers", "", OUT_OF_SCOPE,
        "Rclipper's R dependencies failing to build (no xml2-config); the guide covers the Python deployers."),
    Row(351, "Exception: Frozen Tensorflow Model: ./tf_models not found or some files are missing",
        "other deployers", "", OUT_OF_SCOPE,
        "Fixed before 0.4.1 (its deploy_tensorflow_model globs inside the given path), but #353 was closed "
        "unmerged and the thread names no fixing PR."),
    Row(673, "ModuleNotFoundError: No module named 'mxnet.io.io'",
        "other deployers", "", OUT_OF_SCOPE,
        "The MXNet deployer's container, an image this guide does not test: its cloudpickle re-imports "
        "mxnet.io.io, which the client's mxnet has and the container's older mxnet lacks (the maintainers "
        "moved the container to mxnet 1.4 in #675); the row's text is that inner ImportError."),
    Row(525, "I deploy a Keras model,but get a pickle.PicklingError",
        "other deployers", "", NOT_CLIPPER,
        "A Keras model cannot be pickled by cloudpickle; 0.4.1 has deploy_keras_model (#594), which saves it with Keras."),
    Row(535, "what():  Number of model outputs: 1 does not equal the number of inputs: 2",
        "other deployers", "", OUT_OF_SCOPE,
        "The R container; its function must take and return a list (batching), as the Python one "
        "(default-predictions.md#wrong-number-of-outputs)."),
    Row(265, "Docker container exits due to errors after clipper.deploy_predict_function",
        "other deployers", "", OUT_OF_SCOPE, "deploy_predict_function of the pre-0.2 clipper_manager, with a GPU model."),
    Row(674, "ModuleNotFoundError: No module named 'mxnet.io.io'; 'mxnet.io' is not a package",
        "other deployers", "", OUT_OF_SCOPE,
        "The maintainers' follow-up of #673 (cloudpickle re-importing mxnet.io.io from an mxnet 1.4 client in an "
        "older-mxnet container), in the MXNet deployer's container, an image this guide does not test."),
    Row(540, "I do `docker logs --tail 100 -f` Hoping to see my libraries being downloaded and installed.",
        "other deployers", "", OUT_OF_SCOPE,
        "A customized R container image (a commenter notes Rclipper's build script names its own base image); "
        "the guide covers the Python deployers."),
    # Kubernetes
    Row(768, "the server could not find the requested resource",
        "Kubernetes", "", ANSWERED, "kubernetes.md#kubernetes-1-16"),
    Row(536, "ConnectionError: HTTPConnectionPool(host='192.168.13.79', port=30112): Max retries exceeded with "
             "url: /admin/get_all_models",
        "Kubernetes", "", ANSWERED, "kubernetes.md#nodeport-unreachable"),
    Row(533, "HTTPConnectionPool(host='192.168.13.79', port=30112): Max retries exceeded with url: "
             "/admin/get_all_models",
        "Kubernetes", "", ANSWERED, "kubernetes.md#nodeport-unreachable"),
    Row(543, "Failed to establish a new connection: [Errno 60] Operation timed out",
        "Kubernetes", "", ANSWERED, "kubernetes.md#nodeport-unreachable"),
    Row(537, "Hang several hours:[clipper_admin.py:124] Clipper still initializing.",
        "Kubernetes", "", ANSWERED, "start-up.md#clipper-still-initializing"),
    Row(528, "ClipperException: Error connecting to Kubernetes cluster. No external node addresses found",
        "Kubernetes", "", ANSWERED, "kubernetes.md#no-external-node-addresses"),
    Row(614, "No external node address found",
        "Kubernetes", "", ANSWERED, "kubernetes.md#no-external-node-addresses"),
    Row(531, "Hanging Several hours :[clipper_admin.py:458] Pushing model Docker image to sum-mode2:1",
        "Kubernetes", "0.3.0", OUT_OF_SCOPE,
        "Kubernetes with clipper_admin 0.3.0: build_model pushes every image (0.4.1 too, clipper_admin.py "
        "541-548, to Docker Hub without container_registry) and the hang is that push on the user's network; "
        "the text is clipper_admin's normal log line, which no symptom can match without catching every deploy."),
    Row(638, "imagepullbackoff kubernetes",
        "Kubernetes", "", OUT_OF_SCOPE,
        "Model pods in ImagePullBackOff because the image name carried no registry the nodes could pull "
        "from (maintainer: pass container_registry); kubectl's pod status from a screenshot, no Clipper text, "
        "and no Kubernetes cluster here to show it."),
    Row(729, "[clipper_admin.py:1319] [default-default-cluster] Stopped all containers for these models and versions:",
        "Kubernetes", "develop", OUT_OF_SCOPE,
        "stop_models on Kubernetes deletes the model Deployments with no propagation policy "
        "(kubernetes_container_manager.py 621-637 in 0.4.1), so under extensions/v1beta1 their pods are "
        "orphaned; the text is clipper_admin's success line, which no symptom can match, and no cluster here."),
    # metrics and Prometheus
    Row(477, 'pods is forbidden: User "system:serviceaccount:clipper:default" cannot list pods at the cluster scope',
        "metrics and Prometheus", "", FIXED, "0.4.0 (#694)"),
    Row(687, "clipper_conn.get_metric_addr() seems not to exist",
        "metrics and Prometheus", "", OUT_OF_SCOPE,
        "An API gap, not an error: the address is on the manager, clipper_conn.cm.get_metric_addr()."),
    Row(716, "Prometheus does not always detect Clipper metrics",
        "metrics and Prometheus", "", OUT_OF_SCOPE,
        "Prometheus scraping across Kubernetes nodes; open upstream with no confirmed cause."),
    Row(564, 'pods is forbidden: User "system:serviceaccount:default:default" cannot list pods at the cluster scope',
        "metrics and Prometheus", "", FIXED, "0.4.0 (#694)"),
    Row(734, "so the link will not work.",
        "metrics and Prometheus", "develop", OUT_OF_SCOPE,
        "Through kubectl proxy, get_metric_addr() names port 1390 (kubernetes_container_manager.py 736-747) "
        "while the metrics Service listens on 9090 (prom_service.yaml), both so in 0.4.1: use 9090 in the URL; "
        "the thread has no error text to match, and no cluster here."),
    Row(701, 'OCI runtime create failed: container_linux.go:345: starting container process caused '
             '\\"process_linux.go:424: container init caused',
        "metrics and Prometheus", "", OUT_OF_SCOPE,
        "Docker's OCI error as quoted stops before the mount it names, so it cannot be told from other "
        "container init failures; the thread's setup (clipper_admin in a container sharing only "
        "docker.sock) is the case of start-up.md#prometheus-config-unseen, which cites it."),
    Row(705, "prometheus.yml mount error on start_clipper\nI get a `not a directory` error when running the "
             "setup script shown in the docs.",
        "metrics and Prometheus", "develop", ANSWERED, "start-up.md#prometheus-config-unseen"),
    Row(542, "Prometheus metrics not visible using K8S Container Manager",
        "metrics and Prometheus", "", OUT_OF_SCOPE,
        "Prometheus on a two-node Kubernetes cluster showing no Clipper series; screenshots only, open upstream "
        "with no confirmed cause (the same shape as #716), and no Kubernetes cluster here."),
    # installing
    Row(580, "ClipperException: Python closure deployer only supports Python 2.7, 3.5, and 3.6. Detected 3.7",
        "installing", "", ANSWERED, "installing.md#closure-python-version"),
    Row(574, "error in clipper_admin setup command: 'install_requires' must be a string or list of strings "
             "containing valid project/version requirement specifiers",
        "installing", "develop", NOT_CLIPPER,
        "An old setuptools that cannot read environment markers; upgrading it fixed it."),
    Row(584, "Failed cleaning build dir for cryptography",
        "installing", "", NOT_CLIPPER, "pip building the cryptography dependency from source without a compiler setup."),
    Row(167, 'File "/Library/Python/2.7/site-packages/pip-9.0.1-py2.7.egg/pip/utils/__init__.py", line 83, '
             "in ensure_dir\n    os.makedirs(path)",
        "installing", "", NOT_CLIPPER, "pip could not write into the system Python's site-packages."),
    Row(300, "ld: symbol(s) not found for architecture x86_64",
        "installing", "", OUT_OF_SCOPE,
        "Building Clipper's C++ from source on macOS; the guide covers the released images."),
    Row(751, "Error response from daemon: manifest for clippertesting/query_frontend:a66648a301 not found",
        "installing", "develop", OUT_OF_SCOPE,
        "The project's own CI on develop pulling test images its Jenkins had not pushed for a contributor's "
        "branch; not a failure of released 0.4.1 images."),
)


def counts(rows=ROWS):
    """{verdict: number of rows}, every verdict present."""
    found = Counter(r.verdict for r in rows)
    return {v: found[v] for v in VERDICTS}
