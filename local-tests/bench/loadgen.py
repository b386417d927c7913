#!/usr/bin/env python3
"""A small bounded load client: one thread per worker, each sends its fixed list of requests
one after another over one keep-alive connection to 127.0.0.1, and records each latency.

    loadgen.py < spec.json > result.json
    spec: {"base": "http://127.0.0.1:PORT", "deadline_s": 300,
           "workers": [[[method, path, token, body_or_null, label?], ...], ...]}
    result: {"latencies_ms": [...], "statuses": {"200": n, ...}, "wall_s": s, "unsent": n,
             "by_label": {label: {"latencies_ms": [...], "statuses": {...}}}}  (requests with a label)
"""

import http.client
import json
import sys
import threading
import time
from urllib.parse import urlsplit

REQUEST_TIMEOUT = 30


def worker(host, port, requests, deadline, out, statuses, lock, by_label):
    conn = http.client.HTTPConnection(host, port, timeout=REQUEST_TIMEOUT)
    sent = 0
    for method, path, token, body, *label in requests:
        if time.monotonic() > deadline:
            break
        headers = {"authorization": f"Bearer {token}"} if token else {}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["content-type"] = "application/json"
        started = time.perf_counter()
        try:
            conn.request(method, path, body=data, headers=headers)
            response = conn.getresponse()
            response.read()
            status = str(response.status)
        except (OSError, http.client.HTTPException) as e:
            conn.close()
            conn = http.client.HTTPConnection(host, port, timeout=REQUEST_TIMEOUT)
            status = f"error: {type(e).__name__}"
        elapsed = (time.perf_counter() - started) * 1000
        sent += 1
        with lock:
            out.append(elapsed)
            statuses[status] = statuses.get(status, 0) + 1
            if label:
                mine = by_label.setdefault(label[0], {"latencies_ms": [], "statuses": {}})
                mine["latencies_ms"].append(elapsed)
                mine["statuses"][status] = mine["statuses"].get(status, 0) + 1
    conn.close()
    return sent


def main():
    spec = json.load(sys.stdin)
    base = urlsplit(spec["base"])
    assert base.hostname == "127.0.0.1", "the load client only talks to 127.0.0.1"
    deadline = time.monotonic() + float(spec.get("deadline_s", 300))
    latencies, statuses, by_label, lock = [], {}, {}, threading.Lock()
    threads = [threading.Thread(target=worker,
                                args=(base.hostname, base.port, reqs, deadline, latencies, statuses, lock, by_label))
               for reqs in spec["workers"]]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    total = sum(len(r) for r in spec["workers"])
    json.dump({"latencies_ms": latencies, "statuses": statuses, "wall_s": wall, "unsent": total - len(latencies),
               "by_label": by_label},
              sys.stdout)


if __name__ == "__main__":
    main()
