# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""replaced, overridden, deleted and the gathered -> overridden round trip.

Each scenario (a run and its rerun) plays once in a module-scoped fixture; each test checks one behaviour.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from conftest import summary
from live_helpers import extensions_of, runs_fixture
from resources_helpers import writes_of

SEEDED = [
    {"number": "3001", "username": "Old Name", "dnd": "on", "email": "old@example.com", "mobile": "13900000001",
     "callerid": "5559999", "ringtimeout": "60", "registerpassword": "KeepSip3001", "loginpassword": "KeepPortal3001",
     "vmsecret": "3001", "hasvoicemail": "off", "busyforward": "on", "btransferto": "Voicemail",
     "monitormode": "Listen", "maxregistrations": "4", "maxduration": "900"},
    {"number": "3002", "username": "Two"},
    {"number": "3003", "username": "Three"},
    {"number": "3004", "username": "Four"},
]


# replaced, then the same again ------------------------------------------------------------------------

@runs_fixture(seed={"extensions": SEEDED})
def replaced(runs):
    before = runs.emulator.extensions()
    first = runs.converge([{"number": "3001", "name": "New Name"}], ext_state="replaced")
    return before, first, runs.converge([{"number": "3001", "name": "New Name"}], ext_state="replaced")


def test_replaced_sends_one_update_resetting_defaults(replaced):
    first = replaced[1]
    assert first.returncode == 0, first.output
    assert first.outcome["changed"] is True
    writes = writes_of(first.log)
    assert len(writes) == 1, summary(writes)
    assert writes[0]["endpoint"] == "extension/update"
    assert writes[0]["body"] == {
        "extid": "3001", "username": "New Name", "email": "", "mobile": "", "busyforward": "off",
        "monitormode": "Disabled", "maxregistrations": "1", "maxduration": "Follow System"}
    assert first.outcome["commands"] == [{"endpoint": w["endpoint"], "body": w["body"]} for w in writes]


def test_replaced_resets_options_with_a_default(replaced):
    ext = extensions_of(replaced[1])["3001"]
    assert (ext["username"], ext["email"], ext["mobile"]) == ("New Name", "", "")
    assert (ext["busyforward"], ext["monitormode"], ext["maxregistrations"]) == ("off", "Disabled", "1")
    assert ext["maxduration"] == "Follow System"


def test_replaced_keeps_options_without_default(replaced):
    # Secrets included; do-not-disturb is switched from phones too: replaced leaves it alone.
    before, first = replaced[0], replaced[1]
    ext = extensions_of(first)["3001"]
    for untouched in ("callerid", "ringtimeout", "registerpassword", "loginpassword", "vmsecret", "hasvoicemail",
                      "btransferto", "dnd"):
        assert ext[untouched] == before["3001"][untouched], untouched


def test_replaced_leaves_other_extensions(replaced):
    before, after = replaced[0], extensions_of(replaced[1])
    assert dict((n, r) for n, r in after.items() if n != "3001") == dict(
        (n, r) for n, r in before.items() if n != "3001")


def test_replaced_is_idempotent(replaced):
    again = replaced[2]
    assert again.returncode == 0, again.output
    assert again.outcome["changed"] is False
    assert writes_of(again.log) == []


# overridden ----------------------------------------------------------------------------------------------

@runs_fixture(seed={"extensions": SEEDED})
def overridden(runs):
    return runs.converge([
        {"number": "3001", "name": "Old Name", "dnd": True, "email": "old@example.com", "mobile": "13900000001",
         "busy_forward": True, "monitor_mode": "listen", "max_registrations": 4, "max_call_duration": "900"},
        {"number": "3005", "name": "Five"},
    ], ext_state="overridden")


def test_overridden_deletes_extras_in_one_request(overridden):
    assert overridden.returncode == 0, overridden.output
    assert overridden.outcome["changed"] is True
    writes = writes_of(overridden.log)
    # 3001 already matches: only the add of 3005 and a single delete of every extra.
    assert [(w["endpoint"], w["body"].get("number"), w["status"]) for w in writes] == [
        ("extension/add", "3005", "Success"),
        ("extension/delete", "3002,3003,3004", "Success"),
    ], summary(writes)
    assert [c["endpoint"] for c in overridden.outcome["commands"]] == ["extension/add", "extension/delete"]


def test_overridden_keeps_the_matching_extension_and_its_secrets(overridden):
    assert sorted(extensions_of(overridden)) == ["3001", "3005"]
    assert extensions_of(overridden)["3001"]["registerpassword"] == "KeepSip3001"


# overridden with an empty config, refused then allowed ----------------------------------------------------

@runs_fixture(seed={"extensions": SEEDED})
def empty_overridden(runs):
    state = runs.emulator.state()
    refused = runs.converge([], ext_state="overridden", expect_failed=True)
    return state, refused, runs.converge([], ext_state="overridden", allow_delete_all=True)


def test_overridden_with_empty_config_is_refused(empty_overridden):
    state, refused = empty_overridden[0], empty_overridden[1]
    assert refused.returncode == 0, refused.output
    assert refused.outcome["failed"] is True
    assert "allow_delete_all" in refused.outcome["msg"], refused.outcome["msg"]
    assert writes_of(refused.log) == []
    assert refused.state == state


def test_overridden_with_empty_config_and_allow_delete_all_deletes_in_one_request(empty_overridden):
    allowed = empty_overridden[2]
    assert allowed.returncode == 0, allowed.output
    assert allowed.outcome["changed"] is True
    writes = writes_of(allowed.log)
    assert [(w["endpoint"], w["body"]) for w in writes] == [
        ("extension/delete", {"number": "3001,3002,3003,3004"})], summary(writes)
    assert extensions_of(allowed) == {}


# deleted, then the same again ------------------------------------------------------------------------------

@runs_fixture(seed={"extensions": SEEDED})
def deleted(runs):
    first = runs.converge([{"number": "3002"}, {"number": "3004"}, {"number": "9999"}], ext_state="deleted")
    return first, runs.converge([{"number": "3002"}, {"number": "9999"}], ext_state="deleted")


def test_deleted_removes_only_listed_and_ignores_missing(deleted):
    first = deleted[0]
    assert first.returncode == 0, first.output
    assert first.outcome["changed"] is True
    writes = writes_of(first.log)
    assert [(w["endpoint"], w["body"], w["status"]) for w in writes] == [
        ("extension/delete", {"number": "3002,3004"}, "Success")], summary(writes)
    assert sorted(extensions_of(first)) == ["3001", "3003"]


def test_deleting_what_is_not_there_is_a_no_op(deleted):
    again = deleted[1]
    assert again.returncode == 0, again.output
    assert again.outcome["changed"] is False
    assert again.outcome["commands"] == []
    assert writes_of(again.log) == []


def test_gathered_fed_back_to_overridden_changes_nothing(emulator, run_playbook):
    emulator.put_extensions(SEEDED + [
        {"number": "3010", "username": "Quirky", "monitormode": "Disable", "ntransferto": "Voicemail",
         "noanswerforward": "on", "ntransferprefix": "0", "btransferto": "Custom Number", "btransfernum": "123456",
         "btransferprefix": "9", "maxduration": "Unlimited", "ringtimeout": "15", "enablemobile": "on",
         "ringsimultaneous": "on", "mobileprefix": "00", "allowbeingmonitored": "on", "enablevmtoemail": "on",
         "email": "q@example.com", "hasvoicemail": "off", "status": "Registered"},
    ])
    state = emulator.state()
    returncode, output = run_playbook("roundtrip", {"expected_count": len(SEEDED) + 1})
    assert returncode == 0, output
    assert emulator.writes() == [], summary(emulator.writes())
    assert [e["endpoint"] for e in emulator.requests()] == ["login", "extension/query", "extension/query"]
    # Secrets (left out of gathered) and everything else are exactly as they were.
    assert emulator.state() == state
