"""What the benchmark runs function binaries with, all on 127.0.0.1:

- FakeRuntime: a small Lambda Runtime API (GET .../invocation/next, POST .../response,
  POST .../error, POST /runtime/init/error) that hands one process one event at a time.
- Instance: a function binary exec'd against its own FakeRuntime, with cold-start timing
  (exec -> first response), CPU from wait4's rusage, /proc readings (VmHWM, schedstat).
- CountingProxy: an HTTP proxy in front of DynamoDB Local or moto that records each call's
  operation (X-Amz-Target, or method and path) under the label of what is being exercised.
- Pool: N instances of one binary behind an invoke(event) call, as Lambda scales out; the
  benchmark's gateway (the stack's apigw.Gateway) invokes through it.
"""

import http.client
import json
import os
import queue
import signal
import subprocess
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

RUNTIME_PREFIX = "/2018-06-01/runtime"
INVOKE_TIMEOUT = 30  # seconds one invocation may take before the benchmark gives up on it
START_TIMEOUT = 30  # seconds from exec to the first GET /next
CLK_TCK = os.sysconf("SC_CLK_TCK")


class InvocationFailed(Exception):
    pass


# ---------------------------------------------------------------- fake Lambda Runtime API


class _Slot:
    def __init__(self, request_id, event):
        self.request_id = request_id
        self.event = event
        self.done = threading.Event()
        self.response = None  # bytes
        self.error = None  # str
        self.t_response = None  # perf_counter when the answer was read


class FakeRuntime(ThreadingHTTPServer):
    """One Runtime API endpoint for one function process."""

    daemon_threads = True

    def __init__(self, function_name):
        self.function_name = function_name
        self.events = queue.Queue()
        self.slots = {}
        self.next_calls = 0
        self.next_cond = threading.Condition()
        self.init_error = None
        self.closing = False
        super().__init__(("127.0.0.1", 0), _RuntimeHandler)
        self.thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05},
                                       name=f"runtime-{function_name}", daemon=True)
        self.thread.start()

    @property
    def address(self):
        return f"127.0.0.1:{self.server_address[1]}"

    def submit(self, event_bytes):
        slot = _Slot(str(uuid.uuid4()), event_bytes)
        self.slots[slot.request_id] = slot
        self.events.put(slot)
        return slot

    def wait_next_calls(self, count, timeout):
        """Blocks until the process has asked for its `count`-th event (it is then idle)."""
        deadline = time.monotonic() + timeout
        with self.next_cond:
            while self.next_calls < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.next_cond.wait(left)
        return True

    def close(self):
        self.closing = True
        self.events.put(None)  # releases a handler parked in GET /next
        self.shutdown()
        self.server_close()


class _RuntimeHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _reply(self, status, body=b"", headers=()):
        try:
            self.send_response(status)
            for k, v in headers:
                self.send_header(k, v)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the process was killed while waiting

    def _body(self):
        return self.rfile.read(int(self.headers.get("content-length") or 0))

    def do_GET(self):
        server = self.server
        if self.path != f"{RUNTIME_PREFIX}/invocation/next":
            return self._reply(404)
        with server.next_cond:
            server.next_calls += 1
            server.next_cond.notify_all()
        while True:
            try:
                slot = server.events.get(timeout=0.5)
            except queue.Empty:
                if server.closing:
                    return
                continue
            if slot is None:
                server.events.put(None)
                return
            break
        deadline_ms = int(time.time() * 1000) + INVOKE_TIMEOUT * 1000
        self._reply(200, slot.event, [
            ("content-type", "application/json"),
            ("lambda-runtime-aws-request-id", slot.request_id),
            ("lambda-runtime-deadline-ms", str(deadline_ms)),
            ("lambda-runtime-invoked-function-arn",
             f"arn:aws:lambda:ca-central-1:123456789012:function:{server.function_name}"),
            ("lambda-runtime-trace-id", f"Root=1-{int(time.time()):08x}-{uuid.uuid4().hex[:24]};Sampled=0"),
        ])

    def do_POST(self):
        server = self.server
        body = self._body()
        now = time.perf_counter()
        parts = self.path.split("/")
        # /2018-06-01/runtime/invocation/{id}/response | /error ; /2018-06-01/runtime/init/error
        if self.path == f"{RUNTIME_PREFIX}/init/error":
            server.init_error = body.decode("utf-8", "replace")
            return self._reply(202, b'{"status":"OK"}')
        if len(parts) == 6 and parts[3] == "invocation" and parts[5] in ("response", "error"):
            slot = server.slots.pop(parts[4], None)
            if slot is None:
                return self._reply(400)
            self._reply(202, b'{"status":"OK"}')
            slot.t_response = now
            if parts[5] == "response":
                slot.response = body
            else:
                slot.error = body.decode("utf-8", "replace")
            slot.done.set()
            return
        self._reply(404)


# ---------------------------------------------------------------- one function process


def lambda_env(base_env, function_name, runtime_address, memory_mb=128):
    """The environment Lambda gives a provided.al2023 function, plus the stack's settings."""
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "en_US.UTF-8",
        "TZ": ":UTC",
        "AWS_LAMBDA_RUNTIME_API": runtime_address,
        "AWS_LAMBDA_FUNCTION_NAME": function_name,
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(memory_mb),
        "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{function_name}",
        "AWS_LAMBDA_LOG_STREAM_NAME": "2026/01/01/[$LATEST]bench",
        "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
        "AWS_EXECUTION_ENV": "AWS_Lambda_provided.al2023",
        "_HANDLER": "bootstrap",
    }
    env.update(base_env)
    if "AWS_REGION" in env:
        env.setdefault("AWS_DEFAULT_REGION", env["AWS_REGION"])
    return env


def read_schedstat_ns(pid):
    """CPU time (ns) of every live thread of `pid`, from /proc/PID/task/*/schedstat."""
    total = 0
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/schedstat") as f:
                    total += int(f.read().split()[0])
            except (OSError, ValueError):
                pass
    except OSError:
        return None
    return total


def read_stat_cpu_s(pid):
    """utime + stime of the whole process (exited threads included), in seconds (tick resolution)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK
    except (OSError, IndexError, ValueError):
        return None


def read_status(pid):
    out = {}
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                key, _, value = line.partition(":")
                if key in ("VmHWM", "VmRSS", "Threads"):
                    out[key] = int(value.split()[0])
    except OSError:
        pass
    return out


class Instance:
    """A function binary running against its own FakeRuntime."""

    def __init__(self, binary_path, function_name, base_env, log_file, extra_env=None, argv_prefix=()):
        self.binary_path = binary_path
        self.function_name = function_name
        self.runtime = FakeRuntime(function_name)
        self.env = lambda_env(base_env, function_name, self.runtime.address)
        if extra_env:
            self.env.update(extra_env)
        self.log_file = log_file
        self.argv_prefix = list(argv_prefix)
        self.proc = None
        self.t_exec = None
        self.rusage = None
        self.exit_status = None

    def start(self, first_event=None):
        """Execs the binary; with `first_event`, that event is waiting for its first GET /next."""
        slot = self.runtime.submit(first_event) if first_event is not None else None
        self.t_exec = time.perf_counter()
        self.proc = subprocess.Popen(
            self.argv_prefix + [self.binary_path], env=self.env, stdin=subprocess.DEVNULL,
            stdout=self.log_file, stderr=subprocess.STDOUT, close_fds=True,
        )
        return slot

    def wait(self, slot, timeout=INVOKE_TIMEOUT):
        if not slot.done.wait(timeout):
            if self.proc.poll() is not None:
                raise InvocationFailed(f"{self.function_name} exited with {self.proc.returncode} "
                                       f"(init error: {self.runtime.init_error})")
            raise InvocationFailed(f"{self.function_name}: no answer in {timeout}s")
        if slot.error is not None:
            raise InvocationFailed(f"{self.function_name}: invocation error {slot.error[:300]}")
        return slot.response

    def invoke(self, event_bytes, timeout=INVOKE_TIMEOUT):
        slot = self.runtime.submit(event_bytes)
        return self.wait(slot, timeout), slot

    def idle(self, after_events, timeout=START_TIMEOUT):
        """Waits until the process asks for event number after_events + 1 (so it is idle)."""
        return self.runtime.wait_next_calls(after_events + 1, timeout)

    def stop(self):
        """SIGKILL and reap, keeping wait4's rusage (CPU of every thread, exited ones too)."""
        if self.proc is not None and self.proc.returncode is None:
            try:
                os.kill(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            try:
                _, status, rusage = os.wait4(self.proc.pid, 0)
                self.proc.returncode = -9 if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
                self.exit_status = status
                self.rusage = rusage
            except ChildProcessError:
                self.proc.wait()
        self.runtime.close()

    def cpu_s(self):
        return None if self.rusage is None else self.rusage.ru_utime + self.rusage.ru_stime


def status_of(answer):
    """The HTTP status inside a payload-2.0 answer."""
    try:
        return int(json.loads(answer).get("statusCode", 200))
    except (ValueError, AttributeError, TypeError):
        return None


# ---------------------------------------------------------------- counting proxy


HOP = {"connection", "keep-alive", "transfer-encoding", "proxy-connection", "te", "upgrade"}


class CountingProxy(ThreadingHTTPServer):
    """Forwards every request to `upstream` (http://127.0.0.1:PORT) and records its operation."""

    daemon_threads = True

    def __init__(self, upstream, describe):
        self.upstream = upstream.split("//", 1)[1]
        self.describe = describe  # (method, path, headers, body) -> dict
        self.label = "unlabelled"
        self.calls = []  # (label, description)
        self.lock = threading.Lock()
        self.local = threading.local()
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"

    def take(self, label):
        with self.lock:
            return [d for l, d in self.calls if l == label]

    def close(self):
        self.shutdown()
        self.server_close()


class _ProxyHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _forward(self):
        server = self.server
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        try:
            description = server.describe(self.command, self.path, self.headers, body)
        except Exception as e:  # never lose the call because of the description
            description = {"op": f"?{e}"}
        description["t0"] = time.perf_counter()
        label = server.label
        conn = getattr(server.local, "conn", None)
        for attempt in range(2):
            if conn is None:
                conn = http.client.HTTPConnection(server.upstream, timeout=30)
                server.local.conn = conn
            try:
                conn.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
                for k, v in self.headers.items():
                    if k.lower() not in HOP and k.lower() != "content-length":
                        conn.putheader(k, v)
                conn.putheader("content-length", str(len(body)))
                conn.endheaders(body)
                response = conn.getresponse()
                data = response.read()
                break
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = server.local.conn = None
                if attempt:
                    self.send_response(502)
                    self.send_header("content-length", "0")
                    self.end_headers()
                    return
        description["t1"] = time.perf_counter()
        description["status"] = response.status
        with server.lock:
            server.calls.append((label, description))
        self.send_response(response.status)
        for k, v in response.getheaders():
            if k.lower() not in HOP and k.lower() != "content-length":
                self.send_header(k, v)
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = _forward


def describe_dynamodb(method, path, headers, body):
    target = headers.get("x-amz-target", "")
    op = target.split(".")[-1] or f"{method} {path}"
    d = {"op": op}
    try:
        request = json.loads(body or b"{}")
    except ValueError:
        return d
    if op == "Query":
        d["index"] = request.get("IndexName")
        d["key_condition"] = request.get("KeyConditionExpression")
        d["filter"] = request.get("FilterExpression")
    elif op in ("PutItem", "UpdateItem", "DeleteItem"):
        d["condition"] = request.get("ConditionExpression")
    elif op == "TransactWriteItems":
        items = request.get("TransactItems", [])
        d["items"] = len(items)
        d["kinds"] = sorted({next(iter(i)) for i in items if i})
    elif op == "BatchGetItem":
        d["keys"] = sum(len(v.get("Keys", [])) for v in request.get("RequestItems", {}).values())
    elif op == "GetItem":
        d["consistent"] = bool(request.get("ConsistentRead"))
    return d


def describe_moto(method, path, headers, body):
    target = headers.get("x-amz-target", "")
    if target:
        return {"op": target.replace("secretsmanager.", "SecretsManager.")}
    if path.startswith("/v2/email/outbound-emails"):
        return {"op": "SESv2.SendEmail"}
    return {"op": f"{method} {path.split('?')[0]}"}


# ---------------------------------------------------------------- a pool behind invoke()


class Pool:
    """`size` instances of one binary; invoke() hands an event to an idle one (as Lambda does)."""

    def __init__(self, binary_path, function_name, base_env, size, log_file):
        self.instances = [Instance(binary_path, function_name, base_env, log_file) for _ in range(size)]
        self.idle = queue.Queue()
        for instance in self.instances:
            instance.start()
        for instance in self.instances:
            self.idle.put(instance)

    def invoke(self, event_bytes):
        instance = self.idle.get(timeout=INVOKE_TIMEOUT)
        try:
            answer, _ = instance.invoke(event_bytes)
            return answer
        finally:
            self.idle.put(instance)

    def pids(self):
        return [i.proc.pid for i in self.instances]

    def cpu_ns(self):
        return sum(read_schedstat_ns(pid) or 0 for pid in self.pids())

    def threads(self):
        return sum(read_status(pid).get("Threads", 0) for pid in self.pids())

    def stop(self):
        for instance in self.instances:
            instance.stop()
