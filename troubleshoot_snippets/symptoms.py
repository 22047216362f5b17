"""Every symptom the guide answers, in one place: the exact text a user sees,
the entry (page and anchor) that explains it, and the ucbrise/clipper issues
it answers.

Derived from this list, never typed again: the error index page
(scripts/generate_docs.py), the browser's paste-the-error tests and the
doctor's log matchers. `pattern` is a regular expression for texts that carry
the user's own names or numbers; without one, the text itself must occur.
"""
import re
from dataclasses import dataclass

ISSUES_URL = "https://github.com/ucbrise/clipper/issues/{}"


@dataclass(frozen=True)
class Symptom:
    text: str
    page: str
    anchor: str
    title: str
    issues: tuple = ()
    pattern: str = None

    @property
    def path(self):
        """`default-predictions/#no-connected-models`: the entry, relative to the site root."""
        return "{}/#{}".format(self.page[:-len(".md")], self.anchor)

    def found_in(self, text):
        """True if `text` (a log line, a response, an exception) shows this symptom."""
        if self.pattern:
            return re.search(self.pattern, text) is not None
        return self.text in text


SYMPTOMS = (
    Symptom("No connected models found for query",
            "default-predictions.md", "no-connected-models",
            "Default predictions: no connected models", (305, 530, 766, 263, 627)),
    Symptom("Failed to retrieve a prediction response within the specified latency SLO",
            "default-predictions.md", "slo-default",
            "Default predictions: latency SLO", (744, 118, 765, 563)),
    Symptom("TypeError: 'numpy.float64' object is not iterable",
            "default-predictions.md", "numpy-float64-not-iterable",
            "Default predictions: crash during prediction"),
    Symptom("AttributeError: module 'kubernetes.client' has no attribute 'ExtensionsV1beta1Api'",
            "kubernetes.md", "extensions-v1beta1-api",
            "Kubernetes: ExtensionsV1beta1Api"),
    Symptom("TypeError: code expected at least 16 arguments, got 15",
            "installing.md", "cloudpickle-import-error",
            "Installing: cloudpickle import error"),
    Symptom("Python closure deployer only supports Python 2.7, 3.5, and 3.6. Detected 3.11",
            "installing.md", "closure-python-version",
            "Installing: closure deployer and your Python", (580,),
            pattern=r"Python closure deployer only supports Python 2\.7, 3\.5, and 3\.6\. Detected \d"),
    Symptom("container is not running yet or broken. We will try to run again. "
            "Please analyze logs if it keeps failing",
            "model-containers.md", "container-not-running-yet-or-broken",
            "Model containers: deploy waits on a dead container"),
    Symptom("Encountered an ImportError when running container. You can use the pkgs_to_install "
            "argument when calling clipper_admin.build_model() to supply any needed Python packages.",
            "model-containers.md", "missing-packages",
            "Model containers: missing packages", (612, 611, 546, 562)),
    Symptom("Unable to Connect to Docker. Please Check if Docker is running.",
            "docker-cluster.md", "docker-unreachable",
            "The Docker cluster: Docker unreachable", (585, 307, 382)),
    Symptom("docker.errors.DockerException: Error while fetching server API version: "
            "('Connection aborted.', FileNotFoundError(2, 'No such file or directory'))",
            "docker-cluster.md", "docker-api-version-error",
            "The Docker cluster: DockerException",
            pattern=r"DockerException: Error while fetching server API version"),
    Symptom("Cluster default-cluster cannot be started because it already exists. "
            "Please use ClipperConnection.connect() to connect to it.",
            "docker-cluster.md", "cluster-already-exists",
            "The Docker cluster: cluster already exists",
            pattern=r"Cluster \S+ cannot be started because it already exists"),
    Symptom("Array input of type Number is not of type double",
            "query-errors.md", "ints-to-doubles",
            "Query errors: integers sent to a doubles application", (767,)),
    Symptom("Array input of type Array is not of type double",
            "query-errors.md", "batch-under-input",
            "Query errors: several inputs sent under input", (544,),
            pattern=r"Array input of type Array is not of type (double|float|int)"),
    Symptom("JSON parse error: Missing a comma or '}' after an object member.",
            "query-errors.md", "malformed-json",
            "Query errors: malformed JSON"),
    Symptom("JSON object does not have required keys input or input_batch",
            "query-errors.md", "missing-input-key",
            "Query errors: no input key"),
    Symptom("Type mismatch! JSON key input expected type Arraybut found type String",
            "query-errors.md", "input-type-mismatch",
            "Query errors: input is not an array"),
    Symptom("RemoteDisconnected('Remote end closed connection without response')",
            "query-errors.md", "unknown-application",
            "Query errors: unknown application"),
    Symptom("TypeError: 'str' object does not support item assignment",
            "installing.md", "cloudpickle-mismatch",
            "Installing: cloudpickle mismatch", (573, 561, 568, 619, 589)),
    Symptom("AttributeError: Can't get attribute '_make_function' on <module 'cloudpickle.cloudpickle'",
            "installing.md", "cloudpickle-make-function",
            "Installing: cloudpickle 2 on the client",
            pattern=r"Can't get attribute '_make_function'"),
    Symptom("TypeError: an integer is required (got type bytes)",
            "importing.md", "import-integer-required",
            "Importing: cloudpickle 0.5.3 on Python 3.8 and 3.9"),
    Symptom("TypeError: 'bytes' object cannot be interpreted as an integer",
            "importing.md", "import-bytes-not-integer",
            "Importing: cloudpickle 0.5.3 on Python 3.10"),
    Symptom("ModuleNotFoundError: No module named 'imp'",
            "importing.md", "import-no-module-imp",
            "Importing: cloudpickle 0.5.3 on Python 3.12 and later"),
    Symptom("Clipper still initializing",
            "start-up.md", "clipper-still-initializing",
            "Starting Clipper: health check retries", (771, 537, 543, 642)),
    Symptom('404 Client Error for http+docker://localhost/v1.41/containers/create?name=query_frontend-NNNNN: '
            'Not Found ("No such image: clipper/query_frontend:0.4.1")',
            "start-up.md", "image-not-found",
            "Starting Clipper: image not found", (521,),
            # docker-py 3 logs the 404 of containers/create before the ImageNotFound line (#521);
            # Redis goes first, so a missing network fails on redis-NNNNN, not on these
            pattern=r"containers/create\S*.*No such image: \S+|No such image: \S+(query_frontend|management_frontend|frontend-exporter)"
                    r"|404 Client Error: Not Found for url: \S*/containers/create\?name=(mgmt_frontend|query_frontend|query_frontend_exporter|metric_frontend)-\d+"),
    # clipper_admin's temporary file, bound into Prometheus, where the engine does not see it;
    # older engines: mounting \"/tmp/tmp....yml\" to rootfs ... caused \"not a directory\"
    Symptom('error mounting "/tmp/tmpXXXXXXXX.yml" to rootfs at "/etc/prometheus/prometheus.yml": '
            '... not a directory',
            "start-up.md", "prometheus-config-unseen",
            "Starting Clipper: the engine cannot see the Prometheus config", (705,),
            pattern=r"tmp\w{8}\.yml\W+to rootfs.*prometheus\.yml.*not a directory"
                    r"|prometheus\.yml mount error[\s\S]*not a directory"),
    Symptom('404 Client Error: Not Found ("network clipper_network not found")',
            "start-up.md", "network-not-found",
            "Starting Clipper: network not found", (771,),
            pattern=r"network \S+ not found"),
    Symptom('409 Client Error: Conflict ("Conflict. The container name "/redis-NNNNN" is already in use',
            "start-up.md", "container-name-in-use",
            "Starting Clipper: container name in use", (771,),
            pattern=r'The container name \\?"/[^"\\]+\\?" is already in use'),
    Symptom("KeyError: 'ai.clipper.management.port'",
            "docker-cluster.md", "management-port-keyerror",
            "The Docker cluster: connect() finds no running cluster of that name", (288, 446)),
    Symptom("No Clipper query frontend to attach model container to",
            "deploys.md", "no-query-frontend",
            "Deploying: no query frontend", (465,),
            pattern=r"No Clipper query frontend (found )?to attach model container to"),
    Symptom("docker.errors.BuildError: The command '/bin/sh -c apt-get -y install build-essential "
            "&& pip install no-such-package' returned a non-zero code: 1",
            "deploys.md", "build-error-pkgs",
            "Deploying: pkgs_to_install cannot be installed", (560,),
            pattern=r"apt-get -y install build-essential && pip install .*returned a non-zero code"),
    Symptom("SystemError: unknown opcode",
            "deploys.md", "unknown-opcode",
            "Deploying: a closure pickled by another Python", (634,)),
    Symptom("AttributeError: 'bool' object has no attribute 'startswith'",
            "deploys.md", "bool-startswith",
            "Deploying: clipper_admin older than its docs", (469,)),
    Symptom("No candidate models for query with label <app>",
            "logs.md", "no-candidate-models",
            "Logs: no model linked", (530,),
            pattern=r"No candidate models for query with label \S+"),
    Symptom("Received task for unknown model: <model> : <version>",
            "logs.md", "unknown-model",
            "Logs: no container ever connected", (530,),
            pattern=r"Received task for unknown model: \S+ : \S+"),
    Symptom("[RPC] lost contact with a container",
            "logs.md", "lost-contact",
            "Logs: connection to a container lost",
            pattern=r"lost contact with a container"),
    Symptom("HTTPConnectionPool(host='<node address>', port=<node port>): "
            "Max retries exceeded with url: /admin/get_all_models",
            "kubernetes.md", "nodeport-unreachable",
            "Kubernetes: node port unreachable", (536, 533),
            pattern=r"Max retries exceeded with url: /admin/"),
    Symptom("Type mismatch! JSON key input expected type Stringbut found type Array",
            "query-errors.md", "input-expected-string",
            "Query errors: bytes or strings input sent as an array"),
    Symptom("rpc.PredictionError: 'Expected model to return 1 outputs, found 18 outputs'",
            "default-predictions.md", "wrong-number-of-outputs",
            "Default predictions: wrong number of outputs", (541, 513, 555),
            pattern=r"Expected model to return \d+ outputs, found \d+ outputs"),
    Symptom("Received error status code: 400 and message: model with name 'sum-model' and "
            "version '1' already exists",
            "default-predictions.md", "model-version-exists",
            "Deploying: the version already exists",
            pattern=r"model with name '[^']*' and version '[^']*' already exists"),
    Symptom("Received error status code: 400 and message: application 'sum-app' already exists",
            "installing.md", "endpoint-app-exists",
            "Deploying: create_endpoint again",
            pattern=r"application '[^']*' already exists"),
    Symptom("exec /container/entry.sh: no such file or directory",
            "model-containers.md", "entrypoint-cannot-run",
            "Model containers: entry script with Windows line endings",
            pattern=r"exec \S+: no such file or directory"),
    Symptom("exec /container/entry.sh: exec format error",
            "model-containers.md", "entrypoint-cannot-run",
            "Model containers: entry script without #! or for another CPU",
            pattern=r"exec \S+: exec format error|exec user process caused: exec format error"),
    Symptom("terminate called after throwing an instance of 'std::invalid_argument'",
            "logs.md", "frontend-aborted",
            "Logs: the query frontend aborted on a deleted application"),
    # logged whenever a dead container is dropped: the entry's heading (the line, then no container
    # gets queries) is where a paste of the line lands, and its text links #lost-contact
    Symptom("[CONTAINERS] Removing container 0 for model <model>:<version>",
            "default-predictions.md", "frontend-deadlock",
            "Default predictions: query frontend deadlocked after removing a container", (758,),
            pattern=r"Removing container \d+ for model \S+:\S+"),
    Symptom("Failed to establish a new connection: [Errno 60] Operation timed out",
            "kubernetes.md", "nodeport-unreachable",
            "Kubernetes: node port timed out (macOS wording)", (543,),
            pattern=r"Failed to establish a new connection: \[Errno 60\] Operation timed out"),
    Symptom("the server could not find the requested resource",
            "kubernetes.md", "kubernetes-1-16",
            "Kubernetes: Deployments under extensions/v1beta1", (768,)),
    Symptom("ClipperException: Error connecting to Kubernetes cluster. No external node addresses found. "
            "You may pass in KubernetesContainerManager(useInternalIP=True) to connect to local Kubernetes cluster",
            "kubernetes.md", "no-external-node-addresses",
            "Kubernetes: no ExternalDNS node address", (528, 614),
            pattern=r"No external node address(es)? found(?!\. Using Internal IP)"),
    Symptom("KeyError: 'ai.clipper.query_frontend.query.port'",
            "docker-cluster.md", "connect-keyerror",
            "The Docker cluster: the query frontend has exited", (773,),
            pattern=r"KeyError: '?ai\.clipper\.query_frontend\.[a-z_.]+\.port'?"),
    # what `docker inspect` of a container shows once the kernel killed it at its memory limit;
    # its log says only that it exited
    Symptom('"OOMKilled": true',
            "model-containers.md", "oom-killed",
            "Model containers: killed for memory",
            pattern=r'OOMKilled\W*true'),
    Symptom("[STATEDB] StateDB failed to connect to redis",
            "start-up.md", "statedb-redis",
            "Starting Clipper: the frontends cannot reach Redis", (538, 642),
            pattern=r"StateDB failed to connect to redis"),
)


def matching(text):
    """The symptoms `text` shows, in the order of SYMPTOMS."""
    return [s for s in SYMPTOMS if s.found_in(text)]
