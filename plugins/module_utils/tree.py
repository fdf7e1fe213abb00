# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A whole PBX configuration (every kind of object) converged in one run of the engine.

Every kind is read and planned before the first write, so a bad value or a dangling reference
anywhere in the tree stops the run with nothing sent. Writes then go kind by kind in dependency
order (catalog.RESOURCES), deletes in the reverse order, so the PBX never sees a reference to
an object that does not exist yet or any more.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
from collections import OrderedDict

from ansible_collections.openvox.ucpbx.plugins.module_utils import engine
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.catalog import RESOURCES
from ansible_collections.openvox.ucpbx.plugins.module_utils.untrusted import code_span, one_line, table_cell

VERB_COUNTS = (("add", "added"), ("update", "updated"), ("delete", "deleted"))


class KindPlan:
    """What one kind of object needs: its operations, split into the forward and the delete pass."""

    def __init__(self, kind, resource, actual, operations):
        self.kind = kind
        self.resource = resource
        self.actual = actual
        self.writes = [op for op in operations if op.verb != "delete"]
        self.deletes = [op for op in operations if op.verb == "delete"]

    @property
    def operations(self):
        return self.writes + self.deletes


class TreeApplyError(Exception):
    def __init__(self, message, done, counts):
        super(TreeApplyError, self).__init__(message)
        self.done = done
        self.counts = counts


def validate(config):
    """Desired records per kind, every problem of every kind reported at once."""
    unknown = sorted(set(config or {}) - set(RESOURCES))
    problems = ["unknown kind %r (known: %s)" % (kind, ", ".join(RESOURCES)) for kind in unknown]
    desired = {}
    for kind, resource in RESOURCES.items():
        if kind not in (config or {}):
            continue
        try:
            desired[kind] = resource.desired(config[kind])
        except engine.ConfigError as exc:
            problems.append("%s: %s" % (kind, str(exc).replace("invalid config, nothing was changed on the PBX: ", "")))
    if problems:
        raise engine.ConfigError("invalid config, nothing was changed on the PBX: " + "; ".join(problems))
    return desired


def write_state(resource, state):
    """The state each kind's forward pass runs with: overridden deletes in a pass of its own."""
    if state == "overridden" and not resource.creatable:
        return "replaced"
    return state


def emptied_kinds(desired, state):
    """Kinds given as an empty list that the state would delete every object of."""
    if state not in ("overridden", "deleted"):
        return []
    return [kind for kind, records in desired.items() if not records and RESOURCES[kind].creatable]


def plan(client, desired, state, update_password="always", allow_delete_all=False, warn=None):
    """Read every kind once and plan it; raises ConfigError before any write."""
    emptied = [] if allow_delete_all else emptied_kinds(desired, state)
    if emptied:
        # Refused before the first read: a typo that empties a list must not cost a login either.
        raise engine.ConfigError(
            "config has an empty list for %s: with state=%s that deletes every one of them on the PBX; set "
            "allow_delete_all=true to do that (ucpbx_allow_delete_all in the pbx_config role), or leave the kind "
            "out to leave it alone; nothing was sent to the PBX" % (", ".join(emptied), state))
    plans = []
    problems = []
    # Objects this run creates or renames count as existing for the kinds that refer to them.
    planned = {}
    for kind, resource in RESOURCES.items():
        if kind not in desired:
            continue
        actual = engine.read_all(client, resource)
        records, _read_only = engine.split_read_only(client, resource, desired[kind], actual)
        operations = engine.plan(resource, records, actual, write_state(resource, state),
                                 update_password=update_password, allow_delete_all=allow_delete_all)
        plans.append(KindPlan(kind, resource, actual, operations))
        for problem in engine.missing_references(client, resource, operations, planned):
            problems.append(problem)
        planned[resource.name] = set(op.key for op in operations if op.verb in ("add", "update"))
    if problems:
        raise engine.ConfigError("invalid references, nothing was changed on the PBX: " + "; ".join(problems))
    refused = preflight(client, plans)
    if refused:
        raise engine.ConfigError("the PBX would refuse this, nothing was changed on the PBX: " + "; ".join(refused))
    return plans


def preflight(client, plans):
    """What the PBX would refuse midway, knowing what every kind of this run does first.

    Each check gets, per kind this run reads, every object as it will be once the run's adds,
    updates, renames and deletes are done: it reads only the kinds the run does not.
    """
    planned = {}
    for kind_plan in plans:
        after = dict(kind_plan.actual)
        for op in kind_plan.operations:
            if op.renamed_from:
                after.pop(op.renamed_from, None)
            if op.verb == "delete":
                after.pop(op.key, None)
            else:
                after[op.key] = op.after
        planned[kind_plan.resource.name] = after
    return [problem for kind_plan in plans for check in kind_plan.resource.preflight
            for problem in check(client, kind_plan.operations, kind_plan.actual, planned)]


def counts_of(plans, done_operations=None):
    """Adds, updates and deletes per kind (of what was done, when `done_operations` is given)."""
    counts = {}
    for kind_plan in plans:
        operations = kind_plan.operations
        if done_operations is not None:
            operations = [op for op in operations if id(op) in done_operations]
        row = dict((label, len([op for op in operations if op.verb == verb])) for verb, label in VERB_COUNTS)
        row["renamed"] = len([op for op in operations if op.renamed_from])
        counts[kind_plan.kind] = row
    return counts


def apply(client, plans, parallel=1, progress=None):
    """Writes in dependency order, then deletes in reverse; returns the commands sent."""
    done = []
    done_operations = set()
    passes = [(kind_plan, kind_plan.writes) for kind_plan in plans]
    passes += [(kind_plan, kind_plan.deletes) for kind_plan in reversed(plans)]
    for kind_plan, operations in passes:
        if not operations:
            continue
        if progress:
            progress("%s: %d %s" % (kind_plan.kind, len(operations),
                                    "delete(s)" if operations[0].verb == "delete" else "add(s)/update(s)"))
        try:
            commands = engine.apply(client, kind_plan.resource, operations, parallel=parallel,
                                    on_done=lambda ops: done_operations.update(id(op) for op in ops))
        except engine.ApplyError as exc:
            done.extend(exc.done)
            raise TreeApplyError("%s: %s" % (kind_plan.kind, exc), done, counts_of(plans, done_operations))
        done.extend(commands)
    return done


def planned_commands(plans):
    commands = []
    for kind_plan in plans:
        commands.extend(engine.planned_commands(kind_plan.resource, kind_plan.writes))
    for kind_plan in reversed(plans):
        commands.extend(engine.planned_commands(kind_plan.resource, kind_plan.deletes))
    return commands


def changed_objects(plans):
    before, after = {}, {}
    for kind_plan in plans:
        if kind_plan.operations:
            changed = engine.changed_objects(kind_plan.resource, kind_plan.operations)
            before[kind_plan.kind], after[kind_plan.kind] = changed
    return before, after


def diffs(plans):
    """One diff per changed object, kind after kind in dependency order."""
    return [diff for kind_plan in plans if kind_plan.operations
            for diff in engine.diff_of(kind_plan.resource, kind_plan.operations)]


def gathered(client, kinds):
    """Every object of the given kinds, as a tree `config` accepts back."""
    tree = {}
    for kind in kinds:
        resource = RESOURCES[kind]
        actual = engine.read_all(client, resource)
        _records, read_only = engine.split_read_only(client, resource, [], actual, list_all=True)
        records = dict(actual)
        records.update(read_only)
        tree[kind] = [resource.gathered_view(record) for record in engine.as_list(resource, records)]
    return tree


# ------------------------------------------------------------------------------ plans
PLAN_VERSION = 1


def _digest(value):
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def object_digests(kind_plan):
    """A short digest of every object of the kind as read, secrets left out (masked)."""
    resource = kind_plan.resource
    return dict((key, _digest(resource.masked(record))) for key, record in kind_plan.actual.items())


def plan_document(plans, commands, host=None):
    """What a check run saw and would send: the pinned plan an apply can be held to."""
    kinds = OrderedDict()
    for kind_plan in plans:
        kinds[kind_plan.kind] = {
            "objects": object_digests(kind_plan),
            "operations": [dict(verb=op.verb, key=op.key, renamed_from=op.renamed_from,
                                fields=sorted(op.fields)) for op in kind_plan.operations],
        }
    return {"version": PLAN_VERSION, "host": host, "kinds": kinds, "commands": commands,
            "counts": counts_of(plans), "summary": plan_markdown(plans, host)}


def drift(plans, document):
    """Objects whose state on the PBX is not the one the plan was made against."""
    if not isinstance(document, dict) or document.get("version") != PLAN_VERSION:
        return ["the plan file is not a plan of this collection (version %s)" % PLAN_VERSION]
    planned_kinds = document.get("kinds") or {}
    problems = []
    for kind_plan in plans:
        if kind_plan.kind not in planned_kinds:
            problems.append("%s were not part of the plan" % kind_plan.kind)
            continue
        then = planned_kinds[kind_plan.kind].get("objects") or {}
        now = object_digests(kind_plan)
        resource = kind_plan.resource
        for key in sorted(set(then) | set(now), key=engine.natural_key):
            if key not in now:
                problems.append("%s was deleted" % resource.label(key))
            elif key not in then:
                problems.append("%s was created" % resource.label(key))
            elif then[key] != now[key]:
                problems.append("%s was changed" % resource.label(key))
    for kind in sorted(set(planned_kinds) - set(kind_plan.kind for kind_plan in plans)):
        problems.append("%s are in the plan but not in config" % kind)
    return problems


def _shown(value):
    if isinstance(value, list):
        return ", ".join(code_span(item) for item in value) or "(none)"
    if value in ("", None):
        return "(empty)"
    return code_span(value)


def plan_heading(host=None):
    return "### PBX plan%s" % (" for %s" % code_span(host) if host else "")


def plan_markdown(plans, host=None):
    """A pull-request comment: counts per kind, then each object with its changed fields, masked.

    Keys and values come from the PBX and from config: each is a code span on the line of its
    object (see untrusted.code_span), so none can add a line, a heading or hidden HTML, and every
    planned operation is one list item a reviewer sees.
    """
    lines = [plan_heading(host), ""]
    rows = counts_of(plans)
    changing = [kind_plan for kind_plan in plans if kind_plan.operations]
    if not changing:
        lines.append("No changes: the PBX matches the configuration.")
        return "\n".join(lines) + "\n"
    lines += ["| kind | add | update | delete | rename |", "|---|---|---|---|---|"]
    for kind_plan in changing:
        row = rows[kind_plan.kind]
        counts = (table_cell(kind_plan.kind), row["added"], row["updated"], row["deleted"], row["renamed"])
        lines.append("| %s | %d | %d | %d | %d |" % counts)
    for kind_plan in changing:
        resource = kind_plan.resource
        lines += ["", "#### %s" % one_line(kind_plan.kind), ""]
        for op in sorted(kind_plan.operations, key=lambda operation: engine.natural_key(operation.key)):
            secret_changes = set(name for name in op.fields if resource.fields[name].secret)
            after = resource.masked(op.after, secret_changes) if op.after is not None else None
            before = resource.masked(op.before) if op.before is not None else {}
            if op.verb == "delete":
                lines.append("- delete %s" % code_span(op.key))
                continue
            head = "add" if op.verb == "add" else ("rename %s to" % code_span(op.renamed_from) if op.renamed_from else "update")
            changes = ["%s: %s → %s" % (name, _shown(before.get(name)), _shown(after.get(name)))
                       if op.verb == "update" else "%s: %s" % (name, _shown(after.get(name)))
                       for name in sorted(op.fields) if name != resource.key]
            lines.append("- %s %s%s" % (head, code_span(op.key), (": " + "; ".join(changes)) if changes else ""))
    return "\n".join(lines) + "\n"


# ------------------------------------------------------------------------------ snapshots
def snapshot_document(plans, host=None):
    """What an apply is about to change, enough to put it back: the objects as they were
    (without secrets, which are never stored), the ones it adds, and its renames."""
    kinds = OrderedDict()
    for kind_plan in plans:
        if not kind_plan.operations:
            continue
        resource = kind_plan.resource
        restore, remove = [], []
        for op in kind_plan.operations:
            if op.verb == "add":
                remove.append(op.key)
                continue
            record = recorded_view(resource, op.before)
            if op.renamed_from:
                record[resource.key] = op.renamed_from
                record[engine.RENAME_FROM] = op.key
            restore.append(record)
        kinds[kind_plan.kind] = {"restore": restore, "remove": remove}
    return {"version": PLAN_VERSION, "host": host, "kinds": kinds}


def recorded_view(resource, record):
    """Every option of an object as read, blanks included (so a rollback empties what the run
    filled), secrets and options of another type left out."""
    view = {}
    for name, value in record.items():
        field = resource.fields[name]
        if field.secret or value is None or not field.belongs_to(record):
            continue
        if field.kind != engine.LIST and field.check(value):
            continue
        view[name] = value
    return view


def rollback_plans(client, snapshot):
    """Plans that put back what a snapshot recorded: removed objects first (reverse order),
    then the recorded ones as they were (replaced: options not recorded go to their defaults)."""
    if not isinstance(snapshot, dict) or snapshot.get("version") != PLAN_VERSION:
        raise engine.ConfigError("the snapshot file is not a snapshot of this collection")
    plans = []
    for kind, resource in RESOURCES.items():
        recorded = (snapshot.get("kinds") or {}).get(kind)
        if not recorded:
            continue
        actual = engine.read_all(client, resource)
        restore = resource.desired(recorded.get("restore") or [])
        remove = resource.desired([{resource.key: key} for key in recorded.get("remove") or []])
        operations = engine.plan(resource, restore, actual, "replaced")
        if remove:
            operations += engine.plan(resource, remove, actual, "deleted")
        plans.append(KindPlan(kind, resource, actual, operations))
    return plans
