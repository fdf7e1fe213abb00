# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One task per PBX: openvox.ucpbx.uc_config against the ways it replaces, side by side.

Four scenarios, each measured in the same run on the same machine (so the ratios hold even
when the absolute numbers are noisy):

1. whole-PBX no-op through the pbx_config role (one uc_config task) against the role as it was
   before uc_config (eight per-kind module tasks, reproduced here as a generated playbook) and
   against one single-kind uc_extension no-op;
2. a fleet of emulated PBXes (50 x 200 extensions, forks 10), no-op: the role and a plain
   uc_config task against the ansible.builtin.uri playbook a user would write;
3. 10,000 extensions, no-op uc_config against an empty playbook, and the size of the result;
4. 1,000 adds at 20 ms latency, parallel_writes 8 against parallel_writes 1.

A report, not a test: it exits 0 whatever it measured (non-zero only when it cannot run).

    .venv/bin/python benchmarks/one_task.py            # full run (~5-8 minutes on 2 CPUs)
    .venv/bin/python benchmarks/one_task.py --quick    # smoke run, small sizes (~1 minute)

See benchmarks/README.md for what each number means.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# pylint: disable=wrong-import-position
from bench_runs import Fleet, ansible_cfg, make_dir, measure, run, start_fleet, stop_all, using, write  # noqa: E402
from extensions import (  # noqa: E402
    PASSWORD, REPO, USERNAME, Bench, Emulator, config_records, save_results, work_directory)
from one_task_playbooks import (  # noqa: E402
    ADDS, BIG_NOOP, FLEET_INVENTORY_HEAD, FLEET_ROLE, FLEET_TASK, FLEET_URI, NEW_ROLE, SINGLE_KIND, big_src_playbook,
    old_role_playbook)
from one_task_report import LATENCY_MS, report  # noqa: E402
from whole_pbx import var_tree  # noqa: E402

COLLECTION_ROOT = Path("ansible_collections") / "openvox" / "ucpbx"


# --------------------------------------------------------------------------- scenarios

def scenario_whole_pbx(bench, args, out):
    """1. Whole-PBX no-op: new role vs the old eight-task role vs one uc_extension task."""
    workdir = bench.workdir
    tree = var_tree()
    vars_file = write(workdir, "whole-pbx.json", json.dumps(tree))
    write(workdir, "new-role.yml", NEW_ROLE)
    write(workdir, "old-role.yml", old_role_playbook())
    write(workdir, "single-kind.yml", SINGLE_KIND)
    collection_dir = bench.collections / COLLECTION_ROOT
    extra = ["collection_dir=%s" % collection_dir]
    emulator = Emulator(bench.bin_dir, make_dir(workdir / "whole-pbx"))
    try:
        emulator.control("PUT", "state", {"deviceinfo": {"capacity": "1000"}})
        with using(bench, emulator=emulator):
            n_ext = len(tree["ucpbx_config"]["extensions"])
            out["whole_apply"] = run(bench, "whole_apply", "1. first apply (new role)", "new-role.yml", 0, n_ext,
                                     vars_file=vars_file)
            common = dict(extensions_on_pbx=n_ext, items=n_ext, vars_file=vars_file, extra_vars=extra)
            measure(bench, args.repeat, [
                ("whole_new", "1. no-op, new role (uc_config)", "new-role.yml", common),
                ("whole_old", "1. no-op, old role (8 module tasks)", "old-role.yml", common),
                ("whole_single", "1. no-op, one uc_extension task", "single-kind.yml", common)], out)
    finally:
        emulator.stop()


def scenario_fleet(bench, args, out):
    """2. Fleet no-op, forks 10: the role and a plain uc_config task vs the uri playbook."""
    workdir = bench.workdir
    records = config_records(args.fleet_extensions)
    vars_file = write(workdir, "fleet.json", json.dumps({"extensions": records}))
    for name, text in (("fleet-role.yml", FLEET_ROLE), ("fleet-task.yml", FLEET_TASK), ("fleet-uri.yml", FLEET_URI)):
        write(workdir, name, text)
    print("  starting %d emulators ..." % args.fleet_size, flush=True)
    emulators = start_fleet(bench.bin_dir, make_dir(workdir / "fleet"), args.fleet_size)
    try:
        for emulator in emulators:
            emulator.seed(args.fleet_extensions, args.fleet_extensions + 100)
        lines = [FLEET_INVENTORY_HEAD.format(wrapper=bench.wrapper, username=USERNAME, password=PASSWORD)]
        lines += ["        pbx%02d:\n          pbx_port: %d\n" % (n, e.port) for n, e in enumerate(emulators)]
        inventory = write(workdir, "fleet-inventory.yml", "".join(lines))
        size = args.fleet_size * args.fleet_extensions
        with using(bench, emulator=Fleet(emulators), inventory=inventory,
                   cfg=ansible_cfg(bench, args)):
            common = dict(extensions_on_pbx=size, items=size, vars_file=vars_file)
            measure(bench, args.fleet_repeat, [
                ("fleet_role", "2. fleet no-op, pbx_config role", "fleet-role.yml", common),
                ("fleet_task", "2. fleet no-op, one uc_config task", "fleet-task.yml", common),
                ("fleet_uri", "2. fleet no-op, ansible.builtin.uri", "fleet-uri.yml", common)], out)
    finally:
        print("  stopping %d emulators" % len(emulators), flush=True)
        stop_all(emulators)


def scenario_big(bench, args, out):
    """3. N extensions, no-op uc_config vs an empty playbook; the size of the task's result."""
    workdir = bench.workdir
    count = args.big_count
    vars_file = write(workdir, "big.json", json.dumps({"extensions": config_records(count)}))
    write(workdir, "big-noop.yml", BIG_NOOP)
    tree_file = write(workdir, "big-tree.json", json.dumps({"extensions": config_records(count)}))
    write(workdir, "big-src.yml", big_src_playbook(tree_file))
    emulator = Emulator(bench.bin_dir, make_dir(workdir / "big"))
    try:
        emulator.seed(count, count + 100)
        with using(bench, emulator=emulator, cfg=ansible_cfg(bench, args, workdir / "tree")):
            measure(bench, args.repeat, [
                ("big_empty", "3. empty playbook (one debug task)", "empty.yml",
                 dict(extensions_on_pbx=count, items=0)),
                ("big_empty_vars", "3. the same, loading the extensions", "empty.yml",
                 dict(extensions_on_pbx=count, items=0, vars_file=vars_file)),
                ("big_noop", "3. no-op, uc_config config: (vars)", "big-noop.yml",
                 dict(extensions_on_pbx=count, items=count, vars_file=vars_file)),
                ("big_src", "3. no-op, uc_config src: (file)", "big-src.yml",
                 dict(extensions_on_pbx=count, items=count))], out)
    finally:
        emulator.stop()


def scenario_adds(bench, args, out):
    """4. N adds at 20 ms latency: parallel_writes 8 vs 1, on an emptied PBX each time."""
    workdir = bench.workdir
    count = args.adds
    vars_file = write(workdir, "adds.json", json.dumps({"extensions": config_records(count)}))
    write(workdir, "adds.yml", ADDS)
    emulator = Emulator(bench.bin_dir, make_dir(workdir / "adds"))
    try:
        emulator.control("PUT", "limits", {"latency_ms": LATENCY_MS})
        out["adds_limits"] = emulator.control("GET", "limits")
        with using(bench, emulator=emulator):
            for key, writes in (("adds_serial", 1), ("adds_parallel", args.parallel)):
                emulator.seed(0, count + 100)   # every run starts from an empty PBX
                title = "4. %d adds, parallel_writes %d" % (count, writes)
                out[key] = run(bench, key, title, "adds.yml", 0, count, vars_file=vars_file,
                               extra_vars=["writes=%d" % writes])
                out[key + "_walls"] = [out[key].wall_s]
    finally:
        emulator.stop()


# --------------------------------------------------------------------------- main

def as_json(value):
    """A Result with the numbers this script adds to it; anything else as it is."""
    if not hasattr(value, "wall_s"):
        return value
    extra = dict((name, getattr(value, name, None)) for name in ("cpu_s", "emulator_cpu_s", "result_bytes"))
    return dict(asdict(value), **extra)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: fleet 5x50, 1,000 extensions for [3], 200 adds, one run each")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each single-PBX no-op (median kept)")
    parser.add_argument("--fleet-repeat", type=int, default=1, help="runs of each fleet playbook")
    parser.add_argument("--fleet-size", type=int, default=50, help="emulated PBXes of [2]")
    parser.add_argument("--fleet-extensions", type=int, default=200, help="extensions per PBX of [2]")
    parser.add_argument("--forks", type=int, default=10)
    parser.add_argument("--big-count", type=int, default=10000, help="extensions of [3]")
    parser.add_argument("--adds", type=int, default=1000, help="adds of [4]")
    parser.add_argument("--parallel", type=int, default=8, help="parallel_writes of [4]")
    parser.add_argument("--task-times", action="store_true",
                        help="print how long each task of the [1] playbooks took (a callback plugin)")
    parser.add_argument("--only", default="1,2,3,4", help="scenarios to run, e.g. 1,3")
    parser.add_argument("--venv-bin", default=str(REPO / ".venv" / "bin"),
                        help="directory with python, ansible-playbook and ucpbx-emulator (default .venv/bin)")
    parser.add_argument("--collections-path", help="use this collections tree instead of a private copy of the repo")
    parser.add_argument("--json", default=str(REPO / "benchmarks" / "results" / "one_task.json"),
                        help="also write the results here ('' for no file)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (playbooks, logs)")
    args = parser.parse_args(argv)
    if args.quick:
        args.repeat, args.fleet_size, args.fleet_extensions = 1, 5, 50
        args.big_count, args.adds = 1000, 200
    args.rss_wrapper = "time"
    return args


def main(argv=None):
    args = parse_args(argv)
    out = {}
    started = time.monotonic()
    with work_directory(args, "ucpbx-one-task-") as workdir:
        bench = Bench(args, workdir)   # collection snapshot, environment, RSS wrapper, empty.yml
        (workdir / "ansible.cfg").write_text(ansible_cfg(bench, args))
        print("collection from %s; %d CPUs" % (bench.collections, os.cpu_count() or 0), flush=True)
        scenarios = {"1": scenario_whole_pbx, "2": scenario_fleet, "3": scenario_big, "4": scenario_adds}
        for name in args.only.split(","):
            scenarios[name.strip()](bench, args, out)
        total = time.monotonic() - started
        print()
        print("openvox.ucpbx one-task benchmark%s: whole PBX (200 extensions + 5 kinds), fleet %dx%d forks %d, "
              "%d-extension no-op, %d adds at %d ms; %d CPUs, %.0f s in total"
              % (" (quick)" if args.quick else "", args.fleet_size, args.fleet_extensions, args.forks,
                 args.big_count, args.adds, LATENCY_MS, os.cpu_count() or 0, total))
        print(report(out, args))
        save_results(args.json, dict((k, as_json(v)) for k, v in out.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
