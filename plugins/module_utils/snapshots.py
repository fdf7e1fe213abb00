# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What an apply changed, recorded before it writes (`snapshot_document`), several runs' records
taken back as one (`composed`), and the plans that put it back, in an order the PBX accepts
(`rollback_plans`, `rollback_passes`)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import json
from collections import OrderedDict

from ansible_collections.openvox.ucpbx.plugins.module_utils import engine, plan_files, tree
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.catalog import RESOURCES
from ansible_collections.openvox.ucpbx.plugins.module_utils.untrusted import code_span

# Marks a recorded object whose secrets the run changed or lost (deleted): a rollback without
# the secrets cannot give them back.
SECRETS_CHANGED = "secrets_changed_by_run"


def snapshot_document(plans, host=None, secrets=False):
    """What an apply is about to change, enough to put it back: the objects as they were, the ones
    it adds, and its renames. Secrets only with `secrets` (the action plugin encrypts them with
    Ansible Vault before the document is written), under "secrets" by kind and recorded key."""
    kinds = OrderedDict()
    kept = OrderedDict()
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
            values = secret_values(resource, op.before)
            if values and (op.verb == "delete" or set(op.fields) & set(values)):
                record[SECRETS_CHANGED] = True
            if values and secrets:
                kept.setdefault(kind_plan.kind, {})[record[resource.key]] = values
            restore.append(record)
        kinds[kind_plan.kind] = {"restore": restore, "remove": remove}
    document = {"version": plan_files.PLAN_VERSION, "host": host, "kinds": kinds}
    if kept:
        document["secrets"] = kept
    return document


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


def secret_values(resource, record):
    return dict((name, record[name]) for name in resource.secret_fields
                if record.get(name) not in (None, "") and resource.fields[name].belongs_to(record))


def secrets_of(client, kinds):
    """{kind: {key: {option: secret}}}: every secret option of the objects of `kinds`, as the PBX
    reports it (empty ones too: an exported tree refers to each)."""
    found = OrderedDict()
    for kind in kinds:
        resource = RESOURCES[kind]
        if resource.secret_fields:
            for key, record in engine.read_all(client, resource).items():
                values = dict((name, record.get(name) or "") for name in resource.secret_fields
                              if resource.fields[name].belongs_to(record))
                if values:
                    found.setdefault(kind, OrderedDict())[key] = values
    return found


def secrets_in(snapshot):
    """Every secret value the records of a snapshot hold."""
    values = set()
    for kind, recorded in (snapshot.get("kinds") or {}).items():
        resource = RESOURCES.get(kind)
        for record in (recorded or {}).get("restore") or [] if resource is not None else []:
            values.update(str(record[name]) for name in resource.secret_fields if record.get(name) not in (None, ""))
    return values


def encoded_secrets(snapshot):
    if "secrets" in snapshot:
        text = json.dumps(snapshot["secrets"], sort_keys=True)
        snapshot = dict(snapshot, secrets=base64.b64encode(text.encode("utf-8")).decode("ascii"))
    return snapshot


def decoded_secrets(snapshot):
    secrets = snapshot.get("secrets")
    if isinstance(secrets, str):
        snapshot = dict(snapshot, secrets=json.loads(base64.b64decode(secrets).decode("utf-8")))
    return snapshot


def secrets_note(labels):
    """Which objects' secrets a rollback cannot give back; each label (keys come from the PBX) a code span."""
    return ("Secrets that cannot be restored (the snapshot does not hold them; keep them with "
            "snapshot_vault_id): %s" % ", ".join(code_span(label) for label in labels))


def with_secrets(snapshot, secrets):
    """The snapshot with its (decrypted) secrets back in the records they belong to."""
    for kind, recorded in (snapshot.get("kinds") or {}).items():
        resource = RESOURCES.get(kind)
        kept = (secrets or {}).get(kind) or {}
        if resource is None or not kept:
            continue
        for record in recorded.get("restore") or []:
            record.update(kept.get(record.get(resource.key)) or {})
    return snapshot


def composed(snapshots):
    """One snapshot that goes back to before the first of `snapshots` (oldest first, each taken
    by a later run than the one before it on the same PBX): undoing it undoes them all."""
    if len(snapshots) == 1:
        return snapshots[0]
    kinds = OrderedDict()
    for kind, resource in RESOURCES.items():
        undo = None
        for snapshot in snapshots:
            recorded = (snapshot.get("kinds") or {}).get(kind)
            if recorded:
                undo = _then(resource, undo, _undo_map(resource, recorded))
        if undo is not None:
            kinds[kind] = _recorded(resource, undo)
    return {"version": plan_files.PLAN_VERSION, "host": snapshots[-1].get("host"), "kinds": kinds}


def _undo_map(resource, recorded):
    """{key after the run: the object as it was before (None: the run added it)}."""
    undo = OrderedDict()
    for record in recorded.get("restore") or []:
        undo[record.get(engine.RENAME_FROM, record.get(resource.key))] = record
    for key in recorded.get("remove") or []:
        undo[key] = None
    return undo


def _then(resource, older, newer):
    """Two runs' undo maps as one: each object the newer run found goes back to what the older
    run found, when the older run touched it."""
    if older is None:
        return newer
    older = OrderedDict(older)
    result = OrderedDict()
    for key_after, record in newer.items():
        key_before = key_after if record is None else record[resource.key]
        if key_before not in older:
            result[key_after] = record
            continue
        earlier = older.pop(key_before)
        if earlier is not None and record is not None and record.get(SECRETS_CHANGED):
            earlier = dict(earlier)
            earlier[SECRETS_CHANGED] = True
        result[key_after] = earlier
    for key_after, record in older.items():
        result.setdefault(key_after, record)
    return result


def _recorded(resource, undo):
    restore, remove = [], []
    for key_after, record in undo.items():
        if record is None:
            remove.append(key_after)
            continue
        record = dict((name, value) for name, value in record.items() if name != engine.RENAME_FROM)
        if record[resource.key] != key_after:
            record[engine.RENAME_FROM] = key_after
        restore.append(record)
    return {"restore": restore, "remove": remove}


def rollback_plans(client, snapshot):
    """Plans that put back what a snapshot recorded: the objects the run added deleted, the
    recorded ones as they were (replaced: options not recorded go to their defaults; secrets
    not recorded stay as they are). Apply them in the order of `rollback_passes`."""
    if not isinstance(snapshot, dict) or snapshot.get("version") != plan_files.PLAN_VERSION:
        raise engine.ConfigError("the snapshot file is not a snapshot of this collection")
    plans = []
    for kind, resource in RESOURCES.items():
        recorded = (snapshot.get("kinds") or {}).get(kind)
        if not recorded:
            continue
        actual = engine.read_all(client, resource)
        restore = [dict((name, value) for name, value in record.items() if name != SECRETS_CHANGED)
                   for record in recorded.get("restore") or []]
        operations = engine.plan(resource, resource.desired(restore), actual, "replaced")
        remove = resource.desired([{resource.key: key} for key in recorded.get("remove") or []])
        if remove:
            operations += engine.plan(resource, remove, actual, "deleted")
        plans.append(tree.KindPlan(kind, resource, actual, operations))
    return plans


def secrets_not_restored(snapshot, plans):
    """Objects whose secrets the rollback cannot give back: re-created, or changed by the run,
    without their secrets in the snapshot."""
    lost = []
    for kind_plan in plans:
        resource = kind_plan.resource
        if not resource.secret_fields:
            continue
        added = set(op.key for op in kind_plan.writes if op.verb == "add")
        for record in (snapshot.get("kinds") or {}).get(kind_plan.kind, {}).get("restore") or []:
            if not secret_values(resource, record) and (record.get(SECRETS_CHANGED) or record[resource.key] in added):
                lost.append(resource.label(record[resource.key]))
    return lost


def rollback_passes(plans):
    """The rollback's operations in an order the PBX accepts, as (kind plan, operations) passes.

    A rollback undoes in one go what an apply did in several kinds: an object renamed back or
    deleted must first lose every reference to it (the PBX refuses a renumbered or deleted
    extension that a route or queue still uses), and an object restored with a reference needs
    its target first. Operations go in dependency order (writes, then deletes in reverse), each
    held back until the objects as they are by then allow it. Raises ConfigError, before any
    write, when no order works.
    """
    names = dict((kind_plan.resource.name, kind_plan) for kind_plan in plans)
    keys = dict((name, set(kind_plan.actual)) for name, kind_plan in names.items())
    uses = {}

    def count(resource, record, step):
        for target, name in _targets(resource, record):
            uses[(target, name)] = uses.get((target, name), 0) + step

    for kind_plan in plans:
        for record in kind_plan.actual.values():
            count(kind_plan.resource, record, 1)

    def blocker(kind_plan, op):
        resource = kind_plan.resource
        if op.after is not None:
            for target, name in _targets(resource, op.after):
                if target in keys and name not in keys[target]:
                    return "%s needs %s %s, which does not exist by then" % (resource.label(op.key), target, name)
        # A rename by handle (trunks) takes the references along on the PBX; one by key does not.
        leaving = op.key if op.verb == "delete" else (op.renamed_from if resource.update.rename_as else None)
        if leaving is not None and uses.get((resource.name, leaving)):
            return "%s is still in use" % resource.label(leaving)
        return None

    def done(kind_plan, op):
        resource = kind_plan.resource
        if op.before is not None:
            count(resource, op.before, -1)
            keys[resource.name].discard(op.renamed_from or op.key)
        if op.after is not None:
            count(resource, op.after, 1)
            keys[resource.name].add(op.key)

    pending = [(kind_plan, op) for kind_plan in plans for op in kind_plan.writes]
    pending += [(kind_plan, op) for kind_plan in reversed(plans) for op in kind_plan.deletes]
    passes = []
    while pending:
        held = []
        for kind_plan, op in pending:
            if blocker(kind_plan, op):
                held.append((kind_plan, op))
                continue
            done(kind_plan, op)
            same = passes and passes[-1][0] is kind_plan and (passes[-1][1][0].verb == "delete") == (op.verb == "delete")
            if same:
                passes[-1][1].append(op)
            else:
                passes.append((kind_plan, [op]))
        if len(held) == len(pending):
            raise engine.ConfigError("the rollback cannot be put in an order the PBX accepts, nothing was changed on "
                                     "the PBX: " + "; ".join(blocker(kind_plan, op) for kind_plan, op in held))
        pending = held
    return passes


def _targets(resource, record):
    """(resource name, key) of every object `record` refers to."""
    for reference in resource.references:
        target = reference.target_for(record)
        if target is not None:
            for name in reference.names(record):
                yield target.label, name
