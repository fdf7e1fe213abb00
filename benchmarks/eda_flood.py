# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pbx_events receiver under a flood of reports: speed, queue and memory.

Two runs, each in this process with the source's own receiver (no PBX login is needed):

1. in process: N reports handed to the receiver's handler, the rulebook taking one event for every
   `--take-every` sent; then N/10 from an address that is not allowed;
2. over HTTP: the same receiver on 127.0.0.1, M reports over keep-alive connections from the
   PBX's address, then M/10 from 127.0.0.2.

It prints answers by HTTP status, the longest queue, the counters, and memory: traced Python memory
(tracemalloc, run 1 only, in a second pass) and resident memory before and after. A report, not a
test: it exits 0 whatever it measured.

    make collection
    .venv/bin/python benchmarks/eda_flood.py                 # 100,000 in process, 20,000 over HTTP
    .venv/bin/python benchmarks/eda_flood.py --quick         # 20,000 / 2,000
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import gc
import importlib.util
import os
import resource
import sys
import time
import tracemalloc
from pathlib import Path

import aiohttp
from aiohttp import web

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests" / "integration"))

# pylint: disable=wrong-import-position
from report_flood import Delivery, flood_body as report  # noqa: E402

PLUGIN = REPO / "extensions" / "eda" / "plugins" / "event_source" / "pbx_events.py"


def load_plugin():
    # The plugin imports module_utils as ansible_collections.openvox.ucpbx; a checkout is not laid out that way.
    build = REPO / ".build" / "collections"
    if not (build / "ansible_collections" / "openvox" / "ucpbx").is_dir():
        sys.exit("eda_flood: run `make collection` first (the plugin imports the installed collection)")
    sys.path.insert(0, str(build))
    spec = importlib.util.spec_from_file_location("pbx_events_bench", PLUGIN)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def resident_mb():
    gc.collect()
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1048576.0


async def new_source(plugin, **extra):
    args = {"host": "127.0.0.1", "username": "api", "password": "x", "listen_port": 0}
    args.update(extra)
    source = plugin.PbxEventSource(asyncio.Queue(), plugin.Settings(args))
    await source.resolve_pbx()
    return source


async def in_process(plugin, count, take_every, traced):
    source = await new_source(plugin)
    statuses = collections.Counter()
    longest = 0
    if traced:
        tracemalloc.start()
    rss_before = resident_mb()
    started = time.perf_counter()
    for index in range(count):
        statuses[(await source.receive(Delivery("127.0.0.1", report(index)))).status] += 1
        longest = max(longest, source.pending.qsize())
        if index % take_every == take_every - 1 and not source.pending.empty():
            source.pending.get_nowait()
    for index in range(count // 10):
        statuses[(await source.receive(Delivery("127.0.0.2", report(count + index)))).status] += 1
    seconds = time.perf_counter() - started
    rss_after = resident_mb()
    traced_now = traced_peak = None
    if traced:
        traced_now, traced_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    source.executor.shutdown(wait=False)
    return {"sent": count + count // 10, "seconds": seconds, "statuses": dict(statuses), "longest": longest,
            "counters": source.counters_text(), "rss_before": rss_before, "rss_after": rss_after,
            "traced_now": traced_now, "traced_peak": traced_peak, "queue": source.pending.qsize(),
            "recent": len(source.recent.seen)}


async def over_http(plugin, count, take_every):
    source = await new_source(plugin)
    runner = web.AppRunner(source.application(), access_log=None, handle_signals=False)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    statuses = collections.Counter()
    longest = 0
    rss_before = resident_mb()
    started = time.perf_counter()
    try:
        for sender, total, offset in (("127.0.0.1", count, 0), ("127.0.0.2", count // 10, count)):
            connector = aiohttp.TCPConnector(local_addr=(sender, 0), limit=8)
            async with aiohttp.ClientSession(connector=connector) as session:
                async def one(index):
                    async with session.post("http://127.0.0.1:%d/" % port, data=report(offset + index)) as response:
                        await response.read()
                        return response.status
                for first in range(0, total, 8):
                    batch = range(first, min(first + 8, total))
                    for status in await asyncio.gather(*(one(index) for index in batch)):
                        statuses[status] += 1
                    longest = max(longest, source.pending.qsize())
                    for dummy in range(len(batch) // take_every):
                        if not source.pending.empty():
                            source.pending.get_nowait()
        seconds = time.perf_counter() - started
    finally:
        await runner.cleanup()
        source.executor.shutdown(wait=False)
    return {"sent": count + count // 10, "seconds": seconds, "statuses": dict(statuses), "longest": longest,
            "counters": source.counters_text(), "rss_before": rss_before, "rss_after": resident_mb(),
            "queue": source.pending.qsize(), "recent": len(source.recent.seen)}


def show(title, result):
    print("## %s" % title)
    print("reports sent           %d in %.2f s (%.0f per second)" % (result["sent"], result["seconds"],
                                                                     result["sent"] / result["seconds"]))
    print("answers                %s" % ", ".join("%s: %d" % item for item in sorted(result["statuses"].items())))
    print("longest queue          %d (queue at the end %d)" % (result["longest"], result["queue"]))
    print("digests remembered     %d" % result["recent"])
    print("counters               %s" % result["counters"])
    print("resident memory        %.1f MB -> %.1f MB (%+.1f MB)" % (
        result["rss_before"], result["rss_after"], result["rss_after"] - result["rss_before"]))
    if result.get("traced_peak") is not None:
        print("traced Python memory   %.1f MB held at the end, %.1f MB at the peak" % (
            result["traced_now"] / 1048576.0, result["traced_peak"] / 1048576.0))
    print()


async def per_event(plugin, count=1000):
    """Traced bytes held per queued event (the default queue full of typical reports)."""
    source = await new_source(plugin)
    tracemalloc.start()
    gc.collect()
    before = tracemalloc.get_traced_memory()[0]
    for index in range(count):
        await source.receive(Delivery("127.0.0.1", report(index)))
    gc.collect()
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    source.executor.shutdown(wait=False)
    return held / count


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100000, help="reports in process")
    parser.add_argument("--http-count", type=int, default=20000, help="reports over HTTP")
    parser.add_argument("--take-every", type=int, default=4, help="the rulebook takes one event per this many sent")
    parser.add_argument("--quick", action="store_true", help="20,000 in process, 2,000 over HTTP")
    options = parser.parse_args()
    if options.quick:
        options.count, options.http_count = 20000, 2000
    plugin = load_plugin()
    print("pbx_events flood: max_queue=%d, the rulebook takes one event per %d reports; peak RSS of this process "
          "is cumulative\n" % (plugin.MAX_QUEUE, options.take_every))
    show("in process, untraced", asyncio.run(in_process(plugin, options.count, options.take_every, traced=False)))
    show("in process, traced", asyncio.run(in_process(plugin, options.count, options.take_every, traced=True)))
    show("over HTTP, keep-alive, 8 at a time", asyncio.run(over_http(plugin, options.http_count, options.take_every)))
    print("traced bytes per queued event (typical reports): %.0f" % asyncio.run(per_event(plugin)))
    print("peak RSS of this process: %.1f MB" % (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0))


if __name__ == "__main__":
    main()
