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

import json
import os
import tempfile
import time

from ansible.errors import AnsibleError
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.openvox.ucpbx.plugins.module_utils import config_task, plan_files
from ansible_collections.openvox.ucpbx.plugins.module_utils.client import HAS_REQUESTS

MODULE = "openvox.ucpbx.uc_config"

display = Display()


class ActionModule(ActionBase):
    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        host = (task_vars or {}).get("inventory_hostname", "pbx")
        args = dict(self._task.args)
        try:
            self._read_inputs(args, host)
            self._read_layers(args, task_vars or {})
        except AnsibleError as exc:
            result.update(failed=True, msg=to_text(exc))
            return result

        plan_out = args.get("plan_out")
        snapshot_dir = args.pop("snapshot_dir", None)
        if args.get("state") == "rendered":
            # Nothing is written to a PBX, so there is nothing to keep a snapshot of.
            snapshot_dir = None
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
        if args.get("summary") and module_result.get("summary") and not module_result.get("failed"):
            _show_summary(host, module_result["summary"], module_result.get("rendered"))
            module_result["ansible_facts"] = {"ucpbx_summary": module_result["summary"]["per_kind"]}
        plan = module_result.pop("plan", None)
        module_result.pop("snapshot", None)
        if plan_out and plan is not None and not module_result.get("failed"):
            plan["host"] = host
            plan["summary"] = plan["summary"].replace(plan_files.plan_heading(), plan_files.plan_heading(host), 1)
            module_result["plan_file"] = self._write_json(plan_out, "%s.json" % host, plan)
            self._write_text(plan_out, "%s.md" % host, plan["summary"])
            module_result["plan_summary"] = plan["summary"]
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

    def _read_layers(self, args, task_vars):
        """`layers_from: ucpbx_config`: every variable `ucpbx_config__*` of the host, in name order,
        then `ucpbx_config` itself, as the layers of the tree."""
        name = args.pop("layers_from", None)
        if name is None:
            return
        prefix = "%s__" % name
        names = sorted(variable for variable in task_vars if variable.startswith(prefix))
        if name in task_vars:
            names.append(name)
        if not names and not args.get("layers") and args.get("config") is None:
            raise AnsibleError("no variable %s or %s* is defined for this host: nothing to apply" % (name, prefix))
        layers = list(args.get("layers") or [])
        for variable in names:
            value = self._templar.template(task_vars[variable])
            if value is None:
                value = {}
            if not isinstance(value, dict):
                raise AnsibleError("%s must be a mapping of kinds (trunks, extensions, ...), not a %s"
                                   % (variable, type(value).__name__))
            layers.append({"name": variable, "config": value})
        args["layers"] = layers

    def _load(self, path):
        data = self._loader.load_from_file(path)
        # Templating a 10,000-object tree costs seconds; only a tree that holds templates needs it.
        return self._templar.template(data) if _holds_template(data) else data

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
        """Whether the task can run in this process: on the controller (a local connection), with
        requests importable and no task environment a module process would have had."""
        return (getattr(self._connection, "transport", None) == "local" and HAS_REQUESTS
                and not any(self._task.environment or []))

    def _run_here(self, args, check_mode, before_writes=None):
        validated = ArgumentSpecValidator(config_task.ARGUMENT_SPEC,
                                          mutually_exclusive=config_task.MUTUALLY_EXCLUSIVE).validate(args)
        no_log_values = set(validated._no_log_values)
        if validated.error_messages:
            return remove_values(dict(failed=True, msg="; ".join(validated.error_messages)), no_log_values)
        params = validated.validated_parameters
        try:
            result = config_task.run(params, check_mode=check_mode, diff=self._task.diff,
                                     no_log_values=no_log_values, before_writes=before_writes,
                                     stop_check=_playbook_gone_check())
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
def _playbook_gone_check():
    """A stop check for a task that runs in this worker: once ansible-playbook is gone, no request.

    A worker runs in a session of its own, so a kill of ansible-playbook's process group (a CI job
    cancelled, kill -9 of the play) leaves it running, and it would go on writing over whatever the
    next run applies. Once ansible-playbook is gone, the worker's parent is another process."""
    playbook = os.getppid()

    def check():
        if os.getppid() != playbook:
            return "ansible-playbook (pid %d), which ran this task, is gone" % playbook
        return None
    return check


def _show_start(host, args, check_mode):
    layers = [layer for layer in args.get("layers") or [] if isinstance(layer, dict)]
    trees = [layer.get("config") for layer in layers] + [args.get("config")]
    trees = [tree for tree in trees if isinstance(tree, dict)]
    if args.get("state") == "gathered" or not trees:
        return
    sizes = ", ".join("%s %d" % (kind, len(items)) for tree in trees[-1:] for kind, items in tree.items()
                      if isinstance(items, list))
    if len(trees) > 1:
        sizes = "%d layers: %s" % (len(trees), ", ".join(layer.get("name", "?") for layer in layers))
    display.v("%s: %s the PBX tree (%s)" % (host, "checking" if check_mode else "applying", sizes or "no kinds"))


def _show_counts(host, kinds):
    for kind, row in (kinds or {}).items():
        counts = ", ".join("%s %s" % (row.get(what, 0), what)
                           for what in ("added", "updated", "deleted", "renamed", "requests"))
        display.v("%s: %s: %s" % (host, kind, counts))


def _show_summary(host, summary, tree=None):
    """What the pbx_config role prints for each PBX: the kinds changed and what each came to, and
    with state=rendered the merged tree."""
    if tree is not None:
        display.display("The merged tree of %s, as state=rendered checked it:\n%s"
                        % (host, json.dumps(tree, indent=2, ensure_ascii=False)))
    lines = ["Summary of %s: %s%s, %d API request(s)" % (
        host, ("on an empty PBX would change " if tree is not None else "would change ") if summary["check_mode"]
        else "changed ",
        ", ".join(summary["changed"]) if summary["changed"] else "nothing", summary["api_requests"])]
    for kind, row in summary["per_kind"].items():
        counts = ", ".join("%d %s" % (row[what], what) for what in ("added", "updated", "deleted", "renamed")
                           if row[what])
        if "left_alone" in row:
            counts += "%s%d left alone (not owned)" % (", " if counts else "", row["left_alone"])
        requests = " (%d request(s))" % row["commands"] if row["commands"] else ""
        lines.append("  %s: %s%s" % (kind, counts or "no change", requests))
    display.display("\n".join(lines))


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
