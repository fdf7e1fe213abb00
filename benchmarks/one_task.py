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
import resource
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# pylint: disable=wrong-import-position
from extensions import (  # noqa: E402
    PASSWORD, REPO, USERNAME, Bench, Emulator, config_records, save_results, verdict, work_directory)
from whole_pbx import var_tree  # noqa: E402

COLLECTION_ROOT = Path("ansible_collections") / "openvox" / "ucpbx"

TARGET_OLD_ROLE_RATIO = 3.0       # new role no-op at least 3x faster than the old role's
TARGET_SINGLE_KIND_RATIO = 1.5    # new role no-op at most 1.5x one uc_extension no-op
TARGET_FLEET_RATIO = 3.0          # fleet no-op at least 3x faster than the uri playbook
TARGET_BIG_SECONDS_OVER_EMPTY = 2.0
TARGET_BIG_RESULT_BYTES = 1000000
TARGET_PARALLEL_RATIO = 4.0
LATENCY_MS = 20

# --------------------------------------------------------------------------- playbooks

NEW_ROLE = """\
- name: Whole PBX through the pbx_config role (one uc_config task)
  hosts: pbx
  gather_facts: false
  roles:
    - role: openvox.ucpbx.pbx_config
"""

SINGLE_KIND = """\
- name: One single-kind module task
  hosts: pbx
  gather_facts: false
  tasks:
    - name: Extensions
      openvox.ucpbx.uc_extension:
        config: "{{ ucpbx_config.extensions }}"
"""

# The pbx_config role before uc_config existed, task for task (merged state): the argument
# validation Ansible adds for a role with meta/argument_specs.yml, validate.yml, apply.yml (one
# module task per kind), prune.yml (skipped unless overridden) and summary.yml. The schema and
# the argument specs are read from the collection copy under test.
OLD_ROLE_VARS = """\
  vars:
    ucpbx_state: merged
    ucpbx_update_password: always
    ucpbx_allow_delete_all: false
    pbx_config_write_state: "{{ 'replaced' if ucpbx_state == 'overridden' else 'merged' }}"
    pbx_config_kinds:
      - {name: trunks, key: name, deletable: true}
      - {name: extensions, key: number, deletable: true}
      - {name: queues, key: number, deletable: false}
      - {name: paging_groups, key: number, deletable: true}
      - {name: ivrs, key: number, deletable: false}
      - {name: conferences, key: number, deletable: false}
      - {name: inbound_routes, key: name, deletable: true}
      - {name: outbound_routes, key: name, deletable: true}
"""

OLD_ROLE_VALIDATE = """\
    - name: Validating arguments against arg spec main
      ansible.builtin.validate_argument_spec:
        argument_spec: "{{ (lookup('ansible.builtin.file', __pbx_config_specs) | ansible.builtin.from_yaml).argument_specs.main.options }}"
      vars:
        __pbx_config_specs: "{{ collection_dir }}/roles/pbx_config/meta/argument_specs.yml"
    - name: Check ucpbx_config against the schema
      ansible.builtin.set_fact:
        __pbx_config_errors: "{{ ucpbx_config | openvox.ucpbx.schema_errors(__pbx_config_schema) }}"
      vars:
        __pbx_config_schema: "{{ lookup('ansible.builtin.file', __pbx_config_schema_file) | ansible.builtin.from_json }}"
        __pbx_config_schema_file: "{{ collection_dir }}/roles/pbx_config/files/ucpbx_config.schema.json"
    - name: List the problems in ucpbx_config
      ansible.builtin.debug:
        var: __pbx_config_errors
      when: __pbx_config_errors | length > 0
    - name: Stop when ucpbx_config is invalid
      ansible.builtin.fail:
        msg: "ucpbx_config has {{ __pbx_config_errors | length }} problem(s): {{ __pbx_config_errors | join('; ') }}"
      when: __pbx_config_errors | length > 0
    - name: Refuse to delete every object of a kind unless ucpbx_allow_delete_all is set
      ansible.builtin.fail:
        msg: "ucpbx_config has an empty list for {{ __pbx_config_emptied | join(', ') }}"
      vars:
        __pbx_config_emptied: >-
          {{ ucpbx_config | ansible.builtin.dict2items | selectattr('value', 'equalto', []) | map(attribute='key')
             | ansible.builtin.intersect(pbx_config_kinds | selectattr('deletable') | map(attribute='name')) }}
      when:
        - ucpbx_state == 'overridden'
        - not ucpbx_allow_delete_all
        - __pbx_config_emptied | length > 0
"""

# (kind, module, whether the module takes update_password), in dependency order.
OLD_ROLE_KINDS = (
    ("trunks", "uc_trunk", True), ("extensions", "uc_extension", True), ("queues", "uc_queue", True),
    ("paging_groups", "uc_paging_group", False), ("ivrs", "uc_ivr", False),
    ("conferences", "uc_conference", True), ("inbound_routes", "uc_inbound_route", False),
    ("outbound_routes", "uc_outbound_route", False),
)
DELETABLE = ("outbound_routes", "inbound_routes", "paging_groups", "extensions", "trunks")

OLD_ROLE_SUMMARY = """\
    - name: Summarise the changes per kind
      ansible.builtin.set_fact:
        ucpbx_summary: >-
          {%- set summary = namespace(by_kind={}) -%}
          {%- for kind in pbx_config_kinds if kind.name in ucpbx_config -%}
          {%-   set runs = [lookup('ansible.builtin.vars', '__pbx_config_apply_' ~ kind.name),
                            lookup('ansible.builtin.vars', '__pbx_config_prune_' ~ kind.name, default={})] -%}
          {%-   set commands = runs | map(attribute='commands', default=[]) | ansible.builtin.flatten(levels=1) -%}
          {%-   set deleted = namespace(count=0) -%}
          {%-   for command in commands if command.endpoint is ansible.builtin.match('.*/delete$') -%}
          {%-     set deleted.count = deleted.count + (command.body.values() | first | ansible.builtin.split(',') | length) -%}
          {%-   endfor -%}
          {%-   set summary.by_kind = summary.by_kind | combine({kind.name: {
                  'changed': runs | selectattr('changed', 'defined') | selectattr('changed') | list | length > 0,
                  'commands': commands | length,
                  'added': commands | selectattr('endpoint', 'ansible.builtin.match', '.*/add$') | list | length,
                  'updated': commands | selectattr('endpoint', 'ansible.builtin.match', '.*/update$') | list | length,
                  'deleted': deleted.count}}) -%}
          {%- endfor -%}
          {{ summary.by_kind }}
    - name: Show the summary
      ansible.builtin.debug:
        var: ucpbx_summary
"""


def old_role_playbook():
    """The pre-uc_config pbx_config role as one playbook (20 tasks, 8 of them module tasks)."""
    tasks = []
    for kind, module, update_password in OLD_ROLE_KINDS:
        tasks.append("    - name: Apply the %s\n"
                     "      openvox.ucpbx.%s:\n"
                     "        config: \"{{ ucpbx_config.%s }}\"\n"
                     "        state: \"{{ pbx_config_write_state }}\"\n" % (kind.replace("_", " "), module, kind))
        if update_password:
            tasks.append("        update_password: \"{{ ucpbx_update_password }}\"\n")
        tasks.append("      register: __pbx_config_apply_%s\n"
                     "      when: \"'%s' in ucpbx_config\"\n" % (kind, kind))
    # prune.yml: one set_fact and one delete task per deletable kind, all skipped unless overridden.
    tasks.append("    - name: Find the objects that ucpbx_config does not list\n"
                 "      ansible.builtin.set_fact:\n"
                 "        __pbx_config_extras: {}\n"
                 "      when: ucpbx_state == 'overridden'\n")
    modules = dict((kind, module) for kind, module, _u in OLD_ROLE_KINDS)
    for kind in DELETABLE:
        tasks.append("    - name: Delete the %s that ucpbx_config does not list\n"
                     "      openvox.ucpbx.%s:\n"
                     "        config: \"{{ __pbx_config_extras.%s }}\"\n"
                     "        state: deleted\n"
                     "      register: __pbx_config_prune_%s\n"
                     "      when: ucpbx_state == 'overridden' and __pbx_config_extras.%s | default([]) | length > 0\n"
                     % (kind.replace("_", " "), modules[kind], kind, kind, kind))
    return ("- name: Whole PBX through the pbx_config role as it was (one module task per kind)\n"
            "  hosts: pbx\n  gather_facts: false\n" + OLD_ROLE_VARS + "  tasks:\n"
            + OLD_ROLE_VALIDATE + "".join(tasks) + OLD_ROLE_SUMMARY)


FLEET_ROLE = """\
- name: Fleet through the pbx_config role
  hosts: pbxes
  gather_facts: false
  module_defaults:
    group/openvox.ucpbx.ucpbx:
      port: "{{ pbx_port }}"
  vars:
    ucpbx_config:
      extensions: "{{ extensions }}"
  roles:
    - role: openvox.ucpbx.pbx_config
"""

FLEET_TASK = """\
- name: Fleet through one plain uc_config task
  hosts: pbxes
  gather_facts: false
  tasks:
    - name: Extensions
      openvox.ucpbx.uc_config:
        port: "{{ pbx_port }}"
        config:
          extensions: "{{ extensions }}"
"""

# What a user without the collection would write: log in (MD5 of the password), read every
# extension, compare in Jinja. On a no-op there is nothing to write, so no write task is timed.
FLEET_URI = """\
- name: Fleet through ansible.builtin.uri
  hosts: pbxes
  gather_facts: false
  vars:
    api: "http://127.0.0.1:{{ pbx_port }}/api/v0.0.1"
  tasks:
    - name: Log in
      ansible.builtin.uri:
        url: "{{ api }}/login?type=json"
        method: POST
        body_format: json
        body:
          username: "{{ pbx_username }}"
          password: "{{ pbx_password | ansible.builtin.hash('md5') }}"
      register: login
      no_log: true
      failed_when: login.json.status != 'Success'

    - name: Read every extension
      ansible.builtin.uri:
        url: "{{ api }}/extension/query?token={{ login.json.token }}&type=json"
        method: POST
        body_format: json
        body: {}
      register: query
      failed_when: query.json.status != 'Success'

    - name: Compare with the wanted extensions
      ansible.builtin.set_fact:
        drift: >-
          {%- set actual = dict(query.json.extinfos | map(attribute='extnumber') | zip(query.json.extinfos)) -%}
          {%- set out = namespace(numbers=[]) -%}
          {%- for wanted in extensions -%}
          {%-   set found = actual.get(wanted.number, {}) -%}
          {%-   if found.get('username') != wanted.name or found.get('email') != wanted.email -%}
          {%-     set out.numbers = out.numbers + [wanted.number] -%}
          {%-   endif -%}
          {%- endfor -%}
          {{ out.numbers }}
      changed_when: drift | length > 0
"""

EXTENSIONS_TASK = """\
- name: {title}
  hosts: pbx
  gather_facts: false
  tasks:
    - name: Extensions
      openvox.ucpbx.uc_config:
        {arguments}
      register: big_result
"""
BIG_NOOP = EXTENSIONS_TASK.format(title="uc_config, one task for every extension",
                                  arguments='config:\n          extensions: "{{ extensions }}"')


def big_src_playbook(tree_file):
    return EXTENSIONS_TASK.format(title="uc_config, the tree read from a file by the action plugin",
                                  arguments="src: %s" % tree_file)


ADDS = """\
- name: uc_config, first apply
  hosts: pbx
  gather_facts: false
  tasks:
    - name: Extensions
      openvox.ucpbx.uc_config:
        config:
          extensions: "{{ extensions }}"
        parallel_writes: "{{ writes | int }}"
"""

# --task-times: a callback that prints, after the recap, how long each task took (all hosts).
TASK_TIMES_PLUGIN = """\
# Written by benchmarks/one_task.py --task-times: seconds from one task's start to the next's.
import time

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "task_times"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.started = time.monotonic()
        self.current = None
        self.rows = []

    def _close(self):
        if self.current:
            self.rows.append((self.current[0], time.monotonic() - self.current[1]))
            self.current = None

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._close()
        self.current = (task.get_name(), time.monotonic())

    def v2_playbook_on_stats(self, stats):
        self._close()
        for name, seconds in self.rows:
            self._display.display("TASKTIME %.3f %s" % (seconds, name))
        self._display.display("TASKTIME %.3f (from the callback's start to the recap)" % (time.monotonic() - self.started))
"""


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


FLEET_INVENTORY_HEAD = """\
all:
  children:
    pbxes:
      vars:
        ansible_connection: local
        ansible_python_interpreter: "{wrapper}"
        pbx_username: "{username}"
        pbx_password: "{password}"
      hosts:
"""


# --------------------------------------------------------------------------- helpers

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


def make_dir(path):
    path.mkdir(parents=True, exist_ok=True)
    return path


# --------------------------------------------------------------------------- report

def ok_run(result, changed=0):
    return result is not None and result.rc == 0 and (changed is None or result.recap.get("changed") == changed)


def endpoints(result):
    keys = sorted(result.by_endpoint, key=lambda k: (k != "login", k))
    return " ".join("%s=%d" % (k, result.by_endpoint[k]) for k in keys) or "-"


def report(out, args):
    rows = [r for key, r in out.items() if hasattr(r, "wall_s") and not key.endswith("_walls")]
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

    targets = []

    def target(label, wanted, measured, ok):
        targets.append("  %-56s %-10s %-40s %s" % (label, wanted, measured, verdict(ok)))

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
    lines += ["", "Targets (wall seconds of whole ansible-playbook commands, same run)"] + targets

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
    lines += ["", "Sanity checks (not targets)"] + checks

    ratios = []
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
    lines += ["", "Ratios and details"] + ratios
    if args.task_times:
        lines += ["", "Seconds per task (--task-times; the run of median wall time)"]
        for r in rows:
            lines.append("  %s" % r.title)
            lines += ["    %s" % line for line in task_times(r)]
    return "\n".join(lines)


def task_times(result):
    try:
        text = Path(result.log).read_text(errors="replace")
    except OSError:
        return ["(no log)"]
    return ["%8s  %s" % tuple(line.split(" ", 2)[1:]) for line in text.splitlines() if line.startswith("TASKTIME ")]


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
