# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_call against the emulator's call simulator: hang up, dial, hold/mute, whisper/barge, and an ad-hoc run.

Each playbook asserts on the module results; the tests assert on the action requests the emulator saw (check
mode and failed preconditions send none) and on the simulated calls afterwards (GET /_emulator/calls).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess

from conftest import API_PASSWORD, API_USERNAME, _executable, summary
from resources_helpers import check_secrets_absent, play

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
        presence(emulator, number, "Idle")


def presence(emulator, number, status):
    return emulator._control("PUT", "extensions/%s/status" % number, {"status": status})


def new_call(emulator, **body):
    """POST /_emulator/calls: the call object (answered unless answer=False)."""
    return emulator._control("POST", "calls", body)


def live_calls(emulator):
    return emulator._control("GET", "calls")["calls"]


def actions(emulator):
    """(endpoint, body, status, errno) of every request that is not a read."""
    return [(entry["endpoint"], entry["body"], entry["status"], entry["errno"]) for entry in emulator.requests()
            if entry["endpoint"] not in READS]


def test_hangup_inbound_outbound_and_extension_calls(emulator, run_playbook, tmp_path):
    seed(emulator, ["201", "202", "203", "204", "205"], idle=["205"])
    inbound = new_call(emulator, direction="inbound", to="88880000", extension="201", trunk=TRUNK,
                       **{"from": "0755123456"})
    outbound = new_call(emulator, direction="outbound", to="013800000000", trunk=TRUNK, **{"from": "202"})
    internal = new_call(emulator, direction="internal", to="204", **{"from": "203"})

    returncode, output, outcome = play(run_playbook, tmp_path, "calls_hangup",
                                       {"inbound_id": inbound["inboundid"], "outbound_id": outbound["outboundid"]},
                                       diff=False, verbosity=0)
    assert returncode == 0, output
    assert outcome is not None, output

    # Exactly one action per call that existed: the check-mode runs, the repeats and the failed
    # preconditions sent none.
    assert actions(emulator) == [
        ("inbound/hangup", {"inboundid": inbound["inboundid"]}, "Success", None),
        ("outbound/hangup", {"outboundid": outbound["outboundid"]}, "Success", None),
        ("extension/hangup", {"extid": "203"}, "Success", None),
    ], summary(emulator.requests())
    assert live_calls(emulator) == []
    # The module's command is the request the PBX saw.
    assert outcome["inbound"]["command"] == {"endpoint": "inbound/hangup", "body": {"inboundid": inbound["inboundid"]}}
    assert outcome["inbound_check"]["command"] == outcome["inbound"]["command"]
    assert outcome["inbound"]["call"] == {
        "id": inbound["inboundid"], "direction": "inbound", "from": "0755123456", "to": "88880000", "trunk": TRUNK,
        "status": "Talking", "callee": [{"type": "extension", "id": "201"}], "extensions": ["201"]}
    assert outcome["outbound"]["call"]["id"] == outbound["outboundid"]
    assert internal["direction"] == "internal"
    check_secrets_absent(output, {"api_password": API_PASSWORD})


def test_dial_extension_and_external_number(emulator, run_playbook, tmp_path):
    seed(emulator, ["201", "202", "203", "204", "205", "206", "207"], idle=["201", "202", "204", "205", "206", "207"])
    new_call(emulator, direction="internal", to="205", **{"from": "204"})

    returncode, output, outcome = play(run_playbook, tmp_path, "calls_dial", diff=False, verbosity=0)
    assert returncode == 0, output
    assert outcome is not None, output

    # One request per successful dial, plus the one the PBX refused (no route); nothing from check
    # mode nor from the preconditions the module checked itself.
    assert actions(emulator) == [
        ("extension/dial_extension", {"caller": "201", "callee": "202", "autoanswer": "yes"}, "Success", None),
        ("extension/dial_outbound", {"extid": "206", "outto": "013800000000", "autoanswer": "no"}, "Success", None),
        ("extension/dial_outbound", {"extid": "207", "outto": "9123", "autoanswer": "no"}, "Failed", "10024"),
    ], summary(emulator.requests())
    calls = dict((call["from"], call) for call in live_calls(emulator))
    assert sorted(calls) == ["201", "204", "206"]
    # 201 answered by itself (auto_answer), so 202 rings; 206's phone rings first.
    assert (calls["201"]["direction"], calls["201"]["to"], calls["201"]["state"]) == ("internal", "202", "ringing")
    assert calls["201"]["ringing_party"] == "callee"
    assert (calls["206"]["direction"], calls["206"]["to"], calls["206"]["trunk"]) == ("outbound", "013800000000", TRUNK)
    assert calls["206"]["ringing_party"] == "caller"
    assert outcome["internal"]["command"]["endpoint"] == "extension/dial_extension"


def test_hold_unhold_mute_unmute(emulator, run_playbook, tmp_path):
    seed(emulator, ["201", "202", "203", "204", "205"], idle=["204"])
    inbound = new_call(emulator, direction="inbound", to="88880000", extension="201", trunk=TRUNK,
                       **{"from": "0755123456"})
    new_call(emulator, direction="internal", to="203", **{"from": "202"})
    new_call(emulator, direction="inbound", to="88880001", extension="205", trunk=TRUNK, answer=False,
             **{"from": "0755000000"})

    returncode, output, outcome = play(run_playbook, tmp_path, "calls_hold", {"inbound_id": inbound["inboundid"]},
                                       diff=False, verbosity=0)
    assert returncode == 0, output
    assert outcome is not None, output

    # Holding a held call and retrieving a call that is not held send nothing; mute cannot be read,
    # so it is always sent (the PBX treats a repeat as a no-op).
    assert actions(emulator) == [
        ("extension/hold", {"extid": "201"}, "Success", None),
        ("extension/unhold", {"extid": "201"}, "Success", None),
        ("extension/mute", {"extid": "202"}, "Success", None),
        ("extension/unmute", {"extid": "202"}, "Success", None),
    ], summary(emulator.requests())
    calls = dict((call["direction"] + call["from"], call) for call in live_calls(emulator))
    assert sorted(calls) == ["inbound0755000000", "inbound0755123456", "internal202"]
    assert (calls["inbound0755123456"]["state"], calls["inbound0755123456"]["held_by"]) == ("answered", [])
    assert (calls["internal202"]["state"], calls["internal202"]["muted"]) == ("answered", [])
    assert calls["inbound0755000000"]["state"] == "ringing"
    assert outcome["hold"]["call"]["extensions"] == ["201"]


def test_whisper_and_barge(emulator, run_playbook, tmp_path):
    allowed = {"allowbeingmonitored": "on"}
    seed(emulator, [
        "201", dict(allowed, number="202"), "203", "204", dict(allowed, number="205"), dict(allowed, number="206"),
        dict(allowed, number="207"),
        {"number": "211", "monitormode": "Whisper"}, {"number": "212", "monitormode": "Barge-in"},
        {"number": "213", "monitormode": "Listen"}, {"number": "214", "monitormode": "Extensive"},
        {"number": "215", "monitormode": "Extensive"},
    ], idle=["205", "211", "212", "213", "214"])
    internal = new_call(emulator, direction="internal", to="202", **{"from": "201"})
    inbound = new_call(emulator, direction="inbound", to="88880000", extension="207", trunk=TRUNK,
                       **{"from": "0755123456"})
    new_call(emulator, direction="internal", to="204", **{"from": "203"})
    new_call(emulator, direction="inbound", to="88880000", extension="206", trunk=TRUNK, answer=False,
             **{"from": "0755000000"})

    returncode, output, outcome = play(run_playbook, tmp_path, "calls_monitor", diff=False, verbosity=0)
    assert returncode == 0, output
    assert outcome is not None, output

    assert actions(emulator) == [
        ("extension/whisper", {"whisperer": "211", "whisperedext": "202"}, "Success", None),
        ("extension/barge", {"bargein": "212", "bargedext": "207"}, "Success", None),
    ], summary(emulator.requests())
    monitors = dict((call["callid"], call["monitors"]) for call in live_calls(emulator))
    assert monitors[internal["callid"]] == [{"extension": "211", "mode": "whisper"}]
    assert monitors[inbound["callid"]] == [{"extension": "212", "mode": "barge"}]
    assert sum(len(value) for value in monitors.values()) == 2
    assert outcome["barge"]["call"]["id"] == inbound["inboundid"]


def test_transfer_listen_callback_and_queue_dial(emulator, run_playbook, tmp_path):
    seed(emulator, ["201", "202", "203", "204", "205", "206", "207", "208", "209",
                    {"number": "210", "allowbeingmonitored": "on"},
                    {"number": "211", "monitormode": "Listen"}, {"number": "212", "monitormode": "Whisper"}],
         idle=["205", "208", "211", "212"])
    emulator.put_state({"ring_groups": [{"number": "6200", "name": "reception", "members": "205,208"}]})
    inbound = new_call(emulator, direction="inbound", to="88880000", extension="201", trunk=TRUNK,
                       **{"from": "0755123456"})
    internal = new_call(emulator, direction="internal", to="204", **{"from": "203"})
    new_call(emulator, direction="internal", to="207", **{"from": "206"})
    monitored = new_call(emulator, direction="internal", to="210", **{"from": "209"})

    returncode, output, outcome = play(run_playbook, tmp_path, "calls_transfer",
                                       {"inbound_id": inbound["inboundid"], "internal_id": internal["callid"]},
                                       diff=False, verbosity=0)
    assert returncode == 0, output
    assert outcome is not None, output

    # One request per action that was not refused by the module's own checks; check mode sent none.
    assert actions(emulator) == [
        ("calltransfer", {"callid": inbound["inboundid"], "transferor": "201", "transferto": "205"}, "Success", None),
        ("calltransfer", {"callid": internal["callid"], "transferor": "203", "transferto": "208"}, "Success", None),
        ("extension/listen", {"listener": "211", "listenedext": "210"}, "Success", None),
        ("outbound/dial_outbound", {"caller": "0612345678", "outto": "0755123456"}, "Success", None),
        ("outbound/dial_outbound", {"caller": "9123", "outto": "0755123456"}, "Failed", "10024"),
        ("queue/dial_outbound", {"queueid": "6701", "outto": "013800000000"}, "Success", None),
        ("ringgroup/dial_outbound", {"ringgroupid": "6200", "outto": "013800000001"}, "Success", None),
        ("ringgroup/dial_outbound", {"ringgroupid": "6299", "outto": "013800000001"}, "Failed", "10011"),
    ], summary(emulator.requests())
    # extension/query names the call each extension is in, so the module never lists every call: it asks for
    # the inbound call by id (check mode, then the transfer), and the internal calls need no call list at all.
    call_reads = [(entry["endpoint"], entry["body"]) for entry in emulator.requests()
                  if entry["endpoint"] in ("inbound/query", "outbound/query")]
    assert call_reads == [("inbound/query", {"inboundid": inbound["inboundid"]})] * 2, call_reads
    live = dict((call["callid"], call) for call in live_calls(emulator))
    # The inbound call rings 205 now; 203 left its call, which rings 208.
    assert (live[inbound["callid"]]["to"], live[inbound["callid"]]["state"]) == ("205", "ringing")
    assert (live[internal["callid"]]["from"], live[internal["callid"]]["to"],
            live[internal["callid"]]["state"]) == ("204", "208", "ringing")
    assert live[monitored["callid"]]["monitors"] == [{"extension": "211", "mode": "listen"}]
    dialouts = sorted((call["from"], call["to"], call["ringing_party"]) for call in live.values()
                      if call["direction"] == "dialout")
    assert dialouts == [("0612345678", "0755123456", "caller"), ("6200", "013800000001", "caller"),
                        ("6701", "013800000000", "caller")]
    assert outcome["transfer"]["call"]["id"] == inbound["inboundid"]
    check_secrets_absent(output, {"api_password": API_PASSWORD})


def test_ad_hoc_hangup_as_operators_run_it(emulator, ansible_env_base, token_cache_dir, tmp_path):
    seed(emulator, ["201", "202"])
    call = new_call(emulator, direction="inbound", to="88880000", extension="201", trunk=TRUNK,
                    **{"from": "0755123456"})
    other = new_call(emulator, direction="inbound", to="88880000", extension="202", trunk=TRUNK,
                     **{"from": "0755123456"})
    env = dict(ansible_env_base, UCPBX_HOST=emulator.host, UCPBX_PORT=str(emulator.port), UCPBX_USERNAME=API_USERNAME,
               UCPBX_PASSWORD=API_PASSWORD, UCPBX_TOKEN_CACHE_DIR=token_cache_dir)
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
    assert actions(emulator) == [("inbound/hangup", {"inboundid": call["inboundid"]}, "Success", None)]
    assert [live["callid"] for live in live_calls(emulator)] == [other["callid"]]
    check_secrets_absent(completed.stdout, {"api_password": API_PASSWORD})
