# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""10,000 and 50,000 extensions, no-op: seconds over an empty playbook and the worker's peak RSS.

For each size, against an emulator seeded with that many extensions: the empty playbook (one
debug task), the same loading the extensions with `-e @vars.json` (what Ansible alone spends on
them, and what a forked worker inherits), uc_config with `src:` (a JSON file), uc_config with `config:` (the list from
`-e @vars.json`) and uc_extension with `config:`. Each runs `--repeat` times, interleaved; the run
of median wall time is reported, with its CPU seconds (user + system of ansible-playbook and every
process under it), which move less than wall seconds when other work shares the machine. The worker's peak RSS is the largest VmHWM of any process under
ansible-playbook (its forked workers, and a module process if one runs), sampled every 20 ms.
A report, not a test: it exits 0 whatever it measured.

    .venv/bin/python benchmarks/big_noop.py              # 10,000 and 50,000 (~3 minutes)
    .venv/bin/python benchmarks/big_noop.py --sizes 2000 --repeat 1
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# pylint: disable=wrong-import-position
from extensions import Bench, Emulator, config_records, save_results, verdict, work_directory  # noqa: E402

TARGETS = {"src": 1.0, "config": 2.0, "uc_extension": 2.0}   # seconds over the empty playbook
RSS_TARGETS = {10000: 100.0, 50000: 300.0}                    # MB, worker peak

# The task of each playbook (JSON is YAML): the module and its arguments.
TASKS = {
    "src": ("openvox.ucpbx.uc_config", {"src": "{tree}"}),
    "config": ("openvox.ucpbx.uc_config", {"config": {"extensions": "{{ extensions }}"}}),
    "uc_extension": ("openvox.ucpbx.uc_extension", {"config": "{{ extensions }}"}),
}


def playbook(name, tree):
    module, arguments = TASKS[name]
    if "src" in arguments:
        arguments = {"src": str(tree)}
    return json.dumps([{"name": "%s, no-op" % name, "hosts": "pbx", "gather_facts": False,
                        "tasks": [{"name": "Extensions", module: arguments}]}], indent=1)


class PeakSampler(threading.Thread):
    """The largest VmHWM (MB) of the processes under ansible-playbook, while it runs."""

    def __init__(self, emulator_pid):
        super().__init__(daemon=True)
        self.skip = {os.getpid(), emulator_pid}
        self.peak_mb = 0.0
        self.running = True

    def run(self):
        while self.running:
            self._sample()
            time.sleep(0.02)

    def _sample(self):
        parents = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path("/proc/%s/stat" % entry).read_text()
                    parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
                except (OSError, ValueError, IndexError):
                    continue
        playbooks = {pid for pid, parent in parents.items() if parent == os.getpid() and pid not in self.skip}
        under = {pid for pid, parent in parents.items() if parent in playbooks}
        grown = True
        while grown:
            more = {pid for pid, parent in parents.items() if parent in under} - under
            grown = bool(more)
            under |= more
        for pid in under:
            try:
                for line in Path("/proc/%d/status" % pid).read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        self.peak_mb = max(self.peak_mb, int(line.split()[1]) / 1024.0)
            except (OSError, ValueError):
                continue


def measure(bench, size, repeat):
    workdir = bench.workdir
    records = config_records(size)
    vars_file = workdir / ("vars-%d.json" % size)
    vars_file.write_text(json.dumps({"extensions": records}))
    tree = workdir / ("tree-%d.json" % size)
    tree.write_text(json.dumps({"extensions": records}))
    for name in TASKS:
        (workdir / ("%s.yml" % name)).write_text(playbook(name, tree))
    bench.emulator.seed(size, size + 100)
    variants = [("empty", "empty.yml", None), ("empty_vars", "empty.yml", vars_file)]
    variants += [(name, "%s.yml" % name, None if name == "src" else vars_file) for name in TASKS]
    runs = dict((name, []) for name, _playbook, _vars in variants)
    for n in range(repeat):
        for name, playbook_file, vars_for in variants:
            sampler = PeakSampler(bench.emulator.process.pid)
            sampler.start()
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            result = bench.run("%s-%d-%d" % (name, size, n), name, playbook_file, size, size, vars_file=vars_for)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            sampler.running = False
            sampler.join()
            result.worker_rss_mb = sampler.peak_mb
            result.cpu_s = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            runs[name].append(result)
    return dict((name, sorted(results, key=lambda r: r.wall_s)[len(results) // 2]) for name, results in runs.items())


def report(measured):
    lines = ["", "| extensions | playbook | wall s | over empty s | CPU s | over empty CPU s | requests "
             "| worker peak RSS MB | target |", "|---|---|---|---|---|---|---|---|---|"]
    for size, results in measured.items():
        empty, empty_cpu = results["empty"].wall_s, results["empty"].cpu_s
        for name, result in results.items():
            over = result.wall_s - empty
            targets = []
            if name in TARGETS and size == 10000:
                targets.append("+%.0f s %s" % (TARGETS[name], verdict(over <= TARGETS[name])))
            if name in TARGETS and size in RSS_TARGETS:
                targets.append("%.0f MB %s" % (RSS_TARGETS[size], verdict(result.worker_rss_mb <= RSS_TARGETS[size])))
            lines.append("| %d | %s | %.2f | %s | %.2f | %s | %d | %.1f | %s |" % (
                size, name, result.wall_s, "-" if name == "empty" else "%+.2f" % over, result.cpu_s,
                "-" if name == "empty" else "%+.2f" % (result.cpu_s - empty_cpu), result.requests,
                result.worker_rss_mb, ", ".join(targets) or "-"))
            if result.rc != 0:
                lines.append("| | FAILED rc=%d, see %s | | | | | | | |" % (result.rc, result.log))
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--sizes", default="10000,50000", help="extension counts (default 10000,50000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each playbook per size (default 3)")
    parser.add_argument("--venv-bin", default=str(Path(".venv/bin").resolve()))
    parser.add_argument("--collections-path", default=None)
    parser.add_argument("--rss-wrapper", default="time", choices=["time", "python"])
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--json", default="benchmarks/results/big_noop.json")
    args = parser.parse_args(argv)
    measured = {}
    with work_directory(args, "ucpbx-big-noop-") as workdir:
        bench = Bench(args, workdir)
        bench.emulator = Emulator(bench.bin_dir, workdir)
        try:
            for size in (int(text) for text in args.sizes.split(",")):
                measured[size] = measure(bench, size, args.repeat)
        finally:
            bench.emulator.stop()
    text = report(measured)
    print(text)
    save_results(args.json, dict((size, dict((name, vars(result)) for name, result in results.items()))
                                 for size, results in measured.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
