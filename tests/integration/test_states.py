# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""replaced, overridden, deleted and the gathered -> overridden round trip."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from conftest import summary

SEEDED = [
    {"number": "3001", "username": "Old Name", "dnd": "on", "email": "old@example.com", "mobile": "13900000001",
     "callerid": "5559999", "ringtimeout": "60", "registerpassword": "KeepSip3001", "loginpassword": "KeepPortal3001",
     "vmsecret": "3001", "hasvoicemail": "off", "busyforward": "on", "btransferto": "Voicemail",
     "monitormode": "Listen", "maxregistrations": "4", "maxduration": "900"},
    {"number": "3002", "username": "Two"},
    {"number": "3003", "username": "Three"},
    {"number": "3004", "username": "Four"},
]


def test_replaced_resets_defaults_and_keeps_fields_without_default(emulator, converge):
    emulator.put_extensions(SEEDED)
    before = emulator.extensions()

    returncode, output, result = converge([{"number": "3001", "name": "New Name"}], ext_state="replaced")
    assert returncode == 0, output
    assert result["changed"] is True

    writes = emulator.writes()
    assert len(writes) == 1, summary(writes)
    assert writes[0]["endpoint"] == "extension/update"
    assert writes[0]["body"] == {
        "extid": "3001", "username": "New Name", "email": "", "mobile": "", "busyforward": "off",
        "monitormode": "Disabled", "maxregistrations": "1", "maxduration": "Follow System"}
    assert result["commands"] == [{"endpoint": w["endpoint"], "body": w["body"]} for w in writes]

    after = emulator.extensions()
    ext = after["3001"]
    # Options with a documented default are reset ...
    assert (ext["username"], ext["email"], ext["mobile"]) == ("New Name", "", "")
    assert (ext["busyforward"], ext["monitormode"], ext["maxregistrations"]) == ("off", "Disabled", "1")
    assert ext["maxduration"] == "Follow System"
    # ... the others, secrets included, are left as they were.
    # Do-not-disturb is switched from phones too: replaced leaves it alone.
    for untouched in ("callerid", "ringtimeout", "registerpassword", "loginpassword", "vmsecret", "hasvoicemail",
                      "btransferto", "dnd"):
        assert ext[untouched] == before["3001"][untouched], untouched
    # Other extensions are not replaced's business.
    assert dict((n, r) for n, r in after.items() if n != "3001") == dict(
        (n, r) for n, r in before.items() if n != "3001")

    # And replaced is idempotent.
    emulator.clear_log()
    returncode, output, again = converge([{"number": "3001", "name": "New Name"}], ext_state="replaced")
    assert returncode == 0, output
    assert again["changed"] is False
    assert emulator.writes() == []


def test_overridden_deletes_extras_in_one_request(emulator, converge):
    emulator.put_extensions(SEEDED)
    returncode, output, result = converge([
        {"number": "3001", "name": "Old Name", "dnd": True, "email": "old@example.com", "mobile": "13900000001",
         "busy_forward": True, "monitor_mode": "listen", "max_registrations": 4, "max_call_duration": "900"},
        {"number": "3005", "name": "Five"},
    ], ext_state="overridden")
    assert returncode == 0, output
    assert result["changed"] is True
    writes = emulator.writes()
    # 3001 already matches: only the add of 3005 and a single delete of every extra.
    assert [(w["endpoint"], w["body"].get("number"), w["status"]) for w in writes] == [
        ("extension/add", "3005", "Success"),
        ("extension/delete", "3002,3003,3004", "Success"),
    ], summary(writes)
    assert sorted(emulator.extensions()) == ["3001", "3005"]
    assert emulator.extensions()["3001"]["registerpassword"] == "KeepSip3001"
    assert [c["endpoint"] for c in result["commands"]] == ["extension/add", "extension/delete"]


def test_overridden_with_empty_config_is_refused(emulator, converge):
    emulator.put_extensions(SEEDED)
    state = emulator.state()
    returncode, output, result = converge([], ext_state="overridden", expect_failed=True)
    assert returncode == 0, output
    assert result["failed"] is True
    assert "allow_delete_all" in result["msg"], result["msg"]
    assert emulator.writes() == []
    assert emulator.state() == state

    # With allow_delete_all it is allowed, in one request.
    returncode, output, result = converge([], ext_state="overridden", allow_delete_all=True)
    assert returncode == 0, output
    assert result["changed"] is True
    writes = emulator.writes()
    assert [(w["endpoint"], w["body"]) for w in writes] == [
        ("extension/delete", {"number": "3001,3002,3003,3004"})], summary(writes)
    assert emulator.extensions() == {}


def test_deleted_removes_only_listed_and_ignores_missing(emulator, converge):
    emulator.put_extensions(SEEDED)
    returncode, output, result = converge([{"number": "3002"}, {"number": "3004"}, {"number": "9999"}],
                                          ext_state="deleted")
    assert returncode == 0, output
    assert result["changed"] is True
    writes = emulator.writes()
    assert [(w["endpoint"], w["body"], w["status"]) for w in writes] == [
        ("extension/delete", {"number": "3002,3004"}, "Success")], summary(writes)
    assert sorted(emulator.extensions()) == ["3001", "3003"]

    # Deleting what is not there is a no-op.
    emulator.clear_log()
    returncode, output, result = converge([{"number": "3002"}, {"number": "9999"}], ext_state="deleted")
    assert returncode == 0, output
    assert result["changed"] is False
    assert result["commands"] == []
    assert emulator.writes() == []


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
