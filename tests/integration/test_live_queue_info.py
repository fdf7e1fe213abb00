# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_queue_info: queue status in one shape, one request per queue, only reads.

playbooks/live_queue_info.yml runs once; each test checks one behaviour.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from live_helpers import actions, create_call, endpoints, set_presence
from resources_helpers import api_query, summary

QUEUE = {"ringstrategy": "Ring All", "agenttimeout": "30", "wrapuptime": "10", "retry": "10", "maxwaittime": "300",
         "joinempty": "on", "leavewhenempty": "off", "announcepos": "off", "announcefreq": "0",
         "announceholdtime": "off"}
SEEDED = {
    "extensions": [{"number": n} for n in ("4001", "4002", "4003", "4004", "4005")],
    "trunks": [{"trunkname": "t1", "trunktype": "peer", "host": "10.0.0.1"}],
    "queues": [
        dict(QUEUE, queuenumber="6700", queuename="sales", password="", agents="4001,4004", dynamicagents="4002"),
        dict(QUEUE, queuenumber="6701", queuename="support", password="2468", agents="", dynamicagents="4003"),
    ],
}
# Rings unanswered (answer false): a queued call waits, a call to an extension keeps it ringing.
INBOUND = {"direction": "inbound", "from": "0755123456", "to": "88880000", "trunk": "t1", "answer": False}


def _busy_queues(emulator):
    for number in ("4001", "4003", "4004", "4005"):
        set_presence(emulator, number, "Idle")
    api_query(emulator, "queue/pause_agent", {"queueid": "6701", "extid": "4003"})
    for target in ({"queue": "6700"}, {"queue": "6701"}, {"queue": "6701"}, {"extension": "4001"}):
        create_call(emulator, **dict(INBOUND, **target))
    create_call(emulator, direction="internal", **{"from": "4004", "to": "4005"})
    emulator.clear_log()


@pytest.fixture(scope="module")
def scenario(play_scenario):
    # `extra`: queue 6701's status as the PBX reports it right after the play.
    return play_scenario("live_queue_info", seed=SEEDED, before=_busy_queues, verbosity=1, diff=False,
                         after=lambda emulator: api_query(emulator, "queuestatus/query",
                                                          {"queueid": "6701"})["queue"]["queuestatus"])


def test_playbook_passes(scenario):
    scenario.check_passed()


def test_one_status_request_per_queue_and_only_reads(scenario):
    log = scenario.log
    assert actions(log) == [], summary(log)
    # All queues: one queue/query to list them, then one queuestatus/query per queue; the duplicate
    # name costs nothing; the unknown queue fails at its own request.
    assert endpoints(log) == ["queue/query", "queuestatus/query", "queuestatus/query",
                              "queuestatus/query", "queuestatus/query",
                              "queuestatus/query", "queuestatus/query"], summary(log)
    assert [entry["body"] for entry in log if entry["endpoint"] == "queuestatus/query"] == [
        {"queueid": q} for q in ("6700", "6701", "6701", "6700", "6701", "9999")]
    assert log[-1]["errno"] == "10013"
    assert endpoints(log, with_login=True).count("login") == 1


def test_status_agrees_with_the_pbx(scenario):
    raw = scenario.extra
    support = scenario.outcome["all_queues"]["queues"][1]
    assert support["callers_waiting"] == raw["callercount"] == 2
    assert [(a["extension"], str(a["status_code"])) for a in support["agents"]] == [
        (m["agent"], m["agentstatus"]) for m in raw["members"]]
