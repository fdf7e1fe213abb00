# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The files a check run leaves for review: the pinned plan (`plan_document`), which an apply
is held to (`drift`), and its pull-request summary (`plan_markdown`)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
from collections import OrderedDict

from ansible_collections.openvox.ucpbx.plugins.module_utils import engine, tree
from ansible_collections.openvox.ucpbx.plugins.module_utils.untrusted import code_span, one_line, table_cell

PLAN_VERSION = 1


def _digest(value):
    text = json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def object_digests(kind_plan):
    """A short digest of every object of the kind as read, secrets left out (masked).

    Objects outside the run's owned scope are left out: others may change them meanwhile.
    """
    resource = kind_plan.resource
    return dict((key, _digest(resource.masked(record))) for key, record in kind_plan.actual.items()
                if kind_plan.owns(key))


def plan_document(plans, commands, host=None):
    """What a check run saw and would send: the pinned plan an apply can be held to."""
    kinds = OrderedDict()
    for kind_plan in plans:
        kinds[kind_plan.kind] = {
            "objects": object_digests(kind_plan),
            "operations": [dict(verb=op.verb, key=op.key, renamed_from=op.renamed_from,
                                fields=sorted(op.fields)) for op in kind_plan.operations],
        }
    counts = tree.counts_of(plans)
    for kind_plan in plans:
        if kind_plan.owned is not None:
            counts[kind_plan.kind]["left_alone"] = kind_plan.left_alone
    return {"version": PLAN_VERSION, "host": host, "kinds": kinds, "commands": commands,
            "counts": counts, "summary": plan_markdown(plans, host)}


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
    rows = tree.counts_of(plans)
    changing = [kind_plan for kind_plan in plans if kind_plan.operations]
    left_alone = ", ".join("%d %s" % (kind_plan.left_alone, one_line(kind_plan.kind))
                           for kind_plan in plans if kind_plan.left_alone)
    if left_alone:
        lines += ["Outside the owned scope, left alone: %s." % left_alone, ""]
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
