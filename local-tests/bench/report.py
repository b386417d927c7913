"""Writes BENCHMARKS.md from one run's results (bench.py calls write())."""

import datetime
import statistics
from pathlib import Path

BENCH = Path(__file__).resolve().parent
FINDINGS = BENCH / "FINDINGS.md"

READS = {"GetItem", "BatchGetItem", "Query", "TransactGetItems"}
WRITES = {"PutItem", "UpdateItem", "DeleteItem", "TransactWriteItems", "BatchWriteItem"}

CPU_VS_HELLO = 2.5
WALL_VS_TYPICAL = 0.65
MEMORY_KB = 16 * 1024
ZIP_BYTES = 3 * 1024 * 1024
WARM_CPU_MS = 0.5


def fmt(v, digits=1):
    if v is None:
        return "–"
    return f"{v:.{digits}f}"


def mmm(values, digits=1):
    values = [v for v in values if v is not None]
    if not values:
        return "–"
    return f"{statistics.median(values):.{digits}f} / {min(values):.{digits}f} / {max(values):.{digits}f}"


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def is_baseline(route):
    """A load row answered by a baseline binary (a floor to compare with), not by a function."""
    return "→ @" in route


def ok(flag):
    return "met" if flag else "**missed**"


def op_text(call):
    op = call.get("op", "?")
    if op == "Query":
        bits = [f"index {call['index']}" if call.get("index") else "by key"]
        if call.get("filter"):
            bits.append("filter")
        return f"Query({', '.join(bits)})"
    if op == "TransactWriteItems":
        return f"TransactWriteItems({call.get('items')}: {'/'.join(call.get('kinds', []))})"
    if op == "BatchGetItem":
        return f"BatchGetItem({call.get('keys')} keys)"
    if op in ("PutItem", "UpdateItem", "DeleteItem"):
        return f"{op}({'conditional' if call.get('condition') else 'unconditional'})"
    return op


def rounds(calls):
    """Groups calls that overlap in time (sent in parallel) into rounds."""
    out, end = [], None
    for call in sorted(calls, key=lambda c: c.get("t0", 0)):
        if out and end is not None and call.get("t0", 0) < end:
            out[-1].append(call)
            end = max(end, call.get("t1", 0))
        else:
            out.append([call])
            end = call.get("t1", 0)
    return out


def ddb_verdict(calls):
    """(met?, why) for: at most one read (round) then one conditional or transactional write;
    no Scan; reads by key or GSI query."""
    problems = []
    ops = [c.get("op") for c in calls]
    if "Scan" in ops:
        problems.append("Scan")
    read_calls = [c for c in calls if c.get("op") in READS]
    write_calls = [c for c in calls if c.get("op") in WRITES]
    read_rounds = [r for r in rounds(read_calls)]
    if len(read_calls) > 1:
        problems.append(f"{len(read_calls)} read calls in {len(read_rounds)} round(s)")
    if len(write_calls) > 1:
        problems.append(f"{len(write_calls)} writes")
    for c in write_calls:
        if c.get("op") in ("PutItem", "UpdateItem", "DeleteItem") and not c.get("condition"):
            problems.append(f"unconditional {c['op']}")
    if read_calls and write_calls:
        last_read = max(c.get("t0", 0) for c in read_calls)
        first_write = min(c.get("t0", 0) for c in write_calls)
        if last_read > first_write:
            problems.append("a read after a write")
    for c in calls:
        if c.get("op") == "Query" and not c.get("key_condition"):
            problems.append("Query without a key condition")
    return (not problems), "; ".join(problems)


def seq(calls):
    return ", ".join(op_text(c) for c in sorted(calls, key=lambda c: c.get("t0", 0))) or "none"


def write(args, raw, functions, route_of, scen_notes, sizes, run_dir):
    m = raw["machine"]
    res = raw["results"]
    cold, memory, count, load = res.get("cold", {}), res.get("memory", {}), res.get("count", {}), res.get("load", {})
    lines = []
    add = lines.append

    def cold_med(label, key):
        return med([r.get(key) for r in cold.get(label, [])])

    hello_cpu, hello_wall = cold_med("@hello", "cpu_ms"), cold_med("@hello", "wall_ms")
    typ_cpu, typ_wall = cold_med("@typical", "cpu_ms"), cold_med("@typical", "wall_ms")

    def store_calls(name):
        c = count.get(name, {})
        if not c or "error" in c:
            return None
        return len(c["ddb_start"]) + len(c["other_start"]) + len(c["ddb_1"]) + len(c["other_1"])

    typ_calls = store_calls("@typical")

    add("# Benchmarks")
    add("")
    add(f"Written by `{args.command}` on {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC "
        f"(commit `{m['git']}`{', with uncommitted changes in ' + str(len(m['git_dirty'])) + ' tracked files' if m['git_dirty'] else ''}). "
        "It is a measurement, not a test: it asserts nothing about time. Raw figures: "
        f"`{run_dir.relative_to(BENCH.parent.parent)}/results.json` (git-ignored).")
    add("")
    add("## Machine and conditions")
    add("")
    add(f"- `nproc`: {m['nproc']}; CPU: {m['cpu']}; memory: {m['memory_gib']} GiB; kernel {m['kernel']}")
    add(f"- {m['rustc']}; {m['cargo_lambda']}; Python {m['python']}")
    ld = m.get("load", {})
    add(f"- Load average (1 min) sampled every 5 s during the run: median {fmt(ld.get('load1_median'), 2)}, "
        f"min {fmt(ld.get('load1_min'), 2)}, max {fmt(ld.get('load1_max'), 2)} (at start {' '.join(m['load_at_start'])}). "
        "Other engineers build and test on the same 2 cores; busiest other processes seen: "
        + (", ".join(f"`{c}` ({n} samples)" for c, n in ld.get("busy_others", [])) or "none") + ".")
    add(f"- Whole run: {raw['seconds']['total'] / 60:.1f} min, of which builds {raw['seconds']['build'] / 60:.1f} min; "
        f"data set-up through the stack's API: {res.get('setup', {}).get('api_calls')} calls in "
        f"{res.get('setup', {}).get('seconds')} s.")
    add("")
    add("Command (from the repository root; builds what it needs, starts its own stack, stops it):")
    add("")
    add("```")
    add(args.command)
    add("```")
    add("")
    add("Release builds (the root `[profile.release]`: opt-level \"s\", fat LTO, codegen-units 1, strip, panic abort; "
        "the baselines' own workspace `local-tests/bench/baselines/` has the same profile):")
    add("")
    for b in raw["builds"]:
        env = " ".join(f"{k}={Path(v).relative_to(BENCH.parent.parent) if k == 'CARGO_TARGET_DIR' else v}" for k, v in b["env"].items())
        add(f"- `{env} {' '.join(b['argv'])}` in `{Path(b['cwd']).relative_to(BENCH.parent.parent) if Path(b['cwd']) != BENCH.parent.parent else '.'}`: "
            f"exit {b['code']}, {b['seconds']} s")
    if not raw["builds"]:
        add("- (`--skip-build`: binaries and zips from an earlier build)")
    if m.get("build_reused"):
        add(f"- This run used `--skip-build`: the binaries above are the ones the last full run built "
            f"(started {m['build_reused']['at']} UTC, {m['build_reused']['seconds'] / 60:.0f} min on this machine).")
    src = m.get("source", {})
    if src:
        add(f"- Project sources built: {src.get('head')}" + (f" plus uncommitted changes (digest {src['uncommitted_digest']})"
            if src.get("uncommitted_digest") else "") + (f"; {src['note']}" if src.get("note") else "") + ".")
    add("")

    # ---------------------------------------------------------------- summary
    add("## Targets at a glance")
    add("")
    cold_cpu_fail = [f for f in functions if hello_cpu and (cold_med(f, "cpu_ms") or 0) > CPU_VS_HELLO * hello_cpu]
    comparable = [f for f in functions if store_calls(f) is not None and store_calls(f) == typ_calls]
    wall_fail = [f for f in comparable if typ_wall and (cold_med(f, "wall_ms") or 0) > WALL_VS_TYPICAL * typ_wall]
    mem_fail = [f for f in functions if (memory.get(f, {}).get("hwm_kb") or 0) > MEMORY_KB]
    arch = "arm64" if any(a == "arm64" for a, _ in sizes) else "x86_64"
    zip_fail = [f for f in functions if (sizes.get((arch, f), {}).get("zip") or 0) > ZIP_BYTES]
    ddb_fail = [f for f in functions if f in count and "error" not in count[f] and not ddb_verdict(count[f]["ddb_1"])[0]]
    load_fail = [r for r, v in load.items() if not is_baseline(r) and (v.get("cpu_ms_per_request") or 0) > WARM_CPU_MS]
    add("| # | target | result |")
    add("|---|---|---|")
    add(f"| 1a | cold-start CPU ≤ {CPU_VS_HELLO}× hello world's ({fmt(hello_cpu, 2)} ms → ≤ {fmt(CPU_VS_HELLO * hello_cpu if hello_cpu else None, 2)} ms) | "
        f"{ok(not cold_cpu_fail)}: {len(functions) - len(cold_cpu_fail)} of {len(functions)} functions within"
        + (f" (over: {', '.join(cold_cpu_fail)})" if cold_cpu_fail else "") + " |")
    add(f"| 1b | cold-start wall ≤ {WALL_VS_TYPICAL}× typical's ({fmt(typ_wall, 2)} ms → ≤ {fmt(WALL_VS_TYPICAL * typ_wall if typ_wall else None, 2)} ms), "
        f"functions with typical's number of store calls ({typ_calls}) | "
        f"{ok(comparable and not wall_fail)}: {len(comparable) - len(wall_fail)} of {len(comparable)} comparable functions within"
        + (f" (over: {', '.join(wall_fail)})" if wall_fail else "") + " |")
    add(f"| 2 | peak memory (VmHWM) ≤ 16 MiB over cold start + {args.warm} warm | {ok(not mem_fail)}"
        + (f" (over: {', '.join(mem_fail)})" if mem_fail else f": largest {fmt(max((memory.get(f, {}).get('hwm_kb') or 0) for f in functions) / 1024)} MiB") + " |")
    zip_fail_mb = [f for f in functions if (sizes.get((arch, f), {}).get("zip") or 0) > 3_000_000]
    add(f"| 3 | zip ≤ 3 MB ({arch}) | {ok(not zip_fail)} if MB = MiB ({len(zip_fail)} of {len(functions)} over 3 MiB); "
        f"{ok(not zip_fail_mb)} if MB = 10⁶ bytes ({len(zip_fail_mb)} of {len(functions)} over) |")
    add(f"| 4 | ≤ 1 read then ≤ 1 conditional/transactional write; no Scan; reads by key/GSI | {ok(not ddb_fail and not count.get('_scans'))}: "
        f"{len(functions) - len(ddb_fail)} of {len(functions)} routes conform; Scans seen: {len(count.get('_scans', []))} |")
    add(f"| 5 | warm CPU ≤ {WARM_CPU_MS} ms per request | {ok(not load_fail)}"
        + (f" (over: {', '.join(load_fail)})" if load_fail else "") + " |")
    add("")

    # ---------------------------------------------------------------- 1. cold start
    add("## 1. Cold start (exec → first response), release builds, native x86_64")
    add("")
    add(f"{args.runs} runs per binary after one unrecorded warm-up round; every round runs all binaries in a fresh random "
        "order, so the baselines are interleaved with the functions and share the same noise. Each run execs the binary "
        "against a fake Lambda Runtime API on 127.0.0.1 that holds one API Gateway v2 event; the function starts for "
        "real (config, SDK clients, secrets from the stack's moto) and answers that event against the stack's DynamoDB "
        "Local and moto. Wall = exec → the runtime API has the response; CPU = user + sys from `wait4` (all threads), "
        "taken when the process next asks for an event (killed there). Figures: median / min / max, ms.")
    add("")
    add("| binary | route | first request | status | wall ms | CPU ms | CPU ÷ hello | wall ÷ typical | store calls (start + 1st request) | VmHWM at first response |")
    add("|---|---|---|---|---|---|---|---|---|---|")
    order = ["@hello", "@typical", "@typical [1 root]"] + functions + ["get-me [1 root]"]
    for label in order:
        rs = cold.get(label)
        if not rs:
            continue
        base = label.split(" [")[0]
        statuses = sorted({str(r.get("status", r.get("error", "?")))[:40] for r in rs})
        cpu, wall = med([r.get("cpu_ms") for r in rs]), med([r.get("wall_ms") for r in rs])
        calls = store_calls(base)
        cpu_ratio = f"{cpu / hello_cpu:.2f}" if cpu and hello_cpu else "–"
        wall_ratio = f"{wall / typ_wall:.2f}" if wall and typ_wall else "–"
        if base in functions:
            cpu_ratio += "" if cpu <= CPU_VS_HELLO * hello_cpu else " ✗"
            if calls == typ_calls:
                wall_ratio += "" if wall <= WALL_VS_TYPICAL * typ_wall else " ✗"
            else:
                wall_ratio += " (n/a)"
        add(f"| `{label}` | {route_of.get(base, '')} | {scen_notes.get(base, '')} | {', '.join(statuses)} | "
            f"{mmm([r.get('wall_ms') for r in rs])} | {mmm([r.get('cpu_ms') for r in rs], 2)} | {cpu_ratio} | {wall_ratio} | "
            f"{calls if calls is not None else '–'} | {fmt((med([r.get('hwm_kb') for r in rs]) or 0) / 1024)} MiB |")
    add("")
    add("✗ = over the target. \"(n/a)\": the wall target compares functions that make as many store calls as the typical "
        f"baseline ({typ_calls}: one secret at start, one GetItem); other functions' extra round trips to the emulators are in "
        "their wall time. `[1 root]` rows: the same binary with `SSL_CERT_FILE` pointing at a file with one root "
        "certificate (a diagnostic: it shows what loading the system root store costs at start).")
    add("")

    # ---------------------------------------------------------------- 2. memory
    add(f"## 2. Peak memory (VmHWM) over a cold start plus {args.warm} warm invocations")
    add("")
    add("Same fake runtime, one process per function, events handed one after another; VmHWM read from "
        "`/proc/PID/status` at the end. Where a request consumes its data (a secret, a pending transfer), the warm "
        "invocations repeat the first event and get the refusal the contract gives (statuses shown); `create-user` gets "
        "a new credential each time and `put-member` alternates the member's role, so those stay 2xx. Warm CPU per "
        "invocation from `/proc/PID/task/*/schedstat`; the invoke time includes the fake runtime's own overhead.")
    add("")
    add("| binary | VmHWM after cold start | VmHWM at end | VmRSS at end | warm invocations | statuses | warm CPU ms/invocation | invoke ms (median / min / max) |")
    add("|---|---|---|---|---|---|---|---|")
    for name in ["@hello", "@typical"] + functions:
        r = memory.get(name)
        if not r:
            continue
        w = r.get("warm_invoke_ms") or {}
        add(f"| `{name}` | {fmt((r.get('hwm_after_cold_kb') or 0) / 1024)} MiB | {fmt((r.get('hwm_kb') or 0) / 1024)} MiB"
            f"{' ✗' if (r.get('hwm_kb') or 0) > MEMORY_KB and name in functions else ''} | {fmt((r.get('rss_kb') or 0) / 1024)} MiB | "
            f"{r.get('warm_done')} | {', '.join(f'{k}×{v}' for k, v in r.get('statuses', {}).items())}{' ' + r['error'][:80] if r.get('error') else ''} | "
            f"{fmt(r.get('warm_cpu_ms'), 3)} | {fmt(w.get('median'), 2)} / {fmt(w.get('min'), 2)} / {fmt(w.get('max'), 2)} |")
    add("")

    # ---------------------------------------------------------------- 3. sizes
    add("## 3. Artifact size (`cargo lambda build --release --output-format zip`)")
    add("")
    armnote = raw.get("arm", {})
    arm_build = next((b for b in raw["builds"] if b["name"] == "project-zip-arm64"), None)
    if armnote.get("ok"):
        add("arm64 (`--arm64`, the deployed architecture) built.")
    else:
        add("**arm64 could not be built here**: " + (
            "the `aarch64-unknown-linux-gnu` standard library is not installed for the toolchain "
            "(`rustup target list --installed` lists only the host), and installing it means `rustup target add`, a "
            "download from outside the package registries this machine reaches, which the benchmark never does. "
            if armnote.get("installed") is False else "") + "cargo lambda's output: `"
            + (" ".join(arm_build["tail"][-3:]).replace("`", "'")[:400] if arm_build else "not attempted") + "`. "
            "The x86_64 zips below come from the same release profile; an arm64 binary of the same code is usually of "
            "similar size (aarch64 code is a little larger at opt-level s).")
    add("")
    add("x86_64 zips of the functions: the native release binaries measured above, zipped the way cargo lambda zips "
        "them (one `bootstrap` entry, mode 0755, deflate); a cargo lambda x86_64 build of the 26 functions would be a "
        "second full fat-LTO build (about as long as the first). The baselines were built by cargo lambda itself "
        "(`--x86-64 --compiler cargo`), and both zips of the same baseline binary are shown, to check the method.")
    add("")
    add("| binary | arm64 zip | x86_64 zip | x86_64 binary (unzipped) |")
    add("|---|---|---|---|")

    def mib(entry, key="zip"):
        return f"{entry[key] / 1048576:.2f} MiB" if entry else "–"

    for name in functions + ["hello", "typical"]:
        a, x = sizes.get(("arm64", name), {}), sizes.get(("x86_64", name), {})
        flag = " ✗" if (sizes.get((arch, name), {}).get("zip") or 0) > ZIP_BYTES and name in functions else ""
        xb = sizes.get(("x86_64-bench", name))
        xtext = mib(x) + flag + (f" (cargo lambda); {mib(xb)} (bench's zip of the same binary)" if xb else "")
        add(f"| `{name}` | {mib(a)} | {xtext} | {mib(x, 'binary')} |")
    add("")

    # ---------------------------------------------------------------- 4. DynamoDB calls
    add("## 4. DynamoDB calls per request")
    add("")
    add("A counting proxy on 127.0.0.1 in front of DynamoDB Local (and one in front of moto) records each call's "
        "`X-Amz-Target`, one request at a time, for the function's start, its first request and a second (warm) request "
        "with fresh data. Read calls that overlap in time were sent in parallel: \"read rounds\" counts them on the 2nd "
        "request, whose connections are already open (on the 1st, opening a second connection can make parallel calls "
        "look sequential). The verdict is on the "
        "first request: at most one read call, then at most one conditional or transactional write, no Scan, reads by "
        "key or GSI query.")
    add("")
    add("| binary | route | status 1st / 2nd | start (Secrets Manager) | DynamoDB, 1st request | read rounds (2nd request) | SES, 1st request | DynamoDB, 2nd request | verdict |")
    add("|---|---|---|---|---|---|---|---|---|")
    for name in functions + ["@typical"]:
        c = count.get(name)
        if not c:
            continue
        if "error" in c and not c.get("ddb_1"):
            add(f"| `{name}` | {route_of.get(name, '')} | {c['error'][:80]} | | | | | | |")
            continue
        met, why = ddb_verdict(c["ddb_1"])
        reads = [x for x in c.get("ddb_2") or c["ddb_1"] if x.get("op") in READS]
        add(f"| `{name}` | {route_of.get(name, '')} | {c.get('status1')} / {c.get('status2')} | "
            f"{', '.join(x['op'] for x in c['other_start']) or 'none'} | {seq(c['ddb_1'])} | {len(rounds(reads))} | "
            f"{len([x for x in c['other_1'] if 'SendEmail' in x['op']])} | {seq(c['ddb_2'])} | {'conforms' if met else '**' + why + '**'} |")
    add("")
    add(f"Scans seen anywhere during the counted runs: {len(count.get('_scans', []))}.")
    add("")

    # ---------------------------------------------------------------- 5. warm latency
    add("## 5. Warm latency through the local gateway")
    add("")
    add("The stack's own gateway code (`local-tests/apigw.py`: route matching, JWT authorizer, payload-2.0 event) "
        f"runs in the benchmark process and invokes the **release** binaries, {args.concurrency} instances per function "
        "(as Lambda would run 8 concurrent requests), each behind its own fake Runtime API; the stack's gateway itself "
        "would invoke debug builds under `cargo lambda watch`. The load client (`loadgen.py`, a separate process) keeps "
        f"{args.concurrency} keep-alive connections busy with a fixed list of requests: {args.load_warmup} unmeasured, then "
        f"{args.load_requests} measured. Each `POST /businesses` uses its own freshly issued secret; each worker's `PUT` "
        "alternates one member's role (a real change each time) in its own business. CPU per request = the function "
        "processes' CPU (`schedstat`, all threads) over the measured requests ÷ their number; it includes JWT "
        "verification, JSON, SigV4 signing and the SDK's HTTP calls, and not the gateway's or the emulators' CPU. "
        "Latency includes the Python gateway and emulators on the same 2 cores. The `→ @hello` and `→ @typical` rows "
        "send the same `GET /users/me` requests to the baselines instead (the floors under this load: the Runtime "
        "API's round trips alone, and those plus one GetItem); the target applies to the functions' rows.")
    add("")
    add("| route | requests | statuses | p50 ms | p99 ms | min / max ms | req/s | function CPU ms/request, 8 concurrent | same binary, one request at a time (§2) |")
    add("|---|---|---|---|---|---|---|---|---|")
    binary_of = {"GET /users/me": "get-me", "GET /users/me/businesses": "list-my-businesses",
                 "POST /businesses": "activate-business", "PUT /businesses/{id}/members/{urn}": "put-member"}
    for route, r in load.items():
        seq_cpu = memory.get(r.get("binary") or binary_of.get(route, ""), {}).get("warm_cpu_ms")
        over = not is_baseline(route) and (r.get("cpu_ms_per_request") or 0) > WARM_CPU_MS
        seq_note = " (mostly 429s: not comparable)" if route == "POST /businesses" else ""
        add(f"| `{route}` | {r.get('requests')} | {', '.join(f'{k}×{v}' for k, v in (r.get('statuses') or {}).items())} | "
            f"{fmt(r.get('p50_ms'), 1)} | {fmt(r.get('p99_ms'), 1)} | {fmt(r.get('min_ms'), 1)} / {fmt(r.get('max_ms'), 1)} | "
            f"{fmt(r.get('throughput_rps'), 0)} | {fmt(r.get('cpu_ms_per_request'), 3)}{' ✗' if over else ''} | "
            f"{fmt(seq_cpu, 3)}{seq_note} |")
    add("")

    # ---------------------------------------------------------------- 6. mixed load
    mix = res.get("mix")
    if mix:
        add("## 6. Mixed load: the peak hour's mix, every route at once")
        add("")
        add("The capacity model's peak mix (SCALE.md, \"The load\": 80 % reads, 20 % writes, ~8 % sending mail), "
            f"{mix['requests']} requests in a seeded random order over {mix['connections']} keep-alive "
            f"connections of the load client (`loadgen.py`: a count and a {mix['deadline_s']} s time limit, 127.0.0.1 only), "
            "against the same gateway with every route's release binary behind it at once, "
            f"{mix['concurrency']} instances each. The people are owners and members of "
            f"{mix['teams']} authorized businesses (each connection changes only its own, so a 409 would be an error, not "
            "a race the test made); each `POST /businesses` uses a fresh secret, each `POST /users` a fresh credential. "
            "An error is any status other than the route's success (201 for the two POSTs, 200 otherwise). "
            "Throughput here is this machine's (2 cores shared by the client, the gateway, the emulators and the "
            "functions), not the service's: the functions' own CPU per request is what scales out in Lambda.")
        add("")
        add(f"- **Overall:** {mix['requests']} requests in {fmt(mix['wall_s'], 1)} s = **{fmt(mix['throughput_rps'], 0)} req/s**; "
            f"p50 **{fmt(mix['p50_ms'], 1)} ms**, p99 **{fmt(mix['p99_ms'], 1)} ms**, max {fmt(mix['max_ms'], 1)} ms; "
            f"**{mix['errors']} errors**{', ' + str(mix['unsent']) + ' not sent (time limit)' if mix['unsent'] else ''}; "
            f"function CPU {fmt(mix['cpu_ms_per_request'], 3)} ms per request, all routes together.")
        add("")
        add("| route | share | requests | statuses | errors | p50 ms | p99 ms | req/s |")
        add("|---|---|---|---|---|---|---|---|")
        for route, r in mix["routes"].items():
            share = 100 * r["requests"] / mix["requests"] if mix["requests"] else 0
            add(f"| `{route}` | {share:.0f} % | {r['requests']} | "
                f"{', '.join(f'{k}×{v}' for k, v in r['statuses'].items())} | {r['errors']} | "
                f"{fmt(r['p50_ms'], 1)} | {fmt(r['p99_ms'], 1)} | {fmt(r['throughput_rps'], 0)} |")
        add("")
        shards = mix.get("notices_by_shard") or {}
        sharded = {k: v for k, v in shards.items() if k != "NOTICES#pending"}
        total = sum(sharded.values())
        if total:
            top = max(sharded.values())
            add(f"**The hot key, sharded.** The notices this mix wrote (the stream is held during the benchmark, so "
                f"they wait in the pending index): {total} over the {len(sharded)} shards of `NOTICES#pending#{{n}}`, "
                f"the fullest holding {top} ({100 * top / total:.0f} %; an even spread is {100 / len(sharded):.0f} %); "
                f"{shards.get('NOTICES#pending', 0)} in the old unsharded partition. Per shard: "
                + ", ".join(f"{k.rsplit('#', 1)[1]}: {v}" for k, v in sorted(sharded.items(), key=lambda kv: int(kv[0].rsplit('#', 1)[1])))
                + ". At the model's 40 notices/s each shard takes ~4/s (×4 index writes) of a partition's 1 000 "
                "WCU/s; SCALE.md has the arithmetic.")
            add("")

    # ---------------------------------------------------------------- notes
    add("## Notes")
    add("")
    if raw.get("unmeasured"):
        add(f"- **Not measured** (the benchmark's scenarios have no data set-up for them yet, so §1–4 "
            f"leave them out; their zips are in §3): {', '.join(f'`{f}`' for f in raw['unmeasured'])}.")
    add("- Everything listens on and talks to 127.0.0.1 only (DynamoDB Local, started by the stack, binds all "
        "interfaces, as `local-tests/stack.py` says). Every loop is bounded by a count and a time limit.")
    add("- Environment of each function process: the stack's `functions.env` (table, secret ids, sender, issuer, "
        "audience, region, dummy credentials, `AWS_ENDPOINT_URL_*` at the stack's emulators, JSON logs at info) plus "
        "what Lambda sets (`AWS_LAMBDA_FUNCTION_NAME`, `…_MEMORY_SIZE`, `…_VERSION`, log group/stream, "
        "`AWS_LAMBDA_RUNTIME_API`), and nothing inherited from the shell.")
    add("- Baselines (`local-tests/bench/baselines/`): `hello` is cargo lambda's hello-world `lambda_http` function; "
        "`typical` uses `aws_config::load_defaults` and the SDK crates with default features (so the legacy hyper 0.14 / "
        "rustls 0.21 stack too) and `#[tokio::main]`'s multi-threaded runtime, builds DynamoDB, Secrets Manager and "
        "SES clients, fetches one secret at start and makes one GetItem per request. Both use the project's "
        "`lambda_http` features.")
    add("- The emulators are much slower than the real services' network round trips for some calls (moto is Python; "
        "DynamoDB Local is Java), so wall times are dominated by them; CPU figures are the functions' own.")
    add("- Notices are not sent on the request path: a request writes them in its one transaction, and the table's "
        "stream hands them to `send-notices` (not an API route, so not in the tables above), which makes, per notice, "
        "one conditional UpdateItem to take it, one SES SendEmail and one conditional UpdateItem to mark it sent. The "
        "benchmark's stack settles the stream after its set-up and then holds it, so that work does not share the "
        "2 cores with what is measured.")
    add("")
    if FINDINGS.exists():
        add(FINDINGS.read_text().strip())
        add("")
    args.output.write_text("\n".join(lines) + "\n")
