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

from ansible_collections.openvox.ucpbx.plugins.module_utils import engine, plan_files, snapshots, tree
from ansible_collections.openvox.ucpbx.plugins.module_utils.connection import (
    CONNECTION_ARGUMENT_SPEC,
    client_from_params,
    connection_problem,
)
from ansible_collections.openvox.ucpbx.plugins.module_utils.errors import PbxError
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.catalog import RESOURCES

PREFIX = "invalid config, nothing was changed on the PBX: "
STATES = ["merged", "replaced", "overridden", "deleted", "gathered"]

ARGUMENT_SPEC = dict(
    config=dict(type="dict"),
    src=dict(type="path"),
    state=dict(type="str", default="merged", choices=STATES),
    gather=dict(type="list", elements="str", choices=list(RESOURCES)),
    allow_delete_all=dict(type="bool", default=False),
    parallel_writes=dict(type="int", default=1),
    update_password=dict(type="str", default="always", choices=["always", "on_create"], no_log=False),
    plan_out=dict(type="path"),
    plan_in=dict(type="path"),
    plan=dict(type="dict"),
    snapshot_dir=dict(type="path"),
    rollback_from=dict(type="path"),
    rollback=dict(type="dict"),
)
ARGUMENT_SPEC.update(CONNECTION_ARGUMENT_SPEC)
MUTUALLY_EXCLUSIVE = [("config", "src")]
# Arguments that can be megabytes; never echoed back.
BULKY = ("config", "plan", "rollback")


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


def checked_items(kind, resource, items, no_log_values, problems):
    """The items of one kind with the types, choices and secrets of its module's argument spec.

    Done here rather than with a generic argument-spec validator per item, which costs most of a
    10,000-object task; Resource.desired then checks patterns, ranges and keys.
    """
    if not isinstance(items, list):
        problems.append("%s must be a list of objects" % kind)
        return None
    known = set(resource.fields) | (set([engine.RENAME_FROM]) if resource.renamable else set())
    checked = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            problems.append("%s[%d] must be an object, not a %s" % (kind, index, type(item).__name__))
            continue
        where = "%s[%d] (%s)" % (kind, index, resource.label(item.get(resource.key, "?")))
        unknown = sorted(str(name) for name in item if name not in known)
        if unknown:
            problems.append("%s: unsupported option(s) %s (supported: %s)"
                            % (where, ", ".join(unknown), ", ".join(sorted(known))))
        record = {}
        for name, value in item.items():
            if name not in known or value is None:
                continue
            field = resource.fields.get(name)
            if field is not None and field.secret:
                no_log_values.add(str(value))
            try:
                record[name] = _converted(field, value)
            except (TypeError, ValueError) as exc:
                secret = field is not None and field.secret
                problems.append("%s: %s: %s cannot be used (%s)"
                                % (where, name, "the value" if secret else repr(value), "secret" if secret else exc))
        for option, value, needed in resource.required_if:
            missing = [name for name in needed if record.get(name) in (None, "", [])]
            if record.get(option) == value and missing:
                problems.append("%s: %s=%s needs %s" % (where, option, value, ", ".join(missing)))
        checked.append(record)
    return checked


def checked_config(config, no_log_values):
    """Every kind of the tree checked; every problem of every kind reported at once."""
    problems = []
    checked = {}
    if not isinstance(config, dict):
        raise TaskFailed(PREFIX + "config must be a mapping of kinds")
    for kind, items in config.items():
        if kind not in RESOURCES:
            problems.append("unknown kind %r (known: %s)" % (kind, ", ".join(RESOURCES)))
            continue
        kind_problems = []
        records = checked_items(kind, RESOURCES[kind], items, no_log_values, kind_problems)
        problems.extend(kind_problems)
        if records is not None and not kind_problems:
            checked[kind] = records
    try:
        desired = tree.validate(checked)
    except engine.ConfigError as exc:
        problems.append(str(exc).replace(PREFIX, ""))
    if problems:
        raise TaskFailed(PREFIX + "; ".join(problems))
    return desired


# ------------------------------------------------------------------------------ the task
def kind_rows(plans):
    rows = tree.counts_of(plans)
    for kind_plan in plans:
        rows[kind_plan.kind]["requests"] = len(engine.planned_commands(kind_plan.resource, kind_plan.operations))
        rows[kind_plan.kind]["changed"] = bool(kind_plan.operations)
    return rows


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
    for option in ("src", "plan_in", "rollback_from"):
        if params.get(option) is not None:
            raise TaskFailed("%s is read on the controller by the uc_config action plugin; run the task as "
                             "openvox.ucpbx.uc_config" % option)
    if state != "gathered" and params["config"] is None and params["rollback"] is None:
        raise TaskFailed("state is %s but config (or src) is missing" % state)
    if not 1 <= params["parallel_writes"] <= 32:
        raise TaskFailed("parallel_writes must be between 1 and 32, not %d" % params["parallel_writes"])
    problem = connection_problem(params)
    if problem:
        raise TaskFailed(problem)


def run(params, check_mode=False, diff=False, no_log_values=None, before_writes=None, stop_check=None):
    """The result of one uc_config task; raises TaskFailed with the failure's result.

    `before_writes(snapshot)` is called with the snapshot document (with `snapshot_dir`), after
    planning and before the first write; the action plugin stores it there. `stop_check` becomes the
    client's (see PbxClient.stop_check).
    """
    no_log_values = no_log_values if no_log_values is not None else set()
    desired = checked_config(params["config"] or {}, no_log_values)
    preconditions(params)
    client = client_from_params(params)
    client.stop_check = stop_check
    try:
        return _converge(client, params, desired, check_mode, diff, before_writes)
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


def _converge(client, params, desired, check_mode, diff, before_writes):
    if params["state"] == "gathered":
        return dict(changed=False, gathered=tree.gathered(client, params["gather"] or list(RESOURCES)))
    if params["rollback"] is not None:
        plans = snapshots.rollback_plans(client, params["rollback"])
    else:
        plans = tree.plan(client, desired, params["state"], update_password=params["update_password"],
                          allow_delete_all=params["allow_delete_all"])
    planned = tree.planned_commands(plans)
    result = {}
    if params["plan"] is not None:
        hold_to_plan(plans, planned, params["plan"])
    if params["plan_out"]:
        result["plan"] = plan_files.plan_document(plans, planned)
    if params["snapshot_dir"]:
        snapshot = snapshots.snapshot_document(plans)
        if before_writes is None:
            # The action plugin stores it from a check run, before the real run writes anything.
            result["snapshot"] = snapshot
        elif planned and not check_mode:
            before_writes(snapshot)
    commands = planned if check_mode else tree.apply(client, plans, parallel=params["parallel_writes"])
    before, after = tree.changed_objects(plans)
    result.update(changed=bool(commands), commands=commands, before=before, after=after, kinds=kind_rows(plans))
    if diff:
        result["diff"] = tree.diffs(plans)
    return result


def invocation(params):
    """What Ansible echoes of the arguments: everything but the bulky ones."""
    return {"module_args": dict((name, value) for name, value in params.items() if name not in BULKY)}
