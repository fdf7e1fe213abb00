# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One uc_config task: arguments in, result out.

Shared by the uc_config module and its action plugin. The action plugin runs it in the
controller's own process when the task runs there (a local connection, as for every PBX of an
inventory): a module process costs more than a no-op of a whole PBX, and a fleet pays it once
per PBX. On any other connection the module runs it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.common.validation import (
    check_type_bool,
    check_type_int,
    check_type_list,
    check_type_str,
)

from ansible_collections.openvox.ucpbx.plugins.module_utils import engine, layers, plan_files, snapshots, tree
from ansible_collections.openvox.ucpbx.plugins.module_utils.connection import (
    CONNECTION_ARGUMENT_SPEC,
    client_from_params,
    connection_problem,
)
from ansible_collections.openvox.ucpbx.plugins.module_utils.errors import PbxError
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.catalog import RESOURCES

PREFIX = "invalid config, nothing was changed on the PBX: "
STATES = ["merged", "replaced", "overridden", "deleted", "gathered", "rendered"]

ARGUMENT_SPEC = dict(
    config=dict(type="dict"),
    src=dict(type="path"),
    layers=dict(type="list", elements="dict", options=dict(
        name=dict(type="str", required=True),
        config=dict(type="dict", required=True),
    )),
    layers_from=dict(type="str"),
    owned=dict(type="dict"),
    strict=dict(type="bool", default=False),
    summary=dict(type="bool", default=False),
    state=dict(type="str", default="merged", choices=STATES),
    gather=dict(type="list", elements="str", choices=list(RESOURCES)),
    allow_delete_all=dict(type="bool", default=False),
    parallel_writes=dict(type="int", default=1),
    update_password=dict(type="str", default="always", choices=["always", "on_create"], no_log=False),
    plan_out=dict(type="path"),
    plan_in=dict(type="path"),
    plan=dict(type="dict"),
    snapshot_dir=dict(type="path"),
    snapshot_vault_id=dict(type="str"),
    rollback_from=dict(type="path"),
    rollback_run=dict(type="str"),
    rollback=dict(type="dict"),
    secrets_out=dict(type="path"),
    secrets_vault_id=dict(type="str", default="default"),
)
ARGUMENT_SPEC.update(CONNECTION_ARGUMENT_SPEC)
MUTUALLY_EXCLUSIVE = [("config", "src")]
# Arguments that can be megabytes; never echoed back.
BULKY = ("config", "layers", "plan", "rollback")


class TaskFailed(Exception):
    def __init__(self, msg, **result):
        super(TaskFailed, self).__init__(msg)
        self.msg = msg
        self.result = result


# ------------------------------------------------------------------------------ validation
_CONVERTERS = {engine.INT: check_type_int, engine.BOOL: check_type_bool}


def _converted(field, value):
    """The option value as the module's argument spec would convert it; raises TypeError."""
    if field is None or field.kind in (engine.STR, engine.CHOICE):
        return check_type_str(value, allow_conversion=True)
    if field.kind == engine.LIST:
        return [check_type_str(item, allow_conversion=True) for item in check_type_list(value)]
    value = _CONVERTERS[field.kind](value)
    if field.kind == engine.INT and field.choices and value not in field.choices:
        raise TypeError("%r is not one of %s" % (value, ", ".join(str(choice) for choice in field.choices)))
    return value


_STRICT_TYPES = {engine.INT: (int, "a whole number"), engine.BOOL: (bool, "true or false")}


def _strict_problem(field, value):
    """Why a value is not already of its option's type (what a YAML file spells unquoted), or None.

    An unquoted 0140000000 is the number 140000000: converted, it would lose its leading zero.
    """
    kind = engine.STR if field is None else field.kind
    if kind == engine.LIST:
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return None
        return "a list of quoted strings"
    wanted, spelled = _STRICT_TYPES.get(kind, (str, "a quoted string"))
    if isinstance(value, wanted) and not (wanted is int and isinstance(value, bool)):
        return None
    return spelled


def _described(value, secret):
    """A wrong value as a message shows it: objects and lists by their shape (they may hold secrets)."""
    if secret:
        return "the value (a secret, not shown)"
    if isinstance(value, dict):
        return "an object (keys: %s)" % ", ".join(sorted(str(key) for key in value))
    if isinstance(value, list):
        return "a list of %d item(s)" % len(value)
    kind = "true/false" if isinstance(value, bool) else "a number" if isinstance(value, (int, float)) else "text"
    return "%r (%s)" % (value, kind)


def checked_items(kind, resource, items, no_log_values, problems, layer=None, strict=False):
    """The items of one kind with the types, choices and secrets of its module's argument spec.

    Done here rather than with a generic argument-spec validator per item, which costs most of a
    10,000-object task; Resource.desired then checks patterns, ranges and keys. Items of a
    `layer` are checked on their own as far as they can be (each option, keys once per layer);
    what depends on other options is checked once the layers are merged. With `strict`, a value
    must already have its option's type (as the role's schema wants): nothing is converted.
    """
    prefix = "%s: " % layer if layer is not None else ""
    if not isinstance(items, list):
        problems.append("%s%s must be a list of objects, not %s" % (prefix, kind, _described(items, False)))
        return None
    known = set(resource.fields) | (set([engine.RENAME_FROM]) if resource.renamable else set())
    checked = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            problems.append("%s%s[%d] must be an object, not a %s" % (prefix, kind, index, type(item).__name__))
            continue
        where = "%s%s[%d] (%s)" % (prefix, kind, index, resource.label(item.get(resource.key, "?")))
        marker = layers.marker_problem(resource, item)
        if marker is None and (layer is not None or layers.MARKER in item) and item.get(resource.key) in (None, ""):
            marker = "%s is required" % resource.key
        if marker:
            problems.append("%s: %s" % (where, marker))
            continue
        unknown = sorted(str(name) for name in item if name not in known and name != layers.MARKER)
        if unknown:
            problems.append("%s: unsupported option(s) %s (supported: %s)"
                            % (where, ", ".join(unknown), ", ".join(sorted(known))))
        record = {}
        for name, value in item.items():
            if name in known and value is None and strict:
                # A secret left for a vault variable that is still empty, or a YAML key without its value.
                problems.append("%s: %s is empty (null): give it a value or leave the option out" % (where, name))
                continue
            if name not in known or value is None:
                continue
            field = resource.fields.get(name)
            secret = field is not None and field.secret
            if secret:
                no_log_values.add(str(value))
            wrong = _strict_problem(field, value) if strict else None
            if wrong:
                problems.append("%s: %s: %s is not %s" % (where, name, _described(value, secret), wrong))
                continue
            try:
                record[name] = _converted(field, value)
            except (TypeError, ValueError) as exc:
                problems.append("%s: %s: %s cannot be used (%s)"
                                % (where, name, "the value" if secret else repr(value), "secret" if secret else exc))
                continue
            problem = field.check(record[name]) if layer is not None and field is not None else None
            if problem:
                problems.append("%s: %s %s" % (where, name, problem))
        if layers.MARKER in item:
            record[layers.MARKER] = layers.ABSENT
        elif layer is None:
            problems.extend(required_problems(resource, record, where))
        checked.append(record)
    if layer is not None:
        problems.extend(layers.duplicates(resource, checked, "%s%s" % (prefix, kind)))
    return checked


def required_problems(resource, record, where):
    problems = []
    for option, value, needed in resource.required_if:
        missing = [name for name in needed if record.get(name) in (None, "", [])]
        if record.get(option) == value and missing:
            problems.append("%s: %s=%s needs %s" % (where, option, value, ", ".join(missing)))
    return problems


def _checked_kinds(config, no_log_values, problems, layer=None, strict=False):
    checked = {}
    for kind, items in config.items():
        if kind not in RESOURCES:
            problems.append("%sunknown kind %r (known: %s)" % ("%s: " % layer if layer else "", kind, ", ".join(RESOURCES)))
            continue
        kind_problems = []
        records = checked_items(kind, RESOURCES[kind], items, no_log_values, kind_problems, layer=layer, strict=strict)
        problems.extend(kind_problems)
        if records is not None and not kind_problems:
            checked[kind] = records
    return checked


def checked_config(config, no_log_values, layered=None, strict=False, owned=None):
    """Every kind of the tree checked; every problem of every kind reported at once.

    `layered` ([{name, config}]) are merged in order before `config` (see layers.py), each
    layer checked on its own first so that a problem names the layer it is in. `owned` maps a
    kind to the pattern of the keys this run may touch.
    """
    problems = []
    if not isinstance(config, dict):
        raise TaskFailed(PREFIX + "config must be a mapping of kinds")
    try:
        patterns = layers.compiled_owned(owned)
    except ValueError as exc:
        raise TaskFailed(PREFIX + str(exc))
    if layered:
        stack = [(layer["name"], layer["config"] or {}) for layer in layered]
        if config:
            stack.append(("config", config))
        checked_layers = []
        for name, layer_config in stack:
            if not isinstance(layer_config, dict):
                problems.append("%s must be a mapping of kinds" % name)
                continue
            checked_layers.append((name, _checked_kinds(layer_config, no_log_values, problems, layer=name,
                                                        strict=strict)))
        if problems:
            raise TaskFailed(PREFIX + "; ".join(problems))
        checked = layers.merged(checked_layers)
        for kind, records in checked.items():
            resource = RESOURCES[kind]
            for record in records:
                key = record[resource.key]
                if required_problems(resource, record, ""):
                    # Named with the layers the object comes from, looked up only for an object in error.
                    sources = [name for name, layer_config in checked_layers
                               if any(item.get(resource.key) == key for item in layer_config.get(kind, ()))]
                    problems.extend(required_problems(resource, record, "%s (from %s)" % (
                        resource.label(key), ", ".join(sources))))
    else:
        checked = dict((kind, layers.without_absent(RESOURCES[kind], records, problems))
                       for kind, records in _checked_kinds(config, no_log_values, problems, strict=strict).items())
    try:
        desired = tree.validate(checked)
    except engine.ConfigError as exc:
        problems.append(str(exc).replace(PREFIX, ""))
    else:
        problems.extend(layers.outside_scope(desired, patterns))
    if problems:
        raise TaskFailed(PREFIX + "; ".join(problems))
    return desired, patterns


# ------------------------------------------------------------------------------ the task
def kind_rows(plans):
    rows = tree.counts_of(plans)
    for kind_plan in plans:
        rows[kind_plan.kind]["requests"] = len(engine.planned_commands(kind_plan.resource, kind_plan.operations))
        rows[kind_plan.kind]["changed"] = bool(kind_plan.operations)
        if kind_plan.owned is not None:
            rows[kind_plan.kind]["left_alone"] = kind_plan.left_alone
    return rows


def summary_of(rows, check_mode):
    """What a PBX's run came to, as the pbx_config role shows it: the kinds changed, the API
    requests that took, and per kind the counts (`commands` being that kind's requests)."""
    per_kind = {}
    for kind, row in rows.items():
        per_kind[kind] = dict((name, row[name]) for name in ("changed", "added", "updated", "deleted", "renamed"))
        per_kind[kind]["commands"] = row["requests"]
        if "left_alone" in row:
            per_kind[kind]["left_alone"] = row["left_alone"]
    return {"check_mode": bool(check_mode), "changed": [kind for kind, row in rows.items() if row["changed"]],
            "api_requests": sum(row["requests"] for row in rows.values()), "per_kind": per_kind}


def hold_to_plan(plans, planned, plan):
    """Refuse, before any write, to run anything but the plan that was reviewed."""
    drifted = plan_files.drift(plans, plan)
    if drifted:
        raise TaskFailed("the PBX no longer matches the plan, nothing was sent: %s; make a new plan"
                         % "; ".join(drifted), drifted=drifted)
    if planned != plan.get("commands"):
        raise TaskFailed("config would now send other requests than the plan (%d planned, %d now), nothing was "
                         "sent; make a new plan" % (len(plan.get("commands") or []), len(planned)))


def preconditions(params):
    state = params["state"]
    for option in ("src", "plan_in", "rollback_from", "rollback_run", "layers_from"):
        if params.get(option) is not None:
            raise TaskFailed("%s is read on the controller by the uc_config action plugin; run the task as "
                             "openvox.ucpbx.uc_config" % option)
    if state != "gathered" and params["config"] is None and params["rollback"] is None and not params["layers"]:
        raise TaskFailed("state is %s but config (or src, or layers) is missing" % state)
    if not 1 <= params["parallel_writes"] <= 32:
        raise TaskFailed("parallel_writes must be between 1 and 32, not %d" % params["parallel_writes"])
    problem = connection_problem(params)
    if problem:
        raise TaskFailed(problem)


def run(params, check_mode=False, diff=False, no_log_values=None, before_writes=None, stop_check=None,
        progress=None):
    """The result of one uc_config task; raises TaskFailed with the failure's result.

    `before_writes(snapshot)` is called with the snapshot document (with `snapshot_dir`), after
    planning and before the first write; the action plugin stores it there. `stop_check` becomes the
    client's (see PbxClient.stop_check); `progress` is tree.apply's.
    """
    no_log_values = no_log_values if no_log_values is not None else set()
    if isinstance(params["rollback"], dict):
        # Secrets a rollback brings back (from a vault-encrypted snapshot) are never shown either.
        no_log_values.update(snapshots.secrets_in(params["rollback"]))
    desired, owned = checked_config(params["config"] or {}, no_log_values, layered=params["layers"],
                                    strict=params["strict"], owned=params["owned"])
    if params["state"] == "rendered":
        return rendered(desired, params)
    preconditions(params)
    client = client_from_params(params)
    client.stop_check = stop_check
    try:
        return _converge(client, params, desired, check_mode, diff, before_writes, progress, owned)
    except engine.ConfigError as exc:
        raise TaskFailed(str(exc))
    except tree.TreeApplyError as exc:
        applied = ["%s %s" % (kind, ", ".join("%d %s" % (n, label) for label, n in sorted(row.items()) if n))
                   for kind, row in exc.counts.items() if any(row.values())]
        raise TaskFailed(
            "%s; applied before the failure: %s; the rest was not sent (see commands); %s"
            % (exc, "; ".join(applied) or "nothing", engine.retry_advice(exc.refused, params["plan"] is not None)),
            changed=bool(exc.done), commands=exc.done, kinds=exc.counts)
    except PbxError as exc:
        raise TaskFailed(str(exc))
    finally:
        client.close()


def rendered(desired, params):
    """The tree and the requests it would send to an empty PBX; no connection at all.

    Objects the API cannot create (queues, IVRs, conference rooms) are made in the web interface:
    they are rendered as the updates that set what the tree gives them on a PBX where they hold
    their defaults. References to objects outside the tree are not checked (that needs the PBX).
    """
    commands = []
    rows = {}
    problems = []
    for kind, resource in RESOURCES.items():
        if kind not in desired:
            continue
        operations = []
        for record in desired[kind]:
            # On an empty PBX a rename is the creation of the new key.
            record = dict((name, value) for name, value in record.items() if name != engine.RENAME_FROM)
            target = record if params["state"] == "merged" else resource.with_defaults(record)
            key = record[resource.key]
            if resource.creatable:
                operations.append(engine.Operation("add", key, target, None, dict(target)))
            else:
                before = resource.with_defaults({resource.key: key})
                changes = dict((name, value) for name, value in target.items()
                               if name != resource.key and before.get(name) != value)
                if changes:
                    operations.append(engine.Operation("update", key, changes, before, dict(before, **changes),
                                                       handle=key))
        try:
            engine.check_required_when(resource, operations)
        except engine.ConfigError as exc:
            problems.append("%s: %s" % (kind, str(exc).replace(PREFIX, "")))
            continue
        kind_commands = engine.planned_commands(resource, operations)
        commands.extend(kind_commands)
        rows[kind] = dict(changed=bool(operations), requests=len(kind_commands), renamed=0, deleted=0,
                          added=len([op for op in operations if op.verb == "add"]),
                          updated=len([op for op in operations if op.verb == "update"]))
    if problems:
        raise TaskFailed(PREFIX + "; ".join(problems))
    tree_view = dict((kind, [RESOURCES[kind].masked(record) for record in records]) for kind, records in desired.items())
    return dict(changed=False, rendered=tree_view, commands=commands, kinds=rows,
                summary=summary_of(rows, True))


def _converge(client, params, desired, check_mode, diff, before_writes, progress=None, owned=None):
    if params["state"] == "gathered":
        kinds = params["gather"] or list(RESOURCES)
        result = dict(changed=False, gathered=tree.gathered(client, kinds))
        if params["secrets_out"]:
            # Only for the action plugin, which encrypts them into secrets_out and returns none.
            result["gathered_secrets"] = snapshots.encoded_secrets({"secrets": snapshots.secrets_of(client, kinds)})
        return result
    passes = None
    result = {}
    if params["rollback"] is not None:
        plans = snapshots.rollback_plans(client, params["rollback"])
        refused = tree.preflight(client, plans, referrers_first=True)
        if refused:
            raise engine.ConfigError("the PBX would refuse this rollback, nothing was changed on the PBX: "
                                     + "; ".join(refused))
        passes = snapshots.rollback_passes(plans)
        result["secrets_not_restored"] = snapshots.secrets_not_restored(params["rollback"], plans)
    else:
        plans = tree.plan(client, desired, params["state"], update_password=params["update_password"],
                          allow_delete_all=params["allow_delete_all"], owned=owned)
    planned = tree.planned_commands(plans, passes)
    if params["plan"] is not None:
        hold_to_plan(plans, planned, params["plan"])
    if params["plan_out"]:
        result["plan"] = plan_files.plan_document(plans, planned)
        if result.get("secrets_not_restored"):
            result["plan"]["summary"] += "\n%s\n" % snapshots.secrets_note(result["secrets_not_restored"])
    if params["snapshot_dir"]:
        snapshot = snapshots.snapshot_document(plans, secrets=params["snapshot_vault_id"] is not None)
        if before_writes is None:
            # The action plugin stores it from a check run, before the real run writes anything; encoded
            # so that the module's masking of the task's own secrets cannot alter the PBX's.
            result["snapshot"] = snapshots.encoded_secrets(snapshot)
        elif planned and not check_mode:
            before_writes(snapshot)
    commands = planned if check_mode else tree.apply(client, plans, parallel=params["parallel_writes"],
                                                     progress=progress, passes=passes)
    before, after = tree.changed_objects(plans)
    rows = kind_rows(plans)
    result.update(changed=bool(commands), commands=commands, before=before, after=after, kinds=rows,
                  summary=summary_of(rows, check_mode))
    if diff:
        result["diff"] = tree.diffs(plans)
    return result


def invocation(params):
    """What Ansible echoes of the arguments: everything but the bulky ones."""
    return {"module_args": dict((name, value) for name, value in params.items() if name not in BULKY)}
