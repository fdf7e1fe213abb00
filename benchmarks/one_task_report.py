# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report benchmarks/one_task.py prints: the table of runs, the targets, sanity checks and ratios."""

from __future__ import annotations

import json
from pathlib import Path

from extensions import verdict

TARGET_OLD_ROLE_RATIO = 3.0       # new role no-op at least 3x faster than the old role's
TARGET_SINGLE_KIND_RATIO = 1.5    # new role no-op at most 1.5x one uc_extension no-op
TARGET_FLEET_RATIO = 3.0          # fleet no-op at least 3x faster than the uri playbook
TARGET_BIG_SECONDS_OVER_EMPTY = 2.0
TARGET_BIG_RESULT_BYTES = 1000000
TARGET_PARALLEL_RATIO = 4.0
LATENCY_MS = 20


def ok_run(result, changed=0):
    return result is not None and result.rc == 0 and (changed is None or result.recap.get("changed") == changed)


def endpoints(result):
    keys = sorted(result.by_endpoint, key=lambda k: (k != "login", k))
    return " ".join("%s=%d" % (k, result.by_endpoint[k]) for k in keys) or "-"


def report(out, args):
    rows = [r for key, r in out.items() if hasattr(r, "wall_s") and not key.endswith("_walls")]
    lines = runs_table(rows, out)
    lines += ["", "Targets (wall seconds of whole ansible-playbook commands, same run)"] + targets(out, args)
    lines += ["", "Sanity checks (not targets)"] + sanity_checks(rows, out, args)
    lines += ["", "Ratios and details"] + details(out, args)
    if args.task_times:
        lines += ["", "Seconds per task (--task-times; the run of median wall time)"]
        for r in rows:
            lines.append("  %s" % r.title)
            lines += ["    %s" % line for line in task_times(r)]
    return "\n".join(lines)


def runs_table(rows, out):
    """One line per run, what the columns mean, then the requests of each run by endpoint."""
    lines = []
    header = "%-38s %8s %6s %7s %8s %-20s %7s %7s %5s %8s %8s %8s" % (
        "scenario", "requests", "logins", "changed", "wall s", "runs (wall s)", "cpu s", "emu cpu", "mods",
        "mod RSS", "mod s", "tree RSS")
    lines += [header, "-" * len(header)]
    for r in rows:
        walls = out.get(r.key + "_walls") or [r.wall_s]
        changed = str(r.recap.get("changed", "?")) if r.rc == 0 else "FAILED"
        lines.append("%-38s %8d %6d %7s %8.2f %-20s %7.2f %7.2f %5d %8s %8s %8.1f" % (
            r.title, r.requests, r.logins, changed, r.wall_s, " ".join("%.2f" % w for w in walls),
            getattr(r, "cpu_s", 0.0), getattr(r, "emulator_cpu_s", 0.0), r.modules, "%.1f" % r.module_rss_mb_max if r.modules else "-",
            "%.2f" % r.module_seconds_sum if r.modules else "-", r.tree_rss_mb))
    lines.append("")
    lines.append("wall s: the median of the runs (each a whole ansible-playbook command, cold token cache);")
    lines.append("cpu s: user+system seconds of that run's ansible-playbook and everything under it (modules")
    lines.append("included, the emulator not); emu cpu: the emulator's CPU seconds in that run (all emulators")
    lines.append("of the fleet), on the same CPUs; mods: module processes; mod RSS: their largest peak RSS, MB;")
    lines.append("mod s: their summed wall seconds; tree RSS: largest process under ansible-playbook, MB.")
    lines.append("")
    lines.append("Requests by endpoint")
    for r in rows:
        lines.append("  %-40s %s" % (r.title, endpoints(r)))
    return lines


def targets(out, args):
    lines = []

    def target(label, wanted, measured, ok):
        lines.append("  %-56s %-10s %-40s %s" % (label, wanted, measured, verdict(ok)))

    new, old, single = out.get("whole_new"), out.get("whole_old"), out.get("whole_single")
    if new and old and single:
        ratio = old.wall_s / new.wall_s
        target("[1] whole-PBX no-op, old role / new role", ">= %.1fx" % TARGET_OLD_ROLE_RATIO,
               "%.2fx (%.2f / %.2f)" % (ratio, old.wall_s, new.wall_s),
               ratio >= TARGET_OLD_ROLE_RATIO and ok_run(new) and ok_run(old))
        ratio = new.wall_s / single.wall_s
        target("[1] whole-PBX no-op, new role / one uc_extension no-op", "<= %.1fx" % TARGET_SINGLE_KIND_RATIO,
               "%.2fx (%.2f / %.2f)" % (ratio, new.wall_s, single.wall_s),
               ratio <= TARGET_SINGLE_KIND_RATIO and ok_run(new) and ok_run(single))
    uri = out.get("fleet_uri")
    for key, label in (("fleet_role", "role"), ("fleet_task", "uc_config task")):
        r = out.get(key)
        if r and uri:
            ratio = uri.wall_s / r.wall_s
            target("[2] fleet %dx%d no-op, uri / %s" % (args.fleet_size, args.fleet_extensions, label),
                   ">= %.1fx" % TARGET_FLEET_RATIO, "%.2fx (%.2f / %.2f)" % (ratio, uri.wall_s, r.wall_s),
                   ratio >= TARGET_FLEET_RATIO and ok_run(r) and ok_run(uri))
    empty, big = out.get("big_empty"), out.get("big_noop")
    # Both ways of handing uc_config a big tree; src: is the one its documentation recommends for
    # large trees (config: also pays Ansible's loading and templating of the variable).
    for key, how in (("big_src", "src:"), ("big_noop", "config:")):
        run = out.get(key)
        if empty and run:
            over = run.wall_s - empty.wall_s
            target("[3] %d no-op (%s), wall s over the empty playbook" % (args.big_count, how),
                   "<= %.1f s" % TARGET_BIG_SECONDS_OVER_EMPTY,
                   "%.2f s (%.2f - %.2f)" % (over, run.wall_s, empty.wall_s),
                   over <= TARGET_BIG_SECONDS_OVER_EMPTY and ok_run(run))
    if big:
        size = getattr(big, "result_bytes", -1)
        target("[3] %d no-op, size of the task result" % args.big_count, "< 1 MB",
               "%d bytes" % size if size >= 0 else "no result file", 0 <= size < TARGET_BIG_RESULT_BYTES)
    serial, parallel = out.get("adds_serial"), out.get("adds_parallel")
    if serial and parallel:
        ratio = serial.wall_s / parallel.wall_s
        target("[4] %d adds at %d ms, serial / parallel_writes %d" % (args.adds, LATENCY_MS, args.parallel),
               ">= %.1fx" % TARGET_PARALLEL_RATIO, "%.2fx (%.2f / %.2f)" % (ratio, serial.wall_s, parallel.wall_s),
               ratio >= TARGET_PARALLEL_RATIO and ok_run(serial, None) and ok_run(parallel, None))
    return lines


def sanity_checks(rows, out, args):
    checks = []

    def check(label, expected, measured, ok):
        checks.append("  %-56s %-10s %-20s %s" % (label, expected, measured, "ok" if ok else "UNEXPECTED"))

    for r in rows:
        if r.key in ("whole_apply", "adds_serial", "adds_parallel", "big_empty", "big_empty_vars"):
            continue
        check("%s: changed / failed" % r.key, "0 / 0",
              "%s / %s" % (r.recap.get("changed", "?"), r.recap.get("failed", "?")), ok_run(r))
        if r.by_endpoint.get("add", 0) + r.by_endpoint.get("update", 0) + r.by_endpoint.get("delete", 0):
            check("%s: writes" % r.key, "0", "%d" % (r.requests - r.logins), False)
    for key in ("adds_serial", "adds_parallel"):
        r = out.get(key)
        if r:
            check("%s: adds sent" % key, "%d" % args.adds, "%d" % r.by_endpoint.get("add", 0),
                  r.rc == 0 and r.by_endpoint.get("add", 0) == args.adds)
    for r in rows:
        if r.failed_requests:
            check("%s: API requests answered Failed" % r.key, "0", "%d" % r.failed_requests, False)
    if "adds_limits" in out:
        check("emulator limits during [4]", "latency %d" % LATENCY_MS, json.dumps(out["adds_limits"]),
              out["adds_limits"].get("latency_ms") == LATENCY_MS)
    return checks


def details(out, args):
    ratios = []
    new, old, single = out.get("whole_new"), out.get("whole_old"), out.get("whole_single")
    empty, big, uri = out.get("big_empty"), out.get("big_noop"), out.get("fleet_uri")
    serial, parallel = out.get("adds_serial"), out.get("adds_parallel")
    if new and old and single:
        ratios.append("  [1] module processes: old role %d, new role %d, one uc_extension %d"
                      % (old.modules, new.modules, single.modules))
        ratios.append("  [1] requests: old role %d, new role %d" % (old.requests, new.requests))
        if old.modules and new.modules:
            ratios.append("  [1] time outside modules: old role %.2f s, new role %.2f s, one uc_extension %.2f s"
                          % (old.wall_s - old.module_seconds_sum, new.wall_s - new.module_seconds_sum,
                             single.wall_s - single.module_seconds_sum))
    for key in ("fleet_role", "fleet_task", "fleet_uri"):
        r = out.get(key)
        if r:
            ratios.append("  [2] %s: %.3f s per PBX, %d requests, %d module processes, %.2f module s in total"
                          % (key, r.wall_s / args.fleet_size, r.requests, r.modules, r.module_seconds_sum))
    empty_vars, big_src = out.get("big_empty_vars"), out.get("big_src")
    if big and hasattr(big, "result_keys"):
        ratios.append("  [3] result keys: %s" % ", ".join(big.result_keys))
    if big and empty_vars:
        ratios.append("  [3] no-op config: over the empty playbook loading the same vars: %.2f s wall, %.2f s CPU"
                      % (big.wall_s - empty_vars.wall_s, big.cpu_s - empty_vars.cpu_s))
    if big and empty:
        ratios.append("  [3] no-op config: over the empty playbook in CPU seconds: %.2f s" % (big.cpu_s - empty.cpu_s))
    if big_src and empty:
        ratios.append("  [3] no-op src: over the empty playbook: %.2f s wall, %.2f s CPU; result %s bytes"
                      % (big_src.wall_s - empty.wall_s, big_src.cpu_s - empty.cpu_s,
                         getattr(big_src, "result_bytes", "?")))
    for r in (big, big_src):
        if r and r.modules:
            ratios.append("  [3] %s module: %.2f s, peak RSS %.1f MB" % (r.key, r.module_seconds_sum, r.module_rss_mb_max))
    if serial and parallel and serial.modules and parallel.modules:
        ratios.append("  [4] module seconds, serial / parallel: %.2fx (%.2f / %.2f); per add: %.1f ms vs %.1f ms"
                      % (serial.module_seconds_sum / parallel.module_seconds_sum, serial.module_seconds_sum,
                         parallel.module_seconds_sum, 1000.0 * serial.module_seconds_sum / args.adds,
                         1000.0 * parallel.module_seconds_sum / args.adds))
    for label, slow, fast in (("[1] old role / new role", old, new), ("[1] new role / one uc_extension", new, single),
                              ("[2] uri / role", uri, out.get("fleet_role")),
                              ("[2] uri / uc_config task", uri, out.get("fleet_task")),
                              ("[4] serial / parallel", serial, parallel)):
        if slow and fast and getattr(fast, "cpu_s", 0):
            ratios.append("  %s in CPU seconds: %.2fx (%.2f / %.2f)"
                          % (label, slow.cpu_s / fast.cpu_s, slow.cpu_s, fast.cpu_s))
    return ratios


def task_times(result):
    try:
        text = Path(result.log).read_text(errors="replace")
    except OSError:
        return ["(no log)"]
    return ["%8s  %s" % tuple(line.split(" ", 2)[1:]) for line in text.splitlines() if line.startswith("TASKTIME ")]
