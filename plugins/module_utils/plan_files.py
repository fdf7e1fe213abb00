# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The files a check run leaves for review: the pinned plan (`plan_document`), which an apply
is held to (`drift`), and its pull-request summary (`plan_markdown`)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import re
from collections import OrderedDict

from ansible.module_utils.six.moves.urllib.parse import quote

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


# A pull-request comment holds at most 65,536 characters; the summary leaves room for a header.
SUMMARY_LIMIT = 60000
# A kind with more operations than this is folded in <details>.
FOLD_OVER = 20
MORE = "see the plan's JSON file"
_MORE_LINE = re.compile(r"^(_\d+ more), %s\._$" % re.escape(MORE), re.M)


def _yaml(value):
    """A scalar as YAML spells it (`true`, not `True`), as a reviewer wrote it in the tree."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _shown(value):
    if isinstance(value, list):
        return ", ".join(code_span(_yaml(item)) for item in value) or "(none)"
    if value in ("", None):
        return "(empty)"
    return code_span(_yaml(value))


def plan_heading(host=None):
    return "### PBX plan%s" % (" for %s" % code_span(host) if host else "")


def named_summary(summary, host, json_path):
    """The summary of a plan made without its host's name, with the name and its JSON file's path.

    Only whole lines of the summary's own making change: a key or value never starts a line."""
    summary = summary.replace(plan_heading(), plan_heading(host), 1)
    return _MORE_LINE.sub(lambda match: "%s, see %s._" % (match.group(1), code_span(json_path)), summary)


def _operation_line(resource, op):
    secret_changes = set(name for name in op.fields if resource.fields[name].secret)
    after = resource.masked(op.after, secret_changes) if op.after is not None else None
    before = resource.masked(op.before) if op.before is not None else {}
    if op.verb == "delete":
        return "- delete %s" % code_span(op.key)
    head = "add" if op.verb == "add" else ("rename %s to" % code_span(op.renamed_from) if op.renamed_from else "update")
    names = sorted(op.fields)
    if op.verb == "add":
        # replaced and overridden add with every default; the defaults say nothing a reviewer needs.
        names = [name for name in names if resource.fields[name].default is None
                 or after.get(name) != resource.fields[name].default or name in secret_changes]
    changes = ["%s: %s → %s" % (name, _shown(before.get(name)), _shown(after.get(name)))
               if op.verb == "update" else "%s: %s" % (name, _shown(after.get(name)))
               for name in names if name != resource.key]
    return "- %s %s%s" % (head, code_span(op.key), (": " + "; ".join(changes)) if changes else "")


def plan_markdown(plans, host=None, limit=SUMMARY_LIMIT):
    """A pull-request comment: counts per kind, then each object with its changed fields, masked.

    Keys and values come from the PBX and from config: each is a code span on the line of its
    object (see untrusted.code_span), so none can add a line, a heading or hidden HTML, and every
    planned operation is one list item a reviewer sees, or counted in the "N more" line of its kind
    when the summary would pass `limit` characters (the JSON plan lists every one). A kind of many
    operations is folded in <details>.
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
    # Room for the headings, the <details> around each kind, its "more" line and a path in it.
    budget = limit - len("\n".join(lines)) - 400 * len(changing)
    for index, kind_plan in enumerate(changing):
        operations = sorted(kind_plan.operations, key=lambda operation: engine.natural_key(operation.key))
        lines += ["", "#### %s" % one_line(kind_plan.kind), ""]
        folded = len(operations) > FOLD_OVER
        if folded:
            lines += ["<details><summary>%d operations</summary>" % len(operations), ""]
        # An equal share of what is left for each kind still to come; what one leaves, the next gets.
        share = budget // (len(changing) - index)
        shown = 0
        for op in operations:
            line = _operation_line(kind_plan.resource, op)
            if len(line) + 1 > share:
                break
            lines.append(line)
            share -= len(line) + 1
            budget -= len(line) + 1
            shown += 1
        if shown < len(operations):
            lines += ["", "_%d more, %s._" % (len(operations) - shown, MORE)]
        if folded:
            lines += ["", "</details>"]
    return "\n".join(lines) + "\n"


def _host_order(host):
    """pbx2 before pbx10."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", str(host))]


def fleet_index(entries):
    """plan/README.md: one table row per PBX with its counts, so a reviewer sees the fleet at a glance.

    entries: (host, counts per kind as in the plan document, name of its summary file), in any order."""
    rows = []
    changing = 0
    for host, counts, summary_name in sorted(entries, key=lambda entry: _host_order(entry[0])):
        totals = dict((label, 0) for label in ("added", "updated", "deleted", "renamed"))
        for row in counts.values():
            for label in totals:
                if not isinstance(row, dict):
                    break
                totals[label] += int(row.get(label) or 0)
        changes = totals["added"] + totals["updated"] + totals["deleted"]
        changing += 1 if changes else 0
        rows.append("| %s | %d | %d | %d | %d | [%s](%s) |" % (
            table_cell(host), totals["added"], totals["updated"], totals["deleted"], totals["renamed"],
            "changes" if changes else "no changes", quote(summary_name)))
    lines = ["### Fleet plan", "", "%d PBX(es), %d with changes." % (len(rows), changing), "",
             "| PBX | add | update | delete | rename | summary |", "|---|---|---|---|---|---|"] + rows
    return "\n".join(lines) + "\n"
