"""Reliability end to end: what the functions do when DynamoDB, Secrets Manager or SES cannot be
reached, and what they leave in the logs.

The functions reach the emulators through the local stack's fault proxies (stack.py,
FaultProxy), driven by `stack.fault(service, mode, n)`; the tests' own AWS clients go to the
emulators directly, so a test can always read the table and the sent mail. Every test leaves
the proxies `up`, passed or failed (the `faults_up` fixture). See ../RELIABILITY.md.
"""

import collections
import concurrent.futures
import json
import os
import queue
import re
import subprocess
import threading
import time
import uuid
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from test_businesses import (PROGRAM_TERMS, activated_business, authorize, contact, issue,
                             new_identifier, new_user)
from test_members import put
from test_users import assert_problem, mail_to, new_sub, profile, table_snapshot

REPO = Path(__file__).resolve().parent.parent
DDB = "DynamoDB_20120810."
TRANSACT = DDB + "TransactWriteItems"
READS = {DDB + "GetItem", DDB + "BatchGetItem", DDB + "Query"}
# A one-item write (the outbox's lease and mark): the item's own conditional UpdateItem.
UPDATE = DDB + "UpdateItem"
# A request reads, then writes once: its first round is reads only (the activation allowance is
# counted inside the attempt's transaction).
FIRST_ROUND = READS
GET_SECRET = "secretsmanager.GetSecretValue"
SEND_EMAIL = "POST /v2/email/outbound-emails"
# The SDK: 1 s connect, 2 s per attempt, 5 s per operation, 3 attempts. A request makes one round
# of reads and one write, so it must give up well within this, whatever the failure.
ANSWER_BOUND = 15
INVOKE_TIMEOUT = 600  # cargo lambda watch builds a function that changed on its first invocation


@pytest.fixture(autouse=True)
def faults_up(stack):
    stack.all_up()
    try:
        yield
    finally:
        stack.all_up()


def counts(stack, service, kind="forwarded"):
    return collections.Counter(stack.faults()[service][kind])


def assert_unavailable(response):
    problem = assert_problem(response, 503)
    retry_after = response.headers.get("retry-after")
    assert retry_after is not None and retry_after.isdigit() and int(retry_after) >= 1, response.headers
    return problem


def warm(stack, calls):
    """Makes each (method, path, token, body) once with everything up, so that the function
    instances are running (and rebuilt, if their code changed) before a test times them."""
    for method, path, token, body in calls:
        response = stack.call(method, path, token=token, json=body)
        assert response.status_code < 500, (method, path, response.status_code, response.text)


def timed(send):
    started = time.monotonic()
    response = send()
    return response, time.monotonic() - started


def snapshot_without_counters(stack):
    """The table, less the activation-attempt counters (the dry runs before a cut count theirs)."""
    return [item for item in table_snapshot(stack) if not json.loads(item)["pk"].startswith("RATE#")]


def notice_items(stack, address):
    """The outbox items of notices to `address` (a test may scan)."""
    return [i for i in stack.scan() if i["pk"].startswith("NOTICE#") and i.get("to") == address]


# ---------------------------------------------------------------- a. DynamoDB cut between read and write


def cut_between_read_and_write(stack, dry_run, send, ok_status):
    """Counts the DynamoDB operations of `dry_run` (the same kind of request as `send`, on other
    data), lets `send` make exactly its first round (its reads) and cuts
    DynamoDB before its write; expects a 503 with Retry-After and nothing written; then,
    DynamoDB back, `send` again succeeds.

    The dry run is counted with the stream paused: send-notices takes and marks its notices
    through the same proxy, and those operations are not the request's."""
    stack.settle()  # the notices of the setup are out before anything is counted
    with stack.streams_paused():
        before = counts(stack, "dynamodb")
        assert dry_run().status_code == ok_status
        ops = counts(stack, "dynamodb") - before
    assert set(ops) <= FIRST_ROUND | {TRANSACT}, f"operations this test does not know how to cut: {ops}"
    assert ops[TRANSACT] >= 1, ops
    first_round = collections.Counter({op: c for op, c in ops.items() if op in FIRST_ROUND})

    # Settled (the dry run's notices are sent): nothing else reaches DynamoDB during the cut.
    snapshot, mail = snapshot_without_counters(stack), len(stack.sent_mail())
    forwarded, refused = counts(stack, "dynamodb"), counts(stack, "dynamodb", "refused")
    stack.fault("dynamodb", "fail_after", sum(first_round.values()), settle=False)
    try:
        response, elapsed = timed(send)
    finally:
        state = stack.fault("dynamodb", "up")
    assert_unavailable(response)
    assert elapsed < ANSWER_BOUND, elapsed
    # The cut fell where intended: every read went through, the write (and its retries) did not.
    assert collections.Counter(state["forwarded"]) - forwarded == first_round
    cut = collections.Counter(state["refused"]) - refused
    assert set(cut) == {TRANSACT}, cut
    assert snapshot_without_counters(stack) == snapshot, "a refused request changed the table"
    assert len(stack.sent_mail()) == mail, "a notice went out for a change that did not happen"

    again = send()
    assert again.status_code == ok_status, again.text
    return again


def test_dynamodb_cut_mid_activation_writes_nothing_and_the_retry_succeeds(stack):
    def activation():
        identifier = new_identifier("emanifest")
        issued, _ = issue(stack, "emanifest", identifier)
        assert issued.status_code == 201, issued.text
        token, user, _ = new_user(stack)
        body = {"program": "emanifest", "business_identifier": identifier,
                "shared_secret": issued.json()["shared_secret"], "owner_contact": contact()}
        return lambda: stack.call("POST", "/businesses", token=token, json=body), user

    dry_run, _ = activation()
    send, user = activation()
    done = cut_between_read_and_write(stack, dry_run, send, 201)
    business_id = done.json()["business_id"]
    meta = stack.table.get_item(Key={"pk": f"BUS#{business_id}", "sk": "META"}, ConsistentRead=True)["Item"]
    assert meta["owner_urn"] == user["urn"] and meta["status"] == "activated"


def test_dynamodb_cut_mid_user_creation_writes_nothing_and_the_retry_succeeds(stack):
    def creation():
        token, body = stack.token(new_sub()), profile()
        return lambda: stack.call("POST", "/users", token=token, json=body), token, body

    dry_run, _, _ = creation()
    send, token, body = creation()
    done = cut_between_read_and_write(stack, dry_run, send, 201)
    assert stack.call("GET", "/users/me", token=token).json()["urn"] == done.json()["urn"]
    assert len([m for m in mail_to(stack, body["email"]) if done.json()["urn"] in m["body"]]) == 1


def test_dynamodb_cut_mid_member_change_writes_nothing_and_the_retry_succeeds(stack):
    owner, _, business_id, _ = activated_business(stack)
    authorize(stack, owner, business_id, "emanifest")
    _, first, _ = new_user(stack)
    member_token, second, _ = new_user(stack)
    done = cut_between_read_and_write(
        stack,
        lambda: put(stack, owner, business_id, first["urn"], "user"),
        lambda: put(stack, owner, business_id, second["urn"], "user"),
        200,
    )
    assert done.json()["role"] == "user"
    roles = {b["business_id"]: b["role"] for b in stack.call("GET", "/users/me/businesses", token=member_token).json()}
    assert roles == {business_id: "user"}


def create_user_while_faulty(stack, token, body, service, *mode):
    """POST /users with `service` in `mode`, kept so until the stream has handed the new notice
    to send-notices; the request itself must answer 201, promptly."""
    stack.fault(service, *mode)
    try:
        response, elapsed = timed(lambda: stack.call("POST", "/users", token=token, json=body))
        stack.settle()
    finally:
        stack.fault(service, "up")
    assert response.status_code == 201, response.text
    assert elapsed < ANSWER_BOUND, elapsed
    return response


def test_dynamodb_lost_after_ses_accepted_keeps_the_notice_for_the_schedule(stack):
    """The request commits its change and its notice and is done; send-notices takes the notice
    (its lease) and SES accepts it, then DynamoDB goes before the notice is marked sent. The
    change is kept and the mail went out once; the notice stays pending, due again only when
    the lease runs out. This is the one window in which the schedule may send a notice a second
    time (RELIABILITY.md)."""
    new_user(stack)  # create-user is running before it is timed
    token, body = stack.token(new_sub()), profile()
    refused = counts(stack, "dynamodb", "refused")
    # POST /users makes one DynamoDB operation, its transaction; send-notices then takes the
    # notice (a conditional UpdateItem) and reads its address's undeliverable mark (GetItem);
    # what comes after SES (the sent mark, another) is refused.
    response = create_user_while_faulty(stack, token, body, "dynamodb", "fail_after", 3)
    assert (counts(stack, "dynamodb", "refused") - refused)[UPDATE] >= 1, "the mark was never tried"
    assert stack.call("GET", "/users/me", token=token).json()["urn"] == response.json()["urn"]
    assert len(mail_to(stack, body["email"])) == 1
    [notice] = notice_items(stack, body["email"])
    assert notice["status"] == "pending" and notice["gsi1pk"] == pending_partition(notice), notice
    # Due when the lease runs out (minutes ahead), not now: the schedule leaves it until then.
    assert notice["gsi1sk"] > utc_now(60), notice
    run_retry_notices(stack)
    assert len(mail_to(stack, body["email"])) == 1


def test_dynamodb_cut_after_an_idempotency_claim_lets_the_same_key_retry_as_told(stack):
    """POST /users with an Idempotency-Key: the key is claimed, then DynamoDB goes before the
    change. The 503 tells the client when to retry; a retry of the same request with the same
    key, made when told, must eventually succeed, and every refusal on the way must say when
    to try again (a 409 with no Retry-After leaves a well-behaved client stuck)."""
    new_user(stack)  # create-user is running before it is timed
    token, body = stack.token(new_sub()), profile()
    headers = {"Idempotency-Key": str(uuid.uuid4())}
    send = lambda: stack.call("POST", "/users", token=token, json=body, headers=headers)  # noqa: E731
    stack.fault("dynamodb", "fail_after", 1)  # the claim goes through, the change does not
    try:
        response, elapsed = timed(send)
    finally:
        stack.fault("dynamodb", "up")
    assert_unavailable(response)
    assert elapsed < ANSWER_BOUND, elapsed
    assert stack.call("GET", "/users/me", token=token).status_code == 404
    answers = [(response.status_code, response.headers.get("retry-after"))]
    deadline = time.monotonic() + 180
    while response.status_code != 201 and time.monotonic() < deadline:
        retry_after = response.headers.get("retry-after")
        assert retry_after and retry_after.isdigit(), (
            f"refused without saying when to retry: {answers}: {response.text}")
        time.sleep(int(retry_after))
        response = send()
        answers.append((response.status_code, response.headers.get("retry-after")))
    assert response.status_code == 201, answers
    assert len(mail_to(stack, body["email"])) == 1


# ---------------------------------------------------------------- b. DynamoDB down or silent


@pytest.mark.parametrize("mode", ["down", "stall"])
def test_dynamodb_unreachable_is_a_prompt_503_on_every_kind_of_route(stack, mode):
    owner, owner_user, business_id, _ = activated_business(stack)
    authorize(stack, owner, business_id, "emanifest")
    _, other, _ = new_user(stack)
    requests_to_make = [
        ("GET", "/users/me", owner, None),
        ("GET", "/users/me/businesses", owner, None),
        ("GET", f"/businesses/{business_id}", owner, None),
        ("GET", f"/businesses/{business_id}/members", owner, None),
        ("PATCH", "/users/me", owner, {"phone": "+1 613 555 0111"}),
        ("PUT", f"/businesses/{business_id}/members/{other['urn']}", owner, {"role": "browser", "email": other["email"]}),
        ("POST", "/users", stack.token(new_sub()), profile()),
        ("POST", "/businesses", owner, {"program": "cers", "business_identifier": new_identifier("cers"),
                                        "shared_secret": "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01", "owner_contact": contact()}),
    ]
    warm(stack, [(m, p, stack.token(new_sub()) if p == "/users" else t, profile() if p == "/users" else b)
                 for m, p, t, b in requests_to_make])
    snapshot = table_snapshot(stack)
    stack.fault("dynamodb", mode)
    answers = []
    try:
        for method, path, token, body in requests_to_make:
            response, elapsed = timed(lambda: stack.call(method, path, token=token, json=body))
            answers.append((method, path, response, elapsed))
    finally:
        stack.fault("dynamodb", "up")
    for method, path, response, elapsed in answers:
        assert response.status_code == 503, (method, path, response.status_code, response.text)
        assert_unavailable(response)
        assert elapsed < ANSWER_BOUND, (method, path, elapsed)
    assert table_snapshot(stack) == snapshot
    # And once DynamoDB is back, the same function instances answer normally.
    assert stack.call("GET", "/users/me", token=owner).json()["urn"] == owner_user["urn"]


def test_dynamodb_down_under_concurrent_load_is_503_never_500(stack):
    tokens = [new_user(stack)[0] for _ in range(3)]
    warm(stack, [("GET", "/users/me", t, None) for t in tokens])
    stack.fault("dynamodb", "down")
    try:
        def get_me(i):
            return timed(lambda: requests.get(stack.api + "/users/me", timeout=120,
                                              headers={"Authorization": f"Bearer {tokens[i % 3]}"}))
        with concurrent.futures.ThreadPoolExecutor(max_workers=20) as pool:
            answers = list(pool.map(get_me, range(20)))
    finally:
        stack.fault("dynamodb", "up")
    assert [r.status_code for r, _ in answers] == [503] * 20, [(r.status_code, r.text[:200]) for r, _ in answers]
    assert all(r.headers.get("retry-after") for r, _ in answers)
    assert max(e for _, e in answers) < 2 * ANSWER_BOUND, [round(e, 1) for _, e in answers]
    assert all(stack.call("GET", "/users/me", token=t).status_code == 200 for t in tokens)


# ---------------------------------------------------------------- c. Secrets Manager down at a cold start


class FakeRuntime(ThreadingHTTPServer):
    """Just enough of the Lambda Runtime API for one function process: hands out the events put
    in `events` one per GET .../invocation/next, and records what the function posts back."""

    daemon_threads = True

    def __init__(self):
        self.events = queue.Queue()
        self.answers = queue.Queue()  # (kind, request id or None, parsed body)
        self.closing = threading.Event()
        super().__init__(("127.0.0.1", 0), FakeRuntimeHandler)

    def close(self):
        self.closing.set()
        self.shutdown()
        self.server_close()

    def invoke(self, event, timeout):
        """Hands `event` to the function; returns (kind, answer JSON, seconds taken)."""
        request_id = str(uuid.uuid4())
        started = time.monotonic()
        self.events.put((request_id, event))
        while True:
            left = timeout - (time.monotonic() - started)
            kind, answered_id, body = self.answers.get(timeout=max(left, 0.01))
            if answered_id in (request_id, None):
                return kind, body, time.monotonic() - started


class FakeRuntimeHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    PREFIX = "/2018-06-01/runtime"

    def do_GET(self):
        if self.path != f"{self.PREFIX}/invocation/next":
            return self.reply(404, {"message": "not found"})
        while True:  # long poll, as the real API does
            try:
                request_id, event = self.server.events.get(timeout=1)
                break
            except queue.Empty:
                if self.server.closing.is_set():
                    return
        body = json.dumps(event).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("lambda-runtime-aws-request-id", request_id)
        self.send_header("lambda-runtime-deadline-ms", str(int((time.time() + 30) * 1000)))
        self.send_header("lambda-runtime-invoked-function-arn",
                         "arn:aws:lambda:ca-central-1:123456789012:function:get-me")
        self.send_header("lambda-runtime-trace-id", f"Root=1-{int(time.time()):08x}-{uuid.uuid4().hex[:24]};Sampled=0")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length") or 0))
        try:
            parsed = json.loads(body or b"null")
        except ValueError:
            parsed = body.decode("utf-8", "replace")
        match = re.fullmatch(rf"{self.PREFIX}/invocation/([^/]+)/(response|error)", self.path)
        if match:
            self.server.answers.put((match.group(2), match.group(1), parsed))
        elif self.path == f"{self.PREFIX}/init/error":
            self.server.answers.put(("init_error", None, parsed))
        else:
            return self.reply(404, {"message": "not found"})
        self.reply(202, {"status": "OK"})

    def reply(self, status, answer):
        body = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):
        pass


def functions_env(stack):
    env = {}
    for line in Path(stack.info["functions_env"]).read_text().splitlines():
        if "=" in line:
            key, value = line.split("=", 1)
            env[key] = value
    return env


def get_me_event(stack, token, sub):
    event = json.loads((REPO / "events" / "get-me.json").read_text())
    event["headers"]["authorization"] = f"Bearer {token}"
    event["requestContext"]["authorizer"]["jwt"]["claims"]["sub"] = sub
    event["requestContext"]["requestId"] = str(uuid.uuid4())
    now = time.time()
    event["requestContext"]["timeEpoch"] = int(now * 1000)
    event["requestContext"]["time"] = datetime.fromtimestamp(now, timezone.utc).strftime("%d/%b/%Y:%H:%M:%S +0000")
    return event


def test_secrets_manager_down_at_cold_start_answers_503_then_recovers(stack, tmp_path):
    binary = REPO / "target" / "debug" / "get-me"
    assert binary.exists(), f"{binary} is built by the stack (cargo build --workspace --bins)"
    sub = new_sub()
    token = stack.token(sub)
    created = stack.call("POST", "/users", token=token, json=profile())
    assert created.status_code == 201, created.text

    runtime = FakeRuntime()
    threading.Thread(target=runtime.serve_forever, daemon=True).start()
    env = {**functions_env(stack),
           "PATH": os.environ["PATH"],
           "AWS_LAMBDA_RUNTIME_API": f"127.0.0.1:{runtime.server_address[1]}",
           "AWS_LAMBDA_FUNCTION_NAME": "get-me",
           "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
           "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
           "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/get-me",
           "AWS_LAMBDA_LOG_STREAM_NAME": "local/reliability"}
    assert env["AWS_ENDPOINT_URL_SECRETS_MANAGER"] == stack.info["fault_proxies"]["secretsmanager"]
    log_path = tmp_path / "get-me.log"
    refused = counts(stack, "secretsmanager", "refused")
    stack.fault("secretsmanager", "down")
    with open(log_path, "wb") as log:
        process = subprocess.Popen([str(binary)], env=env, stdin=subprocess.DEVNULL, stdout=log,
                                   stderr=subprocess.STDOUT)
    try:
        kind, answer, elapsed = runtime.invoke(get_me_event(stack, token, sub), timeout=60)
        assert kind == "response", (kind, answer)
        assert answer["statusCode"] == 503, answer
        headers = {k.lower(): v for k, v in answer["headers"].items()}
        assert headers["content-type"].startswith("application/problem+json")
        assert headers.get("retry-after", "").isdigit(), headers
        assert json.loads(answer["body"])["status"] == 503
        # The cold start tried, gave up within its timeouts, and the invocation tried again.
        assert elapsed < 2 * ANSWER_BOUND, elapsed
        assert process.poll() is None, "the function exited instead of answering 503"
        assert (counts(stack, "secretsmanager", "refused") - refused)[GET_SECRET] >= 2
        log_text = log_path.read_text(errors="replace")
        assert "cold start failed: configuration or secrets could not be loaded; answering 503" in log_text, log_text

        stack.fault("secretsmanager", "up")
        kind, answer, elapsed = runtime.invoke(get_me_event(stack, token, sub), timeout=60)
        assert kind == "response", (kind, answer)
        assert answer["statusCode"] == 200, answer
        assert json.loads(answer["body"])["urn"] == created.json()["urn"]
        assert elapsed < ANSWER_BOUND, elapsed
        assert process.poll() is None
    finally:
        process.kill()
        process.wait()
        runtime.close()


# ---------------------------------------------------------------- d. SES refuses: the outbox


def scheduled_event():
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "version": "0",
        "id": str(uuid.uuid4()),
        "detail-type": "Scheduled Event",
        "source": "aws.events",
        "account": "123456789012",
        "time": now,
        "region": "ca-central-1",
        "resources": ["arn:aws:events:ca-central-1:123456789012:rule/trade-portal-retry-notices"],
        "detail": {},
    }


def run_retry_notices(stack):
    assert (REPO / "functions" / "retry-notices").is_dir(), "functions/retry-notices is missing"
    response = requests.post(f"{stack.info['watch_url']}/2015-03-31/functions/retry-notices/invocations",
                             json=scheduled_event(), timeout=INVOKE_TIMEOUT)
    assert response.status_code == 200, response.text
    return response.json()


def pending_partition(notice):
    """The pending-notices shard the outbox writes a notice to (`store::keys::notice_shard`:
    FNV-1a of the notice id, modulo 10)."""
    h = 0xcbf29ce484222325
    for b in notice["pk"].removeprefix("NOTICE#").encode():
        h = ((h ^ b) * 0x100000001b3) % 2**64
    return f"NOTICES#pending#{h % 10}"


def make_due(stack, item):
    stack.table.update_item(Key={"pk": item["pk"], "sk": item["sk"]},
                            UpdateExpression="SET gsi1sk = :past",
                            ExpressionAttributeValues={":past": "1970-01-01T00:00:00Z"})


def utc_now(plus=0):
    """Now (plus seconds), as the outbox writes due times (RFC 3339, UTC, seconds)."""
    return datetime.fromtimestamp(time.time() + plus, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_ses_down_keeps_the_notice_pending_and_the_schedule_sends_it_once(stack):
    new_user(stack)  # create-user is running before it is timed
    token, body = stack.token(new_sub()), profile()
    sends = counts(stack, "ses", "refused")
    before = stack.stream()
    # The stream hands the new notice to send-notices while SES is still down. The change
    # happened, so the request succeeds; the notice waits in the outbox.
    created = create_user_while_faulty(stack, token, body, "ses", "down")
    assert (counts(stack, "ses", "refused") - sends)[SEND_EMAIL] >= 1, "SES was never tried"
    # send-notices handled the failure itself (the batch did not fail, so nothing was retried
    # or dropped): tried once, due again after the backoff.
    after = stack.stream()
    assert after["invocations"] - before["invocations"] == 1, (before, after)
    assert after["failed_invocations"] == before["failed_invocations"], (before, after)
    urn = created.json()["urn"]
    [notice] = notice_items(stack, body["email"])
    assert notice["status"] == "pending" and notice["gsi1pk"] == pending_partition(notice), notice
    assert int(notice["tries"]) == 1 and notice["gsi1sk"] > utc_now(), notice
    assert mail_to(stack, body["email"]) == []

    # Not due yet (the stream had its try only a moment ago): the schedule leaves it.
    run_retry_notices(stack)
    assert mail_to(stack, body["email"]) == []

    # Due, but SES refuses again: still pending, tried once more, moved out by the backoff.
    make_due(stack, notice)
    stack.fault("ses", "down")
    try:
        run_retry_notices(stack)
    finally:
        stack.fault("ses", "up")
    [notice] = notice_items(stack, body["email"])
    assert notice["status"] == "pending" and notice["gsi1sk"] > utc_now(), notice
    assert int(notice["tries"]) == 2, notice
    assert mail_to(stack, body["email"]) == []

    # Due and SES up: sent once, marked sent, out of the pending index.
    make_due(stack, notice)
    summary = run_retry_notices(stack)
    mails = mail_to(stack, body["email"])
    assert len(mails) == 1 and urn in mails[0]["body"], mails
    [notice] = notice_items(stack, body["email"])
    assert notice["status"] == "sent" and "gsi1pk" not in notice and "gsi1sk" not in notice, notice
    assert int(notice["tries"]) == 3, notice
    assert summary["sent"] >= 1, summary

    # Nothing more on the next runs, nor from the stream (the marks are MODIFYs).
    run_retry_notices(stack)
    run_retry_notices(stack)
    assert len(mail_to(stack, body["email"])) == 1


def test_the_stream_sends_a_new_notice_with_no_schedule_run(stack):
    """A request writes its notice to the outbox and sends nothing; the table's stream hands it
    to send-notices, which sends it and marks it sent, its sealed secret gone."""
    stack.settle()
    with stack.streams_paused():
        before = stack.stream()
        identifier = new_identifier("emanifest")
        issued, order = issue(stack, "emanifest", identifier)
        assert issued.status_code == 201, issued.text
        # Held in the stream: the request itself sent nothing, and left the notice pending,
        # sealed, due a minute from now for the schedule.
        assert [m for m in stack.sent_mail(settle=False)
                if order["email"] in m["destinations"]["ToAddresses"]] == []
        [notice] = notice_items(stack, order["email"])
        assert notice["status"] == "pending" and notice["gsi1pk"] == pending_partition(notice), notice
        assert notice.get("sealed") and int(notice["tries"]) == 0, sorted(notice)
        assert utc_now(30) < notice["gsi1sk"] <= utc_now(61), notice["gsi1sk"]
    mails = mail_to(stack, order["email"])  # settles the stream
    assert len(mails) == 1 and issued.json()["shared_secret"] in mails[0]["body"], [m["subject"] for m in mails]
    [notice] = notice_items(stack, order["email"])
    assert notice["status"] == "sent" and int(notice["tries"]) == 1 and notice.get("sent_at"), sorted(notice)
    assert not {"gsi1pk", "gsi1sk", "sealed"} & set(notice), sorted(notice)
    # One invocation, for the one notice: the request's other items were filtered out.
    after = stack.stream()
    assert after["passed"] - before["passed"] == 1, (before, after)
    assert after["invocations"] - before["invocations"] == 1, (before, after)
    assert after["filtered"] - before["filtered"] >= 1, (before, after)
    assert after["failed_invocations"] == before["failed_invocations"], (before, after)


def test_changes_that_are_not_new_notices_send_nothing(stack):
    """Only new notices reach send-notices: the mark of a sent notice, a later change to a
    notice and a change to another item are filtered out, and the mail stays one."""
    token, user, body = new_user(stack)
    [mail] = mail_to(stack, body["email"])  # sent by the stream, and marked sent (a MODIFY)
    [notice] = notice_items(stack, body["email"])
    assert notice["status"] == "sent", notice
    before = stack.stream()
    # A MODIFY of the notice (an operator's note, say), and a change to the user's own item.
    stack.table.update_item(Key={"pk": notice["pk"], "sk": notice["sk"]},
                            UpdateExpression="SET note = :n", ExpressionAttributeValues={":n": "checked"})
    patched = stack.call("PATCH", "/users/me", token=token, json={"phone": "+1 613 555 0199"})
    assert patched.status_code == 200, patched.text
    mails = mail_to(stack, body["email"])  # settles the stream
    after = stack.stream()
    assert after["records"] - before["records"] >= 2, (before, after)
    assert after["passed"] == before["passed"] and after["invocations"] == before["invocations"], (before, after)
    run_retry_notices(stack)
    assert mail_to(stack, body["email"]) == mails == [mail]
    [notice] = notice_items(stack, body["email"])
    assert notice["status"] == "sent" and int(notice["tries"]) == 1, notice


def test_a_role_change_notice_keeps_its_recipient_in_the_outbox(stack):
    """Each notice is read back from the outbox (the stream's new image, the schedule's query),
    so what is stored must be the notice, with its recipient's address under `to`, whatever its
    kind: here the notices of a member granted a role and then given another."""
    owner, _, business_id, identifier = activated_business(stack)
    authorize(stack, owner, business_id, "emanifest")
    _, user, body = new_user(stack)
    assert put(stack, owner, business_id, user["urn"], "user").status_code == 200
    changed = put(stack, owner, business_id, user["urn"], "browser")
    assert changed.status_code == 200, changed.text
    stack.settle()
    # Found by the business's legal name, which the member notices carry, not by `to`.
    items = [i for i in stack.scan() if i["pk"].startswith("NOTICE#") and identifier in i.get("legal_name", "")
             and i.get("kind", "").startswith("role_")]
    stored = {i["kind"]: (i.get("to"), i["status"]) for i in items}
    assert stored == {"role_granted": (body["email"], "sent"), "role_changed": (body["email"], "sent")}, stored


# ---------------------------------------------------------------- e. what the logs hold


def token_parts(token):
    """The token, and its claims and signature segments (the header is the same for all)."""
    _, claims, signature = token.split(".")
    return [token, claims, signature]


def secret_forms(secret):
    canonical = secret.replace("-", "")
    return [secret, canonical, secret.lower(), canonical.lower()]


def body_lines(body):
    """Every line of a notice body long enough to mean something on its own."""
    return [line.strip() for line in body.splitlines() if len(line.strip()) >= 16]


def all_logs(stack):
    paths = sorted(stack.logs_dir.glob("*.log")) + [stack.logs_dir.parent / "stack.out"]
    return {p.name: p.read_text(errors="replace") for p in paths if p.exists()}


def test_a_whole_journey_leaves_no_token_secret_or_notice_text_in_any_log(stack):
    watch_log = stack.logs_dir / "watch.log"
    start = watch_log.stat().st_size

    # Owner: a user account, a shared secret from the agency, activation, terms, a member.
    owner_sub = new_sub()
    owner = stack.token(owner_sub)
    owner_body = profile()
    assert stack.call("POST", "/users", token=owner, json=owner_body).status_code == 201
    identifier = new_identifier("emanifest")
    officer = stack.token(f"officer-{uuid.uuid4()}", roles=["agency-officer"])
    contact_email = f"contact.{uuid.uuid4().hex[:8]}@example.com"
    issued = stack.call("POST", "/agency/shared-secrets", token=officer, json={
        "program": "emanifest", "business_identifier": identifier, "legal_name": f"Journey {identifier} Ltd.",
        "mailing_address": "100 Wellington St\nOttawa ON  K1A 0A9", "email": contact_email})
    assert issued.status_code == 201, issued.text
    secret = issued.json()["shared_secret"]
    # One wrong try first: that path logs (and must not log what was tried).
    wrong = "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01"
    assert stack.call("POST", "/businesses", token=owner, json={
        "program": "emanifest", "business_identifier": identifier, "shared_secret": wrong,
        "owner_contact": contact()}).status_code == 403
    activated = stack.call("POST", "/businesses", token=owner, json={
        "program": "emanifest", "business_identifier": identifier, "shared_secret": secret,
        "owner_contact": contact()})
    assert activated.status_code == 201, activated.text
    business_id = activated.json()["business_id"]
    authorize(stack, owner, business_id, "emanifest")
    member_sub = new_sub()
    member = stack.token(member_sub)
    member_body = profile(language="fr")
    created = stack.call("POST", "/users", token=member, json=member_body)
    assert created.status_code == 201, created.text
    added = put(stack, owner, business_id, created.json()["urn"], "user")
    assert added.status_code == 200, added.text
    assert stack.call("GET", f"/businesses/{business_id}", token=member).status_code == 200
    # A refused token is logged by the gateway; the token itself must not be.
    expired = stack.token(member_sub, exp=int(time.time()) - 60)
    assert stack.call("GET", "/users/me", token=expired).status_code == 401

    mails = [m for m in stack.sent_mail()
             if set(m["destinations"]["ToAddresses"]) & {owner_body["email"], member_body["email"], contact_email}]
    assert len(mails) >= 4, [m["subject"] for m in mails]  # URN x2, secret, activated, role
    assert any(secret in m["body"] for m in mails)
    time.sleep(1)  # the functions' last lines reach watch.log

    forbidden = {}
    for name, token in [("owner token", owner), ("member token", member), ("officer token", officer),
                        ("expired token", expired)]:
        for part in token_parts(token):
            forbidden[part] = name
    for form in secret_forms(secret) + secret_forms(wrong):
        forbidden[form] = "shared secret"
    for mail in mails:
        for line in body_lines(mail["body"]):
            forbidden[line] = f"notice body ({mail['subject']})"
    for name, text in all_logs(stack).items():
        for needle, what in forbidden.items():
            assert needle not in text, f"{name} contains a {what}: {needle[:40]}..."

    # The functions' lines are JSON; those written while answering a request carry its id (the
    # Lambda runtime's span field requestId). The rest of watch.log is cargo's and watch's own.
    journey = watch_log.read_bytes()[start:].decode("utf-8", "replace").splitlines()
    function_lines = [line for line in journey if line.startswith("{")]
    assert function_lines, "the functions logged nothing during the journey"
    metric_lines = 0
    for line in function_lines:
        record = json.loads(line)  # not JSON: fails here
        if "_aws" in record:
            # A metric line (Embedded Metric Format, shared/src/metrics.rs): names and counts only.
            metric_lines += 1
            names = {m["Name"] for d in record["_aws"]["CloudWatchMetrics"] for m in d["Metrics"]}
            assert set(record) == {"_aws", "Service", *names}, line
            assert all(isinstance(record[n], int) for n in names), line
            continue
        assert record.get("level") and "message" in record.get("fields", {}), line
        message = record["fields"]["message"]
        if any(startup in message for startup in STARTUP_MESSAGES):
            continue  # logged while the process starts, before any request
        spans = [record.get("span") or {}] + (record.get("spans") or [])
        assert any(s.get("requestId") for s in spans), f"a function line without requestId: {line}"
    assert any("wrong identifier/secret pair" in line for line in function_lines)
    # The journey's events were counted: accounts, a wrong try, an activation, notices.
    assert metric_lines, "the functions wrote no metric line during the journey"
    for event in ("UsersCreated", "WrongTries", "Activations", "NoticesQueued", "NoticesSent"):
        assert any(f'"{event}":' in line for line in function_lines), f"no {event} metric"
    assert not [line for line in journey if "panicked at" in line]


# Lines a function writes while it starts, outside any invocation (so with no request id).
STARTUP_MESSAGES = ("AWS_LAMBDA_MAX_CONCURRENCY", "cold start")


# ---------------------------------------------------------------- membership follow-ups


def test_a_close_followup_that_keeps_failing_is_dropped_harmlessly_and_taken_up_again(stack):
    """A business too big for the close's transaction, with DynamoDB gone while its follow-up
    runs: the step fails, Lambda retries it (MaximumRetryAttempts), then drops the batch. The
    memberships left give nobody access (the business is closed); any later change to the
    business item (an operator's) brings the step again, which ends them."""
    from test_scale import CLOSE_FIRST_CHUNK, business_with_members, get_all, my_businesses, query
    owner, _, business_id, _, members = business_with_members(stack, CLOSE_FIRST_CHUNK + 4)
    user_sides = [{"pk": f"CRED#{m['idp']}#{m['sub']}", "sk": f"MEMBER#{business_id}"}
                  for m in query(stack, f"BUS#{business_id}", "MEMBER#")]
    stack.settle()
    before = stack.stream("membership-followups")
    with stack.streams_paused():
        assert stack.call("DELETE", f"/businesses/{business_id}", token=owner).status_code == 204
        stack.fault("dynamodb", "down", settle=False)
    stack.settle()
    after = stack.stream("membership-followups")
    assert after["failed_invocations"] - before["failed_invocations"] == 1 + 3, (before, after)
    assert after["dropped_batches"] - before["dropped_batches"] == 1, (before, after)
    stack.fault("dynamodb", "up")
    left = query(stack, f"BUS#{business_id}", "MEMBER#")
    assert len(left) == 5 and len(get_all(stack, user_sides)) == 5
    waiting = [token for token, user, _ in members if user["urn"] in {m["urn"] for m in left}]
    for token in waiting:
        assert business_id not in my_businesses(stack, token)
        assert_problem(stack.call("GET", f"/businesses/{business_id}", token=token), 404)

    stack.table.update_item(Key={"pk": f"BUS#{business_id}", "sk": "META"},
                            UpdateExpression="ADD followup_steps :one", ConditionExpression="#s = :closed",
                            ExpressionAttributeNames={"#s": "status"},
                            ExpressionAttributeValues={":one": 1, ":closed": "closed"})
    stack.settle()
    assert query(stack, f"BUS#{business_id}", "MEMBER#") == [] and get_all(stack, user_sides) == {}


def test_a_claim_followup_that_keeps_failing_is_taken_up_by_the_next_change_of_the_account(stack):
    """An account too big for the claim's transaction, with DynamoDB gone while its follow-up
    runs: the step is dropped after its retries. The memberships left under the old credential
    give it nothing (it has no account), the new credential lacks them, and the account still
    says moving_from, so another claim waits. The account's next change (here a profile change)
    carries moving_from, and its stream record brings the step again."""
    from test_scale import (CLAIM_FIRST_CHUNK, account_with_memberships, claim, my_businesses, query)
    from test_users import user_item
    old_sub, old, user, roles = account_with_memberships(stack, own=0, joined=CLAIM_FIRST_CHUNK + 3)
    new_sub_ = new_sub()
    new = stack.token(new_sub_, idp="sign-in-partner")
    stack.settle()
    before = stack.stream("membership-followups")
    with stack.streams_paused():
        claimed, _ = claim(stack, old, new)
        assert claimed.status_code == 200, claimed.text
        stack.fault("dynamodb", "down", settle=False)
    stack.settle()
    after = stack.stream("membership-followups")
    assert after["dropped_batches"] - before["dropped_batches"] == 1, (before, after)
    stack.fault("dynamodb", "up")
    left = query(stack, f"CRED#gckey#{old_sub}")
    assert len(left) == 3
    assert_problem(stack.call("GET", f"/businesses/{left[0]['business_id']}", token=old), 404)
    assert len(my_businesses(stack, new)) == CLAIM_FIRST_CHUNK
    assert user_item(stack, new_sub_, idp="sign-in-partner")["moving_from"] == {"idp": "gckey", "sub": old_sub}

    patched = stack.call("PATCH", "/users/me", token=new, json={"phone": "+1 613 555 0177"})
    assert patched.status_code == 200, patched.text
    stack.settle()
    assert query(stack, f"CRED#gckey#{old_sub}") == []
    assert {b: v["role"] for b, v in my_businesses(stack, new).items()} == roles
    moved = user_item(stack, new_sub_, idp="sign-in-partner")
    assert "moving_from" not in moved and moved["phone"] == "+16135550177"


def test_the_retry_run_reads_every_shard_of_the_pending_notices_and_the_unsharded_partition(stack):
    """Pending notices are spread over ten index partitions (no single hot key for a mass
    mailing); the schedule reads all ten, and the unsharded one notices were written to before,
    oldest first, and sends each once."""
    stack.settle()
    with stack.streams_paused():
        orders = [issue(stack, "emanifest", new_identifier("emanifest"))[1] for _ in range(24)]
        notices = [n for order in orders for n in notice_items(stack, order["email"])]
        assert len(notices) == 24
        shards = collections.Counter(n["gsi1pk"] for n in notices)
        assert set(shards) == {pending_partition(n) for n in notices}
        assert len(shards) >= 5, shards  # 24 random ids in 10 shards: ≥ 5 all but always
        # One as an earlier release wrote it, unsharded.
        legacy = notices[0]
        stack.table.update_item(Key={"pk": legacy["pk"], "sk": legacy["sk"]},
                                UpdateExpression="SET gsi1pk = :p", ExpressionAttributeValues={":p": "NOTICES#pending"})
        for notice in notices:
            make_due(stack, notice)
        summary = run_retry_notices(stack)
        assert summary["sent"] >= 24, summary
        for order in orders:
            [notice] = notice_items(stack, order["email"])
            assert notice["status"] == "sent" and "gsi1pk" not in notice, notice
    # The stream, resumed, finds them sent: each address got its one mail.
    for order in orders:
        assert len(mail_to(stack, order["email"])) == 1
