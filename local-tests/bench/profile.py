#!/usr/bin/env python3
"""Profiles where a function's CPU goes, with `perf` (not part of `run`; a tool for the
findings in BENCHMARKS.md). Needs a build that keeps symbols, e.g.:

    CARGO_PROFILE_RELEASE_STRIP=false CARGO_PROFILE_RELEASE_DEBUG=line-tables-only \
      CARGO_TARGET_DIR=local-tests/bench/target/symbols cargo build --release --bin get-me

    profile.py start BINARY [--runs 40] [--one-root PEM]
        perf over `runs` starts of BINARY up to its first SDK call (the endpoints are a closed
        port on 127.0.0.1, so the start fails right after building the HTTP client); no stack.
    profile.py warm BINARY --stack STATE_DIR [--requests 3000]
        perf attached to one process answering GET /users/me `requests` times, against a
        running local stack (local-tests/up --state-dir STATE_DIR).
    profile.py sizes BINARY
        the binary's text by crate (symbol sizes), to see what makes the zip large.
Prints the hottest symbols, and the same grouped by crate.
"""

import argparse
import collections
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

DUMMY_ENV = {
    "PATH": "/usr/bin:/bin", "AWS_LAMBDA_RUNTIME_API": "127.0.0.1:9", "AWS_LAMBDA_FUNCTION_NAME": "profile",
    "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128",
    "AWS_LAMBDA_LOG_GROUP_NAME": "g", "AWS_LAMBDA_LOG_STREAM_NAME": "s", "TABLE_NAME": "t",
    "JWT_KEYS_SECRET_ID": "a", "PEPPER_SECRET_ID": "b", "NOTICE_SENDER": "n@example.com", "JWT_ISSUER": "i",
    "JWT_AUDIENCE": "a", "AWS_REGION": "ca-central-1", "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
    "AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:9", "AWS_ENDPOINT_URL_SECRETS_MANAGER": "http://127.0.0.1:9",
    "AWS_ENDPOINT_URL_SESV2": "http://127.0.0.1:9", "AWS_LAMBDA_LOG_FORMAT": "JSON", "RUST_LOG": "info",
}


def crate_of(symbol):
    s = symbol.strip()
    s = re.sub(r"^<", "", s)
    s = re.sub(r"^(impl |dyn )", "", s)
    m = re.match(r"([A-Za-z_][A-Za-z0-9_]*)::", s)
    if m:
        return m.group(1)
    if s.startswith("0x") or s.startswith("[unknown]"):
        return "[unknown]"
    if "::" not in s:
        return "C code (aws-lc mostly) / anonymous"
    return "other Rust (generic impls)"


def report(data, comm):
    out = subprocess.run(["perf", "report", "-i", str(data), "--stdio", "--no-children", "--sort", "dso,sym",
                          "--comm", comm, "--percent-limit", "0"], capture_output=True, text=True).stdout
    rows = []
    for line in out.splitlines():
        m = re.match(r"\s*([\d.]+)%\s+(\S+)\s+\[[.k]\]\s+(.*)", line)
        if m:
            rows.append((float(m.group(1)), m.group(2), m.group(3)))
    print("hottest symbols (% of samples):")
    for pct, dso, sym in rows[:35]:
        print(f"  {pct:6.2f}%  {dso:24.24s} {sym[:110]}")
    by = collections.Counter()
    for pct, dso, sym in rows:
        key = crate_of(sym) if dso not in ("[kernel.kallsyms]",) else "[kernel]"
        if dso.startswith("libc") or dso.startswith("ld-linux"):
            key = dso
        by[key] += pct
    print("by crate / library:")
    for key, pct in by.most_common(25):
        print(f"  {pct:6.2f}%  {key}")


def start(args):
    env = dict(DUMMY_ENV)
    if args.one_root:
        env["SSL_CERT_FILE"] = args.one_root
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "perf.data"
        loop = f"for i in $(seq {args.runs}); do {args.binary} >/dev/null 2>&1; done; true"
        subprocess.run(["perf", "record", "-q", "-F", "20000", "-g", "-o", str(data), "--", "sh", "-c", loop],
                       env=env, check=True, timeout=600)
        report(data, Path(args.binary).name[:15])


def warm(args):
    import scenarios
    from cfn_template import http_api_routes, load_template
    from lambda_host import Instance
    state = Path(args.stack)
    info = json.loads((state / "stack.json").read_text())
    env = {}
    for line in Path(info.get("functions_env") or state / "functions.env").read_text().splitlines():
        if "=" in line:
            k, v = line.split("=", 1)
            env[k] = v
    env.update({"AWS_ENDPOINT_URL_DYNAMODB": info["dynamodb_url"], "AWS_ENDPOINT_URL_SECRETS_MANAGER": info["moto_url"],
                "AWS_ENDPOINT_URL_SESV2": info["moto_url"]})
    api = scenarios.Api(info, http_api_routes(load_template()))
    user = api.new_user()
    event = json.dumps(api.event("GET", "/users/me", user["token"])[1]).encode()
    with open(os.devnull, "wb") as devnull, tempfile.TemporaryDirectory() as tmp:
        instance = Instance(args.binary, "get-me", env, devnull)
        instance.start()
        try:
            for _ in range(50):
                instance.invoke(event)
            data = Path(tmp) / "perf.data"
            perf = subprocess.Popen(["perf", "record", "-q", "-F", "20000", "-g", "-o", str(data), "-p",
                                     str(instance.proc.pid)])
            time.sleep(1)
            t0 = time.time()
            for _ in range(args.requests):
                instance.invoke(event)
            print(f"{args.requests} warm requests in {time.time() - t0:.1f} s")
            perf.send_signal(2)
            perf.wait(60)
        finally:
            instance.stop()
        report(data, Path(args.binary).name[:15])


def sizes(args):
    out = subprocess.run(["nm", "--size-sort", "-S", "-C", args.binary], capture_output=True, text=True).stdout
    by = collections.Counter()
    total = 0
    for line in out.splitlines():
        parts = line.split(None, 3)
        if len(parts) < 4 or parts[2] not in "tTrRdDbB":
            continue
        size = int(parts[1], 16)
        total += size
        by[crate_of(parts[3])] += size
    print(f"symbols: {total / 1048576:.2f} MiB of a {Path(args.binary).stat().st_size / 1048576:.2f} MiB file")
    sections = subprocess.run(["size", "-A", args.binary], capture_output=True, text=True).stdout
    print("sections over 100 KiB:")
    for line in sections.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[1].isdigit() and int(parts[1]) > 100 * 1024:
            print(f"  {int(parts[1]) / 1024:8.0f} KiB  {parts[0]}")
    for key, size in by.most_common(30):
        print(f"  {size / 1024:8.0f} KiB  {key}")


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("start")
    s.add_argument("binary")
    s.add_argument("--runs", type=int, default=40)
    s.add_argument("--one-root")
    w = sub.add_parser("warm")
    w.add_argument("binary")
    w.add_argument("--stack", required=True)
    w.add_argument("--requests", type=int, default=3000)
    z = sub.add_parser("sizes")
    z.add_argument("binary")
    args = p.parse_args()
    {"start": start, "warm": warm, "sizes": sizes}[args.cmd](args)


if __name__ == "__main__":
    main()
