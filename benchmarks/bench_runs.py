# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Running benchmark playbooks against emulators: ansible.cfg, fleets of emulators, timed runs with
their CPU seconds, and interleaved repeats. Used by benchmarks/one_task.py."""

from __future__ import annotations

import json
import os
import resource
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from extensions import Emulator
from one_task_playbooks import TASK_TIMES_PLUGIN


def ansible_cfg(bench, args, tree_dir=None):
    """forks; the task_times callback with --task-times; the tree callback when tree_dir is given.

    The tree callback writes each host's last task result to a file: the size of the result of a
    one-task playbook, without an extra task in the timed playbook.
    """
    callbacks = (["task_times"] if args.task_times else []) + (["ansible.builtin.tree"] if tree_dir else [])
    text = "[defaults]\nforks = %d\n" % args.forks
    if args.task_times:
        plugins = bench.workdir / "callback_plugins"
        plugins.mkdir(exist_ok=True)
        (plugins / "task_times.py").write_text(TASK_TIMES_PLUGIN)
        text += "callback_plugins = %s\n" % plugins
    if callbacks:
        text += "callbacks_enabled = %s\n" % ", ".join(callbacks)
    if tree_dir:
        text += "\n[callback_tree]\ndirectory = %s\n" % tree_dir
    return text


class Fleet:
    """Several emulators behind the two calls Bench.run makes on its emulator."""

    def __init__(self, emulators):
        self.emulators = emulators
        self.port = emulators[0].port

    def control(self, method, path, body=None):
        for emulator in self.emulators:
            emulator.control(method, path, body)

    def requests(self):
        return [entry for emulator in self.emulators for entry in emulator.requests()]


def start_fleet(bin_dir, workdir, count):
    started = []

    def start(index):
        directory = workdir / ("pbx%02d" % index)
        directory.mkdir()
        return Emulator(bin_dir, directory)

    with ThreadPoolExecutor(max_workers=8) as pool:
        futures = [pool.submit(start, index) for index in range(count)]
        errors = []
        for future in futures:
            try:
                started.append(future.result())
            except BaseException as exc:  # pylint: disable=broad-except  # SystemExit included
                errors.append(exc)
    if errors:
        stop_all(started)
        raise SystemExit("%d of %d emulators did not start: %s" % (len(errors), count, errors[0]))
    return started


def stop_all(emulators):
    for emulator in emulators:
        try:
            emulator.stop()
        except Exception:  # pylint: disable=broad-except  # stop the rest whatever happens
            pass


@contextmanager
def using(bench, emulator=None, inventory=None, cfg=None):
    """Point the shared Bench at another emulator, inventory or ansible.cfg for a while."""
    saved = (bench.emulator, bench.inventory)
    cfg_path = bench.workdir / "ansible.cfg"
    saved_cfg = cfg_path.read_text()
    if emulator is not None:
        bench.emulator = emulator
    if inventory is not None:
        bench.inventory = inventory
    if cfg is not None:
        cfg_path.write_text(cfg)
    try:
        yield bench
    finally:
        bench.emulator, bench.inventory = saved
        cfg_path.write_text(saved_cfg)


def run(bench, key, title, playbook, *args, **kwargs):
    """Bench.run, plus the CPU seconds (user + system) of ansible-playbook and every process under
    it: Bench.run reaps the playbook with wait4, so it lands in this process's RUSAGE_CHILDREN.
    CPU seconds hardly move when other work shares the machine, wall seconds do."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    emulator_before = emulator_cpu(bench.emulator)
    result = bench.run(key, title, playbook, *args, **kwargs)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result.cpu_s = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result.emulator_cpu_s = emulator_cpu(bench.emulator) - emulator_before
    tree_file = bench.workdir / "tree" / "pbx"   # written when the tree callback is on (scenario 3)
    if tree_file.exists():
        result.result_bytes = tree_file.stat().st_size
        result.result_keys = sorted(json.loads(tree_file.read_text()))
        tree_file.unlink()
    return result


def emulator_cpu(emulator):
    """User + system seconds the emulator process(es) used so far (they run on the same CPUs)."""
    total = 0.0
    for one in getattr(emulator, "emulators", [emulator]):
        try:
            fields = Path("/proc/%d/stat" % one.process.pid).read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError, AttributeError):
            pass
    return total


def measure(bench, repeat, variants, out):
    """Run each variant `repeat` times, interleaved (a, b, c, a, b, c, ...) so that load from other
    work on the machine falls on every variant alike; each run has a cold token cache. Keeps in
    `out` the run of median wall time of each variant, and all its wall times under key + "_walls".

    variants: (key, title, playbook, Bench.run keyword arguments)
    """
    runs = dict((key, []) for key, _title, _playbook, _kwargs in variants)
    for n in range(repeat):
        for key, title, playbook, kwargs in variants:
            runs[key].append(run(bench, "%s-%d" % (key, n) if repeat > 1 else key, title, playbook, **kwargs))
    for key, results in runs.items():
        median = sorted(results, key=lambda r: r.wall_s)[len(results) // 2]
        median.key = key
        out[key], out[key + "_walls"] = median, [r.wall_s for r in results]


def write(workdir, name, text):
    path = workdir / name
    path.write_text(text)
    return path


def make_dir(path):
    path.mkdir(parents=True, exist_ok=True)
    return path
