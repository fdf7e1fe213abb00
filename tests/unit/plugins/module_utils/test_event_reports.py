# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Event reports normalised, without a network: spellings, statuses, roles, legacy bodies."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

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


# ---------------------------------------------------------------------------- who may report

@pytest.mark.parametrize("peer, allowed", [
    ("10.1.0.10", True), ("::ffff:10.1.0.10", True), ("10.1.0.11", False), ("10.2.0.200", True),
    ("::ffff:10.2.0.200", True), ("10.2.1.1", False), ("fd00::5", True), ("fd00::5%eth0", True), ("fd01::5", False),
    ("2001:db8::1", True), ("::ffff:10.3.0.1", True), ("10.3.0.1", True), (None, False), ("", False),
    ("not-an-address", False),
])
def test_senders_are_the_pbx_and_the_allowed_networks(peer, allowed):
    senders = event_reports.Senders(["10.2.0.0/24", "fd00::/64", "::ffff:10.3.0.0/120"])
    senders.set_pbx(["10.1.0.10", "2001:db8::1"])
    assert senders.allows(peer) is allowed


def test_the_pbx_addresses_are_replaced_at_each_resolution():
    senders = event_reports.Senders()
    assert senders.set_pbx(["10.1.0.10"]) is True and senders.set_pbx(["10.1.0.10"]) is False
    assert senders.set_pbx(["10.1.0.12"]) is True
    assert not senders.allows("10.1.0.10") and senders.allows("10.1.0.12")


@pytest.mark.parametrize("text", ["10.0.0.300", "pbx.example", "10.0.0.0/33", ""])
def test_an_allowed_source_must_be_an_address_or_a_network(text):
    with pytest.raises(ValueError):
        event_reports.source_network(text)


# ---------------------------------------------------------------------------- reports sent again

class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def offered(recent, body, report=None):
    """True when the body is taken (and remembered), False when it is a duplicate."""
    digest = recent.digest(body)
    if recent.seen_before(digest):
        return False
    recent.remember(digest, event_reports.report_subject(report))
    return True


def test_a_body_seen_within_the_window_is_a_duplicate_and_not_after():
    clock = Clock()
    recent = event_reports.RecentReports(60, clock=clock)
    assert offered(recent, b'{"action":"BYE","callid":"1.1"}') is True
    clock.now += 59
    assert offered(recent, b'{"action":"BYE","callid":"1.1"}') is False
    assert offered(recent, b'{"action":"BYE","callid":"1.3"}') is True
    clock.now += 2
    assert offered(recent, b'{"action":"BYE","callid":"1.1"}') is True
    assert len(recent.seen) == 2


def test_an_extension_status_is_a_duplicate_only_until_the_extension_changes():
    recent = event_reports.RecentReports(60, clock=Clock())

    def status(extension, value):
        report = {"action": "ExtensionStatus", "extension": extension, "status": value}
        return offered(recent, json.dumps(report).encode(), report)
    assert [status("201", "Ringing"), status("201", "Ringing"), status("202", "Ringing"), status("201", "Idle"),
            status("201", "Ringing"), status("202", "Ringing")] == [True, False, True, True, True, False]
    assert sorted(recent.subjects) == ["extension:201", "extension:202"] and len(recent.seen) == 2


def test_recent_reports_are_bounded():
    recent = event_reports.RecentReports(60, size=10, clock=Clock())
    for index in range(100):
        report = {"action": "ExtensionStatus", "extension": str(index % 20), "status": "Idle"}
        offered(recent, json.dumps(report).encode(), report)
    assert len(recent.seen) == 10 and len(recent.subjects) == 10
    # Extension 0's Idle went out of the memory with the ten newer reports: the same body is taken again.
    report = {"action": "ExtensionStatus", "extension": "0", "status": "Idle"}
    assert offered(recent, json.dumps(report).encode(), report) is True


def test_a_window_of_zero_keeps_every_report():
    recent = event_reports.RecentReports(0, clock=Clock())
    assert [offered(recent, b"{}") for dummy in range(3)] == [True] * 3 and not recent.seen


def test_template_markers_in_reported_text_are_broken_up():
    hostile = "{{ lookup('pipe', 'touch pwned') }}"
    event = normalised({"action": "RING", "callid": "{%raw%}1.5", "ext": {"extid": "202"},
                        "inbound": {"from": hostile, "to": DID, "trunk": "{#x#}", "inboundid": "1.3"},
                        "{{ key }}": "value"})
    text = json.dumps(event)
    assert "{{" not in text and "{%" not in text and "{#" not in text
    assert event["caller"]["number"] == "{ { lookup('pipe', 'touch pwned') }}"
    assert event["call_id"] == "{ %raw%}1.5"
    assert event["raw"]["{ { key }}"] == "value"
    assert event["had_template_markers"] is True


def test_a_report_without_template_markers_is_kept_as_it_came():
    report = {"action": "RING", "callid": "1.5", "ext": {"extid": "202"},
              "inbound": {"from": "{0755} 12#34%", "to": DID, "trunk": TRUNK, "inboundid": "1.3"}}
    event = normalised(report)
    assert "had_template_markers" not in event
    assert event["raw"] == report
