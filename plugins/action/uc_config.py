# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_config on the controller: the files around a run, and no echo of its arguments.

Reads `src`, `plan_in` and `rollback_from`; writes the plan of a check run (`plan_out`) and,
before a real run writes anything, the snapshot of what it will change (`snapshot_dir`). The
module never touches files: it runs wherever the task runs, the files belong to the controller.

A tree of thousands of objects is mostly the task's own arguments; Ansible would otherwise
return them (as `invocation`) in every result, which made a 10,000-extension result 7.5 MB.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import fcntl
import json
import os
import tempfile
import time

import yaml
from ansible.errors import AnsibleError
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.common.validation import check_type_dict
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.openvox.ucpbx.plugins.module_utils import config_task, plan_files
from ansible_collections.openvox.ucpbx.plugins.plugin_utils.controller import (
    Progress,
    leave_bulky_args,
    playbook_gone_check,
    runs_here,
    task_args,
)

MODULE = "openvox.ucpbx.uc_config"
_SMALL_SPEC = dict((name, spec) for name, spec in config_task.ARGUMENT_SPEC.items() if name not in config_task.BULKY)

display = Display()


class ActionModule(ActionBase):
    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        host = (task_vars or {}).get("inventory_hostname", "pbx")
        self._progress_host = host
        args = task_args(self)
        try:
            self._read_inputs(args, host)
        except AnsibleError as exc:
            result.update(failed=True, msg=to_text(exc))
            return result

        plan_out = args.get("plan_out")
        snapshot_dir = args.pop("snapshot_dir", None)
        if plan_out and not self._task.check_mode:
            result.update(failed=True, msg="plan_out writes the plan of a check run; run with --check")
            return result
        before_writes = None
        if snapshot_dir and not self._task.check_mode and self._runs_here():
            # In this process the snapshot is stored between planning and the first write.
            def before_writes(snapshot):
                result["snapshot_file"] = self._write_json(snapshot_dir, "%s-%s.json" % (host, _stamp()),
                                                           snapshot, latest="%s-latest.json" % host)
            args["snapshot_dir"] = snapshot_dir
        elif snapshot_dir and not self._task.check_mode:
            # A module process cannot stop for the controller to store the snapshot: a check run
            # first, then the real run held to what it saw.
            snapshot = self._snapshot(args, task_vars)
            if snapshot.get("failed"):
                snapshot.pop("invocation", None)
                result.update(snapshot)
                return result
            if snapshot["commands"]:
                result["snapshot_file"] = self._write_json(snapshot_dir, "%s-%s.json" % (host, _stamp()),
                                                           snapshot["snapshot"], latest="%s-latest.json" % host)
            # The real run is held to what the snapshot saw: it sends exactly those requests or nothing.
            args.setdefault("plan", snapshot["plan"])

        _show_start(host, args, self._task.check_mode)
        module_result = self._run(args, task_vars, self._task.check_mode, before_writes)
        module_result.pop("invocation", None)
        _show_counts(host, module_result.get("kinds"))
        plan = module_result.pop("plan", None)
        module_result.pop("snapshot", None)
        if plan_out and plan is not None and not module_result.get("failed"):
            plan["host"] = host
            plan["summary"] = plan_files.named_summary(plan["summary"], host,
                                                       os.path.join(plan_out, "%s.json" % host))
            module_result["plan_file"] = self._write_json(plan_out, "%s.json" % host, plan)
            self._write_text(plan_out, "%s.md" % host, plan["summary"])
            self._write_fleet_index(plan_out, host, plan.get("counts") or {})
            module_result["plan_summary"] = plan["summary"]
        leave_bulky_args(self, config_task.BULKY)
        result.update(module_result)
        return result

    # ------------------------------------------------------------------ inputs
    def _read_inputs(self, args, host):
        src = args.pop("src", None)
        if src is not None:
            if args.get("config") is not None:
                raise AnsibleError("parameters are mutually exclusive: config|src")
            tree = self._load(self._find_needle("files", src))
            if isinstance(tree, dict) and "ucpbx_config" in tree:
                tree = tree["ucpbx_config"]
            if tree is None:
                tree = {}
            if not isinstance(tree, dict):
                raise AnsibleError("src %s must hold a mapping of kinds (or one under ucpbx_config), not a %s"
                                   % (src, type(tree).__name__))
            args["config"] = tree
        plan_in = args.pop("plan_in", None)
        if plan_in is not None:
            args["plan"] = self._load_document(plan_in, "%s.json" % host, "plan")
        rollback_from = args.pop("rollback_from", None)
        if rollback_from is not None:
            args["rollback"] = self._load_document(rollback_from, "%s-latest.json" % host, "snapshot")

    def _load(self, path):
        data = _plain_data(path)
        if data is _NOT_PLAIN or _holds_template(data):
            # unsafe: without the loader's own copy of what it parsed (seconds at 10,000 objects);
            # nothing here changes the tree, and the worker that loaded it ends with the task.
            data = self._loader.load_from_file(path, unsafe=True)
            # Templating a 10,000-object tree costs seconds; only a tree that holds templates needs it.
            return self._templar.template(data) if _holds_template(data) else data
        return data

    def _load_document(self, path, name_in_directory, what):
        path = os.path.abspath(os.path.expanduser(path))
        if os.path.isdir(path):
            path = os.path.join(path, name_in_directory)
        if not os.path.isfile(path):
            raise AnsibleError("no %s file at %s" % (what, path))
        with open(path) as handle:
            try:
                document = json.load(handle)
            except ValueError as exc:
                raise AnsibleError("%s is not a %s file: %s" % (path, what, exc))
        if not isinstance(document, dict):
            raise AnsibleError("%s is not a %s file" % (path, what))
        return document

    # ------------------------------------------------------------------ snapshot
    def _snapshot(self, args, task_vars):
        """A check run of the same task: what it would change, and the plan to hold the real run to."""
        return self._run(dict(args, snapshot_dir="snapshot", plan_out="snapshot"), task_vars, True)

    # ------------------------------------------------------------------ running
    def _run(self, args, task_vars, check_mode, before_writes=None):
        if self._runs_here():
            return self._run_here(args, check_mode, before_writes)
        saved = self._task.check_mode
        self._task.check_mode = check_mode
        try:
            return self._execute_module(module_name=MODULE, module_args=args, task_vars=task_vars)
        finally:
            self._task.check_mode = saved

    def _runs_here(self):
        return runs_here(self)

    def _run_here(self, args, check_mode, before_writes=None):
        # The validator copies every parameter it checks: the bulky ones (a tree of 10,000 objects
        # cost seconds) are only held to their type here; config_task checks the tree itself.
        bulky = dict((name, args.get(name)) for name in config_task.BULKY)
        small = dict((name, value) for name, value in args.items() if name not in config_task.BULKY)
        validated = ArgumentSpecValidator(_SMALL_SPEC).validate(small)
        no_log_values = set(validated._no_log_values)
        problems = list(validated.error_messages)
        for name, value in bulky.items():
            try:
                bulky[name] = None if value is None else check_type_dict(value)
            except TypeError as exc:
                problems.append("argument '%s' is of type %s and we were unable to convert to dict: %s"
                                % (name, type(value), exc))
        if problems:
            return remove_values(dict(failed=True, msg="; ".join(problems)), no_log_values)
        params = dict(validated.validated_parameters, **bulky)
        try:
            result = config_task.run(params, check_mode=check_mode, diff=self._task.diff,
                                     no_log_values=no_log_values, before_writes=before_writes,
                                     stop_check=playbook_gone_check(),
                                     progress=None if check_mode else Progress(self._progress_host))
        except config_task.TaskFailed as exc:
            result = dict(exc.result, failed=True, msg=exc.msg)
        result.setdefault("changed", False)
        # As a module's exit would: no secret value leaves, whatever the result holds.
        return remove_values(result, no_log_values)

    # ------------------------------------------------------------------ files
    def _write_json(self, directory, name, document, latest=None):
        text = json.dumps(document, indent=1, sort_keys=True) + "\n"
        path = self._write_text(directory, name, text)
        if latest:
            self._write_text(directory, latest, text)
        return path

    def _write_fleet_index(self, directory, host, counts):
        """README.md of the plan directory: this PBX's counts added to those of the PBXes before it.

        The counts of every PBX are kept in .fleet.json beside it, updated under a lock on the
        directory, so the last of the forks to finish writes an index that lists them all."""
        directory = os.path.abspath(os.path.expanduser(directory))
        lock = os.open(directory, os.O_RDONLY)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                with open(os.path.join(directory, ".fleet.json")) as handle:
                    fleet = json.load(handle)
            except (OSError, ValueError):
                fleet = {}
            if not isinstance(fleet, dict):
                fleet = {}
            fleet[host] = counts
            self._write_text(directory, ".fleet.json", json.dumps(fleet, sort_keys=True))
            self._write_text(directory, "README.md", plan_files.fleet_index(
                [(name, row, "%s.md" % name) for name, row in fleet.items() if isinstance(row, dict)]))
        finally:
            os.close(lock)

    def _write_text(self, directory, name, text):
        directory = os.path.abspath(os.path.expanduser(directory))
        os.makedirs(directory, 0o700, exist_ok=True)
        path = os.path.join(directory, name)
        # Written beside and renamed, so a reader never sees half a file.
        handle, temporary = tempfile.mkstemp(dir=directory, prefix=".%s." % name)
        with os.fdopen(handle, "w") as stream:
            stream.write(text)
        os.chmod(temporary, 0o600)
        os.rename(temporary, path)
        return path


# A whole PBX is one task, and a module reports only when it is done: at -v, say what the task
# works on before it starts and what each kind came to when it ends.
def _show_start(host, args, check_mode):
    config = args.get("config")
    if args.get("state") == "gathered" or not isinstance(config, dict):
        return
    sizes = ", ".join("%s %d" % (kind, len(items)) for kind, items in config.items() if isinstance(items, list))
    display.v("%s: %s the PBX tree (%s)" % (host, "checking" if check_mode else "applying", sizes or "no kinds"))


def _show_counts(host, kinds):
    for kind, row in (kinds or {}).items():
        counts = ", ".join("%s %s" % (row.get(what, 0), what)
                           for what in ("added", "updated", "deleted", "renamed", "requests"))
        display.v("%s: %s: %s" % (host, kind, counts))


_NOT_PLAIN = object()


def _plain_data(path):
    """The file's data when it is plain JSON or YAML, read without Ansible's loader, which tags every
    string with where it came from (a second and 15 MB for 10,000 objects); _NOT_PLAIN for a vault,
    a tag such as !vault or !unsafe, or no libyaml, which the loader reads."""
    with open(path, "rb") as handle:
        text = handle.read()
    if text.lstrip().startswith(b"$ANSIBLE_VAULT"):
        return _NOT_PLAIN
    try:
        return json.loads(text)
    except ValueError:
        pass
    loader = getattr(yaml, "CSafeLoader", None)
    if loader is None:
        return _NOT_PLAIN
    try:
        return yaml.load(text, Loader=loader)  # nosec B506: a safe loader
    except yaml.YAMLError:
        return _NOT_PLAIN


def _holds_template(data):
    if isinstance(data, dict):
        return any(_holds_template(key) or _holds_template(value) for key, value in data.items())
    if isinstance(data, list):
        return any(_holds_template(item) for item in data)
    return isinstance(data, str) and ("{{" in data or "{%" in data)


def _stamp():
    # Microseconds: two runs within one second must not share a snapshot file.
    now = time.time()
    return "%s.%06dZ" % (time.strftime("%Y%m%dT%H%M%S", time.gmtime(now)), int((now % 1) * 1000000))
