# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Event reports normalised, without a network: spellings, statuses, roles, legacy bodies."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.openvox.ucpbx.plugins.module_utils import event_reports


DID = "88880000"
EXTERNAL = "0755123456"
TRUNK = "sip-trunk-1"


def roles(event):
    return [(party["role"], party["kind"], party["number"]) for party in event["parties"]]


def normalised(report, memory=None):
    return event_reports.normalise(report, memory)["pbx_event"]


@pytest.mark.parametrize("action, kind", [
    ("ANSWER", "answer"), ("ANSWERED", "answer"), ("Tranfer", "transfer"), ("Transfer", "transfer"),
    ("RING", "ring"), ("ALERT", "alert"), ("BYE", "bye"), ("CallFailed", "call_failed"), ("NewCdr", "new_cdr"),
    ("ExtensionStatus", "extension_status"), ("BootUp", "boot_up"), ("SomethingNew", "something_new"),
])
def test_action_spellings(action, kind):
    assert normalised({"action": action, "sn": "a0980502aaaa"})["type"] == kind


@pytest.mark.parametrize("status, expected", [
    ("InUse", "busy"), ("Busy", "busy"), ("Ringing", "ringing"), ("Idle", "idle"), ("Registered", "registered"),
    ("Unregistered", "unregistered"), ("Hold", "busy"), ("Malfunction", "malfunction"),
])
def test_extension_status_values(status, expected):
    event = normalised({"action": "ExtensionStatus", "extension": "201", "status": status, "sn": "x"})
    assert event["extension_status"] == expected and event["extension"] == "201" and event["status"] == status


def test_answered_lists_the_caller_first():
    event = normalised({"action": "ANSWERED", "callid": "1.5", "ext": {"extid": ["201", "202"]}})
    assert roles(event) == [("caller", "extension", "201"), ("callee", "extension", "202")]


def test_transfer_with_an_external_leg_names_the_transferor():
    event = normalised({"action": "Tranfer", "callid": "1.5", "ext": {"extid": "202"},
                        "inbound": {"from": EXTERNAL, "to": DID, "trunk": TRUNK, "inboundid": "1.3"}})
    assert roles(event) == [("transferor", "extension", "202"), ("caller", "inbound", EXTERNAL)]
    assert event["did"] == DID and event["inbound_id"] == "1.3"


def test_internal_bye_roles_come_from_the_ring_of_the_call():
    memory = event_reports.CallMemory()
    normalised({"action": "RING", "callid": "1.10", "ext": {"extid": ["202", "201"]}}, memory)
    first = normalised({"action": "BYE", "callid": "1.10", "ext": {"extid": ["201", "202"]}}, memory)
    second = normalised({"action": "BYE", "callid": "1.12", "ext": {"extid": ["202", "201"]}}, memory)
    assert roles(first) == [("caller", "extension", "201"), ("callee", "extension", "202")]
    assert roles(second) == [("callee", "extension", "202"), ("caller", "extension", "201")]


def test_call_failed_reason_as_string_and_legacy_duplicate_keys():
    event = normalised({"action": "CallFailed", "reason": "486 Busy Here", "callid": "1.7",
                        "ext": {"extid": ["202", "201"]}})
    assert event["reason_code"] == 486 and event["reason"] == "486 Busy Here"
    legacy = event_reports.parse_report(b'{"action":"RING","callid":"1.9","ext":{"extid":"202"},"ext":{"extid":"201"}}')
    assert legacy["ext"] == [{"extid": "202"}, {"extid": "201"}]
    assert roles(normalised(legacy)) == [("callee", "extension", "202"), ("caller", "extension", "201")]
    with pytest.raises(ValueError):
        event_reports.parse_report(b"[1, 2]")
