# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Configuration in layers, and the part of a PBX a run owns.

A fleet keeps one baseline (group_vars) and the differences of each site (host_vars): each is a
layer, a tree of the `config` format. Layers are merged in order: kinds are merged, objects are
matched by their key, and an option a later layer sets replaces the earlier value. An object
that holds `state: absent` (and its key, nothing else) takes an object an earlier layer brought
out of the tree.

`owned` limits a run to the objects of a kind whose key matches a pattern: the others are
neither reset nor deleted, and a tree that names one of them is refused.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.openvox.ucpbx.plugins.module_utils.engine import RENAME_FROM
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.catalog import RESOURCES

# The marker that takes an object out of the merged tree; only `absent` is accepted.
MARKER = "state"
ABSENT = "absent"


def marker_problem(resource, item):
    """Why an object's marker is wrong, or None (also None for an object without one)."""
    if MARKER not in item:
        return None
    if item[MARKER] != ABSENT:
        return "%s must be %s (the only value, which takes the object out of the tree), not %r" % (
            MARKER, ABSENT, item[MARKER])
    extra = sorted(str(name) for name in item if name not in (MARKER, resource.key))
    if extra:
        return "%s=%s takes the object out of the tree, so it cannot set %s too" % (MARKER, ABSENT, ", ".join(extra))
    return None


def merged(layers):
    """One tree from [(layer name, {kind: [checked records]})], in order; later layers win.

    Every record has been type-checked and keyed (its key a string); a record holding the
    marker takes its object out. Objects keep the position where they first appeared.
    """
    tree = {}
    for _name, config in layers:
        for kind, records in config.items():
            key = RESOURCES[kind].key
            objects = tree.setdefault(kind, {})
            for record in records:
                if record.get(MARKER) == ABSENT:
                    objects.pop(record[key], None)
                elif record[key] in objects:
                    objects[record[key]].update(record)
                else:
                    objects[record[key]] = dict(record)
    return dict((kind, list(objects.values())) for kind, objects in tree.items())


def without_absent(resource, records, problems):
    """The records of a tree that is not layered: a marked object has nothing to take out but itself."""
    absent = set(record.get(resource.key) for record in records if record.get(MARKER) == ABSENT)
    kept = [record for record in records if record.get(MARKER) != ABSENT]
    problems.extend("%s is both listed and marked %s=%s" % (resource.label(record[resource.key]), MARKER, ABSENT)
                    for record in kept if record.get(resource.key) in absent)
    return kept


def duplicates(resource, records, where):
    """Keys that one layer lists twice: merging would silently keep only the last."""
    seen = set()
    problems = []
    for record in records:
        key = record.get(resource.key)
        if key in seen:
            problems.append("%s: %s %s appears more than once" % (where, resource.key, key))
        seen.add(key)
    return problems


def compiled_owned(owned):
    """{kind: compiled pattern}; raises ValueError naming the kind and what is wrong."""
    patterns = {}
    problems = []
    for kind, pattern in (owned or {}).items():
        if kind not in RESOURCES:
            problems.append("owned: unknown kind %r (known: %s)" % (kind, ", ".join(RESOURCES)))
            continue
        if not isinstance(pattern, str) or not pattern:
            problems.append("owned: %s must be a regular expression, not %r" % (kind, pattern))
            continue
        try:
            patterns[kind] = re.compile(pattern)
        except re.error as exc:
            problems.append("owned: %s: %r is not a valid regular expression (%s)" % (kind, pattern, exc))
    if problems:
        raise ValueError("; ".join(problems))
    return patterns


def outside_scope(desired, patterns):
    """Objects (or the objects they rename) the tree names that its owned scope leaves out."""
    problems = []
    for kind, pattern in patterns.items():
        resource = RESOURCES[kind]
        for record in desired.get(kind, ()):
            for key in (record[resource.key], record.get(RENAME_FROM)):
                if key is not None and not pattern.search(key):
                    problems.append("%s is outside the owned scope of %s (%s); this run may not touch it"
                                    % (resource.label(key), kind, pattern.pattern))
    return problems
