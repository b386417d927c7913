"""pytest fixtures for the end-to-end tests: one local stack (stack.py) for the whole session.

    def test_something(stack):
        r = stack.call("POST", "/users", token=stack.token("user-1"), json={...})
"""

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import boto3
import jwt
import pytest
import requests

import apigw

LOCAL_TESTS = Path(__file__).resolve().parent
START_TIMEOUT = 1800  # a first build of the workspace on 2 cores takes several minutes
STOP_TIMEOUT = 60
LOG_TAIL_LINES = 40
REQUEST_TIMEOUT = 180  # a function changed since the last build is rebuilt on its first call
SETTLE_TIMEOUT = 120  # send-notices may be rebuilt on its first invocation too


class Stack:
    """What a test needs to talk to the running stack."""

    def __init__(self, info):
        self.info = info  # stack.json
        self.api = info["api_url"]
        self.logs_dir = Path(info["logs_dir"])
        self.private_key_pem = Path(info["jwt_private_key_pem_path"]).read_bytes()
        self.http = requests.Session()
        self._aws = {"region_name": info["region"], "aws_access_key_id": "test",
                     "aws_secret_access_key": "test"}
        self.ddb = boto3.client("dynamodb", endpoint_url=info["dynamodb_url"], **self._aws)
        self.table = boto3.resource("dynamodb", endpoint_url=info["dynamodb_url"],
                                    **self._aws).Table(info["table_name"])

    def moto(self, service):
        """A boto3 client on moto (secretsmanager, sesv2)."""
        return boto3.client(service, endpoint_url=self.info["moto_url"], **self._aws)

    def token(self, sub, idp="gckey", roles=(), *, key=None, kid=None, **claim_overrides):
        """An access token as the credential provider would issue it, valid for an hour.

        Signed in now (`auth_time`), with a second factor (`amr`) for agency officers.
        claim_overrides replace claims, and None removes one: exp=<past> for an expired token,
        iss="https://other", aud="other", nbf=<future>, exp=None. key (a PEM) and kid sign with
        another key, for forged tokens.
        """
        now = int(time.time())
        claims = {
            "iss": self.info["jwt_issuer"],
            "aud": self.info["jwt_audience"],
            "sub": sub,
            "idp": idp,
            "roles": list(roles),
            "iat": now,
            "nbf": now,
            "exp": now + 3600,
            "auth_time": now,
            "amr": apigw.sign_in_methods(roles),
        }
        claims.update(claim_overrides)
        claims = {k: v for k, v in claims.items() if v is not None}
        return jwt.encode(claims, key or self.private_key_pem, algorithm="RS256",
                          headers={"kid": kid or self.info["jwt_kid"]})

    def call(self, method, path, token=None, json=None, data=None, headers=None):
        """A request through the local API Gateway; returns the requests.Response."""
        headers = dict(headers or {})
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        return self.http.request(method, self.api + path, json=json, data=data, headers=headers,
                                 timeout=REQUEST_TIMEOUT)

    def fault(self, service, mode, n=None, settle=True):
        """Sets the fault proxy in front of one service the functions use ("dynamodb",
        "secretsmanager", "ses") to "up", "down" (connections closed without an answer),
        "fail_after" n (the next n requests go through, then down) or "stall" (requests are
        held unanswered until the caller gives up). Returns its state.

        Before a fault is set, the stream is settled (settle()): the notices of earlier changes
        are sent first, so the fault meets only what the test does next (settle=False: not;
        needed while the streams are paused)."""
        if settle and mode != "up":
            self.settle()
        body = {"service": service, "mode": mode}
        if n is not None:
            body["n"] = n
        response = self.http.post(self.api + "/_local/faults", json=body, timeout=30)
        assert response.status_code == 200, response.text
        return response.json()

    def faults(self):
        """{service: {"mode", "n", "remaining", "forwarded": {operation: count}, "refused": {...}}}:
        what each fault proxy forwarded to the emulators and refused, per operation (the
        X-Amz-Target, e.g. "DynamoDB_20120810.GetItem", or "METHOD /path" for SES)."""
        response = self.http.get(self.api + "/_local/faults", timeout=30)
        assert response.status_code == 200, response.text
        return response.json()

    def all_up(self):
        for service in ("dynamodb", "secretsmanager", "ses"):
            self.fault(service, "up")

    def settle(self, timeout=SETTLE_TIMEOUT):
        """Waits until the stack's stream pollers (the template's DynamoDB stream event sources,
        e.g. send-notices) have delivered every record of what was written before this call:
        POST /_local/streams/settle. Returns their state (see streams())."""
        response = self.http.post(self.api + "/_local/streams/settle",
                                  json={"timeout_seconds": timeout}, timeout=timeout + 30)
        assert response.status_code == 200, response.text
        return response.json()

    def streams(self):
        """{"sources": [{"function", "paused", "passes", "records", "passed", "filtered",
        "invocations", "failed_invocations", "dropped_batches", "dropped_records", ...}]}:
        what each stream poller has read, let through its filter and invoked so far."""
        response = self.http.get(self.api + "/_local/streams", timeout=30)
        assert response.status_code == 200, response.text
        return response.json()

    def stream(self, function="send-notices"):
        """The state of the poller that invokes `function`."""
        return next(s for s in self.streams()["sources"] if s["function"] == function)

    @contextlib.contextmanager
    def streams_paused(self):
        """Holds the stream pollers (records wait in the stream, as with a disabled event source
        mapping) and resumes them on the way out, passed or failed."""
        response = self.http.post(self.api + "/_local/streams", json={"paused": True}, timeout=30)
        assert response.status_code == 200, response.text
        try:
            yield
        finally:
            response = self.http.post(self.api + "/_local/streams", json={"paused": False}, timeout=30)
            assert response.status_code == 200, response.text

    def scan(self, **kwargs):
        """Every item a Scan with these arguments returns, over all its pages (a test may scan;
        a request path never does). A filter is applied per page of at most 1 MB, so one call
        of the SDK's scan misses what lies on later pages once the table has grown."""
        items, kwargs = [], {"ConsistentRead": True, **kwargs}
        while True:
            page = self.table.scan(**kwargs)
            items += page["Items"]
            if "LastEvaluatedKey" not in page:
                return items
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def sent_mail(self, settle=True):
        """Every message sent through SES so far, oldest first, as moto 5.2.5 records it:
        [{"id", "source", "destinations": {"ToAddresses": [...]}, "subject", "body"}]
        (body is the HTML part when the message has one, else the text part).

        Requests no longer send mail themselves: they write notices to the outbox, and the
        table's stream hands them to send-notices. So this first settles the stream (settle()),
        which makes what a test reads deterministic; settle=False reads what is there now."""
        if settle:
            self.settle()
        data = self.http.get(self.info["moto_url"] + "/moto-api/data.json", timeout=30).json()
        return data["ses"]["Message"]


def _tails(state_dir):
    """The last lines of the stack's output and of every service log, for a failure message."""
    parts = []
    for path in [state_dir / "stack.out", *sorted((state_dir / "logs").glob("*.log"))]:
        if path.exists():
            lines = path.read_text(errors="replace").splitlines()[-LOG_TAIL_LINES:]
            parts.append(f"---- {path.name}\n" + "\n".join(lines))
    return "\n".join(parts)


def _stop(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    running = os.environ.get("LOCAL_STACK_JSON")
    if running:
        # A stack started by hand (local-tests/up --state-dir DIR): LOCAL_STACK_JSON=DIR/stack.json.
        yield Stack(json.loads(Path(running).read_text()))
        return
    state_dir = tmp_path_factory.mktemp("local-stack")
    stack_json = state_dir / "stack.json"
    with open(state_dir / "stack.out", "wb") as out:
        # Own session: a Ctrl-C on pytest reaches the stack only through the teardown below.
        proc = subprocess.Popen(
            [sys.executable, str(LOCAL_TESTS / "stack.py"), "--api-port", "0",
             "--state-dir", str(state_dir)],
            stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.time() + START_TIMEOUT
        while not stack_json.exists():
            if proc.poll() is not None:
                pytest.fail(f"the local stack exited with {proc.returncode}:\n{_tails(state_dir)}",
                            pytrace=False)
            if time.time() > deadline:
                pytest.fail(f"the local stack not ready after {START_TIMEOUT}s:\n{_tails(state_dir)}",
                            pytrace=False)
            time.sleep(0.5)
        yield Stack(json.loads(stack_json.read_text()))
    finally:
        _stop(proc)
