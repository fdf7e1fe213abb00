# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every resource module, the answer of each of its writes lost after the PBX applied it.

The connection drops after the PBX acted (reset_after) on the first add, update and delete of each
kind: the module reads the object back, does not send an add or a delete twice, and reports success.
Paging groups have a test of their own: their not-found errno (10011) differs from the others'.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import sys

from conftest import COLLECTION_ROOT, summary, write_inventory

sys.path.insert(0, os.path.join(COLLECTION_ROOT, "tests", "integration"))
from every_module import SEED, var_name, write_playbook  # noqa: E402  pylint: disable=wrong-import-position

TRUNK = {"name": "lost-trunk", "trunk_type": "peer", "host": "10.30.0.1", "port": 5060}
CASES = [
    ("trunk add", "uc_trunk", {"config": [TRUNK]}),
    ("trunk update", "uc_trunk", {"config": [dict(TRUNK, port=5062)]}),
    ("extension add", "uc_extension", {"config": [{"number": "3820", "name": "Lost"}]}),
    ("extension update", "uc_extension", {"config": [{"number": "3820", "name": "Found"}]}),
    ("extension delete", "uc_extension", {"state": "deleted", "config": [{"number": "3820"}]}),
    ("queue update", "uc_queue", {"config": [{"number": "6700", "retry": 20}]}),
    ("ivr update", "uc_ivr", {"config": [{"number": "6500", "prompt_repeat": 3}]}),
    ("conference update", "uc_conference", {"config": [{"number": "6400", "wait_for_moderator": True}]}),
    ("inbound add", "uc_inbound_route", {"config": [{"name": "lost-in", "did": "0190000000",
                                                     "destination_type": "hangup"}]}),
    ("inbound update", "uc_inbound_route", {"config": [{"name": "lost-in", "did": "0190000001",
                                                        "destination_type": "hangup"}]}),
    ("inbound delete", "uc_inbound_route", {"state": "deleted", "config": [{"name": "lost-in"}]}),
    ("outbound add", "uc_outbound_route", {"config": [{"name": "lost-out", "match_pattern": "0N.",
                                                       "trunks": ["lost-trunk"]}]}),
    ("outbound update", "uc_outbound_route", {"config": [{"name": "lost-out", "match_pattern": "00.",
                                                          "trunks": ["lost-trunk"]}]}),
    ("outbound delete", "uc_outbound_route", {"state": "deleted", "config": [{"name": "lost-out"}]}),
    ("trunk delete", "uc_trunk", {"state": "deleted", "config": [{"name": "lost-trunk"}]}),
]
PAGING_CASES = [
    ("paging add", "uc_paging_group", {"config": [{"number": "6330", "name": "lost", "type": "paging",
                                                   "members": ["3801"]}]}),
    ("paging update", "uc_paging_group", {"config": [{"number": "6330", "name": "found", "members": ["3801"]}]}),
    ("paging delete", "uc_paging_group", {"state": "deleted", "config": [{"number": "6330"}]}),
]
ENDPOINTS = {"uc_trunk": "siptrunk", "uc_extension": "extension", "uc_queue": "queue", "uc_ivr": "ivr",
             "uc_conference": "conference", "uc_inbound_route": "inroute", "uc_outbound_route": "outroute",
             "uc_paging_group": "paginggroup"}
VERBS = {"add": "add", "update": "update", "delete": "delete"}


def run_lost_answers(start_emulator, ansible, tmp_path, cases):
    emulator = start_emulator()
    emulator.put_state(SEED)
    endpoints = ["%s/%s" % (ENDPOINTS[module], name.rsplit(" ", 1)[1]) for name, module, _args in cases]
    for endpoint in endpoints:
        emulator.faults({"count": 1, "kind": "reset_after", "endpoint": endpoint})
    inventory = write_inventory(tmp_path / "inventory", ["pbx"])
    playbook = write_playbook(tmp_path / "lost-answers.yml", [], cases, check=False)
    with open(playbook) as handle:
        plays = json.load(handle)
    plays[0]["hosts"] = "pbxes"
    with open(playbook, "w") as handle:
        json.dump(plays, handle)
    tree = tmp_path / "tree"
    run = ansible(playbook, inventory, emulator, env={"ANSIBLE_CALLBACKS_ENABLED": "ansible.builtin.tree",
                                                      "ANSIBLE_CALLBACK_TREE_DIR": str(tree)})
    assert run.rc == 0, run.output
    outcome = json.loads((tree / "pbx").read_text())["ansible_facts"]["outcome"]
    log = emulator.requests()
    problems = []
    for (name, module, _args), endpoint in zip(cases, endpoints):
        result = outcome[var_name(name, "real")]
        if result.get("failed") or not result.get("changed"):
            problems.append("%s (%s): failed=%s changed=%s %s" % (
                name, module, result.get("failed"), result.get("changed"), result.get("msg")))
        lost = [entry for entry in log if entry["endpoint"] == endpoint and entry["fault"] == "reset_after"]
        if len(lost) != 1:
            problems.append("%s: %d lost answers" % (endpoint, len(lost)))
        if not endpoint.endswith("/update"):
            # The read-back found the add or delete done: it was not sent again.
            sent = [entry for entry in log if entry["endpoint"] == endpoint]
            if len(sent) != 1:
                problems.append("%s sent %d times" % (endpoint, len(sent)))
    assert problems == [], "\n".join(problems) + "\n" + summary(log)
    # Only the read-backs of deleted objects met an error (not found); no write was refused.
    assert [entry for entry in log if entry["errno"] and not entry["endpoint"].endswith("/query")] == [], summary(log)
    return emulator


def test_lost_write_answers_are_verified_not_repeated(start_emulator, ansible, tmp_path):
    emulator = run_lost_answers(start_emulator, ansible, tmp_path, CASES)
    state = emulator.state()
    assert [t["trunkname"] for t in state["trunks"]] == []
    assert "3820" not in [e["number"] for e in state["extensions"]]
    assert state["inbound_routes"] == [] and state["outbound_routes"] == []
    assert [q["retry"] for q in state["queues"] if q["queuenumber"] == "6700"] == ["20"]


def test_lost_paging_group_answers_are_verified_not_repeated(start_emulator, ansible, tmp_path):
    emulator = run_lost_answers(start_emulator, ansible, tmp_path, PAGING_CASES)
    assert emulator.state()["paging_groups"] == []
