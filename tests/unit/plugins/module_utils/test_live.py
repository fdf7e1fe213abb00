# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""live.py: the answer shapes the emulator does not produce (Yeastar queue status, the doc table's
conference spelling) and the prompt-name rule."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.openvox.ucpbx.plugins.module_utils.live import (
    agent_status,
    mask_body,
    normalise_queue_status,
    normalise_sessions,
    prompt_problems,
)

OPENVOX = {"status": "Success", "queue": {"queuenumber": "6701", "queuestatus": {"members": [
    {"agent": "201", "agentstatus": "1"}, {"agent": "202", "agentstatus": "9"}, {"agent": "205", "agentstatus": "5"}],
    "callercount": 2}}}
YEASTAR = {"status": "Success", "queues": [{"queuenumber": "6701", "queuestatus": [{"callercount": "2", "members": [
    {"agent": "201", "agentstatus": "1"}, {"agent": "202", "agentstatus": "9"}, {"agent": "205", "agentstatus": "5"}]}]}]}
EXPECTED = {"number": "6701", "callers_waiting": 2, "agents": [
    {"extension": "201", "status_code": 1, "status": "idle"},
    {"extension": "202", "status_code": 9, "status": "paused"},
    {"extension": "205", "status_code": 5, "status": "unavailable"}]}


@pytest.mark.parametrize("answer", [OPENVOX, YEASTAR], ids=["openvox", "yeastar"])
def test_queue_status_shapes(answer):
    assert normalise_queue_status(answer, "6701") == EXPECTED


def test_queue_status_other_queue_ignored_and_empty():
    other = {"queues": [{"queuenumber": "6700", "queuestatus": [{"callercount": "5", "members": []}]}]}
    assert normalise_queue_status(other, "6701") == {"number": "6701", "callers_waiting": 0, "agents": []}
    assert normalise_queue_status({"status": "Success"}, "6701")["agents"] == []
    # One member as an object, no queue number: taken as the queue asked for.
    single = {"queue": {"queuestatus": {"members": {"agent": "201", "agentstatus": "2"}, "callercount": "0"}}}
    expected = [{"extension": "201", "status_code": 2, "status": "in_use"}]
    assert normalise_queue_status(single, "6701")["agents"] == expected


@pytest.mark.parametrize("code, expected", [("0", (0, "unknown")), ("7", (7, "in_use_ringing")),
                                            (10, (10, "wrap_up")), ("11", (11, "unknown")), ("", (None, "unknown")),
                                            (None, (None, "unknown"))])
def test_agent_status(code, expected):
    assert agent_status(code) == expected


def test_sessions_both_spellings():
    example = {"conference": [{"conferencenumber": "6401", "member": [
        {"number": "201", "channelid": "PJSIP/201-0000001a", "memberstatus": "Up"},
        {"number": "202", "channelid": "PJSIP/202-0000001b", "memberstatus": "HOLD"}]}]}
    table = {"conferences": [{"conferencenumber": "6401", "members": [
        {"number": "201", "channelid": "PJSIP/201-0000001a", "memberstatus": "Up"},
        {"number": "202", "channelid": "PJSIP/202-0000001b", "memberstatus": "HOLD"}]},
        {"conferencenumber": "6402", "members": [{"number": "203"}]}]}
    expected = [{"number": "201", "channel_id": "PJSIP/201-0000001a", "status": "Up"},
                {"number": "202", "channel_id": "PJSIP/202-0000001b", "status": "HOLD"}]
    assert normalise_sessions(example, "6401") == expected
    assert normalise_sessions(table, "6401") == expected
    assert normalise_sessions({"status": "Success"}, "6401") == []


@pytest.mark.parametrize("names, problems", [
    (["greet", "menu2"], []),
    (["greet", ""], ["prompt 2 is empty"]),
    (["a+b"], ["prompt 1 ('a+b') contains '+', which joins prompt names"]),
    (["123", "x1"], ["prompt 1 ('123') contains no letter"]),
])
def test_prompt_problems(names, problems):
    assert prompt_problems(names) == problems


def test_mask_body():
    assert mask_body({"queueid": "1", "password": ""}) == {"queueid": "1", "password": "********"}
