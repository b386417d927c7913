#!/usr/bin/env python3
"""The performance benchmark (not a test: it asserts no timing). See local-tests/bench/run.

Builds release binaries (the project's, and two baselines in their own workspace), measures
artifact sizes, starts its own local stack, then, with every binary exec'd against a fake
Lambda Runtime API on 127.0.0.1:
  1. cold start (exec -> first response; CPU user+sys via wait4), 20 runs, interleaved with the
     hello-world and "typical" SDK baselines and two diagnostic variants;
  2. peak memory (VmHWM) over a cold start plus 1 000 warm invocations;
  3. zip sizes (cargo lambda build --output-format zip);
  4. DynamoDB (and Secrets Manager / SES) calls per request, through a counting proxy;
  5. warm latency through the local gateway (the stack's apigw.Gateway, invoking release
     binaries, 8 instances per function) under a bounded load, and function CPU per request;
and writes BENCHMARKS.md. Every loop is bounded in count and time; everything is on 127.0.0.1.
"""

import argparse
import collections
import datetime
import hashlib
import json
import os
import platform
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import zipfile
from pathlib import Path

import boto3

BENCH = Path(__file__).resolve().parent
LOCAL_TESTS = BENCH.parent
REPO = LOCAL_TESTS.parent
sys.path.insert(0, str(LOCAL_TESTS))
sys.path.insert(0, str(BENCH))

import apigw  # noqa: E402
from cfn_template import http_api_routes, load_template  # noqa: E402
from lambda_host import (CountingProxy, Instance, InvocationFailed, Pool, describe_dynamodb,  # noqa: E402
                         describe_moto, read_schedstat_ns, read_status, status_of)
import scenarios  # noqa: E402

TARGET = BENCH / "target"
PROJECT_TARGET = TARGET / "project"
BASELINES_TARGET = TARGET / "baselines"
BASELINES = BENCH / "baselines"
TRIPLE = "x86_64-unknown-linux-gnu"
ARM_TRIPLE = "aarch64-unknown-linux-gnu"
VENV_BIN = REPO / ".venv" / "bin"

STACK_START_TIMEOUT = 1500  # the stack's own debug build may run first
STACK_STOP_TIMEOUT = 60
BUILD_TIMEOUT = 3600
PHASE_TIME_LIMIT = {"cold": 600, "memory": 600, "count": 300, "load": 600, "mix": 600}
PHASES = ("cold", "memory", "count", "load", "mix")
NOTICE_SHARDS = 10  # store::keys::NOTICE_SHARDS
MEMORY_FUNCTION_TIME_LIMIT = 60  # s of warm invocations per function at most
LOAD_DEADLINE = 240

# Targets from the performance issue.
CPU_VS_HELLO = 2.5
WALL_VS_TYPICAL = 0.65
MEMORY_MB = 16
ZIP_MB = 3
WARM_CPU_MS = 0.5


def log(*parts):
    print(f"[bench {time.strftime('%H:%M:%S')}]", *parts, flush=True)


def sh(argv, **kw):
    return subprocess.run(argv, capture_output=True, text=True, **kw).stdout.strip()


# ---------------------------------------------------------------- machine


def machine_info():
    cpu = "?"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            mem_kb = int(line.split()[1])
    return {
        "nproc": sh(["nproc"]),
        "cpu": cpu,
        "memory_gib": round(mem_kb / 1024 / 1024, 1),
        "kernel": platform.release(),
        "rustc": sh(["rustc", "--version"]),
        "cargo_lambda": sh([str(VENV_BIN / "cargo-lambda"), "lambda", "--version"]),
        "python": platform.python_version(),
        "git": sh(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"]),
        "git_dirty": sh(["git", "-C", str(REPO), "status", "--short", "--untracked-files=no"]).splitlines(),
    }


def loadavg():
    return Path("/proc/loadavg").read_text().split()[:3]


class LoadSampler:
    """Samples the 1-minute load average and the busiest other processes during the run."""

    def __init__(self):
        self.samples = []
        self.others = collections.Counter()
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        mine = os.getpid()
        while not self.stop.wait(5):
            self.samples.append(float(loadavg()[0]))
            try:
                out = sh(["ps", "-eo", "ppid,pcpu,comm", "--sort=-pcpu", "--no-headers"])
                for line in out.splitlines()[:8]:
                    ppid, pcpu, comm = line.split(None, 2)
                    if float(pcpu) >= 20 and int(ppid) != mine:
                        self.others[comm] += 1
            except (ValueError, OSError):
                pass

    def summary(self):
        self.stop.set()
        s = self.samples or [0.0]
        return {"load1_min": min(s), "load1_median": statistics.median(s), "load1_max": max(s),
                "busy_others": self.others.most_common(6)}


# ---------------------------------------------------------------- builds


def timed(name, argv, cwd, env_extra, log_dir, timeout=BUILD_TIMEOUT):
    env = dict(os.environ)
    env.update(env_extra)
    env["PATH"] = f"{VENV_BIN}{os.pathsep}{env['PATH']}"
    log(f"build: {name}: {' '.join(argv)}")
    started = time.time()
    with open(log_dir / f"build-{name}.log", "w") as out:
        try:
            code = subprocess.run(argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, timeout=timeout).returncode
        except subprocess.TimeoutExpired:
            code = "timeout"
    tail = (log_dir / f"build-{name}.log").read_text(errors="replace").strip().splitlines()[-12:]
    result = {"name": name, "argv": argv, "cwd": str(cwd), "env": env_extra, "code": code,
              "seconds": round(time.time() - started, 1), "tail": tail}
    log(f"build: {name}: exit {code} in {result['seconds']} s")
    return result


def source_state():
    """What the project binaries are built from: HEAD plus a digest of the uncommitted changes."""
    diff = subprocess.run(["git", "-C", str(REPO), "diff", "HEAD", "--", "shared", "functions", "Cargo.toml", "Cargo.lock"],
                          capture_output=True).stdout
    untracked = sh(["git", "-C", str(REPO), "ls-files", "--others", "--exclude-standard", "shared", "functions"])
    digest = hashlib.sha256(diff + untracked.encode()).hexdigest()[:12]
    return {"head": sh(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"]),
            "uncommitted_digest": digest if diff or untracked else None,
            "at": time.strftime("%Y-%m-%d %H:%M:%S")}


def build_all(args, run_dir):
    builds = []
    offline = {"CARGO_NET_OFFLINE": "true"}
    # The project: native release binaries for the runs (the host is x86_64 Linux, Lambda's
    # provided.al2023 ABI), as the issue asks.
    builds.append(timed("project-release", ["cargo", "build", "--release", "--workspace", "--bins"],
                        REPO, {"CARGO_TARGET_DIR": str(PROJECT_TARGET), **offline}, run_dir))
    # The baselines: cargo lambda's x86_64 build with plain cargo gives both the native binaries
    # (target/baselines/x86_64-unknown-linux-gnu/release) and their zips.
    builds.append(timed("baselines-zip-x86_64",
                        ["cargo", "lambda", "build", "--release", "--x86-64", "--compiler", "cargo",
                         "--output-format", "zip", "--lambda-dir", str(TARGET / "lambda-x86_64")],
                        BASELINES, {"CARGO_TARGET_DIR": str(BASELINES_TARGET), **offline}, run_dir))
    # Sizes for the deployed architecture. The aarch64 standard library must be installed for
    # the toolchain (rustup target add downloads it; the benchmark never downloads anything), so
    # the target check is skipped and cargo's own error says what is missing.
    installed = sh(["rustup", "target", "list", "--installed"]).split()
    arm = {"installed": ARM_TRIPLE in installed}
    lambda_arm = ["cargo", "lambda", "build", "--release", "--arm64", "--output-format", "zip",
                  "--skip-target-check", "--lambda-dir", str(TARGET / "lambda-arm64")]
    builds.append(timed("project-zip-arm64", lambda_arm, REPO,
                        {"CARGO_TARGET_DIR": str(PROJECT_TARGET), **offline}, run_dir,
                        timeout=BUILD_TIMEOUT if arm["installed"] else 300))
    arm["ok"] = builds[-1]["code"] == 0
    if arm["ok"]:
        builds.append(timed("baselines-zip-arm64", lambda_arm, BASELINES,
                            {"CARGO_TARGET_DIR": str(BASELINES_TARGET), **offline}, run_dir))
    return builds, arm


def zip_like_cargo_lambda(binary, out):
    """A zip as cargo lambda makes it: one `bootstrap` entry, mode 0755, deflated."""
    out.parent.mkdir(parents=True, exist_ok=True)
    info = zipfile.ZipInfo("bootstrap", date_time=(2026, 1, 1, 0, 0, 0))
    info.external_attr = (0o100755 << 16)
    info.compress_type = zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(out, "w") as zf:
        zf.writestr(info, binary.read_bytes())


def binary_paths(functions):
    paths = {f: PROJECT_TARGET / "release" / f for f in functions}
    paths["@hello"] = BASELINES_TARGET / TRIPLE / "release" / "hello"  # cargo lambda --compiler cargo
    paths["@typical"] = BASELINES_TARGET / TRIPLE / "release" / "typical"
    missing = [str(p) for p in paths.values() if not p.exists()]
    if missing:
        raise SystemExit(f"bench: missing binaries (did the build fail?): {missing}")
    return paths


def zip_sizes(functions, paths):
    """(arch, name) -> sizes. x86_64 project zips are the native release binaries zipped as cargo
    lambda zips them (cargo lambda's own x86_64 build would be a second full LTO build of the
    26 binaries); the baselines have both, which checks that the two zips agree."""
    out = {}
    for name in list(functions) + ["hello", "typical"]:
        for arch in ("arm64", "x86_64"):
            z = TARGET / f"lambda-{arch}" / name / "bootstrap.zip"
            if z.exists() and (arch == "x86_64" and name in ("hello", "typical") or arch == "arm64"):
                with zipfile.ZipFile(z) as zf:
                    unzipped = sum(i.file_size for i in zf.infolist())
                out[(arch, name)] = {"zip": z.stat().st_size, "binary": unzipped, "by": "cargo lambda"}
        binary = paths.get(name) or paths.get(f"@{name}")
        mine = TARGET / "zips-x86_64" / name / "bootstrap.zip"
        zip_like_cargo_lambda(binary, mine)
        entry = {"zip": mine.stat().st_size, "binary": binary.stat().st_size, "by": "bench (cargo lambda layout)"}
        if name in ("hello", "typical"):
            out[("x86_64-bench", name)] = entry
        else:
            out[("x86_64", name)] = entry
    return out


# ---------------------------------------------------------------- the stack


class Stack:
    def __init__(self, run_dir):
        self.state = run_dir / "stack"
        self.state.mkdir(parents=True, exist_ok=True)
        self.out = open(self.state / "stack.out", "wb")
        log("stack: local-tests/up --api-port 0 --state-dir", self.state)
        self.proc = subprocess.Popen([str(LOCAL_TESTS / "up"), "--api-port", "0", "--state-dir", str(self.state)],
                                     stdin=subprocess.DEVNULL, stdout=self.out, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.time() + STACK_START_TIMEOUT
        while not (self.state / "stack.json").exists():
            if self.proc.poll() is not None:
                raise SystemExit(f"bench: the stack exited ({self.proc.returncode}); see {self.state / 'stack.out'}")
            if time.time() > deadline:
                self.stop()
                raise SystemExit(f"bench: the stack was not ready after {STACK_START_TIMEOUT}s")
            time.sleep(0.5)
        self.info = json.loads((self.state / "stack.json").read_text())
        for key in ("api_url", "dynamodb_url", "moto_url"):
            assert self.info[key].startswith("http://127.0.0.1:"), self.info[key]
        self.env = {}
        env_file = Path(self.info.get("functions_env") or self.state / "functions.env")
        for line in env_file.read_text().splitlines():
            if "=" in line:
                k, v = line.split("=", 1)
                self.env[k] = v
        # The functions' environment as the stack gives it, but with the emulators themselves as
        # endpoints: the stack may put fault-injection proxies (a test device) in between, whose
        # extra hop would be counted in every call.
        self.endpoints_given = {k: v for k, v in self.env.items() if k.startswith("AWS_ENDPOINT_URL")}
        self.env.update({"AWS_ENDPOINT_URL_DYNAMODB": self.info["dynamodb_url"],
                         "AWS_ENDPOINT_URL_SECRETS_MANAGER": self.info["moto_url"],
                         "AWS_ENDPOINT_URL_SESV2": self.info["moto_url"]})
        log("stack: ready", self.info["api_url"])

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)  # stack.py stops everything on SIGINT
            try:
                self.proc.wait(STACK_STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.out.close()


# ---------------------------------------------------------------- phases


def stats(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def percentile(values, p):
    values = sorted(values)
    if not values:
        return None
    k = (len(values) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


class Events:
    """Hands out each scenario's fresh first-request events in order."""

    def __init__(self, scen):
        self.scen = scen
        self.next = collections.Counter()

    def first(self, name):
        events = self.scen[name]["first"]
        i = self.next[name]
        self.next[name] += 1
        return json.dumps(events[min(i, len(events) - 1)]).encode()


def cold_once(path, name, env, log_file, event, extra_env=None):
    instance = Instance(str(path), name, env, log_file, extra_env)
    slot = instance.start(event)
    result = {}
    try:
        answer = instance.wait(slot)
        result["wall_ms"] = (slot.t_response - instance.t_exec) * 1000
        result["status"] = status_of(answer)
        instance.idle(1, timeout=10)  # asks for the next event: idle, the first response is done
        # (wait4's ru_maxrss would carry this Python process's RSS from before the exec.)
        result["hwm_kb"] = read_status(instance.proc.pid).get("VmHWM")
    except InvocationFailed as e:
        result["error"] = str(e)
    finally:
        instance.stop()
    if instance.rusage is not None:
        result["cpu_ms"] = (instance.rusage.ru_utime + instance.rusage.ru_stime) * 1000
        result["user_ms"] = instance.rusage.ru_utime * 1000
        result["sys_ms"] = instance.rusage.ru_stime * 1000
    return result


def cold_phase(variants, events, env, run_dir, runs):
    """variants: [(label, path, scenario, extra_env)]. One unrecorded warm-up round, then
    `runs` rounds, each in a fresh random order (so load from others hits every variant alike)."""
    log(f"cold: {len(variants)} variants x ({runs} + 1 warm-up) runs, interleaved")
    rng = random.Random(7)
    results = collections.defaultdict(list)
    deadline = time.time() + PHASE_TIME_LIMIT["cold"]
    with open(run_dir / "functions-cold.log", "wb") as log_file:
        for r in range(runs + 1):
            order = list(variants)
            rng.shuffle(order)
            for label, path, scenario, extra_env in order:
                if time.time() > deadline:
                    log("cold: time limit reached; stopping early")
                    return results
                result = cold_once(path, label, env, log_file, events.first(scenario), extra_env)
                if r > 0:
                    results[label].append(result)
                time.sleep(0.02)
            log(f"cold: round {r}/{runs} done")
    return results


def memory_phase(functions, paths, scen, events, env, run_dir, warm_count):
    log(f"memory: cold start + {warm_count} warm invocations per function")
    results = {}
    deadline = time.time() + PHASE_TIME_LIMIT["memory"]
    with open(run_dir / "functions-memory.log", "wb") as log_file:
        for name in functions:
            if time.time() > deadline:
                log("memory: time limit reached; stopping early")
                break
            instance = Instance(str(paths[name]), name, env, log_file)
            first = events.first(name)
            warm = [json.dumps(e).encode() for e in scen[name].get("warm") or []] or [first]
            statuses = collections.Counter()
            res = {"warm_done": 0}
            try:
                slot = instance.start(first)
                statuses[status_of(instance.wait(slot))] += 1
                instance.idle(1)
                cpu0 = read_schedstat_ns(instance.proc.pid)
                res["hwm_after_cold_kb"] = read_status(instance.proc.pid).get("VmHWM")
                limit = time.time() + MEMORY_FUNCTION_TIME_LIMIT
                walls = []
                for i in range(warm_count):
                    if time.time() > limit:
                        break
                    t0 = time.perf_counter()
                    answer, _ = instance.invoke(warm[i % len(warm)])
                    walls.append((time.perf_counter() - t0) * 1000)
                    statuses[status_of(answer)] += 1
                    res["warm_done"] += 1
                instance.idle(1 + res["warm_done"])
                status = read_status(instance.proc.pid)
                res["hwm_kb"] = status.get("VmHWM")
                res["rss_kb"] = status.get("VmRSS")
                res["threads"] = status.get("Threads")
                res["warm_invoke_ms"] = stats(walls)
                cpu1 = read_schedstat_ns(instance.proc.pid)
                if cpu0 is not None and cpu1 is not None and res["warm_done"]:
                    res["warm_cpu_ms"] = (cpu1 - cpu0) / 1e6 / res["warm_done"]
            except InvocationFailed as e:
                res["error"] = str(e)
            finally:
                instance.stop()
            res["statuses"] = {str(k): v for k, v in sorted(statuses.items(), key=lambda kv: str(kv[0]))}
            results[name] = res
            log(f"memory: {name}: VmHWM {res.get('hwm_kb')} kB after {res['warm_done']} warm; {res['statuses']}")
    return results


def count_phase(functions, paths, events, env, stack_info, run_dir):
    log("count: DynamoDB / Secrets Manager / SES calls per request, one request at a time")
    ddb = CountingProxy(stack_info["dynamodb_url"], describe_dynamodb)
    moto = CountingProxy(stack_info["moto_url"], describe_moto)
    extra = {"AWS_ENDPOINT_URL_DYNAMODB": ddb.url, "AWS_ENDPOINT_URL_SECRETS_MANAGER": moto.url,
             "AWS_ENDPOINT_URL_SESV2": moto.url}
    results = {}
    deadline = time.time() + PHASE_TIME_LIMIT["count"]

    def label(value):
        ddb.label = moto.label = value

    try:
        with open(run_dir / "functions-count.log", "wb") as log_file:
            for name in functions:
                if time.time() > deadline:
                    log("count: time limit reached; stopping early")
                    break
                instance = Instance(str(paths[name]), name, env, log_file, extra)
                res = {}
                try:
                    label(f"{name}|start")
                    instance.start()
                    instance.idle(0)
                    for k in (1, 2):
                        label(f"{name}|{k}")
                        answer, _ = instance.invoke(events.first(name))
                        res[f"status{k}"] = status_of(answer)
                        instance.idle(k)
                except InvocationFailed as e:
                    res["error"] = str(e)
                finally:
                    instance.stop()
                for part in ("start", "1", "2"):
                    res[f"ddb_{part}"] = ddb.take(f"{name}|{part}")
                    res[f"other_{part}"] = moto.take(f"{name}|{part}")
                results[name] = res
    finally:
        ddb.close()
        moto.close()
    # Every Scan anywhere, whatever the label (none expected).
    results["_scans"] = [l for l, d in ddb.calls if d.get("op") == "Scan"]
    return results


class BenchGateway(apigw.Gateway):
    """The stack's gateway (routes, JWT authorizer, payload-2.0 events), invoking release
    binaries in a Pool instead of cargo lambda watch's debug builds."""

    def __init__(self, address, *, routes, authorizer, log):
        self.pools = {}
        super().__init__(address, routes=routes, authorizer=authorizer, minter=None, watch_url=None, log=log)

    def invoke(self, binary, event):
        pool = self.pools.get(binary)
        if pool is None:
            raise apigw.FunctionFailed(f"no instances for {binary}")
        try:
            return pool.invoke(json.dumps(event).encode())
        except (InvocationFailed, Exception) as e:
            raise apigw.FunctionFailed(str(e)) from None


def run_load(base, workers):
    spec = {"base": base, "deadline_s": LOAD_DEADLINE, "workers": workers}
    out = subprocess.run([sys.executable, str(BENCH / "loadgen.py")], input=json.dumps(spec), capture_output=True,
                         text=True, timeout=LOAD_DEADLINE + 60)
    if out.returncode != 0:
        raise RuntimeError(f"loadgen failed: {out.stderr[-2000:]}")
    return json.loads(out.stdout)


def load_phase(plans, paths, env, stack_info, routes, run_dir, concurrency):
    log("load: warm latency through the gateway, release binaries")
    gateway, base = gateway_for(stack_info, env, routes, run_dir, "bench-gateway.log")
    results = {}
    deadline = time.time() + PHASE_TIME_LIMIT["load"]
    try:
        with open(run_dir / "functions-load.log", "wb") as log_file:
            for name, plan in plans.items():
                if time.time() > deadline:
                    log("load: time limit reached; stopping early")
                    break
                binary = plan["binary"]
                pool = Pool(str(paths[binary]), binary, env, concurrency, log_file)
                gateway.pools = {plan["serves"]: pool}
                res = {"binary": binary}
                try:
                    for instance in pool.instances:
                        instance.idle(0)
                    warm = run_load(base, plan["warmup"])
                    res["warmup_statuses"] = warm["statuses"]
                    cpu0, threads0 = pool.cpu_ns(), pool.threads()
                    measured = run_load(base, plan["measured"])
                    cpu1, threads1 = pool.cpu_ns(), pool.threads()
                    lat = measured["latencies_ms"]
                    res.update({
                        "requests": len(lat), "statuses": measured["statuses"], "wall_s": measured["wall_s"],
                        "p50_ms": percentile(lat, 50), "p99_ms": percentile(lat, 99), "max_ms": max(lat) if lat else None,
                        "min_ms": min(lat) if lat else None,
                        "throughput_rps": len(lat) / measured["wall_s"] if measured["wall_s"] else None,
                        "cpu_ms_per_request": (cpu1 - cpu0) / 1e6 / len(lat) if lat else None,
                        "threads_before_after": [threads0, threads1],
                    })
                finally:
                    pool.stop()
                results[name] = res
                log(f"load: {name}: p50 {res.get('p50_ms')} ms, p99 {res.get('p99_ms')} ms, "
                    f"CPU {res.get('cpu_ms_per_request')} ms/request, {res.get('statuses')}")
    finally:
        gateway.shutdown()
        gateway.server_close()
    return results


def gateway_for(stack_info, env, routes, run_dir, name):
    jwks = json.loads(boto3.client("secretsmanager", endpoint_url=stack_info["moto_url"], region_name=stack_info["region"],
                                   aws_access_key_id="test", aws_secret_access_key="test")
                      .get_secret_value(SecretId=env["JWT_KEYS_SECRET_ID"])["SecretString"])
    gateway = BenchGateway(("127.0.0.1", 0), routes=routes,
                           authorizer=apigw.JwtAuthorizer(jwks, stack_info["jwt_issuer"], stack_info["jwt_audience"]),
                           log=apigw.gateway_logger(run_dir / name))
    threading.Thread(target=gateway.serve_forever, daemon=True).start()
    return gateway, f"http://127.0.0.1:{gateway.server_address[1]}"


def pending_notices_per_shard(stack_info, env):
    """How many notices wait in each shard of the pending index (and the old unsharded
    partition): the hot key the outbox spreads. One COUNT Query per partition."""
    ddb = boto3.client("dynamodb", endpoint_url=stack_info["dynamodb_url"], region_name=stack_info["region"],
                       aws_access_key_id="test", aws_secret_access_key="test")
    counts = {}
    for partition in [f"NOTICES#pending#{n}" for n in range(NOTICE_SHARDS)] + ["NOTICES#pending"]:
        total, start = 0, None
        while True:
            kw = {"ExclusiveStartKey": start} if start else {}
            out = ddb.query(TableName=env["TABLE_NAME"], IndexName="gsi1", Select="COUNT",
                            KeyConditionExpression="gsi1pk = :p", ExpressionAttributeValues={":p": {"S": partition}}, **kw)
            total += out["Count"]
            start = out.get("LastEvaluatedKey")
            if not start:
                break
        counts[partition] = total
    return counts


def mix_phase(plan, paths, env, stack_info, routes, run_dir, concurrency):
    """Every function of the peak mix at once behind the gateway (`concurrency` instances each,
    as Lambda would scale each under this load), the load client's workers each sending their
    seeded mix: throughput, latency and errors, per route and overall, and the function CPU."""
    log(f"mix: {sum(len(w) for w in plan['workers'])} requests of the peak mix, {len(plan['workers'])} connections")
    gateway, base = gateway_for(stack_info, env, routes, run_dir, "bench-gateway-mix.log")
    shards_before = pending_notices_per_shard(stack_info, env)
    pools = {}
    try:
        with open(run_dir / "functions-mix.log", "wb") as log_file:
            for binary in plan["functions"]:
                pools[binary] = Pool(str(paths[binary]), binary, env, concurrency, log_file)
            gateway.pools = pools
            for pool in pools.values():
                for instance in pool.instances:
                    instance.idle(0)
            cpu0 = sum(p.cpu_ns() for p in pools.values())
            measured = run_load(base, plan["workers"])
            cpu1 = sum(p.cpu_ns() for p in pools.values())
    finally:
        for pool in pools.values():
            pool.stop()
        gateway.shutdown()
        gateway.server_close()
    lat, wall = measured["latencies_ms"], measured["wall_s"]
    routes_out = {}
    errors = 0
    for label, r in sorted(measured["by_label"].items()):
        expected = scenarios.MIX_EXPECTED.get(label, "200")
        bad = sum(n for status, n in r["statuses"].items() if status != expected)
        errors += bad
        routes_out[label] = {"requests": len(r["latencies_ms"]), "statuses": r["statuses"], "errors": bad,
                             "p50_ms": percentile(r["latencies_ms"], 50), "p99_ms": percentile(r["latencies_ms"], 99),
                             "throughput_rps": len(r["latencies_ms"]) / wall if wall else None}
    shards_after = pending_notices_per_shard(stack_info, env)
    result = {"requests": len(lat), "unsent": measured["unsent"], "wall_s": wall, "errors": errors,
              "throughput_rps": len(lat) / wall if wall else None, "p50_ms": percentile(lat, 50),
              "p99_ms": percentile(lat, 99), "max_ms": max(lat) if lat else None,
              "cpu_ms_per_request": (cpu1 - cpu0) / 1e6 / len(lat) if lat else None,
              "routes": routes_out, "concurrency": concurrency, "connections": len(plan["workers"]),
              "teams": len(plan["workers"]) * scenarios.MIX_TEAMS_PER_WORKER, "deadline_s": LOAD_DEADLINE,
              "notices_by_shard": {k: shards_after[k] - shards_before.get(k, 0) for k in shards_after}}
    log(f"mix: {result['throughput_rps']:.0f} req/s, p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms, "
        f"{errors} errors; notices by shard {result['notices_by_shard']}")
    return result


# ---------------------------------------------------------------- main


def rewrite_report(args):
    import report
    run_dir = args.report_only.resolve()
    raw = json.loads((run_dir / "results.json").read_text())
    sizes = {tuple(k.split("/", 1)): v for k, v in raw["sizes"].items()}
    saved = raw["args"]
    for key in ("runs", "warm", "load_requests", "load_warmup", "concurrency", "command"):
        setattr(args, key, saved[key])
    report.write(args, raw, raw["functions"], raw["route_of"], scen_notes=raw["notes"], sizes=sizes, run_dir=run_dir)
    log(f"wrote {args.output}")


def main():
    parser = argparse.ArgumentParser(description="Performance benchmark; writes BENCHMARKS.md")
    parser.add_argument("--runs", type=int, default=20, help="cold starts per binary (default 20)")
    parser.add_argument("--warm", type=int, default=1000, help="warm invocations for peak memory (default 1000)")
    parser.add_argument("--load-requests", type=int, default=400, help="measured requests per route (default 400)")
    parser.add_argument("--load-warmup", type=int, default=40, help="unmeasured requests per route first (default 40)")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--mix-requests", type=int, default=2000,
                        help="requests of the mixed peak-hour load, all routes at once (default 2000)")
    parser.add_argument("--phases", default=",".join(PHASES),
                        help=f"phases to run, comma-separated (default all: {','.join(PHASES)}); a partial run "
                             "should write to another --output")
    parser.add_argument("--skip-build", action="store_true", help="use the binaries and zips already built")
    parser.add_argument("--output", type=Path, default=REPO / "BENCHMARKS.md")
    parser.add_argument("--command", default="local-tests/bench/run", help="the command line, as BENCHMARKS.md shows it")
    parser.add_argument("--report-only", type=Path, metavar="RUN_DIR",
                        help="only rewrite the report from RUN_DIR/results.json")
    args = parser.parse_args()
    if args.report_only:
        return rewrite_report(args)

    started = time.time()
    run_dir = TARGET / "runs" / time.strftime("%Y%m%dT%H%M%S")
    run_dir.mkdir(parents=True, exist_ok=True)
    log("run directory:", run_dir)
    machine = machine_info()
    machine["source"] = source_state()
    machine["load_at_start"] = loadavg()
    sampler = LoadSampler()

    template = load_template()
    routes = http_api_routes(template)
    functions = sorted({r.binary for r in routes})
    route_of = {r.binary: f"{r.method} {r.path}" for r in routes}

    builds, arm = ([], {"installed": None, "ok": None})
    last_build = TARGET / "last-build.json"
    if not args.skip_build:
        builds, arm = build_all(args, run_dir)
        after = source_state()
        if (after["head"], after["uncommitted_digest"]) != (machine["source"]["head"], machine["source"]["uncommitted_digest"]):
            machine["source"]["note"] = (f"the tree changed while cargo built (other engineers): {after['head']}"
                                         f"{' + changes ' + after['uncommitted_digest'] if after['uncommitted_digest'] else ''}"
                                         f" at {after['at']} UTC; cargo compiled whichever state it read")
        if any(b["code"] != 0 for b in builds if b["name"] in ("project-release", "baselines-zip-x86_64")):
            raise SystemExit("bench: release build failed; see " + str(run_dir))
        last_build.write_text(json.dumps({"builds": builds, "arm": arm, "source": machine["source"],
                                          "seconds": time.time() - started}, indent=1))
    elif last_build.exists():
        saved = json.loads(last_build.read_text())
        builds, arm = saved["builds"], saved["arm"]
        machine["source"] = saved["source"]
        machine["build_reused"] = {"seconds": saved["seconds"], "at": saved["source"]["at"]}
    else:
        arm["installed"] = ARM_TRIPLE in sh(["rustup", "target", "list", "--installed"]).split()
    build_seconds = time.time() - started
    paths = binary_paths(functions)
    sizes = zip_sizes(functions, paths)

    one_root = run_dir / "one-root.pem"
    bundle = Path("/etc/ssl/certs/ca-certificates.crt")
    if bundle.exists():
        pem = bundle.read_text()
        one_root.write_text(pem[:pem.index("-----END CERTIFICATE-----") + len("-----END CERTIFICATE-----")] + "\n")

    stack = Stack(run_dir)
    results = {}
    unmeasured = []
    try:
        env = dict(stack.env)
        api = scenarios.Api(stack.info, routes)
        fresh = args.runs + 4  # warm-up round, runs, memory run, two counted requests
        t0 = time.time()
        log("setup: data and events through the stack's API")
        phases = set(args.phases.split(","))
        unknown = phases - set(PHASES)
        if unknown:
            raise SystemExit(f"bench: unknown phases {sorted(unknown)}; known: {PHASES}")
        scen = scenarios.build_scenarios(api, fresh, args.warm)
        plans = scenarios.load_plan(api, args.concurrency, args.load_warmup, args.load_requests) if "load" in phases else {}
        mix = scenarios.mix_plan(api, args.concurrency, args.mix_requests) if "mix" in phases else None
        # The setup's notices go out through the stack's stream now; then the stream is held,
        # so that send-notices does not run beside what is measured.
        api.settle_streams()
        api.pause_streams()
        results["setup"] = {"seconds": round(time.time() - t0, 1), "api_calls": api.calls}
        log(f"setup: {api.calls} API calls in {results['setup']['seconds']} s")
        events = Events(scen)
        # Routes the scenarios do not know yet (newer than the benchmark's data set-up) are
        # reported as not measured rather than stopping the run.
        unmeasured = sorted(f for f in functions if f not in scen)
        if unmeasured:
            log(f"not measured (no scenario): {', '.join(unmeasured)}")
        functions = [f for f in functions if f in scen]

        variants = [(f, paths[f], f, None) for f in functions]
        variants += [("@hello", paths["@hello"], "@hello", None), ("@typical", paths["@typical"], "@typical", None)]
        if one_root.exists():
            variants += [("@typical [1 root]", paths["@typical"], "@typical", {"SSL_CERT_FILE": str(one_root)}),
                         ("get-me [1 root]", paths["get-me"], "get-me", {"SSL_CERT_FILE": str(one_root)})]
        if "cold" in phases:
            results["cold"] = cold_phase(variants, events, env, run_dir, args.runs)
        if "memory" in phases:
            results["memory"] = memory_phase(functions + ["@hello", "@typical"], paths, scen, events, env, run_dir,
                                             args.warm)
        if "count" in phases:
            results["count"] = count_phase(functions + ["@typical"], paths, events, env, stack.info, run_dir)
        if "load" in phases:
            results["load"] = load_phase(plans, paths, env, stack.info, routes, run_dir, args.concurrency)
        if mix is not None:
            results["mix"] = mix_phase(mix, paths, env, stack.info, routes, run_dir, args.concurrency)
    finally:
        stack.stop()
    machine["load"] = sampler.summary()
    machine["load_at_end"] = loadavg()
    total_seconds = time.time() - started

    raw = {"machine": machine, "builds": builds, "arm": arm, "sizes": {f"{a}/{n}": v for (a, n), v in sizes.items()},
           "results": results, "seconds": {"build": build_seconds, "total": total_seconds}, "args": vars(args) | {"output": str(args.output)}}
    raw["functions"], raw["route_of"] = functions, route_of
    raw["unmeasured"] = unmeasured
    raw["notes"] = {k: v["note"] for k, v in scen.items()}
    raw["endpoints_given"] = stack.endpoints_given
    (run_dir / "results.json").write_text(json.dumps(raw, indent=1, default=str))
    import report
    report.write(args, raw, functions, route_of, scen_notes=raw["notes"], sizes=sizes, run_dir=run_dir)
    log(f"done in {total_seconds / 60:.1f} min; wrote {args.output}; raw results in {run_dir / 'results.json'}")


if __name__ == "__main__":
    main()
