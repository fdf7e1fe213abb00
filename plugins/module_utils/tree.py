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

from ansible_collections.openvox.ucpbx.plugins.module_utils import engine, in_use
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.catalog import RESOURCES

VERB_COUNTS = (("add", "added"), ("update", "updated"), ("delete", "deleted"))


class KindPlan:
    """What one kind of object needs: its operations, split into the forward and the delete pass.

    `owned` (a compiled pattern) is the part of the kind the run may touch, by key; None is all of it.
    """

    def __init__(self, kind, resource, actual, operations, owned=None, desired_keys=None):
        self.kind = kind
        self.resource = resource
        self.actual = actual
        self.owned = owned
        # The objects the task names (a rename's referrers must name its new key); by default those written.
        self.desired_keys = set(desired_keys if desired_keys is not None else
                                (op.key for op in operations if op.verb != "delete"))
        self.writes = [op for op in operations if op.verb != "delete"]
        self.deletes = [op for op in operations if op.verb == "delete"]

    def owns(self, key):
        return self.owned is None or bool(self.owned.search(key))

    @property
    def left_alone(self):
        """Objects on the PBX outside the owned scope, which the run never touches."""
        return 0 if self.owned is None else len([key for key in self.actual if not self.owns(key)])

    @property
    def operations(self):
        return self.writes + self.deletes


class TreeApplyError(Exception):
    def __init__(self, message, done, counts, refused=False):
        super(TreeApplyError, self).__init__(message)
        self.done = done
        self.counts = counts
        self.refused = refused


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


def planned_keys(kind_plan):
    """The keys a kind's objects have once its writes are done (what later kinds may refer to)."""
    return set(kind_plan.actual) - set(op.renamed_from for op in kind_plan.writes) | set(
        op.key for op in kind_plan.writes)


def plan_kind(client, kind, resource, desired, state, update_password="always", allow_delete_all=False,
              planned=None, owned=None):
    """One kind read and planned: the step a resource module and a whole tree share.

    Returns the plan and the references its writes make to objects that neither the PBX nor
    `planned` (catalog kind -> keys an earlier kind of the same run creates) has; the kind's own
    new keys count too (an extension forwarding to one created beside it). With `owned` (a
    compiled pattern), objects whose key it does not match are planned as if absent: never reset
    nor deleted.
    """
    actual = engine.read_all(client, resource)
    records, _read_only = engine.split_read_only(client, resource, desired, actual)
    scope = actual
    if owned is not None:
        scope = engine.Snapshot((key, record) for key, record in actual.items() if owned.search(key))
        scope.handles = getattr(actual, "handles", {})
    operations = engine.plan(resource, records, scope, state,
                             update_password=update_password, allow_delete_all=allow_delete_all)
    kind_plan = KindPlan(kind, resource, actual, operations, owned=owned,
                         desired_keys=[record[resource.key] for record in desired])
    known = dict(planned or {})
    known[kind] = planned_keys(kind_plan)
    return kind_plan, engine.missing_references(client, resource, operations, known)


def plan(client, desired, state, update_password="always", allow_delete_all=False, warn=None, owned=None):
    """Read every kind once and plan it; raises ConfigError before any write.

    `owned` maps a kind to the compiled pattern of the keys the run may touch (see plan_kind).
    An empty list deletes every object of its kind only with `allow_delete_all`; without it, it is
    refused once the read shows objects to delete, so a gathered tree applies back to a PBX that has
    none of a kind.
    """
    emptied = [] if allow_delete_all else emptied_kinds(desired, state)
    plans = []
    problems = []
    # Objects this run creates or renames count as existing for the kinds that refer to them.
    planned = {}
    for kind, resource in RESOURCES.items():
        if kind not in desired:
            continue
        kind_plan, dangling = plan_kind(client, kind, resource, desired[kind], write_state(resource, state),
                                        update_password=update_password,
                                        allow_delete_all=allow_delete_all or kind in emptied, planned=planned,
                                        owned=(owned or {}).get(kind))
        plans.append(kind_plan)
        problems.extend(dangling)
        planned[kind] = planned_keys(kind_plan)
    emptying = [kind_plan.kind for kind_plan in plans if kind_plan.kind in emptied and kind_plan.deletes]
    if emptying:
        raise engine.ConfigError(
            "config has an empty list for %s: with state=%s that deletes every one of them on the PBX; set "
            "allow_delete_all=true to do that (ucpbx_allow_delete_all in the pbx_config role), or leave the kind "
            "out to leave it alone; nothing was changed on the PBX" % (", ".join(emptying), state))
    if problems:
        raise engine.ConfigError("invalid references, nothing was changed on the PBX: " + "; ".join(problems))
    refused = preflight(client, plans)
    if refused:
        raise engine.ConfigError("the PBX would refuse this, nothing was changed on the PBX: " + "; ".join(refused))
    return plans


def preflight(client, plans, referrers_first=False):
    """What the PBX would refuse midway, knowing what every kind of this run does first.

    `referrers_first`: the operations are sent in an order that updates every referrer before the
    object it names is renamed (a rollback's, see snapshots.rollback_passes), so only the
    referrers as the run leaves them can hold a rename up.

    Each check gets, per kind this run reads (by catalog kind), every object as it will be once the
    run's adds, updates, renames and deletes are done: it reads only the kinds the run does not.
    Deletes and renames of objects something uses, and values two objects may not share, are
    checked here for every kind (in_use.py).
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
        planned[kind_plan.kind] = after
    problems = in_use.refused(client, plans, planned, referrers_first) + in_use.duplicates(plans, planned)
    return problems + [problem for kind_plan in plans for check in kind_plan.resource.preflight
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


def default_passes(plans):
    """(kind plan, operations) in the order they are sent: writes in dependency order, then deletes."""
    return ([(kind_plan, kind_plan.writes) for kind_plan in plans]
            + [(kind_plan, kind_plan.deletes) for kind_plan in reversed(plans)])


def apply(client, plans, parallel=1, progress=None, passes=None):
    """The operations of `passes` (default_passes) in their order; returns the commands sent.

    `progress(kind, done, total, what)` is called when a pass of a kind starts (done 0) and after
    each batch of its operations is done."""
    done = []
    done_operations = set()
    for kind_plan, operations in passes if passes is not None else default_passes(plans):
        if not operations:
            continue
        what = "deletes" if operations[0].verb == "delete" else "adds and updates"
        if progress:
            progress(kind_plan.kind, 0, len(operations), what)
        try:
            commands = engine.apply(client, kind_plan.resource, operations, parallel=parallel,
                                    on_done=_counting(done_operations, kind_plan.kind, len(operations), what, progress))
        except engine.ApplyError as exc:
            done.extend(exc.done)
            raise TreeApplyError("%s: %s" % (kind_plan.kind, exc), done, counts_of(plans, done_operations),
                                 refused=exc.refused)
        done.extend(commands)
    return done


def _counting(done_operations, kind, total, what, progress):
    """engine.apply's on_done for one pass: what is done, and how far the pass got."""
    in_pass = set()

    def on_done(ops):
        done_operations.update(id(op) for op in ops)
        in_pass.update(id(op) for op in ops)
        if progress:
            progress(kind, len(in_pass), total, what)
    return on_done


def planned_commands(plans, passes=None):
    commands = []
    for kind_plan, operations in passes if passes is not None else default_passes(plans):
        commands.extend(engine.planned_commands(kind_plan.resource, operations))
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
