# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What an apply changed, recorded before it writes (`snapshot_document`), and the plans that
put it back (`rollback_plans`)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections import OrderedDict

from ansible_collections.openvox.ucpbx.plugins.module_utils import engine, plan_files, tree
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.catalog import RESOURCES


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
    return {"version": plan_files.PLAN_VERSION, "host": host, "kinds": kinds}


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
    if not isinstance(snapshot, dict) or snapshot.get("version") != plan_files.PLAN_VERSION:
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
        plans.append(tree.KindPlan(kind, resource, actual, operations))
    return plans
