# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_call_info against the emulator's calls, and playbooks/call_control.yml hanging up a caller's calls.

Each scenario plays once in a module-scoped fixture, with the simulated calls read right after each run;
each test checks one behaviour.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import pytest

from conftest import COLLECTION_ROOT, summary
from live_helpers import create_call as new_call, live_calls, runs_fixture
from test_calls_control import TRUNK, actions, seed

CALL_CONTROL = os.path.join(COLLECTION_ROOT, "playbooks", "call_control.yml")


# uc_call_info -------------------------------------------------------------------------------------------

def _info_calls(emulator):
    seed(emulator, ["201", "202", "203"])
    call_a = new_call(emulator, direction="inbound", to="88880000", extension="201", trunk=TRUNK,
                      **{"from": "0755123456"})
    call_b = new_call(emulator, direction="inbound", to="88880001", extension="202", trunk="sip-trunk-2",
                      answer=False, **{"from": "0755123456"})
    call_c = new_call(emulator, direction="inbound", to="88880002", queue="6701", trunk=TRUNK,
                      **{"from": "0600000000"})
    call_d = new_call(emulator, direction="outbound", to="013800000000", trunk=TRUNK, **{"from": "203"})
    return {"id_a": call_a["inboundid"], "id_b": call_b["inboundid"], "id_c": call_c["inboundid"],
            "id_d": call_d["outboundid"]}


@pytest.fixture(scope="module")
def info(play_scenario):
    return play_scenario("calls_info", lambda ids: ids, before=_info_calls, after=live_calls, diff=False,
                         verbosity=0)


def test_call_info_playbook_passes(info):
    info.check_passed()


def test_call_info_shapes_every_call(info):
    # The emulator answers callee as one object ({"extid": "201"}); the module always gives a list.
    ids = info.before
    assert info.outcome["all_calls"] == [
        {"id": ids["id_a"], "direction": "inbound", "from": "0755123456", "to": "88880000", "trunk": TRUNK,
         "status": "Talking", "callee": [{"type": "extension", "id": "201"}], "extensions": ["201"]},
        {"id": ids["id_b"], "direction": "inbound", "from": "0755123456", "to": "88880001", "trunk": "sip-trunk-2",
         "status": "Progress", "callee": [{"type": "extension", "id": "202"}], "extensions": ["202"]},
        {"id": ids["id_c"], "direction": "inbound", "from": "0600000000", "to": "88880002", "trunk": TRUNK,
         "status": "Wait", "callee": [{"type": "queue", "id": "6701"}], "extensions": []},
        {"id": ids["id_d"], "direction": "outbound", "from": "203", "to": "013800000000", "trunk": TRUNK,
         "status": "Talking", "callee": [], "extensions": ["203"]},
    ]


def test_call_info_only_reads(info):
    # Only reads, and nothing changed on the PBX.
    assert actions(info.log) == [], summary(info.log)
    assert len(info.extra) == 4


def test_call_info_id_filter_selects_on_the_pbx_side(info):
    # Each filter costs at most one request per direction; an id selects on the PBX side.
    queries = [entry for entry in info.log if (entry["endpoint"] or "").endswith("/query")]
    assert {"endpoint": "inbound/query", "body": {"inboundid": info.before["id_a"]}} in [
        {"endpoint": entry["endpoint"], "body": entry["body"]} for entry in queries]


# playbooks/call_control.yml: check mode, hang up a caller, no task, barge, hang up by id ------------------

@runs_fixture()
def control(runs):
    emulator = runs.emulator
    seed(emulator, ["201", "202", {"number": "203", "allowbeingmonitored": "on"},
                    {"number": "204", "monitormode": "Extensive"}], idle=["204"])
    nuisance = [new_call(emulator, direction="inbound", to="88880000", extension=number, trunk=TRUNK,
                         **{"from": "0755123456"}) for number in ("201", "202")]
    other = new_call(emulator, direction="inbound", to="88880000", extension="203", trunk=TRUNK,
                     **{"from": "0600000000"})
    hangup_caller = {"task": "hangup_caller", "caller": "0755123456", "ucpbx_hosts": "pbx"}
    plays = [
        ("check", hangup_caller, True),
        ("hangup_caller", hangup_caller, False),
        ("no_task", {"ucpbx_hosts": "pbx"}, False),
        # The other documented paths: a supervisor barges in, then the call is hung up by its id.
        ("barge", {"task": "barge", "supervisor": "204", "agent": "203", "ucpbx_hosts": "pbx"}, False),
        ("hangup_inbound", {"task": "hangup_inbound", "inbound_id": other["inboundid"], "ucpbx_hosts": "pbx"}, False),
    ]
    played = dict((name, runs.play(CALL_CONTROL, extra_vars, fact=None, check=check, after=live_calls))
                  for name, extra_vars, check in plays)
    return nuisance, other, played


def test_call_control_check_mode_hangs_up_nothing(control):
    check = control[2]["check"]
    assert check.returncode == 0, check.output
    assert actions(check.log) == [], summary(check.log)
    assert len(check.extra) == 3


def test_call_control_hangs_up_every_call_of_the_caller(control):
    nuisance, other, played = control
    run = played["hangup_caller"]
    assert run.returncode == 0, run.output
    assert "2 call(s) from 0755123456" in run.output, run.output
    assert actions(run.log) == [("inbound/hangup", {"inboundid": call["inboundid"]}, "Success", None)
                                for call in nuisance], summary(run.log)
    assert [call["callid"] for call in run.extra] == [other["callid"]]


def test_call_control_without_task_says_what_to_give(control):
    run = control[2]["no_task"]
    assert run.returncode != 0
    assert "hangup_inbound needs inbound_id" in run.output, run.output
    assert len(run.extra) == 1


def test_call_control_supervisor_barges_in(control):
    run = control[2]["barge"]
    assert run.returncode == 0, run.output
    assert run.extra[0]["monitors"] == [{"extension": "204", "mode": "barge"}]
    assert actions(run.log) == [("extension/barge", {"bargein": "204", "bargedext": "203"}, "Success", None)]


def test_call_control_hangs_up_a_call_by_its_id(control):
    other, run = control[1], control[2]["hangup_inbound"]
    assert run.returncode == 0, run.output
    assert actions(run.log) == [("inbound/hangup", {"inboundid": other["inboundid"]}, "Success", None)]
    assert run.extra == []
