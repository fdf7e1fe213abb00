# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""state=merged: creating extensions, idempotent reruns, check mode."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from conftest import summary

MASK = "********"

EXTENSIONS = [
    {
        "number": "2001",
        "name": "Alice Martin",
        "voicemail": True,
        "voicemail_pin": "2580",
        "register_password": "Alice-Sip-2001",
        "login_password": "portal-alice-01",
        "mobile": "13800138000",
        "email": "alice@example.com",
    },
    {
        "number": "2002",
        "name": "Bob Chen",
        "voicemail": False,
        "dnd": True,
        "busy_forward": True,
        "busy_forward_to": "custom_number",
        "busy_forward_number": "0755123456",
        "monitor_mode": "barge_in",
        "max_call_duration": "600",
        "ring_timeout": 30,
        "max_registrations": 3,
    },
    {
        "number": "2003",
        "name": "Front Desk",
        "no_answer_forward": True,
        "no_answer_forward_to": "extension",
        "no_answer_forward_extension": "2001",
        "mobility": True,
        "mobile_prefix": "9",
        "caller_id": "5550100",
    },
]


def test_merged_creates_extensions_with_api_values(emulator, converge):
    returncode, output, result = converge(EXTENSIONS)
    assert returncode == 0, output

    # Module result: a change, one add per extension, secrets masked in what it reports.
    assert result["changed"] is True
    assert [c["endpoint"] for c in result["commands"]] == ["extension/add"] * 3
    assert [c["body"]["number"] for c in result["commands"]] == ["2001", "2002", "2003"]
    alice_command = result["commands"][0]["body"]
    for api_name in ("registerpassword", "loginpassword", "vmsecret"):
        assert alice_command[api_name] == MASK
    assert result["before"] == []
    assert [r["number"] for r in result["after"]] == ["2001", "2002", "2003"]
    assert result["after"][0]["register_password"] == MASK

    # What the PBX saw: exactly three adds, each with exactly the options given (merged).
    writes = emulator.writes()
    assert [(w["endpoint"], w["body"]["number"], w["status"]) for w in writes] == [
        ("extension/add", "2001", "Success"),
        ("extension/add", "2002", "Success"),
        ("extension/add", "2003", "Success"),
    ], summary(writes)
    assert writes[0]["body"] == {
        "number": "2001", "username": "Alice Martin", "hasvoicemail": "on", "vmsecret": MASK,
        "registerpassword": MASK, "loginpassword": MASK, "mobile": "13800138000",
        "email": "alice@example.com",
    }
    assert writes[1]["body"] == {
        "number": "2002", "username": "Bob Chen", "hasvoicemail": "off", "dnd": "on", "busyforward": "on",
        "btransferto": "Custom Number", "btransfernum": "0755123456", "monitormode": "Barge-in",
        "maxduration": "600", "ringtimeout": "30", "maxregistrations": "3",
    }
    assert len(emulator.logins()) == 1
    # One read of the extensions, and one of the device's capacity since there are adds.
    assert [e["endpoint"] for e in emulator.queries()] == ["extension/query", "deviceinfo/query"]

    # What the PBX holds, under the API's names and words.
    pbx = emulator.extensions()
    assert sorted(pbx) == ["2001", "2002", "2003"]
    alice, bob, desk = pbx["2001"], pbx["2002"], pbx["2003"]
    assert alice["username"] == "Alice Martin"
    assert alice["hasvoicemail"] == "on"
    assert alice["vmsecret"] == "2580"
    assert alice["registerpassword"] == "Alice-Sip-2001"
    assert alice["loginpassword"] == "portal-alice-01"
    assert alice["mobile"] == "13800138000"
    assert alice["email"] == "alice@example.com"
    assert alice["callerid"] == "2001"  # the PBX default: the number
    assert bob["hasvoicemail"] == "off"
    assert bob["dnd"] == "on"
    assert bob["busyforward"] == "on"
    assert bob["btransferto"] == "Custom Number"
    assert bob["btransfernum"] == "0755123456"
    assert bob["monitormode"] == "Barge-in"
    assert bob["maxduration"] == "600"
    assert bob["ringtimeout"] == "30"
    assert bob["maxregistrations"] == "3"
    assert desk["noanswerforward"] == "on"
    assert desk["ntransferto"] == "Extension"
    assert desk["ntransferext"] == "2001"
    assert desk["enablemobile"] == "on"
    assert desk["mobileprefix"] == "9"
    assert desk["callerid"] == "5550100"
    assert desk["hasvoicemail"] == "on"  # not given: the PBX default stays


def test_rerun_is_idempotent_with_one_query_and_no_login(emulator, converge):
    returncode, output, first = converge(EXTENSIONS)
    assert returncode == 0, output
    assert first["changed"] is True
    state_after_first = emulator.state()
    emulator.clear_log()

    returncode, output, second = converge(EXTENSIONS)
    assert returncode == 0, output
    assert second["changed"] is False
    assert second["commands"] == []
    assert second["before"] == second["after"]
    log = emulator.requests()
    # The token cached by the first run is reused: no login, one read, nothing else.
    assert [entry["endpoint"] for entry in log] == ["extension/query"], summary(log)
    assert log[0]["status"] == "Success"
    assert emulator.writes() == []
    assert emulator.state() == state_after_first

    # Idempotence also holds for replaced with the same list (its defaults are already there
    # except for options the list leaves out, which replaced resets: none differ here).
    emulator.clear_log()
    returncode, output, third = converge(EXTENSIONS, ext_state="replaced")
    assert returncode == 0, output
    assert third["changed"] is False, third["commands"]
    assert emulator.writes() == []
    assert len(emulator.queries()) == 1
    assert emulator.logins() == []


def test_check_mode_writes_nothing_and_predicts_the_real_run(emulator, converge, run_playbook):
    emulator.put_extensions([
        {"number": "2001", "username": "Alice", "dnd": "on", "registerpassword": "OldSecret1"},
        {"number": "2099", "username": "Leaving"},
    ])
    state_before = emulator.state()

    # --check on the whole playbook: nothing written, change predicted.
    returncode, output, predicted = converge(EXTENSIONS, check=True, ext_state="overridden")
    assert returncode == 0, output
    assert predicted["changed"] is True
    assert emulator.writes() == [], summary(emulator.writes())
    assert emulator.state() == state_before
    assert [c["endpoint"] for c in predicted["commands"]] == [
        "extension/update", "extension/add", "extension/add", "extension/delete"]
    assert predicted["commands"][-1]["body"] == {"number": "2099"}

    # Task-level check mode followed by the real run, compared inside the playbook.
    emulator.clear_log()
    returncode, output = run_playbook("check_mode", {"extensions": EXTENSIONS, "expected_commands": 4})
    assert returncode == 0, output
    writes = emulator.writes()
    assert [(w["endpoint"], w["status"]) for w in writes] == [
        ("extension/update", "Success"), ("extension/add", "Success"), ("extension/add", "Success"),
        ("extension/delete", "Success")], summary(writes)
    # The real run's commands equal what the --check run predicted, too.
    assert [dict(endpoint=w["endpoint"], body=w["body"]) for w in writes] == predicted["commands"]
    assert sorted(emulator.extensions()) == ["2001", "2002", "2003"]
    assert emulator.extensions()["2001"]["registerpassword"] == "Alice-Sip-2001"


def test_rerun_is_idempotent_for_values_with_surrounding_blanks(emulator, converge):
    # The emulated PBX stores and reports text values exactly as sent, blanks included.
    extensions = [{"number": "2101", "name": "Trailing blank "}, {"number": "2102", "email": " lead@example.com"}]
    returncode, output, first = converge(extensions)
    assert returncode == 0, output
    assert first["changed"] is True
    # Whether the blanks are kept or trimmed, a second run must find nothing to do.
    assert emulator.extensions()["2101"]["username"].strip() == "Trailing blank"
    assert emulator.extensions()["2102"]["email"].strip() == "lead@example.com"
    emulator.clear_log()

    returncode, output, second = converge(extensions)
    assert returncode == 0, output
    assert second["commands"] == []
    assert second["changed"] is False
    assert emulator.writes() == [], summary(emulator.writes())
