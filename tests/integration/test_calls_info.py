# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_call_info against the emulator's calls, and playbooks/call_control.yml hanging up a caller's calls."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from conftest import COLLECTION_ROOT, summary
from live_helpers import create_call as new_call, live_calls
from resources_helpers import play
from test_calls_control import TRUNK, actions, seed

CALL_CONTROL = os.path.join(COLLECTION_ROOT, "playbooks", "call_control.yml")


def test_call_info_shapes_and_filters(emulator, run_playbook, tmp_path):
    seed(emulator, ["201", "202", "203"])
    call_a = new_call(emulator, direction="inbound", to="88880000", extension="201", trunk=TRUNK,
                      **{"from": "0755123456"})
    call_b = new_call(emulator, direction="inbound", to="88880001", extension="202", trunk="sip-trunk-2",
                      answer=False, **{"from": "0755123456"})
    call_c = new_call(emulator, direction="inbound", to="88880002", queue="6701", trunk=TRUNK,
                      **{"from": "0600000000"})
    call_d = new_call(emulator, direction="outbound", to="013800000000", trunk=TRUNK, **{"from": "203"})
    ids = {"id_a": call_a["inboundid"], "id_b": call_b["inboundid"], "id_c": call_c["inboundid"],
           "id_d": call_d["outboundid"]}

    returncode, output, outcome = play(run_playbook, tmp_path, "calls_info", ids, diff=False, verbosity=0)
    assert returncode == 0, output
    assert outcome is not None, output

    # The emulator answers callee as one object ({"extid": "201"}); the module always gives a list.
    assert outcome["all_calls"] == [
        {"id": ids["id_a"], "direction": "inbound", "from": "0755123456", "to": "88880000", "trunk": TRUNK,
         "status": "Talking", "callee": [{"type": "extension", "id": "201"}], "extensions": ["201"]},
        {"id": ids["id_b"], "direction": "inbound", "from": "0755123456", "to": "88880001", "trunk": "sip-trunk-2",
         "status": "Progress", "callee": [{"type": "extension", "id": "202"}], "extensions": ["202"]},
        {"id": ids["id_c"], "direction": "inbound", "from": "0600000000", "to": "88880002", "trunk": TRUNK,
         "status": "Wait", "callee": [{"type": "queue", "id": "6701"}], "extensions": []},
        {"id": ids["id_d"], "direction": "outbound", "from": "203", "to": "013800000000", "trunk": TRUNK,
         "status": "Talking", "callee": [], "extensions": ["203"]},
    ]
    # Only reads, and nothing changed on the PBX.
    assert actions(emulator.requests()) == [], summary(emulator.requests())
    assert len(live_calls(emulator)) == 4
    # Each filter costs at most one request per direction; an id selects on the PBX side.
    queries = emulator.queries()
    assert {"endpoint": "inbound/query", "body": {"inboundid": ids["id_a"]}} in [
        {"endpoint": entry["endpoint"], "body": entry["body"]} for entry in queries]


def test_call_control_playbook(emulator, run_playbook):
    seed(emulator, ["201", "202", {"number": "203", "allowbeingmonitored": "on"},
                    {"number": "204", "monitormode": "Extensive"}], idle=["204"])
    nuisance = [new_call(emulator, direction="inbound", to="88880000", extension=number, trunk=TRUNK,
                         **{"from": "0755123456"}) for number in ("201", "202")]
    other = new_call(emulator, direction="inbound", to="88880000", extension="203", trunk=TRUNK,
                     **{"from": "0600000000"})
    extra_vars = {"task": "hangup_caller", "caller": "0755123456", "ucpbx_hosts": "pbx"}

    returncode, output = run_playbook(CALL_CONTROL, extra_vars, check=True)
    assert returncode == 0, output
    assert actions(emulator.requests()) == [], summary(emulator.requests())
    assert len(live_calls(emulator)) == 3

    returncode, output = run_playbook(CALL_CONTROL, extra_vars)
    assert returncode == 0, output
    assert "2 call(s) from 0755123456" in output, output
    assert actions(emulator.requests()) == [("inbound/hangup", {"inboundid": call["inboundid"]}, "Success", None)
                                            for call in nuisance], summary(emulator.requests())
    assert [call["callid"] for call in live_calls(emulator)] == [other["callid"]]

    # Without a task, the playbook says what to give and touches nothing.
    returncode, output = run_playbook(CALL_CONTROL, {"ucpbx_hosts": "pbx"})
    assert returncode != 0
    assert "hangup_inbound needs inbound_id" in output, output
    assert len(live_calls(emulator)) == 1

    # The other documented paths: a supervisor barges in, then the call is hung up by its id.
    emulator.clear_log()
    returncode, output = run_playbook(CALL_CONTROL, {"task": "barge", "supervisor": "204", "agent": "203",
                                                     "ucpbx_hosts": "pbx"})
    assert returncode == 0, output
    assert live_calls(emulator)[0]["monitors"] == [{"extension": "204", "mode": "barge"}]
    returncode, output = run_playbook(CALL_CONTROL, {"task": "hangup_inbound", "inbound_id": other["inboundid"],
                                                     "ucpbx_hosts": "pbx"})
    assert returncode == 0, output
    assert actions(emulator.requests()) == [("extension/barge", {"bargein": "204", "bargedext": "203"}, "Success", None),
                                            ("inbound/hangup", {"inboundid": other["inboundid"]}, "Success", None)]
    assert live_calls(emulator) == []
