# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_call against the emulator's call simulator: hang up, dial, hold/mute, whisper/barge, and an ad-hoc run.

Each playbook asserts on the module results and runs once per scenario (a module-scoped fixture); the
tests assert on the action requests the emulator saw (check mode and failed preconditions send none)
and on the simulated calls right after the play (GET /_emulator/calls).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess

import pytest

from conftest import API_PASSWORD, _executable, summary, ucpbx_env
from live_helpers import create_call, live_calls, set_presence
from resources_helpers import check_secrets_absent

TRUNK = "sip-trunk-1"
# Read requests of the call modules; everything else they send is an action.
READS = ("login", "extension/query", "extensionlist/query", "inbound/query", "outbound/query", "queue/query")


def seed(emulator, extensions, idle=()):
    """Extensions (number or record), a SIP trunk and an outbound route for 0 + anything; `idle` registered."""
    records = [dict(number=item) if isinstance(item, str) else item for item in extensions]
    emulator.put_state({
        "extensions": records,
        "trunks": [{"trunkname": TRUNK, "trunktype": "peer", "host": "10.0.0.1"},
                   {"trunkname": "sip-trunk-2", "trunktype": "peer", "host": "10.0.0.2"}],
        "outbound_routes": [{"name": "national", "matchpattern": "0.", "trunks": TRUNK}],
    })
    for number in idle:
        set_presence(emulator, number, "Idle")


def inbound_call(emulator, extension, **more):
    """An inbound call through TRUNK to `extension` (answered unless answer=False)."""
    body = {"direction": "inbound", "from": "0755123456", "to": "88880000", "extension": extension, "trunk": TRUNK}
    body.update(more)
    return create_call(emulator, **body)


def internal_call(emulator, caller, callee):
    return create_call(emulator, direction="internal", to=callee, **{"from": caller})


def actions(log):
    """(endpoint, body, status, errno) of every request that is not a read."""
    return [(entry["endpoint"], entry["body"], entry["status"], entry["errno"]) for entry in log
            if entry["endpoint"] not in READS]


def check_actions(scenario, expected):
    assert actions(scenario.log) == expected, summary(scenario.log)


def call_scenario(playbook, before, extra_vars=None):
    """A module-scoped fixture: playbooks/<playbook>.yml run once after `before(emulator)` set the PBX up
    (extra_vars: a function of what it returned); `extra` holds the simulated calls right after. pytest
    names the fixture after the module attribute it is assigned to."""

    @pytest.fixture(scope="module")
    def scenario(play_scenario):
        return play_scenario(playbook, extra_vars, before=before, after=live_calls, diff=False, verbosity=0)

    return scenario


@pytest.mark.parametrize("name", ["hangup", "dial", "hold", "monitor", "transfer"])
def test_playbook_passes(request, name):
    request.getfixturevalue(name).check_passed()


# Hang up -------------------------------------------------------------------------------------------

def _hangup_calls(emulator):
    seed(emulator, ["201", "202", "203", "204", "205"], idle=["205"])
    return {"inbound": inbound_call(emulator, "201"),
            "outbound": create_call(emulator, direction="outbound", to="013800000000", trunk=TRUNK,
                                    **{"from": "202"}),
            "internal": internal_call(emulator, "203", "204")}


hangup = call_scenario("calls_hangup", _hangup_calls, lambda calls: {
    "inbound_id": calls["inbound"]["inboundid"], "outbound_id": calls["outbound"]["outboundid"]})


def test_hangup_one_action_per_existing_call(hangup):
    # The check-mode runs, the repeats and the failed preconditions sent none.
    calls = hangup.before
    check_actions(hangup, [
        ("inbound/hangup", {"inboundid": calls["inbound"]["inboundid"]}, "Success", None),
        ("outbound/hangup", {"outboundid": calls["outbound"]["outboundid"]}, "Success", None),
        ("extension/hangup", {"extid": "203"}, "Success", None),
    ])


def test_hangup_leaves_no_call(hangup):
    assert hangup.extra == []


def test_hangup_command_and_call_are_what_the_pbx_saw(hangup):
    calls, outcome = hangup.before, hangup.outcome
    inbound_id = calls["inbound"]["inboundid"]
    assert outcome["inbound"]["command"] == {"endpoint": "inbound/hangup", "body": {"inboundid": inbound_id}}
    assert outcome["inbound_check"]["command"] == outcome["inbound"]["command"]
    assert outcome["inbound"]["call"] == {
        "id": inbound_id, "direction": "inbound", "from": "0755123456", "to": "88880000", "trunk": TRUNK,
        "status": "Talking", "callee": [{"type": "extension", "id": "201"}], "extensions": ["201"]}
    assert outcome["outbound"]["call"]["id"] == calls["outbound"]["outboundid"]
    assert calls["internal"]["direction"] == "internal"


def test_hangup_api_password_is_never_printed(hangup):
    check_secrets_absent(hangup.output, {"api_password": API_PASSWORD})


# Dial ----------------------------------------------------------------------------------------------

def _dial_pbx(emulator):
    seed(emulator, ["201", "202", "203", "204", "205", "206", "207"], idle=["201", "202", "204", "205", "206", "207"])
    internal_call(emulator, "204", "205")


dial = call_scenario("calls_dial", _dial_pbx)


def test_dial_one_request_per_dial(dial):
    # One request per successful dial, plus the one the PBX refused (no route); nothing from check
    # mode nor from the preconditions the module checked itself.
    check_actions(dial, [
        ("extension/dial_extension", {"caller": "201", "callee": "202", "autoanswer": "yes"}, "Success", None),
        ("extension/dial_outbound", {"extid": "206", "outto": "013800000000", "autoanswer": "no"}, "Success", None),
        ("extension/dial_outbound", {"extid": "207", "outto": "9123", "autoanswer": "no"}, "Failed", "10024"),
    ])
    assert dial.outcome["internal"]["command"]["endpoint"] == "extension/dial_extension"


def test_dial_calls_ring_the_right_party(dial):
    calls = dict((call["from"], call) for call in dial.extra)
    assert sorted(calls) == ["201", "204", "206"]
    # 201 answered by itself (auto_answer), so 202 rings; 206's phone rings first.
    assert (calls["201"]["direction"], calls["201"]["to"], calls["201"]["state"]) == ("internal", "202", "ringing")
    assert calls["201"]["ringing_party"] == "callee"
    assert (calls["206"]["direction"], calls["206"]["to"], calls["206"]["trunk"]) == ("outbound", "013800000000", TRUNK)
    assert calls["206"]["ringing_party"] == "caller"


# Hold and mute -------------------------------------------------------------------------------------

def _hold_calls(emulator):
    seed(emulator, ["201", "202", "203", "204", "205"], idle=["204"])
    inbound = inbound_call(emulator, "201")
    internal_call(emulator, "202", "203")
    inbound_call(emulator, "205", to="88880001", answer=False, **{"from": "0755000000"})
    return inbound


hold = call_scenario("calls_hold", _hold_calls, lambda inbound: {"inbound_id": inbound["inboundid"]})


def test_hold_sends_only_changes_and_mute_always(hold):
    # Holding a held call and retrieving a call that is not held send nothing; mute cannot be read,
    # so it is always sent (the PBX treats a repeat as a no-op).
    check_actions(hold, [
        ("extension/hold", {"extid": "201"}, "Success", None),
        ("extension/unhold", {"extid": "201"}, "Success", None),
        ("extension/mute", {"extid": "202"}, "Success", None),
        ("extension/unmute", {"extid": "202"}, "Success", None),
    ])
    assert hold.outcome["hold"]["call"]["extensions"] == ["201"]


def test_hold_calls_after_the_play(hold):
    calls = dict((call["direction"] + call["from"], call) for call in hold.extra)
    assert sorted(calls) == ["inbound0755000000", "inbound0755123456", "internal202"]
    assert (calls["inbound0755123456"]["state"], calls["inbound0755123456"]["held_by"]) == ("answered", [])
    assert (calls["internal202"]["state"], calls["internal202"]["muted"]) == ("answered", [])
    assert calls["inbound0755000000"]["state"] == "ringing"


# Whisper and barge ---------------------------------------------------------------------------------

def _monitor_calls(emulator):
    allowed = {"allowbeingmonitored": "on"}
    seed(emulator, [
        "201", dict(allowed, number="202"), "203", "204", dict(allowed, number="205"), dict(allowed, number="206"),
        dict(allowed, number="207"),
        {"number": "211", "monitormode": "Whisper"}, {"number": "212", "monitormode": "Barge-in"},
        {"number": "213", "monitormode": "Listen"}, {"number": "214", "monitormode": "Extensive"},
        {"number": "215", "monitormode": "Extensive"},
    ], idle=["205", "211", "212", "213", "214"])
    internal = internal_call(emulator, "201", "202")
    inbound = inbound_call(emulator, "207")
    internal_call(emulator, "203", "204")
    inbound_call(emulator, "206", answer=False, **{"from": "0755000000"})
    return {"internal": internal, "inbound": inbound}


monitor = call_scenario("calls_monitor", _monitor_calls)


def test_monitor_one_request_each(monitor):
    check_actions(monitor, [
        ("extension/whisper", {"whisperer": "211", "whisperedext": "202"}, "Success", None),
        ("extension/barge", {"bargein": "212", "bargedext": "207"}, "Success", None),
    ])
    assert monitor.outcome["barge"]["call"]["id"] == monitor.before["inbound"]["inboundid"]


def test_monitor_calls_hold_their_monitors(monitor):
    monitors = dict((call["callid"], call["monitors"]) for call in monitor.extra)
    assert monitors[monitor.before["internal"]["callid"]] == [{"extension": "211", "mode": "whisper"}]
    assert monitors[monitor.before["inbound"]["callid"]] == [{"extension": "212", "mode": "barge"}]
    assert sum(len(value) for value in monitors.values()) == 2


# Transfer, listen, callback and queue dial ---------------------------------------------------------

def _transfer_calls(emulator):
    seed(emulator, ["201", "202", "203", "204", "205", "206", "207", "208", "209",
                    {"number": "210", "allowbeingmonitored": "on"},
                    {"number": "211", "monitormode": "Listen"}, {"number": "212", "monitormode": "Whisper"}],
         idle=["205", "208", "211", "212"])
    emulator.put_state({"ring_groups": [{"number": "6200", "name": "reception", "members": "205,208"}]})
    calls = {"inbound": inbound_call(emulator, "201"), "internal": internal_call(emulator, "203", "204")}
    internal_call(emulator, "206", "207")
    calls["monitored"] = internal_call(emulator, "209", "210")
    return calls


transfer = call_scenario("calls_transfer", _transfer_calls, lambda calls: {
    "inbound_id": calls["inbound"]["inboundid"], "internal_id": calls["internal"]["callid"]})


def test_transfer_one_request_per_action_not_refused(transfer):
    # Check mode sent none; nor did the actions the module's own checks refused.
    inbound, internal = transfer.before["inbound"], transfer.before["internal"]
    check_actions(transfer, [
        ("calltransfer", {"callid": inbound["inboundid"], "transferor": "201", "transferto": "205"}, "Success", None),
        ("calltransfer", {"callid": internal["callid"], "transferor": "203", "transferto": "208"}, "Success", None),
        ("extension/listen", {"listener": "211", "listenedext": "210"}, "Success", None),
        ("outbound/dial_outbound", {"caller": "0612345678", "outto": "0755123456"}, "Success", None),
        ("outbound/dial_outbound", {"caller": "9123", "outto": "0755123456"}, "Failed", "10024"),
        ("queue/dial_outbound", {"queueid": "6701", "outto": "013800000000"}, "Success", None),
        ("ringgroup/dial_outbound", {"ringgroupid": "6200", "outto": "013800000001"}, "Success", None),
        ("ringgroup/dial_outbound", {"ringgroupid": "6299", "outto": "013800000001"}, "Failed", "10014"),
    ])
    assert transfer.outcome["transfer"]["call"]["id"] == inbound["inboundid"]


def test_transfer_never_lists_every_call(transfer):
    # extension/query names the call each extension is in, so the module never lists every call: it asks for
    # the inbound call by id (check mode, then the transfer), and the internal calls need no call list at all.
    call_reads = [(entry["endpoint"], entry["body"]) for entry in transfer.log
                  if entry["endpoint"] in ("inbound/query", "outbound/query")]
    assert call_reads == [("inbound/query", {"inboundid": transfer.before["inbound"]["inboundid"]})] * 2, call_reads


def test_transfer_calls_after_the_play(transfer):
    live = dict((call["callid"], call) for call in transfer.extra)
    inbound, internal = transfer.before["inbound"], transfer.before["internal"]
    # The inbound call rings 205 now; 203 left its call, which rings 208.
    assert (live[inbound["callid"]]["to"], live[inbound["callid"]]["state"]) == ("205", "ringing")
    assert (live[internal["callid"]]["from"], live[internal["callid"]]["to"],
            live[internal["callid"]]["state"]) == ("204", "208", "ringing")
    assert live[transfer.before["monitored"]["callid"]]["monitors"] == [{"extension": "211", "mode": "listen"}]
    dialouts = sorted((call["from"], call["to"], call["ringing_party"]) for call in live.values()
                      if call["direction"] == "dialout")
    assert dialouts == [("0612345678", "0755123456", "caller"), ("6200", "013800000001", "caller"),
                        ("6701", "013800000000", "caller")]


def test_transfer_api_password_is_never_printed(transfer):
    check_secrets_absent(transfer.output, {"api_password": API_PASSWORD})


# Ad hoc --------------------------------------------------------------------------------------------

def test_ad_hoc_hangup_as_operators_run_it(emulator, ansible_env_base, token_cache_dir, tmp_path):
    seed(emulator, ["201", "202"])
    call = inbound_call(emulator, "201")
    other = inbound_call(emulator, "202")
    env = ucpbx_env(ansible_env_base, emulator, token_cache_dir)
    tree = tmp_path / "adhoc-tree"
    command = [_executable("ansible"), "localhost", "-m", "openvox.ucpbx.uc_call",
               "-a", "action=hangup inbound_id=%s" % call["inboundid"],
               "-e", "ansible_python_interpreter=%s" % _executable("python"), "--tree", str(tree)]
    completed = subprocess.run(command, env=env, cwd=str(tmp_path), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               universal_newlines=True, timeout=120, check=False)
    assert completed.returncode == 0, completed.stdout
    assert "CHANGED" in completed.stdout, completed.stdout

    with open(os.path.join(str(tree), "localhost")) as handle:
        result = json.load(handle)
    assert result["changed"] is True
    assert result["msg"] == "inbound call %s hung up" % call["inboundid"]
    assert result["command"] == {"endpoint": "inbound/hangup", "body": {"inboundid": call["inboundid"]}}
    assert actions(emulator.requests()) == [("inbound/hangup", {"inboundid": call["inboundid"]}, "Success", None)]
    assert [live["callid"] for live in live_calls(emulator)] == [other["callid"]]
    check_secrets_absent(completed.stdout, {"api_password": API_PASSWORD})
