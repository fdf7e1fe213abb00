# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Scale benchmark of openvox.ucpbx.uc_extension against the PBX emulator.

Runs real `ansible-playbook` commands against an emulator this script starts itself, reads
the emulator's request log, and prints one table: HTTP requests (by endpoint), logins, wall
seconds, peak RSS of the module process, and the targets with PASS/MISS. It is a report,
not a test: it exits 0 whatever was measured (non-zero only when it cannot run at all).

    .venv/bin/python benchmarks/extensions.py                 # full run (~6-8 minutes)
    .venv/bin/python benchmarks/extensions.py --quick         # smoke run (~1 minute)

See benchmarks/README.md for what each number means and how the RSS is measured.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# What a collection needs at run time (the rest of the repository is tests and tooling).
COLLECTION_PARTS = ("galaxy.yml", "meta", "plugins", "roles", "README.md")
USERNAME = "api"
PASSWORD = "bench-password"
# Extension numbers are 1 to 7 digits; 6-digit numbers leave room for 10,000+ extensions.
FIRST_NUMBER = 200000
PLAYBOOK_TIMEOUT = 3600

TARGET_NOOP_REQUESTS = 2
TARGET_NOOP_SECONDS_OVER_EMPTY = 2.0
TARGET_LOOP_LOGINS = 1
TARGET_LOOP_RATIO = 50.0
TARGET_RSS_MB = 100.0


# --------------------------------------------------------------------------- playbooks

PLAYBOOKS = {
    "empty.yml": """\
- name: Baseline, no module
  hosts: pbx
  gather_facts: false
  tasks:
    - name: One debug task
      ansible.builtin.debug:
        msg: baseline
""",
    "aggregate.yml": """\
- name: uc_extension, one task for the whole list
  hosts: pbx
  gather_facts: false
  tasks:
    - name: Extensions (aggregate config)
      openvox.ucpbx.uc_extension:
        config: "{{ extensions }}"
        state: "{{ ext_state | default('merged') }}"
""",
    "loop.yml": """\
- name: uc_extension, one task looping over the list
  hosts: pbx
  gather_facts: false
  tasks:
    - name: Extensions (one per loop item)
      openvox.ucpbx.uc_extension:
        config: "{{ [item] }}"
      loop: "{{ extensions }}"
      loop_control:
        label: "{{ item.number }}"
""",
    "gathered.yml": """\
- name: uc_extension, gathered
  hosts: pbx
  gather_facts: false
  tasks:
    - name: Read every extension
      openvox.ucpbx.uc_extension:
        state: gathered
      register: pbx_extensions
    - name: Check the count
      ansible.builtin.assert:
        that: pbx_extensions.gathered | length == expected_count | int
        quiet: true
""",
}

INVENTORY = """\
all:
  hosts:
    pbx:
      ansible_connection: local
      # A wrapper around the playbook's own python that records the module's peak RSS.
      ansible_python_interpreter: "{wrapper}"
"""

# GNU time reports the peak RSS (KB) of the process it runs; -a appends one line per module.
TIME_WRAPPER = """\
#!/bin/sh
# Written by benchmarks/extensions.py: run the module under GNU time to record its peak RSS.
exec {time} -a -o "${{UCPBX_BENCH_RSS_LOG:-/dev/null}}" -f 'module rss_kb=%M elapsed=%e exit=%x' {python} "$@"
"""

# Fallback without /usr/bin/time: a python parent that reads its children's peak RSS.
PYTHON_WRAPPER = """\
#!{python}
# Written by benchmarks/extensions.py: run the module as a child and record its peak RSS.
import os, resource, subprocess, sys, time
start = time.monotonic()
rc = subprocess.call([{python!r}] + sys.argv[1:])
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
log = os.environ.get("UCPBX_BENCH_RSS_LOG")
if log:
    with open(log, "a") as handle:
        handle.write("module rss_kb=%d elapsed=%.2f exit=%d\\n" % (usage.ru_maxrss, time.monotonic() - start, rc))
sys.exit(rc)
"""

MODULE_LINE = re.compile(r"module rss_kb=(\d+) elapsed=([\d.]+) exit=(-?\d+)")
RECAP_LINE = re.compile(r"ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)")


# --------------------------------------------------------------------------- data

def config_records(count):
    """The desired extensions, in uc_extension option names."""
    return [{"number": str(FIRST_NUMBER + i), "name": "Bench User %d" % i,
             "email": "user%d@bench.example" % i} for i in range(count)]


def state_records(count):
    """The same extensions in the emulator's state format (add/update field names)."""
    return [{"number": str(FIRST_NUMBER + i), "username": "Bench User %d" % i,
             "email": "user%d@bench.example" % i} for i in range(count)]


@dataclass
class Result:
    key: str
    title: str
    extensions_on_pbx: int
    items: int                   # config entries (aggregate) or loop items
    wall_s: float = 0.0
    rc: int = 0
    requests: int = 0
    by_endpoint: dict = field(default_factory=dict)
    failed_requests: int = 0
    logins: int = 0
    recap: dict = field(default_factory=dict)
    modules: int = 0             # module processes recorded by the wrapper
    module_rss_mb_max: float = 0.0
    module_rss_mb_median: float = 0.0
    module_seconds_sum: float = 0.0
    tree_rss_mb: float = 0.0     # peak RSS of the largest process under ansible-playbook
    log: str = ""


# --------------------------------------------------------------------------- emulator

class Emulator:
    def __init__(self, bin_dir, workdir):
        self.workdir = workdir
        self.port_file = workdir / "emulator.port"
        self.log_path = workdir / "emulator.log"
        exe = bin_dir / "ucpbx-emulator"
        command = [str(exe)] if exe.exists() else [sys.executable, "-m", "ucpbx_emulator"]
        command += ["--host", "127.0.0.1", "--port", "0", "--port-file", str(self.port_file),
                    "--username", USERNAME, "--password", PASSWORD, "--lockout-threshold", "0"]
        self._log = open(self.log_path, "w")
        self.process = subprocess.Popen(command, stdout=self._log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while not (self.port_file.exists() and self.port_file.read_text().strip()):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise SystemExit("the emulator did not start:\n" + self.log_path.read_text())
            time.sleep(0.05)
        self.port = int(self.port_file.read_text().strip())
        self.url = "http://127.0.0.1:%d" % self.port

    def control(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.url + "/_emulator/" + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=120) as answer:
                return json.loads(answer.read() or b"{}")
        except urllib.error.HTTPError as exc:
            raise SystemExit("emulator control %s %s: HTTP %d %s" % (method, path, exc.code, exc.read()[:500]))

    def seed(self, count, capacity):
        """Replace the extensions with `count` of them; capacity high enough for the benchmark."""
        self.control("PUT", "state", {"deviceinfo": {"capacity": str(capacity)},
                                      "extensions": state_records(count)})

    def requests(self):
        return self.control("GET", "requests")["requests"]

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


# --------------------------------------------------------------------------- runner

def endpoint_kind(endpoint):
    if endpoint is None:
        return "other"
    if endpoint.startswith("extension/"):
        return endpoint.split("/", 1)[1]      # query, add, update, delete
    return endpoint                            # login, heartbeat, extensionlist/query, ...


class Bench:
    def __init__(self, args, workdir):
        self.args = args
        self.workdir = workdir
        self.bin_dir = Path(args.venv_bin)
        self.python = self.bin_dir / "python"
        self.playbook_exe = self.bin_dir / "ansible-playbook"
        for exe in (self.python, self.playbook_exe):
            if not exe.exists():
                raise SystemExit("%s not found; run `make venv` or pass --venv-bin" % exe)
        self.collections = self._collections()
        self.wrapper, self.rss_method = self._wrapper()
        self.inventory = workdir / "inventory.yml"
        self.inventory.write_text(INVENTORY.format(wrapper=self.wrapper))
        for name, text in PLAYBOOKS.items():
            (workdir / name).write_text(text)
        (workdir / "ansible.cfg").write_text("[defaults]\n")
        self.emulator = None
        self.results = []

    def _collections(self):
        if self.args.collections_path:
            return Path(self.args.collections_path).resolve()
        # A private copy, so edits made to the working tree while the benchmark runs
        # (or a concurrent `make collection`) cannot change what is measured.
        root = self.workdir / "collections"
        target = root / "ansible_collections" / "openvox" / "ucpbx"
        target.mkdir(parents=True)
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
        for part in COLLECTION_PARTS:
            source = REPO / part
            if source.is_dir():
                shutil.copytree(source, target / part, ignore=ignore)
            elif source.exists():
                shutil.copy2(source, target / part)
        return root

    def _wrapper(self):
        path = self.workdir / "python-rss"
        gnu_time = shutil.which("time", path="/usr/bin:/bin")
        if gnu_time and self.args.rss_wrapper == "time":
            path.write_text(TIME_WRAPPER.format(time=gnu_time, python=self.python))
            method = "GNU time (%s) %%M of the interpreter process" % gnu_time
        else:
            path.write_text(PYTHON_WRAPPER.format(python=str(self.python)))
            method = "python wrapper, getrusage(RUSAGE_CHILDREN).ru_maxrss"
        path.chmod(0o755)
        return path, method

    def _vars_file(self, name, records):
        path = self.workdir / name
        if not path.exists():
            path.write_text(json.dumps({"extensions": records}))
        return path

    def _env(self, key):
        env = dict((k, v) for k, v in os.environ.items()
                   if not k.startswith("ANSIBLE_") and not k.startswith("UCPBX_"))
        cache = self.workdir / ("token-cache-" + key)   # a cold token cache per scenario
        env.update({
            "ANSIBLE_CONFIG": str(self.workdir / "ansible.cfg"),
            "ANSIBLE_COLLECTIONS_PATH": str(self.collections),
            "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false",
            "ANSIBLE_HOME": str(self.workdir / "ansible-home"),
            "ANSIBLE_LOCAL_TEMP": str(self.workdir / "ansible-tmp"),
            "ANSIBLE_REMOTE_TEMP": str(self.workdir / "ansible-remote-tmp"),
            "ANSIBLE_RETRY_FILES_ENABLED": "false",
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_FORCE_COLOR": "0",
            "UCPBX_HOST": "127.0.0.1",
            "UCPBX_PORT": str(self.emulator.port),
            "UCPBX_USERNAME": USERNAME,
            "UCPBX_PASSWORD": PASSWORD,
            "UCPBX_TOKEN_CACHE_DIR": str(cache),
            "UCPBX_BENCH_RSS_LOG": str(self.workdir / ("modules-%s.log" % key)),
        })
        return env

    def run(self, key, title, playbook, extensions_on_pbx, items, extra_vars=(), vars_file=None):
        result = Result(key=key, title=title, extensions_on_pbx=extensions_on_pbx, items=items)
        env = self._env(key)
        rss_log = Path(env["UCPBX_BENCH_RSS_LOG"])
        output = self.workdir / ("playbook-%s.log" % key)
        command = [str(self.playbook_exe), "-i", str(self.inventory), str(self.workdir / playbook)]
        if vars_file:
            command += ["-e", "@%s" % vars_file]
        for item in extra_vars:
            command += ["-e", item]
        self.emulator.control("DELETE", "requests")
        print("  running %-28s ..." % key, end="", flush=True)
        with open(output, "w") as out:
            start = time.monotonic()
            process = subprocess.Popen(command, cwd=self.workdir, env=env, stdout=out, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, start_new_session=True)
            timer = threading.Timer(PLAYBOOK_TIMEOUT, lambda: os.killpg(process.pid, signal.SIGKILL))
            timer.start()
            # wait4 gives the rusage of ansible-playbook and everything it waited for.
            _pid, status, usage = os.wait4(process.pid, 0)
            result.wall_s = time.monotonic() - start
            timer.cancel()
            process.returncode = os.waitstatus_to_exitcode(status)
        result.rc = process.returncode
        result.tree_rss_mb = usage.ru_maxrss / 1024.0
        result.log = str(output)

        entries = self.emulator.requests()
        kinds = Counter(endpoint_kind(entry.get("endpoint")) for entry in entries)
        result.requests = len(entries)
        result.by_endpoint = dict(kinds)
        result.logins = kinds.get("login", 0)
        result.failed_requests = sum(1 for entry in entries if entry.get("status") != "Success")

        text = output.read_text(errors="replace")
        recap = RECAP_LINE.findall(text)
        if recap:
            ok, changed, unreachable, failed = (int(v) for v in recap[-1])
            result.recap = {"ok": ok, "changed": changed, "unreachable": unreachable, "failed": failed}

        modules = [MODULE_LINE.search(line) for line in rss_log.read_text().splitlines()] if rss_log.exists() else []
        modules = [m for m in modules if m]
        result.modules = len(modules)
        if modules:
            rss = [int(m.group(1)) / 1024.0 for m in modules]
            result.module_rss_mb_max = max(rss)
            result.module_rss_mb_median = statistics.median(rss)
            result.module_seconds_sum = sum(float(m.group(2)) for m in modules)
        status = "ok" if result.rc == 0 else "FAILED rc=%d (see %s)" % (result.rc, output)
        print(" %7.2f s  %s" % (result.wall_s, status), flush=True)
        if result.rc != 0:
            print("    " + "\n    ".join(text.splitlines()[-15:]), flush=True)
        self.results.append(result)
        return result

    # ----------------------------------------------------------------------- scenarios
    def main(self):
        args = self.args
        count, loop_count, rss_count = args.count, min(args.loop_count, args.count), args.rss_count
        capacity = max(count, rss_count) + 100
        self.emulator = Emulator(self.bin_dir, self.workdir)
        try:
            print("emulator on %s; collection from %s" % (self.emulator.url, self.collections))
            print("module RSS: %s" % self.rss_method)
            self.emulator.seed(0, capacity)
            records = config_records(count)
            agg_vars = self._vars_file("extensions-%d.json" % count, records)
            loop_vars = self._vars_file("loop-%d.json" % loop_count, records[:loop_count])

            self.run("empty", "1. empty playbook (one debug task)", "empty.yml", 0, 0)
            self.run("apply", "2. first apply, aggregate", "aggregate.yml", 0, count, vars_file=agg_vars)
            self.run("noop", "3. no-op rerun, aggregate", "aggregate.yml", count, count, vars_file=agg_vars)
            if not args.skip_loop:
                self.run("loop", "4. no-op rerun, loop", "loop.yml", count, loop_count, vars_file=loop_vars)

            big_vars = self._vars_file("extensions-%d.json" % rss_count, config_records(rss_count))
            self.emulator.seed(rss_count, capacity)
            self.run("rss_merged", "5a. no-op aggregate (merged)", "aggregate.yml", rss_count, rss_count,
                     vars_file=big_vars)
            self.run("rss_gathered", "5b. gathered", "gathered.yml", rss_count, 0,
                     extra_vars=["expected_count=%d" % rss_count])
            if not args.skip_overridden:
                self.run("rss_overridden", "5c. no-op aggregate (overridden)", "aggregate.yml", rss_count,
                         rss_count, vars_file=big_vars, extra_vars=["ext_state=overridden"])
        finally:
            self.emulator.stop()


# --------------------------------------------------------------------------- report

def verdict(ok):
    return "PASS" if ok else "MISS"


def fmt_endpoints(by_endpoint):
    order = ["login", "query", "add", "update", "delete"]
    keys = [k for k in order if k in by_endpoint] + sorted(k for k in by_endpoint if k not in order)
    return " ".join("%s=%d" % (k, by_endpoint[k]) for k in keys) or "-"


def report(measured):
    results = dict((r.key, r) for r in measured)
    lines = []
    header = ("%-36s %7s %6s %8s  %-28s %6s %7s %8s %5s %9s %9s %8s"
              % ("scenario", "on PBX", "items", "requests", "by endpoint", "logins", "changed", "wall s",
                 "mods", "mod RSS", "mod s", "tree RSS"))
    lines.append(header)
    lines.append("-" * len(header))
    for r in measured:
        changed = str(r.recap.get("changed", "?")) if r.rc == 0 else "FAILED"
        lines.append("%-36s %7d %6d %8d  %-28s %6d %7s %8.2f %5d %9s %9s %8.1f"
                     % (r.title, r.extensions_on_pbx, r.items, r.requests, fmt_endpoints(r.by_endpoint),
                        r.logins, changed, r.wall_s, r.modules,
                        "%.1f" % r.module_rss_mb_max if r.modules else "-",
                        "%.2f" % r.module_seconds_sum if r.modules else "-", r.tree_rss_mb))
    lines.append("")
    lines.append("items: config entries of the task (aggregate) or loop items; mods: module processes seen;")
    lines.append("mod RSS: peak RSS of the module process in MB (max over the processes); mod s: their summed")
    lines.append("wall time; tree RSS: largest process under ansible-playbook (controller, worker or module), MB.")

    targets = []

    def target(label, wanted, measured, ok):
        mark = "-" if ok is None else verdict(ok)
        targets.append("  %-60s %-12s %-34s %s" % (label, wanted, measured, mark))

    empty, apply_, noop, loop = (results.get(k) for k in ("empty", "apply", "noop", "loop"))
    if noop:
        target("[3] no-op aggregate: HTTP requests", "<= %d" % TARGET_NOOP_REQUESTS,
               "%d (%s)" % (noop.requests, fmt_endpoints(noop.by_endpoint)),
               noop.requests <= TARGET_NOOP_REQUESTS and noop.rc == 0)
        if empty:
            over = noop.wall_s - empty.wall_s
            target("[3] no-op aggregate: wall s minus empty playbook", "<= %.1f s" % TARGET_NOOP_SECONDS_OVER_EMPTY,
                   "%.2f s (%.2f - %.2f)" % (over, noop.wall_s, empty.wall_s),
                   over <= TARGET_NOOP_SECONDS_OVER_EMPTY and noop.rc == 0)
    if loop:
        target("[4] no-op loop: logins in total", "= %d" % TARGET_LOOP_LOGINS, "%d" % loop.logins,
               loop.logins == TARGET_LOOP_LOGINS and loop.rc == 0)
        target("[4] no-op loop: requests", "(no target)", "%d (%s)" % (loop.requests, fmt_endpoints(loop.by_endpoint)),
               None)
        if noop:
            ratio = loop.wall_s / noop.wall_s if noop.wall_s else 0.0
            note = "" if loop.items >= 1000 else " [target is for 1,000 items]"
            target("[4] wall s, loop / aggregate (%d items)" % loop.items, ">= %.0fx" % TARGET_LOOP_RATIO,
                   "%.1fx (%.1f / %.2f)%s" % (ratio, loop.wall_s, noop.wall_s, note),
                   ratio >= TARGET_LOOP_RATIO and loop.rc == 0 and noop.rc == 0)
    for key in ("rss_merged", "rss_gathered", "rss_overridden"):
        r = results.get(key)
        if r:
            target("[5] module peak RSS, %s at %d" % (r.title.split(" ", 1)[1], r.extensions_on_pbx),
                   "<= %.0f MB" % TARGET_RSS_MB, "%.1f MB" % r.module_rss_mb_max,
                   r.modules > 0 and r.module_rss_mb_max <= TARGET_RSS_MB and r.rc == 0)
    lines.append("")
    lines.append("Targets")
    lines.extend(targets)

    checks = []

    def check(label, expected, measured, ok):
        checks.append("  %-60s %-12s %-34s %s" % (label, expected, measured, "ok" if ok else "UNEXPECTED"))

    if apply_:
        check("[2] first apply: adds sent", "%d" % apply_.items, "%d" % apply_.by_endpoint.get("add", 0),
              apply_.by_endpoint.get("add", 0) == apply_.items)
        check("[2] first apply: requests", "%d" % (apply_.items + 2), "%d" % apply_.requests,
              apply_.requests == apply_.items + 2)
    for r in measured:
        if r.key in ("noop", "loop", "rss_merged", "rss_overridden", "rss_gathered"):
            check("[%s] %s: changed / failed" % (r.title.split(".")[0], r.key), "0 / 0",
                  "%s / %s" % (r.recap.get("changed", "?"), r.recap.get("failed", "?")),
                  r.rc == 0 and r.recap.get("changed") == 0 and r.recap.get("failed") == 0)
        if r.key != "empty":
            expected_modules = r.items if r.key == "loop" else 1
            check("[%s] %s: module processes measured" % (r.title.split(".")[0], r.key), "%d" % expected_modules,
                  "%d" % r.modules, r.modules == expected_modules)
        if r.failed_requests:
            check("[%s] %s: API requests answered Failed" % (r.title.split(".")[0], r.key), "0",
                  "%d" % r.failed_requests, False)
    lines.append("")
    lines.append("Sanity checks (not targets)")
    lines.extend(checks)

    ratios = []
    if empty and noop and noop.items:
        ratios.append("  no-op aggregate, seconds over empty playbook per 1,000 extensions: %.3f s"
                      % ((noop.wall_s - empty.wall_s) * 1000.0 / noop.items))
    if loop and empty and loop.items:
        ratios.append("  no-op loop, seconds per item (wall minus empty playbook): %.3f s"
                      % ((loop.wall_s - empty.wall_s) / loop.items))
    if loop and noop and noop.requests:
        ratio = loop.requests / noop.requests
        ratios.append("  requests, loop / aggregate: %.1fx (%d / %d)" % (ratio, loop.requests, noop.requests))
    if apply_ and empty and apply_.items:
        ratios.append("  first apply, seconds over empty playbook per 1,000 adds: %.3f s"
                      % ((apply_.wall_s - empty.wall_s) * 1000.0 / apply_.items))
    merged = results.get("rss_merged")
    if noop and merged and noop.modules and merged.modules:
        ratios.append("  module peak RSS, %d vs %d extensions (no-op aggregate): %.1f MB vs %.1f MB (+%.1f MB)"
                      % (noop.extensions_on_pbx, merged.extensions_on_pbx, noop.module_rss_mb_max,
                         merged.module_rss_mb_max, merged.module_rss_mb_max - noop.module_rss_mb_max))
    if loop and loop.modules:
        ratios.append("  loop module processes: peak RSS median %.1f MB, max %.1f MB; module time %.1f s of %.1f s wall"
                      % (loop.module_rss_mb_median, loop.module_rss_mb_max, loop.module_seconds_sum, loop.wall_s))
    overridden = results.get("rss_overridden")
    if merged and overridden and merged.rc == 0 and overridden.rc == 0:
        ratios.append("  no-op at %d, overridden minus merged: %+.2f s wall, %+.2f s in the module"
                      % (merged.extensions_on_pbx, overridden.wall_s - merged.wall_s,
                         overridden.module_seconds_sum - merged.module_seconds_sum))
    lines.append("")
    lines.append("Ratios")
    lines.extend(ratios)
    return "\n".join(lines)


def title_line(count, loop_count, rss_count, quick, cpus, total_s):
    return ("openvox.ucpbx uc_extension benchmark (count=%d, loop-count=%d, rss-count=%d%s), %d CPUs, %.0f s in total"
            % (count, min(loop_count, count), rss_count, ", quick" if quick else "", cpus, total_s))


@contextmanager
def work_directory(args, prefix):
    """A fresh temporary directory for one benchmark run; removed afterwards unless --keep."""
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    try:
        yield workdir
        if args.keep:
            print("work directory kept: %s" % workdir)
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


def save_results(path, document):
    """Write the results as JSON for later comparison (--json); '' writes nothing."""
    if not path:
        return
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, default=str))
    print("\nresults written to %s" % path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--count", type=int, default=1000, help="extensions of scenarios 2-4 (default 1000)")
    parser.add_argument("--loop-count", type=int, default=1000, help="loop items of scenario 4 (default 1000)")
    parser.add_argument("--rss-count", type=int, default=10000, help="extensions of scenario 5 (default 10000)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 200 extensions, 50-item loop, 2,000 for RSS")
    parser.add_argument("--skip-loop", action="store_true", help="leave out scenario 4 (the slow one)")
    parser.add_argument("--skip-overridden", action="store_true", help="leave out scenario 5c")
    parser.add_argument("--venv-bin", default=str(REPO / ".venv" / "bin"),
                        help="directory with python, ansible-playbook and ucpbx-emulator (default .venv/bin)")
    parser.add_argument("--collections-path", help="use this collections tree instead of a private copy of the repo")
    parser.add_argument("--rss-wrapper", choices=("time", "python"), default="time",
                        help="how the module's peak RSS is read (default: GNU time, python if it is missing)")
    parser.add_argument("--json", default=str(REPO / "benchmarks" / "results" / "extensions.json"),
                        help="also write the results here ('' for no file)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory (playbook logs, vars files)")
    parser.add_argument("--report-from", metavar="JSON", help="print the report of a saved --json file; run nothing")
    args = parser.parse_args(argv)
    if args.quick:
        args.count, args.loop_count, args.rss_count = 200, 50, 2000
    if args.report_from:
        saved = json.loads(Path(args.report_from).read_text())
        a = saved["args"]
        print(title_line(a["count"], a["loop_count"], a["rss_count"], a["quick"], saved.get("cpus", 0),
                         saved.get("total_s", 0.0)))
        print(report([Result(**r) for r in saved["results"]]))
        return 0

    with work_directory(args, "ucpbx-bench-") as workdir:
        bench = Bench(args, workdir)
        started = time.monotonic()
        bench.main()
        total_s = time.monotonic() - started
        print()
        print(title_line(args.count, args.loop_count, args.rss_count, args.quick, os.cpu_count() or 0, total_s))
        print(report(bench.results))
        save_results(args.json, {"args": vars(args), "rss_method": bench.rss_method, "cpus": os.cpu_count(),
                                 "total_s": total_s, "results": [asdict(r) for r in bench.results]})
    return 0


if __name__ == "__main__":
    sys.exit(main())
