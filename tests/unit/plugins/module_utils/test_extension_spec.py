# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The extension resource spec: the PBX's quirks, validation, planning, masking, round trip."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from ansible_collections.openvox.ucpbx.plugins.module_utils import engine
from ansible_collections.openvox.ucpbx.plugins.module_utils.engine import MASK, MASK_CHANGED, ConfigError
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.extension import EXTENSION

# extension/query elements as the PBX reports them (the API's "Query extension settings" page,
# https://help.openvox.cn/docs/uc-series-ippbx/api-documentation/, and the emulator's rendering):
# `moblie`, `userpassword`, lowercase `disable`, keys of unset values left out.
ALICE = {
    "extnumber": "101", "username": "alice", "type": "pjsip", "status": "Idle", "callerid": "101",
    "registerpassword": "Xy12abCD34ef", "maxregistrations": "1", "userpassword": "Ab12cd34ef", "email": "",
    "moblie": "", "language": "en", "hasvoicemail": "on", "vmsecret": "1234", "enablevmtoemail": "off",
    "noanswerforward": "off", "busyforward": "off", "enablemobile": "off", "ringsimultaneous": "off",
    "allowbeingmonitored": "off", "monitormode": "disable", "maxduration": "Follow System", "dnd": "off",
}
BOB = {
    "extnumber": "102", "username": "Bob Smith", "type": "pjsip", "status": "Registered", "callerid": "5550102",
    "registerpassword": "S3cretPass77", "maxregistrations": "3", "userpassword": "portal-pass", "email": "bob@example.com",
    "moblie": "5550100", "language": "en", "hasvoicemail": "on", "vmsecret": "2580", "enablevmtoemail": "on",
    "noanswerforward": "on", "ntransferto": "Voicemail", "busyforward": "on", "btransferto": "Custom Number",
    "btransferprefix": "9", "btransfernum": "5550199", "enablemobile": "on", "ringsimultaneous": "on",
    "mobileprefix": "0", "allowbeingmonitored": "on", "monitormode": "Barge-in", "ringtimeout": "30",
    "maxduration": "10800", "dnd": "on",
}
CAROL = {
    "extnumber": "1000", "username": "", "type": "pjsip", "status": "Unavailable", "callerid": "1000",
    "registerpassword": "k9k9k9k9k9k9", "maxregistrations": "1", "userpassword": "", "email": "", "moblie": "",
    "language": "en", "hasvoicemail": "off", "vmsecret": "0000", "enablevmtoemail": "off",
    "noanswerforward": "on", "ntransferto": "Extension", "ntransferext": "101", "busyforward": "off",
    "enablemobile": "off", "ringsimultaneous": "off", "allowbeingmonitored": "off", "monitormode": "Listen",
    "maxduration": "Unlimited", "dnd": "off",
}
SECRETS = ("Xy12abCD34ef", "Ab12cd34ef", "1234", "S3cretPass77", "portal-pass", "2580", "k9k9k9k9k9k9")


def actual_of(*items):
    return dict((record["number"], record) for record in (EXTENSION.from_api(item) for item in items))


def plan(config, actual, state, **options):
    return engine.plan(EXTENSION, EXTENSION.desired(config), actual, state, **options)


def commands(operations):
    return engine.planned_commands(EXTENSION, operations)


# ---------------------------------------------------------------------------- reading
class TestFromApi:
    def test_reference_example_record(self):
        record = EXTENSION.from_api(ALICE)
        assert record == {
            "number": "101", "name": "alice", "caller_id": "101", "register_password": "Xy12abCD34ef",
            "max_registrations": 1, "login_password": "Ab12cd34ef", "email": "", "mobile": "", "voicemail": True,
            "voicemail_pin": "1234", "voicemail_to_email": False,
            "no_answer_forward": False, "no_answer_forward_extension": "", "no_answer_forward_prefix": "",
            "no_answer_forward_number": "",
            "busy_forward": False, "busy_forward_extension": "", "busy_forward_prefix": "", "busy_forward_number": "",
            "mobility": False, "ring_simultaneously": False, "mobile_prefix": "", "allow_monitoring": False,
            "monitor_mode": "disabled", "max_call_duration": "follow_system", "dnd": False,
        }

    def test_moblie_is_read_as_mobile(self):
        assert EXTENSION.from_api({"extnumber": "1", "moblie": "5550100"})["mobile"] == "5550100"
        assert EXTENSION.from_api({"extnumber": "1", "mobile": "5550101"})["mobile"] == "5550101"

    def test_userpassword_is_read_as_login_password(self):
        assert EXTENSION.from_api({"extnumber": "1", "userpassword": "abcdef1"})["login_password"] == "abcdef1"
        assert EXTENSION.from_api({"extnumber": "1", "loginpassword": "abcdef2"})["login_password"] == "abcdef2"

    @pytest.mark.parametrize("pbx_word, option", [
        ("disable", "disabled"), ("Disable", "disabled"), ("Disabled", "disabled"), ("Extensive", "extensive"),
        ("listen", "listen"), ("Whisper", "whisper"), ("Barge-in", "barge_in"),
    ])
    def test_monitor_mode_words(self, pbx_word, option):
        assert EXTENSION.from_api({"extnumber": "1", "monitormode": pbx_word})["monitor_mode"] == option

    def test_on_off_flags_and_missing_flags(self):
        record = EXTENSION.from_api({"extnumber": "1", "dnd": "on", "hasvoicemail": "off"})
        assert record["dnd"] is True
        assert record["voicemail"] is False
        assert record["mobility"] is False  # key left out by the PBX

    def test_missing_strings_read_as_empty(self):
        record = EXTENSION.from_api({"extnumber": "1"})
        assert record["name"] == "" and record["busy_forward_number"] == "" and record["caller_id"] == ""
        assert "ring_timeout" not in record and "busy_forward_to" not in record

    @pytest.mark.parametrize("pbx_word, option", [
        ("Follow System", "follow_system"), ("Unlimited", "unlimited"), ("10800", "10800"), ("60", "60"),
    ])
    def test_max_duration(self, pbx_word, option):
        assert EXTENSION.from_api({"extnumber": "1", "maxduration": pbx_word})["max_call_duration"] == option

    def test_forward_destinations_and_ints(self):
        record = EXTENSION.from_api(BOB)
        assert record["busy_forward_to"] == "custom_number"
        assert record["no_answer_forward_to"] == "voicemail"
        assert record["ring_timeout"] == 30 and record["max_registrations"] == 3


# ---------------------------------------------------------------------------- validation
class TestDesired:
    def test_every_problem_names_the_config_index_the_extension_and_the_field(self):
        config = [
            {"number": "101", "mobile": "555-0100", "monitor_mode": "spy", "max_registrations": 9,
             "busy_forward_number": "1" * 16},
            {"name": "no number"},
            {"number": "12345678"},
            {"number": "101"},
            {"number": "103", "max_call_duration": "forever", "login_password": "short",
             "register_password": "has space"},
        ]
        with pytest.raises(ConfigError) as caught:
            EXTENSION.desired(config)
        message = str(caught.value)
        expected = [
            "config[0] (extension 101): mobile '555-0100' is not valid: digits only",
            "config[0] (extension 101): monitor_mode 'spy' is not one of barge_in, disabled, extensive, listen, whisper",
            "config[0] (extension 101): max_registrations 9 is out of range 1-5",
            "config[0] (extension 101): busy_forward_number",
            "config[1]: number is required",
            "config[2] (extension 12345678): number '12345678' is not valid: 1 to 7 digits",
            "config[3] (extension 101): number 101 appears more than once",
            "config[4] (extension 103): max_call_duration 'forever' is not one of follow_system, unlimited or a "
            "number of seconds",
            "config[4] (extension 103): login_password",
            "config[4] (extension 103): register_password",
        ]
        for part in expected:
            assert part in message
        assert message.count("config[") == len(expected)

    def test_valid_values_are_normalised(self):
        records = EXTENSION.desired([{"number": 101, "name": None, "max_call_duration": "3600", "dnd": True,
                                      "ring_timeout": 30}])
        assert records == [{"number": "101", "max_call_duration": "3600", "dnd": True, "ring_timeout": 30}]

    @pytest.mark.parametrize("field, value", [
        ("number", "101\n"), ("mobile", "5550100\n"), ("busy_forward_number", "5550199\n"),
    ])
    def test_patterns_reject_a_trailing_newline(self, field, value):
        # `$` in re.match also matches before a final newline, so "101\n" passes `^\d{1,7}$`
        # and reaches the PBX, which refuses it (10017) after earlier requests were applied.
        item = {"number": "101", field: value}
        with pytest.raises(ConfigError):
            EXTENSION.desired([item])


# ---------------------------------------------------------------------------- planning
class TestPlan:
    def test_merged_add_sends_only_the_given_fields(self):
        ops = plan([{"number": "201", "name": "carol", "dnd": False, "register_password": "Pw123456"}], {}, "merged")
        assert commands(ops) == [{"endpoint": "extension/add", "body": {
            "number": "201", "username": "carol", "dnd": "off", "registerpassword": MASK}}]
        assert list(engine.requests_for(EXTENSION, ops))[0][1]["registerpassword"] == "Pw123456"

    def test_merged_update_addresses_the_extension_by_extid(self):
        ops = plan([{"number": "101", "mobile": "5550100", "monitor_mode": "barge_in", "max_call_duration": "600"}],
                   actual_of(ALICE), "merged")
        assert commands(ops) == [{"endpoint": "extension/update", "body": {
            "extid": "101", "mobile": "5550100", "monitormode": "Barge-in", "maxduration": "600"}}]

    def test_merged_matching_config_plans_nothing(self):
        config = [{"number": "101", "name": "alice", "monitor_mode": "disabled", "max_call_duration": "follow_system",
                   "voicemail": True, "login_password": "Ab12cd34ef"}]
        assert plan(config, actual_of(ALICE), "merged") == []

    def test_replaced_resets_fields_with_defaults_and_leaves_the_others(self):
        # Bob's phone has do-not-disturb on: users switch it, so replaced leaves it alone.
        ops = plan([{"number": "102", "name": "Bob Smith", "busy_forward": True, "busy_forward_to": "custom_number",
                     "busy_forward_prefix": "9", "busy_forward_number": "5550199"}], actual_of(BOB), "replaced")
        assert commands(ops) == [{"endpoint": "extension/update", "body": {
            "extid": "102", "maxregistrations": "1", "email": "", "mobile": "", "enablevmtoemail": "off",
            "noanswerforward": "off", "enablemobile": "off", "ringsimultaneous": "off", "mobileprefix": "",
            "allowbeingmonitored": "off", "monitormode": "Disabled", "maxduration": "Follow System"}}]

    def test_replaced_keeps_a_busy_forward_the_pbx_accepts(self):
        # BOB busy-forwards to a custom number. `replaced` without busy forwarding options resets
        # busy_forward_number to "" (it has a default) but leaves busy_forward_to alone (it has
        # none), so the update asks for "Custom Number" without a number, which the API refuses
        # (the API's "Add an extension" page: btransfernum is required when btransferto is Custom Number).
        try:
            ops = plan([{"number": "102", "name": "Bob Smith"}], actual_of(BOB), "replaced")
        except ConfigError:
            return  # refusing before anything is sent is acceptable too
        after = ops[0].after
        assert not (after.get("busy_forward_to") == "custom_number" and after.get("busy_forward_number") == ""), \
            "planned update leaves busy_forward_to=custom_number with an empty busy_forward_number: %r" % (
                commands(ops),)

    def test_overridden_deletes_extras_in_one_request(self):
        ops = plan([{"number": "101"}], actual_of(ALICE, BOB, CAROL), "overridden")
        assert [c for c in commands(ops) if c["endpoint"] == "extension/delete"] == [
            {"endpoint": "extension/delete", "body": {"number": "102,1000"}}]

    def test_overridden_refuses_an_empty_config(self):
        with pytest.raises(ConfigError):
            plan([], actual_of(ALICE), "overridden")

    def test_deleted(self):
        ops = plan([{"number": "1000"}, {"number": "999"}], actual_of(ALICE, CAROL), "deleted")
        assert commands(ops) == [{"endpoint": "extension/delete", "body": {"number": "1000"}}]

    def test_update_password_on_create(self):
        actual = actual_of(ALICE)
        config = [{"number": "101", "register_password": "NewSecret1", "login_password": "newportal",
                   "voicemail_pin": "9999"}]
        assert plan(config, actual, "merged", update_password="on_create") == []
        ops = plan(config, actual, "merged", update_password="always")
        assert commands(ops) == [{"endpoint": "extension/update", "body": {
            "extid": "101", "registerpassword": MASK, "loginpassword": MASK, "vmsecret": MASK}}]

    def test_delete_of_250_extensions_is_three_requests(self):
        actual = actual_of(*[dict(ALICE, extnumber=str(n)) for n in range(2000, 2250)])
        ops = plan([], actual, "deleted", allow_delete_all=True)
        sent = commands(ops)
        assert [len(c["body"]["number"].split(",")) for c in sent] == [100, 100, 50]
        assert sent[0]["body"]["number"].startswith("2000,2001,")


# ---------------------------------------------------------------------------- masking and round trip
class TestViews:
    def test_before_after_and_diff_hide_every_secret(self):
        actual = actual_of(ALICE, BOB)
        ops = plan([{"number": "101", "register_password": "Changed99"}, {"number": "300", "voicemail_pin": "1357"}],
                   actual, "merged")
        before, after = engine.changed_objects(EXTENSION, ops)
        diff = engine.diff_of(EXTENSION, ops)

        text = json.dumps([before, after, diff, commands(ops)])
        for secret in SECRETS + ("Changed99", "1357"):
            assert secret not in text
        assert before[0]["register_password"] == MASK
        assert diff[0]["before_header"] == "extension 101 on the PBX"
        assert diff[0]["before"]["register_password"] == MASK
        assert diff[0]["after"]["register_password"] == MASK_CHANGED
        assert diff[0]["after"]["login_password"] == MASK

    def test_rendered_masks_and_applies_defaults(self):
        desired = EXTENSION.desired([{"number": "201", "voicemail_pin": "4321", "name": "d"}])
        assert engine.rendered(EXTENSION, desired, "merged") == [{"number": "201", "vmsecret": MASK, "username": "d"}]
        full = engine.rendered(EXTENSION, desired, "replaced")[0]
        assert full["vmsecret"] == MASK and full["monitormode"] == "Disabled" and full["maxregistrations"] == "1"
        assert "4321" not in json.dumps(full)

    def test_gathered_view_has_no_secrets_and_no_defaults(self):
        view = EXTENSION.gathered_view(EXTENSION.from_api(ALICE))
        assert view == {"number": "101", "name": "alice", "caller_id": "101", "voicemail": True}

    def test_gathered_view_keeps_set_values(self):
        view = EXTENSION.gathered_view(EXTENSION.from_api(BOB))
        assert view["mobile"] == "5550100"
        assert view["busy_forward_to"] == "custom_number" and view["busy_forward_number"] == "5550199"
        assert view["monitor_mode"] == "barge_in" and view["max_call_duration"] == "10800"
        assert view["ring_timeout"] == 30 and view["max_registrations"] == 3
        assert not set(view) & set(EXTENSION.secret_fields)

    @pytest.mark.parametrize("state", ["overridden", "replaced", "merged"])
    def test_gathered_output_fed_back_plans_nothing(self, state):
        actual = actual_of(ALICE, BOB, CAROL)
        gathered = [EXTENSION.gathered_view(record) for record in engine.as_list(EXTENSION, actual)]
        assert [g["number"] for g in gathered] == ["101", "102", "1000"]

        assert plan(gathered, actual, state) == []


def test_digits_of_other_scripts_are_refused():
    # Python's \d matches fullwidth and Arabic-Indic digits; the PBX refuses them (errno 10017).
    with pytest.raises(ConfigError) as caught:
        EXTENSION.desired([{"number": u"\uff13\uff19\uff10\uff11"}, {"number": "3902", "mobile": u"\u0665\u0666\u0667"},
                           {"number": "3903", "voicemail_pin": u"\u0967\u0968\u0969"}])
    message = str(caught.value)
    assert "number '\uff13\uff19\uff10\uff11' is not valid" in message
    assert "(extension 3902): mobile" in message
    assert "(extension 3903): voicemail_pin" in message
