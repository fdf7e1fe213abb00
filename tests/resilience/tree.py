# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A realistic ucpbx_config tree and checks of a PBX's state against it."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import os
import sys

# The collection as installed (.build/collections/ansible_collections/openvox/ucpbx/tests/resilience/tree.py).
_COLLECTIONS_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), *([os.pardir] * 5)))
if _COLLECTIONS_ROOT not in sys.path:
    sys.path.insert(0, _COLLECTIONS_ROOT)

from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.catalog import RESOURCES  # noqa: E402

# The kinds the API creates: the key their records carry in the emulator's state document (the name
# the add request gives it), the key option in the tree, and their add endpoints.
CREATED = [(kind, resource) for kind, resource in RESOURCES.items() if resource.creatable]
STATE_KEYS = dict((kind, resource.add.key) for kind, resource in CREATED)
CONFIG_KEYS = dict((kind, resource.key) for kind, resource in CREATED)
ADD_ENDPOINTS = dict((resource.add.path, kind) for kind, resource in CREATED)
ADD_KEYS = dict((resource.add.path, resource.add.key) for kind, resource in CREATED)


def office_tree(extensions=32):
    """A branch office: two trunks, `extensions` extensions, the sales queue, a paging group, routes."""
    numbers = [str(2100 + n) for n in range(extensions)]
    exts = []
    for n, number in enumerate(numbers):
        ext = {"number": number, "name": "Staff %s" % number, "register_password": "Sip-%s-Res" % number}
        if n % 3 == 0:
            ext.update(voicemail=True, voicemail_pin=str(7000 + n))
        if n % 5 == 1:
            ext.update(busy_forward=True, busy_forward_to="voicemail", voicemail=True)
        if n % 7 == 2:
            ext.update(ring_timeout=30, email="staff%s@example.com" % number)
        exts.append(ext)
    return {
        "trunks": [
            {"name": "provider", "trunk_type": "register", "host": "sip.provider.example", "port": 5060,
             "username": "0150000000", "auth_name": "0150000000", "password": "Trunk-Res-Secret"},
            {"name": "branch", "trunk_type": "peer", "host": "10.9.0.10", "port": 5060},
        ],
        "extensions": exts,
        "queues": [
            {"number": "6700", "name": "sales", "ring_strategy": "ring_all", "agent_timeout": 20,
             "static_agents": numbers[:4]},
        ],
        "paging_groups": [
            {"number": "6300", "name": "everyone", "type": "paging", "members": numbers[:8]},
        ],
        "inbound_routes": [
            {"name": "main", "did": "0150000000", "destination_type": "queue", "destination": "6700"},
            {"name": "direct", "did": "0150000001", "destination_type": "extension", "destination": numbers[0]},
            {"name": "night", "did": "0150000002", "destination_type": "ivr", "destination": "6501"},
        ],
        "outbound_routes": [
            {"name": "national", "match_pattern": "0N.", "trunks": ["provider", "branch"]},
            {"name": "to-branch", "prefix": "8", "match_pattern": "3[0-9][0-9][0-9]", "trunks": ["branch"]},
        ],
    }


def state_problems(state, tree):
    """What differs between the emulator's state document and the tree (empty when they agree)."""
    problems = []
    for kind, state_key in STATE_KEYS.items():
        keys = [record[state_key] for record in state[kind]]
        duplicated = [key for key, count in collections.Counter(keys).items() if count > 1]
        if duplicated:
            problems.append("%s duplicated: %s" % (kind, duplicated))
        wanted = sorted(str(item[CONFIG_KEYS[kind]]) for item in tree.get(kind, []))
        if sorted(set(keys)) != wanted:
            problems.append("%s: PBX has %s, tree has %s" % (kind, sorted(set(keys)), wanted))
    extensions = dict((record["number"], record) for record in state["extensions"])
    for ext in tree["extensions"]:
        record = extensions.get(ext["number"])
        if record is None:
            continue
        if record["username"] != ext["name"] or record["registerpassword"] != ext["register_password"]:
            problems.append("extension %s holds %s/%s" % (ext["number"], record["username"],
                                                          record["registerpassword"]))
    queue = [q for q in state["queues"] if q["queuenumber"] == "6700"][0]
    if sorted(queue["agents"].split(",")) != sorted(tree["queues"][0]["static_agents"]):
        problems.append("queue 6700 agents are %r" % queue["agents"])
    return problems


def applied_adds(log):
    """Counter of (kind, key) for every add the PBX applied according to its request log."""
    return collections.Counter((ADD_ENDPOINTS[e["endpoint"]], e["body"][ADD_KEYS[e["endpoint"]]])
                               for e in log if e["endpoint"] in ADD_ENDPOINTS and e["status"] == "Success")
