# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a hostile answer costs: peak memory for a huge answer and time for a trickling one.

Each case runs in a fresh Python process (so its peak RSS is its own) against the scripted server of
tests/integration/hostile_server.py, once with the collection's client and once the naive way
(requests with a per-read timeout, the whole body read and decoded). It prints a table and exits 0:
a report, not a test.

    make collection
    .venv/bin/python benchmarks/hostile_answers.py [--size-mb 100] [--trickle-seconds 30]
"""

import argparse
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "integration"))

from hostile_server import HostileServer, endless, raw, trickle  # noqa: E402

CHILD = r"""
import json, sys, time
sys.path.insert(0, sys.argv[1])
way, port, timeout = sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
started = time.monotonic()
outcome = "answer read"
if way == "collection":
    from ansible_collections.openvox.ucpbx.plugins.module_utils.client import ClientSettings, PbxClient
    from ansible_collections.openvox.ucpbx.plugins.module_utils.errors import PbxError
    client = PbxClient(ClientSettings("127.0.0.1", "api", "secret", port=port, timeout=timeout, retries=1,
                                      connect_timeout=1, token_cache=False))
    try:
        client.call("extension/query", {})
    except PbxError as exc:
        outcome = str(exc).split(";")[0][:90]
    requests_sent = client.stats["requests"]
else:
    import requests
    url = "http://127.0.0.1:%d/api/v0.0.1/" % port
    token = requests.post(url + "login", data="{}", timeout=timeout).json()["token"]
    try:
        requests.post(url + "extension/query", params={"token": token}, data="{}", timeout=timeout).json()
    except Exception as exc:
        outcome = type(exc).__name__
    requests_sent = 2
# VmHWM starts afresh at exec; ru_maxrss would also count the parent's pages from before the fork.
with open("/proc/self/status") as status:
    peak_kb = int([line.split()[1] for line in status if line.startswith("VmHWM:")][0])
print(json.dumps({"seconds": time.monotonic() - started, "requests": requests_sent, "outcome": outcome,
                  "peak_rss_mb": peak_kb / 1024.0}))
"""


def big_answer(size_mb):
    record = json.dumps({"extnumber": "1000", "username": "x" * 200, "callerid": "1000"}).encode()
    count = size_mb * 1024 * 1024 // (len(record) + 1)
    body = b'{"status":"Success","extinfos":[' + b",".join([record] * count) + b"]}"
    return raw(200, [("Content-Type", "application/json")], body)


def measure(collections, way, answer, timeout):
    server = HostileServer().script("extension/query", answer)
    try:
        done = subprocess.run([sys.executable, "-c", CHILD, collections, way, str(server.port), str(timeout)],
                              stdout=subprocess.PIPE, check=True, universal_newlines=True)
    finally:
        server.stop()
    return json.loads(done.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=int, default=100, help="size of the huge answer (default 100)")
    parser.add_argument("--trickle-seconds", type=int, default=30,
                        help="how long the trickling server keeps sending, one byte a second (default 30)")
    parser.add_argument("--collections-path", default=os.path.join(ROOT, ".build", "collections"),
                        help="an ansible_collections tree holding the collection (make collection)")
    args = parser.parse_args()
    if not os.path.isdir(os.path.join(args.collections_path, "ansible_collections", "openvox", "ucpbx")):
        sys.exit("no collection under %s: run make collection first" % args.collections_path)
    cases = [
        ("%d MB answer, Content-Length given" % args.size_mb, big_answer(args.size_mb), 60),
        ("endless chunked answer", endless(most_mb=2 * args.size_mb), 60),
        ("trickle, 1 byte/s for %d s, timeout 3 s, retries 1" % args.trickle_seconds,
         trickle(1.0, most=args.trickle_seconds), 3),
    ]
    print("%-50s %-10s %8s %9s %12s  %s" % ("case", "way", "requests", "seconds", "peak RSS MB", "outcome"))
    for name, answer, timeout in cases:
        results = dict((way, measure(args.collections_path, way, answer, timeout)) for way in ("collection", "naive"))
        for way, result in results.items():
            row = (name, way, result["requests"], result["seconds"], result["peak_rss_mb"], result["outcome"])
            print("%-50s %-10s %8d %9.2f %12.1f  %s" % row)
        print("%-50s naive/collection: %.1fx the time, %.1fx the memory" % (
            "", results["naive"]["seconds"] / max(results["collection"]["seconds"], 0.001),
            results["naive"]["peak_rss_mb"] / max(results["collection"]["peak_rss_mb"], 0.001)))


if __name__ == "__main__":
    main()
