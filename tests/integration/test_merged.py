# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""state=merged: creating extensions, idempotent reruns, check mode.

Each scenario runs its playbooks once in a module-scoped fixture; each test checks one behaviour.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from resources_helpers import MASK, Steps, by, summary, writes_of

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


def endpoints(step):
    return [entry["endpoint"] for entry in step.log]


def extensions_of(step):
    """The PBX's extension records by number after the step (add/update key names)."""
    return by(step.state["extensions"], "number")


@pytest.fixture(scope="module")
def created(emulator_process, ansible_env_base, tmp_path_factory):
    """From an empty PBX: the list merged, merged again, then replaced with the same list."""
    steps = Steps(emulator_process, ansible_env_base, tmp_path_factory, "merged")
    first = steps.converge(EXTENSIONS)
    return {"first": first, "rerun": steps.converge(EXTENSIONS),
            "replaced": steps.converge(EXTENSIONS, ext_state="replaced")}


def test_merged_runs_pass(created):
    for step in created.values():
        assert step.returncode == 0, step.output


def test_merged_result_lists_one_add_per_extension_with_secrets_masked(created):
    result = created["first"].outcome
    assert result["changed"] is True
    assert [c["endpoint"] for c in result["commands"]] == ["extension/add"] * 3
    assert [c["body"]["number"] for c in result["commands"]] == ["2001", "2002", "2003"]
    alice_command = result["commands"][0]["body"]
    for api_name in ("registerpassword", "loginpassword", "vmsecret"):
        assert alice_command[api_name] == MASK
    assert result["before"] == []
    assert [r["number"] for r in result["after"]] == ["2001", "2002", "2003"]
    assert result["after"][0]["register_password"] == MASK


def test_merged_sends_one_add_per_extension_with_exactly_the_given_options(created):
    writes = writes_of(created["first"].log)
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


def test_merged_logs_in_once_and_reads_extensions_and_capacity(created):
    log = created["first"].log
    assert endpoints(created["first"]).count("login") == 1, summary(log)
    # One read of the extensions, and one of the device's capacity since there are adds.
    assert [e for e in endpoints(created["first"]) if e.endswith("/query")] == ["extension/query", "deviceinfo/query"]


def test_pbx_holds_exactly_the_merged_extensions(created):
    pbx = extensions_of(created["first"])
    assert sorted(pbx) == ["2001", "2002", "2003"]


def test_pbx_holds_alice_with_her_secrets_and_the_default_caller_id(created):
    alice = extensions_of(created["first"])["2001"]
    expected = {
        "username": "Alice Martin",
        "hasvoicemail": "on",
        "vmsecret": "2580",
        "registerpassword": "Alice-Sip-2001",
        "loginpassword": "portal-alice-01",
        "mobile": "13800138000",
        "email": "alice@example.com",
        "callerid": "2001",  # the PBX default: the number
    }
    assert dict((name, alice.get(name)) for name in expected) == expected


def test_pbx_holds_bob_under_the_api_words(created):
    bob = extensions_of(created["first"])["2002"]
    expected = {
        "hasvoicemail": "off",
        "dnd": "on",
        "busyforward": "on",
        "btransferto": "Custom Number",
        "btransfernum": "0755123456",
        "monitormode": "Barge-in",
        "maxduration": "600",
        "ringtimeout": "30",
        "maxregistrations": "3",
    }
    assert dict((name, bob.get(name)) for name in expected) == expected


def test_pbx_holds_the_front_desk_forwarding_and_keeps_defaults_not_given(created):
    desk = extensions_of(created["first"])["2003"]
    expected = {
        "noanswerforward": "on",
        "ntransferto": "Extension",
        "ntransferext": "2001",
        "enablemobile": "on",
        "mobileprefix": "9",
        "callerid": "5550100",
        "hasvoicemail": "on",  # not given: the PBX default stays
    }
    assert dict((name, desk.get(name)) for name in expected) == expected


def test_rerun_reports_no_change(created):
    assert created["first"].outcome["changed"] is True
    second = created["rerun"].outcome
    assert second["changed"] is False
    assert second["commands"] == []
    assert second["before"] == second["after"]


def test_rerun_reuses_the_token_and_reads_once(created):
    log = created["rerun"].log
    # The token cached by the first run is reused: no login, one read, nothing else.
    assert endpoints(created["rerun"]) == ["extension/query"], summary(log)
    assert log[0]["status"] == "Success"
    assert writes_of(log) == []
    assert created["rerun"].state == created["first"].state


def test_replaced_with_the_same_list_is_idempotent(created):
    # Idempotence also holds for replaced with the same list (its defaults are already there
    # except for options the list leaves out, which replaced resets: none differ here).
    third = created["replaced"]
    assert third.outcome["changed"] is False, third.outcome["commands"]
    assert writes_of(third.log) == []
    assert len([e for e in endpoints(third) if e.endswith("/query")]) == 1
    assert "login" not in endpoints(third)


@pytest.fixture(scope="module")
def checked(emulator_process, ansible_env_base, tmp_path_factory):
    """overridden under --check, then playbooks/check_mode.yml: task-level check mode and the real run."""
    steps = Steps(emulator_process, ansible_env_base, tmp_path_factory, "merged-check", seed={"extensions": [
        {"number": "2001", "username": "Alice", "dnd": "on", "registerpassword": "OldSecret1"},
        {"number": "2099", "username": "Leaving"},
    ]})
    state_before = steps.emulator.state()
    predicted = steps.converge(EXTENSIONS, check=True, ext_state="overridden")
    real = steps.play("check_mode", {"extensions": EXTENSIONS, "expected_commands": 4})
    return state_before, predicted, real


def test_check_run_predicts_a_change_and_writes_nothing(checked):
    state_before, predicted, _real = checked
    assert predicted.returncode == 0, predicted.output
    assert predicted.outcome["changed"] is True
    assert writes_of(predicted.log) == [], summary(writes_of(predicted.log))
    assert predicted.state == state_before
    assert [c["endpoint"] for c in predicted.outcome["commands"]] == [
        "extension/update", "extension/add", "extension/add", "extension/delete"]
    assert predicted.outcome["commands"][-1]["body"] == {"number": "2099"}


def test_task_level_check_mode_matches_the_real_run(checked):
    # The playbook compares the check task's result with the real task's.
    _state_before, _predicted, real = checked
    assert real.returncode == 0, real.output
    writes = writes_of(real.log)
    assert [(w["endpoint"], w["status"]) for w in writes] == [
        ("extension/update", "Success"), ("extension/add", "Success"), ("extension/add", "Success"),
        ("extension/delete", "Success")], summary(writes)


def test_real_run_sends_what_the_check_run_predicted(checked):
    _state_before, predicted, real = checked
    writes = writes_of(real.log)
    assert [dict(endpoint=w["endpoint"], body=w["body"]) for w in writes] == predicted.outcome["commands"]
    assert sorted(extensions_of(real)) == ["2001", "2002", "2003"]
    assert extensions_of(real)["2001"]["registerpassword"] == "Alice-Sip-2001"


BLANKS = [{"number": "2101", "name": "Trailing blank "}, {"number": "2102", "email": " lead@example.com"}]


@pytest.fixture(scope="module")
def blanks(emulator_process, ansible_env_base, tmp_path_factory):
    """Values with surrounding blanks merged twice (the emulated PBX stores and reports them as sent)."""
    steps = Steps(emulator_process, ansible_env_base, tmp_path_factory, "merged-blanks")
    first = steps.converge(BLANKS)
    return first, steps.converge(BLANKS)


def test_values_with_surrounding_blanks_are_stored(blanks):
    first, _second = blanks
    assert first.returncode == 0, first.output
    assert first.outcome["changed"] is True
    # Whether the blanks are kept or trimmed, a second run must find nothing to do.
    assert extensions_of(first)["2101"]["username"].strip() == "Trailing blank"
    assert extensions_of(first)["2102"]["email"].strip() == "lead@example.com"


def test_rerun_is_idempotent_for_values_with_surrounding_blanks(blanks):
    _first, second = blanks
    assert second.returncode == 0, second.output
    assert second.outcome["commands"] == []
    assert second.outcome["changed"] is False
    assert writes_of(second.log) == [], summary(writes_of(second.log))
