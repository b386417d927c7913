#!/usr/bin/env python3
"""A/B comparison of two (or more) release builds of some functions, on one stack, in the same
interleaved rounds (a tool for the findings in BENCHMARKS.md, not part of `run`):

    ab.py --variant base=DIR --variant new=DIR [--function get-me ...] [--runs 20] [--warm 500]

DIR holds release binaries named as the functions (e.g. local-tests/bench/target/project/release).
Prints, per function and variant: cold-start CPU and wall (median / min / max, ms, as `run`'s
section 1) and warm CPU per request, one request at a time (as section 2). Starts its own stack.
"""

import argparse
import json
import random
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

from bench import TARGET, Events, Stack, cold_once, log, stats  # noqa: E402
from cfn_template import http_api_routes, load_template  # noqa: E402
from lambda_host import Instance, read_schedstat_ns  # noqa: E402
import scenarios  # noqa: E402


def warm_cpu(path, name, env, log_file, first, warm, count):
    """CPU ms per warm request of one instance, after its cold start and 20 unmeasured ones."""
    instance = Instance(str(path), name, env, log_file)
    try:
        instance.wait(instance.start(first))
        for i in range(20):
            instance.invoke(warm[i % len(warm)])
        instance.idle(21)
        cpu0 = read_schedstat_ns(instance.proc.pid)
        for i in range(count):
            instance.invoke(warm[(20 + i) % len(warm)])
        instance.idle(21 + count)
        return (read_schedstat_ns(instance.proc.pid) - cpu0) / 1e6 / count
    finally:
        instance.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--variant", action="append", required=True, metavar="LABEL=DIR")
    parser.add_argument("--function", action="append", default=[])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--warm", type=int, default=500)
    parser.add_argument("--warm-rounds", type=int, default=3)
    args = parser.parse_args()
    variants = [(label, Path(d)) for label, d in (v.split("=", 1) for v in args.variant)]
    functions = args.function or ["get-me", "activate-business"]
    run_dir = TARGET / "ab" / time.strftime("%Y%m%dT%H%M%S")
    run_dir.mkdir(parents=True, exist_ok=True)
    stack = Stack(run_dir)
    try:
        api = scenarios.Api(stack.info, http_api_routes(load_template()))
        fresh = (args.runs + 1) * len(variants) + args.warm_rounds * len(variants) + 2
        scen = scenarios.build_scenarios(api, fresh, (args.warm + 20) * args.warm_rounds * len(variants))
        api.settle_streams()
        api.pause_streams()
        events = Events(scen)
        cold = {(label, f): [] for label, _ in variants for f in functions}
        rng = random.Random(7)
        with open(run_dir / "functions.log", "wb") as log_file:
            for r in range(args.runs + 1):
                order = [(label, d, f) for label, d in variants for f in functions]
                rng.shuffle(order)
                for label, d, f in order:
                    result = cold_once(d / f, f, stack.env, log_file, events.first(f))
                    if r > 0:
                        cold[(label, f)].append(result)
            log("cold done")
            warm = {(label, f): [] for label, _ in variants for f in functions}
            taken = {f: 0 for f in functions}
            for _ in range(args.warm_rounds):
                order = [(label, d, f) for label, d in variants for f in functions]
                rng.shuffle(order)
                for label, d, f in order:
                    pool = [json.dumps(e).encode() for e in scen[f].get("warm") or []]
                    if len(pool) > 2:  # fresh events, each used once (new users, say)
                        cycle = pool[taken[f]:taken[f] + args.warm + 20]
                        taken[f] += args.warm + 20
                    else:  # a cycle of repeatable events (a role toggled), or the first event
                        cycle = pool or [events.first(f)]
                    warm[(label, f)].append(warm_cpu(d / f, f, stack.env, log_file, events.first(f), cycle, args.warm))
    finally:
        stack.stop()
    print(f"{'function':28} {'variant':10} {'cold CPU ms':>22} {'cold wall ms':>22} {'warm CPU ms/req':>18}")
    for f in functions:
        for label, _ in variants:
            c = stats([x.get("cpu_ms") for x in cold[(label, f)]])
            w = stats([x.get("wall_ms") for x in cold[(label, f)]])
            errors = sum(1 for x in cold[(label, f)] if "error" in x)
            print(f"{f:28} {label:10} {c['median']:6.2f} {c['min']:6.2f} {c['max']:6.2f}      "
                  f"{w['median']:6.2f} {w['min']:6.2f} {w['max']:6.2f}      "
                  + " ".join(f"{x:.3f}" for x in warm[(label, f)]) + (f"  ({errors} errors)" if errors else ""))


if __name__ == "__main__":
    main()
