# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Deletes and renames the PBX would refuse, or that would leave a reference to nothing.

Who refers to a kind follows from the resources' `references` (a queue's agents, a paging group's
members, an inbound route's destination, an extension's forward, a route's trunks): no resource has
code of its own for it. The referring kinds are read only when a delete or rename of the kind they
refer to is planned, once each, and only when the run does not read them itself; when it does, the
objects as the run leaves them count (a tree that also changes or deletes the referrers is fine:
their writes go first, deletes in reverse dependency order).

Renaming an object in use is refused unless the PBX carries the new name into the referrers itself
(`Reference.follows_renames`): the PBX refuses to renumber an extension something uses, and an apply
writes kinds in dependency order, the extension before its users. A rollback instead writes the
users first, naming a number that exists only once the rename is done (`referrers_first`).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.openvox.ucpbx.plugins.module_utils import engine
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.catalog import RESOURCES
from ansible_collections.openvox.ucpbx.plugins.module_utils.untrusted import one_line


def referrers(kind):
    """(referring kind, its resource, the reference) for every field that can name an object of `kind`."""
    return [(other, resource, reference) for other, resource in RESOURCES.items()
            for reference in resource.references
            if any(source.kind == kind and not source.external for source in reference.sources())]


def _naming(kind, resource, reference, objects, keys, skip=()):
    """{key of `keys`: [what names it]} among `objects` (records by key)."""
    found = {}
    for key, record in objects.items():
        target = reference.target_for(record) if record is not None else None
        if target is None or target.kind != kind or key in skip:
            continue
        for name in reference.names(record):
            if name in keys:
                found.setdefault(name, set()).add((resource.name, reference.field, key))
    return found


def _merge(into, found):
    for key, users in found.items():
        into.setdefault(key, set()).update(users)


def _listed(users):
    by_kind = {}
    for name, field, key in users:
        by_kind.setdefault((name, field), []).append(key)
    # Keys come from the PBX: each on one line, so a name cannot add lines to the message.
    return "; ".join("%s(s) %s (%s)" % (name, ", ".join(one_line(key) for key in sorted(keys, key=engine.natural_key)),
                                        field)
                     for (name, field), keys in sorted(by_kind.items()))


def refused(client, plans, planned, referrers_first=False):
    """Problems of the deletes and renames of `plans`, given `planned` (kind -> objects after the run).

    With `referrers_first` (the operations are ordered so that referrers are written before a
    rename), a referrer that names the old key only before the run does not hold the rename up.
    """
    by_kind = dict((kind_plan.kind, kind_plan) for kind_plan in plans)
    read = {}

    def now_and_after(kind):
        if kind in by_kind:
            return by_kind[kind].actual, planned[kind]
        if kind not in read:
            read[kind] = engine.read_all(client, RESOURCES[kind])
        return read[kind], read[kind]

    problems = []
    for kind_plan in plans:
        label = kind_plan.resource.label
        deleted = set(op.key for op in kind_plan.deletes)
        renamed = dict((op.renamed_from, op.key) for op in kind_plan.writes if op.renamed_from)
        if not (deleted or renamed):
            continue
        deleting, moving, stale = {}, {}, {}
        for other, resource, reference in referrers(kind_plan.kind):
            now, after = now_and_after(other)
            same = set(renamed) | set(renamed.values()) if other == kind_plan.kind else ()
            _merge(deleting, _naming(kind_plan.kind, resource, reference, after, deleted,
                                     skip=deleted if other == kind_plan.kind else ()))
            if reference.follows_renames:
                # The PBX moves the others; what this run writes (or keeps) must name the new key.
                written = by_kind[other].desired_keys if other in by_kind else ()
                kept = dict((key, record) for key, record in after.items() if key in written)
                _merge(stale, _naming(kind_plan.kind, resource, reference, kept, renamed, skip=same))
            else:
                if not referrers_first:
                    _merge(moving, _naming(kind_plan.kind, resource, reference, now, renamed, skip=same))
                _merge(moving, _naming(kind_plan.kind, resource, reference, after, renamed, skip=same))
        for key in sorted(deleting, key=engine.natural_key):
            problems.append("%s cannot be deleted: %s refer to it; change or delete them first (in the same "
                            "uc_config tree is fine)" % (label(key), _listed(deleting[key])))
        for old in sorted(moving, key=engine.natural_key):
            new = renamed[old]
            problems.append("%s cannot be renamed to %s: %s refer to it, and the PBX refuses to rename an object "
                            "in use; create %s, point them at it, then delete %s" % (
                                label(old), one_line(new), _listed(moving[old]), one_line(new), one_line(old)))
        for old in sorted(stale, key=engine.natural_key):
            new = renamed[old]
            problems.append("%s is renamed to %s by this run, but %s still name %s (the PBX moves them to %s "
                            "itself): write %s there instead" % (label(old), one_line(new), _listed(stale[old]),
                                                                 one_line(old), one_line(new), one_line(new)))
    return problems


def duplicates(plans, planned):
    """Values of `unique` fields the run writes that another object holds once the run is done."""
    problems = []
    for kind_plan in plans:
        resource = kind_plan.resource
        unique = [name for name, field in resource.fields.items() if field.unique]
        after = planned[kind_plan.kind]
        for op in kind_plan.writes:
            for name in unique:
                if name not in op.fields:
                    continue
                others = sorted((key for key, record in after.items()
                                 if key != op.key and record is not None and record.get(name) == op.fields[name]),
                                key=engine.natural_key)
                if others:
                    problems.append("%s: %s %r is the %s of %s too, and the PBX refuses two with one %s"
                                    % (resource.label(op.key), name, op.fields[name], name,
                                       ", ".join(resource.label(key) for key in others), name))
    return problems
