# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_config on the controller: the files around a run, and no echo of its arguments.

Reads `src`, `plan_in` and `rollback_from` (with the run records of plugin_utils/run_records.py);
writes the plan of a check run (`plan_out`), before a real run writes anything the snapshot of what
it will change (`snapshot_dir`, its secrets encrypted with Ansible Vault under `snapshot_vault_id`)
and its run record, and a gathered PBX's secrets, encrypted (`secrets_out`). The
module never touches files: it runs wherever the task runs, the files belong to the controller.

A tree of thousands of objects is mostly the task's own arguments; Ansible would otherwise
return them (as `invocation`) in every result, which made a 10,000-extension result 7.5 MB.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import fcntl
import json
import os
import time

import yaml
from ansible.errors import AnsibleError
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.common.validation import check_type_dict, check_type_list
from ansible.module_utils.common.text.converters import to_text
from ansible.parsing.vault import VaultLib
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.openvox.ucpbx.plugins.filter.export_host_vars import _vault_name as vault_variable
from ansible_collections.openvox.ucpbx.plugins.module_utils import config_task, plan_files, snapshots
from ansible_collections.openvox.ucpbx.plugins.plugin_utils import run_records
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
            self._read_layers(args, task_vars or {})
            rolled_back = self._read_rollback(args, host, result)
            # A missing vault secret is found before anything is read or written.
            self._vault_secret(args.get("snapshot_vault_id") if args.get("snapshot_dir") else None)
            if args.get("secrets_out"):
                if args.get("state") != "gathered":
                    raise AnsibleError("secrets_out writes the secrets of a gathered PBX; use it with state=gathered")
                self._vault_secret(args.get("secrets_vault_id") or "default")
        except AnsibleError as exc:
            result.update(failed=True, msg=to_text(exc))
            return result
        if rolled_back == []:
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
                self._keep_snapshot(snapshot_dir, host, snapshot, args.get("snapshot_vault_id"), result)
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
                self._keep_snapshot(snapshot_dir, host, snapshots.decoded_secrets(snapshot["snapshot"]),
                                    args.get("snapshot_vault_id"), result)
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
        gathered_secrets = module_result.pop("gathered_secrets", None)
        if gathered_secrets is not None and not module_result.get("failed"):
            module_result["secrets_file"] = self._write_secrets(args, host, gathered_secrets)
        module_result.pop("snapshot", None)
        if result.get("run"):
            run_records.set_state(snapshot_dir, result["run"], host, "failed" if module_result.get("failed") else "applied")
        if rolled_back and not module_result.get("failed") and not self._task.check_mode:
            for run_id, _path in rolled_back:
                run_records.set_state(self._rollback_dir, run_id, host, "rolled back")
        if module_result.get("secrets_not_restored"):
            module_result.setdefault("warnings", []).append(
                "%s: %s" % (host, snapshots.secrets_note(module_result["secrets_not_restored"])))
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

    def _read_rollback(self, args, host, result):
        """The snapshot to put back, in `rollback`, and the (run, snapshot file) it stands for; [] when
        the run to undo did not change this PBX (nothing to do), None without run records."""
        rollback_from = args.pop("rollback_from", None)
        run = args.pop("rollback_run", None)
        if rollback_from is None:
            if run is not None:
                raise AnsibleError("rollback_run needs rollback_from, the snapshot directory")
            return None
        path = os.path.abspath(os.path.expanduser(rollback_from))
        if not os.path.isdir(os.path.join(path, run_records.RUNS)):
            if run is not None:
                raise AnsibleError("rollback_run needs rollback_from to be a snapshot directory with run records, "
                                   "not %s" % path)
            # A snapshot file, or a directory kept before runs were recorded.
            args["rollback"] = self._opened(self._load_document(rollback_from, "%s-latest.json" % host, "snapshot"),
                                            path)
            return None
        self._rollback_dir = path
        try:
            run_id = run_records.chosen(path, run)
            runs = run_records.chain(path, run_id, host)
        except (run_records.RunNotFound, ValueError, OSError) as exc:
            raise AnsibleError("rollback_from %s: %s" % (path, exc))
        result["rollback_run"] = run_id
        if not runs:
            result.update(changed=False, msg="run %s did not change %s: nothing to put back" % (run_id, host))
            return []
        result["rolled_back_runs"] = [later for later, _path in runs]
        documents = [self._opened(self._load_document(snapshot, None, "snapshot"), snapshot) for _run, snapshot in runs]
        args["rollback"] = snapshots.composed(documents)
        return runs

    def _opened(self, snapshot, path):
        """The snapshot with the secrets it keeps decrypted back into its records."""
        sealed = snapshot.pop("secrets", None)
        if sealed is None:
            return snapshot
        if not isinstance(sealed, dict) or not isinstance(sealed.get("vault"), str):
            raise AnsibleError("%s: secrets are not a vault-encrypted text" % path)
        vault_id = sealed.get("vault_id")
        secrets = self._vault_secret(vault_id)
        try:
            plain = VaultLib([secrets]).decrypt(sealed["vault"])
        except AnsibleError as exc:
            raise AnsibleError("%s: the secrets cannot be decrypted with vault id %s: %s" % (path, vault_id, exc))
        return snapshots.with_secrets(snapshot, json.loads(to_text(plain)))

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
    def _vault_secret(self, vault_id):
        """(vault id, secret) given to ansible-playbook (--vault-id ID@prompt or @file) for `vault_id`."""
        if vault_id is None:
            return None
        vault = getattr(self._loader, "_vault", None)
        for given_id, secret in getattr(vault, "secrets", None) or []:
            if given_id == vault_id:
                return given_id, secret
        raise AnsibleError("vault id %s: ansible-playbook was given no vault secret with that id (give it with "
                           "--vault-id %s@prompt, or @ a password file); nothing was sent to the PBX" % (vault_id, vault_id))

    def _write_secrets(self, args, host, encoded):
        """The PBX's secrets as vault variables (the names export_host_vars refers to), in a vault-encrypted file."""
        secrets = snapshots.decoded_secrets(encoded)["secrets"]
        lines = ["# Secrets of %s, as variables host_vars/%s/ucpbx.yml refers to." % (json.dumps(host), host)]
        prefix = vault_variable("vault_ucpbx", host)
        for kind, objects in secrets.items():
            for key, values in objects.items():
                for option, value in sorted(values.items()):
                    # PBX data: a value is never a template (!unsafe), and JSON quoting keeps it one scalar.
                    lines.append("%s: !unsafe %s" % (vault_variable(prefix, kind, key, option), json.dumps(str(value))))
        given_id, secret = self._vault_secret(args.get("secrets_vault_id") or "default")
        sealed = VaultLib([(given_id, secret)]).encrypt("\n".join(lines) + "\n", secret=secret, vault_id=given_id)
        path = os.path.abspath(os.path.expanduser(args["secrets_out"]))
        return self._write_text(os.path.dirname(path), os.path.basename(path), to_text(sealed))

    def _keep_snapshot(self, snapshot_dir, host, snapshot, vault_id, result):
        """Writes the snapshot, its secrets encrypted (or none kept), and adds it to this run's record."""
        secrets = snapshot.pop("secrets", None)
        if secrets and vault_id is not None:
            plain = json.dumps(secrets, sort_keys=True)
            given_id, secret = self._vault_secret(vault_id)
            sealed = VaultLib([(given_id, secret)]).encrypt(plain, secret=secret, vault_id=given_id)
            snapshot = dict(snapshot, secrets={"vault_id": given_id, "vault": to_text(sealed)})
        stamp = _stamp()
        name = "%s-%s.json" % (host, stamp)
        result["snapshot_file"] = self._write_json(snapshot_dir, name, snapshot, latest="%s-latest.json" % host)
        result["run"] = run_records.record_snapshot(snapshot_dir, host, stamp, name)

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
            wanted = config_task.ARGUMENT_SPEC[name]["type"]
            try:
                bulky[name] = None if value is None else (check_type_list if wanted == "list" else check_type_dict)(value)
            except TypeError as exc:
                problems.append("argument '%s' is of type %s and we were unable to convert to %s: %s"
                                % (name, type(value), wanted, exc))
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
        return run_records.write_text(directory, name, text)


# A whole PBX is one task, and a module reports only when it is done: at -v, say what the task
# works on before it starts and what each kind came to when it ends.
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
