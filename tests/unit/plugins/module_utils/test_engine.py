# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The generic engine, on small synthetic resources (nothing here is extension-specific)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
from collections import OrderedDict

import pytest

from ansible_collections.openvox.ucpbx.plugins.module_utils import engine
from ansible_collections.openvox.ucpbx.plugins.module_utils.engine import (
    BOOL,
    CHOICE,
    INT,
    LIST,
    MASK,
    MASK_CHANGED,
    ApplyError,
    ConfigError,
    Endpoint,
    Field,
    Resource,
)
from ansible_collections.openvox.ucpbx.plugins.module_utils.errors import PbxAnswerError, PbxApiError, PbxTransportError


def group_resource(delete_batch=True, full_update=False):
    """A ring-group-like resource: an unordered LIST, an ordered LIST, a secret, defaults."""
    return Resource(
        name="group",
        key="name",
        query=Endpoint("group/query", key="name", list_keys=("groups", "items"), all_value="all",
                       not_found=("10099",)),
        add=Endpoint("group/add", key="name"),
        update=Endpoint("group/update", key="name"),
        delete=Endpoint("group/delete", key="name", batch=delete_batch),
        full_update=full_update,
        fields=OrderedDict([
            ("name", Field("name", "Group name.")),
            ("members", Field("members", "Members, any order.", kind=LIST, default=[])),
            ("failover", Field("failover", "Failover chain, in order.", kind=LIST, ordered=True)),
            ("strategy", Field("strategy", "Ring strategy.", kind=CHOICE,
                               choices=OrderedDict([("ring_all", "ringall"), ("hunt", "hunt")]),
                               default="ring_all")),
            ("timeout", Field("ringtime", "Seconds.", kind=INT, between=(5, 60), default=20)),
            ("enabled", Field("enable", "On/off.", kind=BOOL, default=True)),
            ("note", Field("description", "Free text without default.")),
            ("pin", Field("pin", "Secret PIN.", secret=True, pattern=r"^\d+$", hint="digits")),
        ]),
    )


GROUP = group_resource()

EDIT_ONLY = Resource(
    name="setting",
    key="name",
    query=Endpoint("setting/query", list_keys=("settings",)),
    update=Endpoint("setting/update", key="name"),
    fields=OrderedDict([
        ("name", Field("name", "Setting name.")),
        ("value", Field("value", "Setting value.", default="")),
    ]),
)


def api_group(name, members="", failover="", strategy="ringall", ringtime="20", enable="on", description="",
              pin="1234"):
    return {"name": name, "members": members, "failover": failover, "strategy": strategy, "ringtime": ringtime,
            "enable": enable, "description": description, "pin": pin}


def actual_of(resource, *items):
    return dict((record[resource.key], record) for record in (resource.from_api(item) for item in items))


class FakeClient:
    """Stands in for PbxClient: records calls, answers from a list or with success."""

    def __init__(self, answers=None, fail_on=None, error=None):
        self.calls = []
        self.answers = answers or {}
        self.fail_on = fail_on
        self.error = error or PbxApiError("x/add", "10017", "thing")

    def call(self, path, body=None, subject=None, verify=None):
        self.calls.append((path, body, subject, verify))
        if len(self.calls) == self.fail_on:
            raise self.error
        answer = self.answers.get(path, {"status": "Success"})
        if isinstance(answer, Exception):
            raise answer
        return answer


# ---------------------------------------------------------------------------- fields
class TestFieldWireFormat:
    def test_bool_reads_on_off_and_writes_on_off(self):
        field = GROUP.fields["enabled"]
        assert [field.from_api({"enable": v}) for v in ("on", "off", "ON", " on ")] == [True, False, True, True]
        assert field.from_api({}) is False
        assert (field.to_api(True), field.to_api(False)) == ("on", "off")

    def test_missing_values(self):
        record = GROUP.from_api({"name": "g"})
        assert record == {"name": "g", "members": [], "failover": [], "enabled": False, "note": "", "pin": ""}

    def test_int_and_choice(self):
        record = GROUP.from_api(api_group("g", strategy="HUNT", ringtime="35"))
        assert record["strategy"] == "hunt"
        assert record["timeout"] == 35
        assert GROUP.fields["strategy"].to_api("ring_all") == "ringall"
        assert GROUP.fields["timeout"].to_api(35) == "35"

    def test_unknown_choice_is_kept_as_read(self):
        assert GROUP.from_api(api_group("g", strategy="memory"))["strategy"] == "memory"

    def test_lists_are_split_and_unordered_ones_sorted(self):
        record = GROUP.from_api(api_group("g", members="103, 101,,102,101", failover="9,1"))
        assert record["members"] == ["101", "102", "103"]
        assert record["failover"] == ["9", "1"]
        assert GROUP.fields["failover"].to_api(["9", "1"]) == "9,1"


# ---------------------------------------------------------------------------- desired
class TestDesired:
    def test_every_problem_is_reported_at_once(self):
        config = [
            {"name": "a", "strategy": "random", "timeout": 99, "pin": "12x"},
            {"members": ["101"]},
            {"name": "a"},
        ]
        with pytest.raises(ConfigError) as caught:
            GROUP.desired(config)
        message = str(caught.value)
        assert "nothing was changed" in message
        assert "config[0] (group a): strategy 'random' is not one of hunt, ring_all" in message
        assert "config[0] (group a): timeout 99 is out of range 5-60" in message
        assert "config[0] (group a): pin" in message and "digits" in message
        assert "config[1]: name is required" in message
        assert "config[2] (group a): name a appears more than once" in message

    def test_none_values_are_left_out_and_lists_normalised(self):
        records = GROUP.desired([{"name": "a", "members": ["3", "1", "3"], "failover": ["3", "1"], "note": None}])
        assert records == [{"name": "a", "members": ["1", "3"], "failover": ["3", "1"]}]

    def test_empty_config(self):
        assert GROUP.desired(None) == []
        assert GROUP.desired([]) == []


# ---------------------------------------------------------------------------- plan
def commands(resource, operations):
    return engine.planned_commands(resource, operations)


class TestPlanMerged:
    def test_only_given_fields_are_compared(self):
        actual = actual_of(GROUP, api_group("a", members="101", strategy="hunt", description="x"))
        desired = GROUP.desired([{"name": "a", "members": ["101"]}])
        assert engine.plan(GROUP, desired, actual, "merged") == []

    def test_changed_fields_only_are_sent(self):
        actual = actual_of(GROUP, api_group("a", members="101", strategy="hunt"))
        desired = GROUP.desired([{"name": "a", "members": ["101"], "timeout": 30}])
        ops = engine.plan(GROUP, desired, actual, "merged")
        assert commands(GROUP, ops) == [{"endpoint": "group/update", "body": {"name": "a", "ringtime": "30"}}]
        assert ops[0].after["timeout"] == 30 and ops[0].before["timeout"] == 20

    def test_add_sends_only_given_fields(self):
        desired = GROUP.desired([{"name": "b", "members": ["2", "1"]}])
        ops = engine.plan(GROUP, desired, {}, "merged")
        assert commands(GROUP, ops) == [{"endpoint": "group/add", "body": {"name": "b", "members": "1,2"}}]

    def test_merged_never_deletes(self):
        actual = actual_of(GROUP, api_group("a"), api_group("b"))
        assert engine.plan(GROUP, GROUP.desired([{"name": "a"}]), actual, "merged") == []


class TestPlanReplaced:
    def test_defaults_fill_unspecified_fields_and_fields_without_default_are_untouched(self):
        actual = actual_of(GROUP, api_group("a", members="101", failover="9", strategy="hunt", ringtime="45",
                                            enable="off", description="kept", pin="1"))
        desired = GROUP.desired([{"name": "a"}])

        ops = engine.plan(GROUP, desired, actual, "replaced")

        assert commands(GROUP, ops) == [{"endpoint": "group/update", "body": {
            "name": "a", "members": "", "strategy": "ringall", "ringtime": "20", "enable": "on"}}]

    def test_replaced_add_carries_the_defaults(self):
        ops = engine.plan(GROUP, GROUP.desired([{"name": "n", "note": "x"}]), {}, "replaced")
        assert commands(GROUP, ops) == [{"endpoint": "group/add", "body": {
            "name": "n", "members": "", "strategy": "ringall", "ringtime": "20", "enable": "on", "description": "x"}}]

    def test_full_update_resources_send_the_whole_record(self):
        resource = group_resource(full_update=True)
        actual = actual_of(resource, api_group("a", members="101", description="d", pin="77"))
        ops = engine.plan(resource, resource.desired([{"name": "a", "timeout": 30}]), actual, "merged")
        body = engine.requests_for(resource, ops).__next__()[1]
        assert body == {"name": "a", "members": "101", "failover": "", "strategy": "ringall", "ringtime": "30",
                        "enable": "on", "description": "d", "pin": "77"}


class TestPlanOverriddenAndDeleted:
    def test_overridden_deletes_extras(self):
        actual = actual_of(GROUP, api_group("a"), api_group("b"), api_group("c"))
        ops = engine.plan(GROUP, GROUP.desired([{"name": "b"}]), actual, "overridden")
        assert [(op.verb, op.key) for op in ops] == [("delete", "a"), ("delete", "c")]
        assert commands(GROUP, ops) == [{"endpoint": "group/delete", "body": {"name": "a,c"}}]

    def test_overridden_with_empty_config_is_refused(self):
        actual = actual_of(GROUP, api_group("a"))
        with pytest.raises(ConfigError) as caught:
            engine.plan(GROUP, [], actual, "overridden")
        assert "allow_delete_all" in str(caught.value)

    def test_overridden_with_empty_config_and_allow_delete_all_deletes_everything(self):
        actual = actual_of(GROUP, api_group("a"), api_group("b"))
        ops = engine.plan(GROUP, [], actual, "overridden", allow_delete_all=True)
        assert commands(GROUP, ops) == [{"endpoint": "group/delete", "body": {"name": "a,b"}}]

    def test_overridden_with_empty_config_on_an_empty_pbx_is_a_no_op(self):
        assert engine.plan(GROUP, [], {}, "overridden") == []

    def test_deleted_only_listed_and_existing(self):
        actual = actual_of(GROUP, api_group("a"), api_group("b"), api_group("c"))
        ops = engine.plan(GROUP, GROUP.desired([{"name": "c"}, {"name": "zz"}, {"name": "a"}]), actual, "deleted")
        assert commands(GROUP, ops) == [{"endpoint": "group/delete", "body": {"name": "a,c"}}]

    def test_deleted_ignores_the_other_fields_of_the_config(self):
        actual = actual_of(GROUP, api_group("a", strategy="hunt"))
        ops = engine.plan(GROUP, GROUP.desired([{"name": "a", "strategy": "ring_all"}]), actual, "deleted")
        assert [(op.verb, op.key) for op in ops] == [("delete", "a")]

    def test_deleted_without_config_is_refused(self):
        with pytest.raises(ConfigError):
            engine.plan(GROUP, [], actual_of(GROUP, api_group("a")), "deleted")

    def test_deleted_without_config_and_allow_delete_all_deletes_all_in_natural_order(self):
        actual = actual_of(GROUP, api_group("1000"), api_group("99"), api_group("b"), api_group("101"))
        ops = engine.plan(GROUP, [], actual, "deleted", allow_delete_all=True)
        assert commands(GROUP, ops) == [{"endpoint": "group/delete", "body": {"name": "99,101,1000,b"}}]

    def test_delete_batches_hold_at_most_100_keys(self):
        actual = actual_of(GROUP, *[api_group(str(n)) for n in range(1, 251)])
        ops = engine.plan(GROUP, [], actual, "deleted", allow_delete_all=True)
        bodies = [c["body"]["name"] for c in commands(GROUP, ops)]
        assert [len(b.split(",")) for b in bodies] == [100, 100, 50]
        assert bodies[0] == ",".join(str(n) for n in range(1, 101))
        assert bodies[2].split(",")[-1] == "250"

    def test_exactly_100_keys_is_one_request(self):
        actual = actual_of(GROUP, *[api_group(str(n)) for n in range(1, 101)])
        ops = engine.plan(GROUP, [], actual, "deleted", allow_delete_all=True)
        assert len(commands(GROUP, ops)) == 1

    def test_non_batch_delete_endpoint_sends_one_request_per_key(self):
        resource = group_resource(delete_batch=False)
        actual = actual_of(resource, api_group("a"), api_group("b"))
        ops = engine.plan(resource, [], actual, "deleted", allow_delete_all=True)
        assert commands(resource, ops) == [{"endpoint": "group/delete", "body": {"name": "a"}},
                                           {"endpoint": "group/delete", "body": {"name": "b"}}]

    def test_writes_come_before_deletes(self):
        actual = actual_of(GROUP, api_group("a"), api_group("b", enable="off"))
        ops = engine.plan(GROUP, GROUP.desired([{"name": "b", "enabled": True}, {"name": "c"}]), actual,
                          "overridden")
        assert [c["endpoint"] for c in commands(GROUP, ops)] == ["group/update", "group/add", "group/delete"]


class TestPlanSecretsAndLists:
    def test_update_password_on_create_ignores_secret_differences_on_update(self):
        actual = actual_of(GROUP, api_group("a", pin="1111"))
        desired = GROUP.desired([{"name": "a", "pin": "2222"}])
        assert engine.plan(GROUP, desired, actual, "merged", update_password="on_create") == []

    def test_update_password_always_sends_secret_differences(self):
        actual = actual_of(GROUP, api_group("a", pin="1111"))
        ops = engine.plan(GROUP, GROUP.desired([{"name": "a", "pin": "2222"}]), actual, "merged")
        assert [op.fields for op in ops] == [{"pin": "2222"}]

    def test_update_password_on_create_still_sends_the_secret_on_add(self):
        ops = engine.plan(GROUP, GROUP.desired([{"name": "n", "pin": "2222"}]), {}, "merged",
                          update_password="on_create")
        body = list(engine.requests_for(GROUP, ops))[0][1]
        assert body == {"name": "n", "pin": "2222"}

    def test_unordered_list_compare_ignores_order_and_duplicates(self):
        actual = actual_of(GROUP, api_group("a", members="103,101,102"))
        desired = GROUP.desired([{"name": "a", "members": ["101", "102", "103", "101"]}])
        assert engine.plan(GROUP, desired, actual, "merged") == []

    def test_unordered_list_membership_change_is_an_update(self):
        actual = actual_of(GROUP, api_group("a", members="103,101"))
        ops = engine.plan(GROUP, GROUP.desired([{"name": "a", "members": ["104", "101"]}]), actual, "merged")
        assert commands(GROUP, ops)[0]["body"] == {"name": "a", "members": "101,104"}

    def test_ordered_list_compare_sees_a_new_order(self):
        actual = actual_of(GROUP, api_group("a", failover="1,2"))
        assert engine.plan(GROUP, GROUP.desired([{"name": "a", "failover": ["1", "2"]}]), actual, "merged") == []
        ops = engine.plan(GROUP, GROUP.desired([{"name": "a", "failover": ["2", "1"]}]), actual, "merged")
        assert commands(GROUP, ops)[0]["body"] == {"name": "a", "failover": "2,1"}


class TestEditOnly:
    def test_missing_objects_are_refused_before_anything_is_planned(self):
        actual = actual_of(EDIT_ONLY, {"name": "tz", "value": "UTC"})
        with pytest.raises(ConfigError) as caught:
            engine.plan(EDIT_ONLY, EDIT_ONLY.desired([{"name": "tz", "value": "CET"}, {"name": "lang"},
                                                      {"name": "x"}]), actual, "merged")
        assert "lang, x" in str(caught.value)
        assert "cannot be created" in str(caught.value)

    def test_existing_objects_are_updated(self):
        actual = actual_of(EDIT_ONLY, {"name": "tz", "value": "UTC"})
        ops = engine.plan(EDIT_ONLY, EDIT_ONLY.desired([{"name": "tz", "value": "CET"}]), actual, "replaced")
        assert commands(EDIT_ONLY, ops) == [{"endpoint": "setting/update", "body": {"name": "tz", "value": "CET"}}]

    def test_states(self):
        assert not EDIT_ONLY.creatable and GROUP.creatable
        assert set(EDIT_ONLY.states()) == {"merged", "replaced", "gathered", "rendered"}
        assert set(GROUP.states()) == {"merged", "replaced", "overridden", "deleted", "gathered", "rendered"}


# ---------------------------------------------------------------------------- read_all
class TestReadAll:
    def test_reads_everything_with_the_all_value(self):
        client = FakeClient({"group/query": {"status": "Success", "items": [api_group("b"), api_group("a")]}})
        records = engine.read_all(client, GROUP)
        assert client.calls[0][:2] == ("group/query", {"name": "all"})
        assert sorted(records) == ["a", "b"]

    def test_an_empty_list_is_an_empty_pbx(self):
        assert engine.read_all(FakeClient({"group/query": {"status": "Success", "groups": []}}), GROUP) == {}

    def test_reads_selected_keys_comma_joined(self):
        client = FakeClient({"group/query": {"status": "Success", "groups": [api_group("a")]}})
        engine.read_all(client, GROUP, ["a", "b"])
        assert client.calls[0][:2] == ("group/query", {"name": "a,b"})

    @pytest.mark.parametrize("answer, problem", [
        ({"status": "Success"}, "it has no 'groups' or 'items' list"),
        ({"status": "Success", "groups": "garbage"}, "'groups' is a string, not a list of records"),
        ({"status": "Success", "groups": {"name": "a"}}, "'groups' is an object, not a list of records"),
        ({"status": "Success", "groups": [api_group("a"), "junk"]}, "record 2 of 'groups' is a string, not an object"),
        ({"status": "Success", "groups": [{"members": "101"}]}, "record 1 has no name ('name')"),
        ({"status": "Success", "groups": [api_group("")]}, "record 1 has no name ('name')"),
        ({"status": "Success", "groups": [api_group("a"), api_group("a")]}, 'two records have the name "a"'),
        ({"status": "Success", "groups": [api_group("a", members={"x": 1})]},
         "'members' of record 1 is an object, not text"),
    ])
    def test_an_answer_out_of_its_documented_shape_is_an_error(self, answer, problem):
        with pytest.raises(PbxAnswerError) as caught:
            engine.read_all(FakeClient({"group/query": answer}), GROUP)
        message = str(caught.value)
        assert message.startswith("group/query for all groups: the answer is not in the documented shape: ")
        assert problem in message

    def test_a_reference_listing_out_of_shape_is_an_error(self):
        source = engine.KeySource("group", Endpoint("group/query", list_keys=("groups",)), "name")
        with pytest.raises(PbxAnswerError, match="record 1 of 'groups' has no 'name' \\(missing\\)"):
            source.read(FakeClient({"group/query": {"status": "Success", "groups": [{"id": "1"}]}}))

    def test_query_without_a_key_reads_everything_without_a_selector(self):
        client = FakeClient({"setting/query": {"status": "Success", "settings": [{"name": "tz", "value": "UTC"}]}})
        assert engine.read_all(client, EDIT_ONLY) == {"tz": {"name": "tz", "value": "UTC"}}
        assert client.calls[0][1] == {}

    def test_selected_keys_on_a_query_without_a_key_send_no_null_selector(self):
        # The query endpoint has no selector (key=None: "omit the key to read every object"),
        # so a keyed read must read everything; it must not send a body keyed by None
        # (json.dumps turns that into {"null": "tz"}).
        client = FakeClient({"setting/query": {"status": "Success", "settings": [{"name": "tz", "value": "UTC"}]}})
        records = engine.read_all(client, EDIT_ONLY, ["tz"])
        assert None not in client.calls[0][1]
        assert "tz" in records


# ---------------------------------------------------------------------------- apply
class TestApply:
    def plan_three(self):
        actual = actual_of(GROUP, api_group("a", enable="off"), api_group("z"))
        desired = GROUP.desired([{"name": "a", "enabled": True}, {"name": "n", "pin": "999"}])
        return engine.plan(GROUP, desired, actual, "overridden")

    def test_apply_sends_every_request_and_returns_masked_commands(self):
        client = FakeClient()
        done = engine.apply(client, GROUP, self.plan_three())
        assert [(path, body) for path, body, _s, _v in client.calls] == [
            ("group/update", {"name": "a", "enable": "on"}),
            ("group/add", {"name": "n", "members": "", "strategy": "ringall", "ringtime": "20", "enable": "on",
                           "pin": "999"}),
            ("group/delete", {"name": "z"}),
        ]
        assert done == [
            {"endpoint": "group/update", "body": {"name": "a", "enable": "on"}},
            {"endpoint": "group/add", "body": {"name": "n", "members": "", "strategy": "ringall", "ringtime": "20",
                                               "enable": "on", "pin": MASK}},
            {"endpoint": "group/delete", "body": {"name": "z"}},
        ]

    def test_failure_of_the_second_request_reports_the_first_as_done(self):
        client = FakeClient(fail_on=2)
        with pytest.raises(ApplyError) as caught:
            engine.apply(client, GROUP, self.plan_three())
        assert caught.value.done == [{"endpoint": "group/update", "body": {"name": "a", "enable": "on"}}]
        assert "10017" in str(caught.value)
        # The refused add was looked up (still missing), and the delete was not sent.
        assert [path for path, _b, _s, _v in client.calls] == ["group/update", "group/add", "group/query"]

    def test_add_refused_as_existing_counts_as_done_when_the_object_now_matches(self):
        # An earlier attempt whose answer was lost (or a killed run's worker) created it meanwhile.
        client = FakeClient(fail_on=2)
        client.answers["group/query"] = {"status": "Success", "groups": [api_group("n", pin="999")]}
        done = engine.apply(client, GROUP, self.plan_three())
        assert [path for path, _b, _s, _v in client.calls] == ["group/update", "group/add", "group/query",
                                                               "group/delete"]
        assert client.calls[2][1] == {"name": "n"}
        assert [command["endpoint"] for command in done] == ["group/update", "group/add", "group/delete"]

    def test_add_refused_while_a_different_object_exists_names_the_differences(self):
        client = FakeClient(fail_on=2)
        client.answers["group/query"] = {"status": "Success",
                                         "groups": [api_group("n", strategy="hunt", ringtime="30", pin="999")]}
        with pytest.raises(ApplyError) as caught:
            engine.apply(client, GROUP, self.plan_three())
        message = str(caught.value)
        assert "10017" in message and "group n exists on the PBX now" in message, message
        assert "differs in strategy, timeout" in message, message
        assert "999" not in message
        assert [command["endpoint"] for command in caught.value.done] == ["group/update"]

    def test_failed_update_or_delete_is_not_looked_up(self):
        client = FakeClient(fail_on=1)
        with pytest.raises(ApplyError):
            engine.apply(client, GROUP, self.plan_three())
        assert [path for path, _b, _s, _v in client.calls] == ["group/update"]

    def test_failure_of_the_first_request_reports_nothing_done(self):
        with pytest.raises(ApplyError) as caught:
            engine.apply(FakeClient(fail_on=1, error=PbxTransportError("boom")), GROUP, self.plan_three())
        assert caught.value.done == []

    def test_only_adds_and_deletes_get_a_verify_callback(self):
        client = FakeClient()
        engine.apply(client, GROUP, self.plan_three())
        assert [verify is not None for _p, _b, _s, verify in client.calls] == [False, True, True]

    def test_verify_for_add_queries_the_key_and_reports_presence(self):
        client = FakeClient()
        ops = engine.plan(GROUP, GROUP.desired([{"name": "n"}]), {}, "merged")
        engine.apply(client, GROUP, ops)
        verify = client.calls[0][3]

        client.answers["group/query"] = {"status": "Success", "groups": [api_group("n")]}
        assert verify() is True
        assert client.calls[-1][:2] == ("group/query", {"name": "n"})
        client.answers["group/query"] = {"status": "Success", "groups": []}
        assert verify() is False
        client.answers["group/query"] = PbxApiError("group/query", "10099")  # "does not exist"
        assert verify() is False

    def test_verify_for_add_does_not_hide_other_errors(self):
        client = FakeClient()
        engine.apply(client, GROUP, engine.plan(GROUP, GROUP.desired([{"name": "n"}]), {}, "merged"))
        client.answers["group/query"] = PbxApiError("group/query", "20010")
        with pytest.raises(PbxApiError):
            client.calls[0][3]()

    def test_verify_for_delete_is_true_only_when_every_key_is_gone(self):
        client = FakeClient()
        actual = actual_of(GROUP, api_group("a"), api_group("b"))
        engine.apply(client, GROUP, engine.plan(GROUP, [], actual, "deleted", allow_delete_all=True))
        verify = client.calls[0][3]

        client.answers["group/query"] = {"status": "Success", "groups": [api_group("b")]}
        assert verify() is False
        assert client.calls[-1][:2] == ("group/query", {"name": "a,b"})
        client.answers["group/query"] = PbxApiError("group/query", "10099")
        assert verify() is True


# ---------------------------------------------------------------------------- masking and views
class TestMasking:
    def test_as_list_masks_secrets_in_natural_key_order(self):
        actual = actual_of(GROUP, api_group("10", pin="1"), api_group("9", pin=""))
        listed = engine.as_list(GROUP, actual)
        assert [r["name"] for r in listed] == ["9", "10"]
        assert listed[0]["pin"] == ""
        assert listed[1]["pin"] == MASK
        assert actual["10"]["pin"] == "1"  # the records themselves are untouched

    def test_diff_marks_changed_secrets(self):
        actual = actual_of(GROUP, api_group("a", pin="1111", enable="off"), api_group("b", pin="3333"))
        desired = GROUP.desired([{"name": "a", "pin": "2222"}, {"name": "b", "enabled": False}])
        diff = engine.diff_of(GROUP, engine.plan(GROUP, desired, actual, "merged"))
        a, b = diff
        assert a["before"]["pin"] == MASK
        assert a["after"]["pin"] == MASK_CHANGED
        assert b["before"]["pin"] == MASK
        assert b["after"]["pin"] == MASK
        assert b["after"]["enabled"] is False
        text = json.dumps(diff)
        for secret in ("1111", "2222", "3333"):
            assert secret not in text

    def test_diff_of_add_and_delete(self):
        actual = actual_of(GROUP, api_group("old", pin="1111"))
        ops = engine.plan(GROUP, GROUP.desired([{"name": "new", "pin": "2222"}]), actual, "overridden")
        diff = engine.diff_of(GROUP, ops)
        # One diff per object, each headed by it: a reviewer sees which object a line belongs to.
        assert [(d["before_header"], d["after_header"]) for d in diff] == [
            ("group new (absent)", "group new wanted"),
            ("group old on the PBX", "group old (deleted)")]
        assert diff[0]["before"] == "" and diff[0]["after"]["name"] == "new"
        assert diff[1]["before"]["name"] == "old" and diff[1]["after"] == ""
        assert "1111" not in json.dumps(diff) and "2222" not in json.dumps(diff)

    def test_rendered_masks_and_applies_defaults_except_for_merged(self):
        desired = GROUP.desired([{"name": "n", "pin": "2222"}])
        assert engine.rendered(GROUP, desired, "merged") == [{"name": "n", "pin": MASK}]
        assert engine.rendered(GROUP, desired, "replaced") == [
            {"name": "n", "members": "", "strategy": "ringall", "ringtime": "20", "enable": "on", "pin": MASK}]

    def test_rendered_for_an_edit_only_resource_uses_the_update_key(self):
        assert engine.rendered(EDIT_ONLY, EDIT_ONLY.desired([{"name": "tz"}]), "merged") == [{"name": "tz"}]

    def test_gathered_view_drops_secrets_defaults_and_blanks(self):
        record = GROUP.from_api(api_group("a", members="1", strategy="ringall", ringtime="30", pin="77"))
        assert GROUP.gathered_view(record) == {"name": "a", "members": ["1"], "timeout": 30}

    def test_gathered_view_keeps_values_that_differ_from_the_default(self):
        record = GROUP.from_api(api_group("a", failover="2,1", strategy="hunt", enable="off", description="x"))
        assert GROUP.gathered_view(record) == {"name": "a", "failover": ["2", "1"], "strategy": "hunt",
                                               "enabled": False, "note": "x"}

    def test_changed_objects_list_only_what_changes(self):
        actual = actual_of(GROUP, api_group("a"), api_group("b"), api_group("d"))
        ops = engine.plan(GROUP, GROUP.desired([{"name": "a", "timeout": 9}, {"name": "c"}, {"name": "d"}]), actual,
                          "overridden")
        before, after = engine.changed_objects(GROUP, ops)
        assert [record["name"] for record in before] == ["a", "b"]
        assert [record["name"] for record in after] == ["a", "c"]
        assert after[0]["timeout"] == 9


# ---------------------------------------------------------------------------- renames, types, live fields
def line_resource(update_by_handle=False):
    """A trunk-like resource: renamed through update, fields that belong to some types only,
    a field the API wants on every write, and a field users change at run time."""
    if update_by_handle:
        update = Endpoint("line/update", key="id", key_from="id")
    else:
        update = Endpoint("line/update", key="lineid", rename_as="newname")
    return Resource(
        name="line",
        key="name",
        query=Endpoint("line/query", key="name", all_value="all", list_keys=("lines",), not_found=("10099",)),
        add=Endpoint("line/add", key="name"),
        update=update,
        delete=Endpoint("line/delete", key="name", batch=True),
        full_update=update_by_handle,
        fields=OrderedDict([
            ("name", Field("name", "Line name.")),
            ("kind", Field("kind", "Line kind.", kind=CHOICE,
                           choices=OrderedDict([("remote", "remote"), ("local", "local"), ("off", "off")]))),
            ("host", Field("host", "Remote host.", only_for=("kind", ["remote"]))),
            ("target", Field("target", "Where calls go.", only_for=("kind", ["remote", "local"]), sent_blank=True)),
            ("busy", Field("busy", "Set from phones too.", kind=BOOL, runtime=True)),
            ("label", Field("label", "Label.", default="")),
        ]),
    )


LINE = line_resource()
LINE_BY_HANDLE = line_resource(update_by_handle=True)


def api_line(name, kind="remote", host="h1", target="t1", busy="off", label="", line_id=None):
    item = {"name": name, "kind": kind, "host": host, "target": target, "busy": busy, "label": label}
    if line_id:
        item["id"] = line_id
    return item


def snapshot_of(resource, *items):
    snapshot = engine.Snapshot(actual_of(resource, *items))
    for item in items:
        if "id" in item:
            snapshot.handles[item["name"]] = item["id"]
    return snapshot


class TestRename:
    def test_pending_rename_is_one_update_addressed_by_the_old_key(self):
        actual = snapshot_of(LINE, api_line("old", label="x"))
        desired = LINE.desired([{"name": "new", "rename_from": "old", "label": "y"}])
        ops = engine.plan(LINE, desired, actual, "merged")
        assert commands(LINE, ops) == [{"endpoint": "line/update",
                                        "body": {"lineid": "old", "newname": "new", "label": "y"}}]
        assert (ops[0].verb, ops[0].key, ops[0].renamed_from) == ("update", "new", "old")
        assert ops[0].before["name"] == "old" and ops[0].after["name"] == "new"

    def test_rename_without_other_changes_still_renames(self):
        actual = snapshot_of(LINE, api_line("old"))
        ops = engine.plan(LINE, LINE.desired([{"name": "new", "rename_from": "old"}]), actual, "merged")
        assert commands(LINE, ops) == [{"endpoint": "line/update", "body": {"lineid": "old", "newname": "new"}}]

    def test_rename_by_handle_sends_the_new_key_as_a_field(self):
        actual = snapshot_of(LINE_BY_HANDLE, api_line("old", line_id="7"))
        ops = engine.plan(LINE_BY_HANDLE, LINE_BY_HANDLE.desired([{"name": "new", "rename_from": "old"}]),
                          actual, "merged")
        body = commands(LINE_BY_HANDLE, ops)[0]["body"]
        assert body["id"] == "7" and body["name"] == "new"

    def test_a_done_rename_changes_nothing(self):
        actual = snapshot_of(LINE, api_line("new"))
        assert engine.plan(LINE, LINE.desired([{"name": "new", "rename_from": "old"}]), actual, "merged") == []

    def test_rename_of_a_missing_object_is_refused(self):
        # Creating it instead would hide a typo in rename_from, and leave the old object in place.
        with pytest.raises(ConfigError, match="line new: rename_from old names no line on the PBX"):
            engine.plan(LINE, LINE.desired([{"name": "new", "rename_from": "old", "kind": "off"}]),
                        snapshot_of(LINE, api_line("other")), "merged")

    def test_overridden_does_not_delete_the_object_being_renamed(self):
        actual = snapshot_of(LINE, api_line("old"), api_line("other"))
        ops = engine.plan(LINE, LINE.desired([{"name": "new", "rename_from": "old"}]), actual, "overridden")
        assert [(op.verb, op.key) for op in ops] == [("update", "new"), ("delete", "other")]

    def test_deleted_refuses_rename_from(self):
        with pytest.raises(ConfigError, match="rename_from is used with state merged, replaced, overridden"):
            engine.plan(LINE, LINE.desired([{"name": "new", "rename_from": "old"}]), snapshot_of(LINE), "deleted")

    def test_conflicting_renames_are_refused_before_anything_is_read(self):
        with pytest.raises(ConfigError) as error:
            LINE.desired([{"name": "a", "rename_from": "a"}, {"name": "b", "rename_from": "x"},
                          {"name": "c", "rename_from": "x"}, {"name": "d", "rename_from": "b"}])
        message = str(error.value)
        assert "config[0] (line a): rename_from is the same as name" in message
        assert "config[2] (line c): rename_from x is already renamed by config entry b" in message
        assert "line d: rename_from b is also an object of this config" in message

    def test_resources_without_a_rename_call_refuse_rename_from(self):
        with pytest.raises(ConfigError, match="rename_from is not supported: the PBX API cannot rename a group"):
            GROUP.desired([{"name": "b", "rename_from": "a"}])

    def test_diff_shows_the_rename(self):
        actual = snapshot_of(LINE, api_line("old"))
        ops = engine.plan(LINE, LINE.desired([{"name": "new", "rename_from": "old"}]), actual, "merged")
        diff = engine.diff_of(LINE, ops)
        assert [(d["before_header"], d["after_header"]) for d in diff] == [
            ("line old on the PBX", "line new wanted (renamed from old)")]
        assert diff[0]["before"]["name"] == "old" and diff[0]["after"]["name"] == "new"

    def test_a_rename_whose_answer_was_lost_is_verified_before_a_replay(self):
        actual = snapshot_of(LINE, api_line("old"))
        ops = engine.plan(LINE, LINE.desired([{"name": "new", "rename_from": "old"}]), actual, "merged")
        client = FakeClient(answers={"line/query": {"status": "Success", "lines": [api_line("new")]}})
        engine.apply(client, LINE, ops)
        verify = client.calls[0][3]
        assert verify is not None and verify() is True
        assert client.calls[1][1] == {"name": "new"}


class TestFieldsOfOneType:
    def test_an_update_sends_only_the_fields_of_the_type(self):
        actual = snapshot_of(LINE_BY_HANDLE, api_line("a", kind="remote", host="h1", line_id="3"))
        ops = engine.plan(LINE_BY_HANDLE, LINE_BY_HANDLE.desired([{"name": "a", "kind": "local", "target": "t2"}]),
                          actual, "merged")
        body = commands(LINE_BY_HANDLE, ops)[0]["body"]
        assert "host" not in body and body["kind"] == "local" and body["target"] == "t2"
        assert ops[0].after["host"] == ""

    def test_a_field_of_another_type_is_refused_before_anything_is_read(self):
        with pytest.raises(ConfigError, match=r"config\[0\] \(line a\): host is not used when kind is local \(only with remote\)"):
            LINE.desired([{"name": "a", "kind": "local", "host": "h9"}])

    def test_a_field_of_another_type_is_refused_when_the_type_comes_from_the_pbx(self):
        actual = snapshot_of(LINE, api_line("a", kind="local", host=""))
        with pytest.raises(ConfigError, match="line a: host is not used when kind is local"):
            engine.plan(LINE, LINE.desired([{"name": "a", "host": "h9"}]), actual, "merged")

    def test_a_field_the_api_always_wants_is_sent_empty_on_add_and_update(self):
        add = engine.plan(LINE_BY_HANDLE, LINE_BY_HANDLE.desired([{"name": "a", "kind": "off"}]),
                          snapshot_of(LINE_BY_HANDLE), "merged")
        assert commands(LINE_BY_HANDLE, add)[0]["body"]["target"] == ""
        actual = snapshot_of(LINE_BY_HANDLE, api_line("a", kind="off", host="", target="", line_id="4"))
        update = engine.plan(LINE_BY_HANDLE, LINE_BY_HANDLE.desired([{"name": "a", "label": "x"}]), actual, "merged")
        assert commands(LINE_BY_HANDLE, update)[0]["body"]["target"] == ""

    def test_gathered_leaves_out_fields_of_other_types(self):
        record = LINE.from_api(api_line("a", kind="local", host="stale"))
        assert "host" not in LINE.gathered_view(record)


class TestRuntimeFields:
    def test_replaced_leaves_a_runtime_field_alone(self):
        actual = snapshot_of(LINE, api_line("a", busy="on"))
        assert engine.plan(LINE, LINE.desired([{"name": "a", "kind": "remote", "host": "h1", "target": "t1"}]),
                           actual, "replaced") == []

    def test_a_runtime_field_is_written_when_a_task_names_it(self):
        actual = snapshot_of(LINE, api_line("a", busy="on"))
        ops = engine.plan(LINE, LINE.desired([{"name": "a", "busy": False}]), actual, "merged")
        assert commands(LINE, ops) == [{"endpoint": "line/update", "body": {"lineid": "a", "busy": "off"}}]

    def test_gathered_leaves_runtime_fields_out(self):
        assert "busy" not in LINE.gathered_view(LINE.from_api(api_line("a", busy="on")))


class TestAllowedOnWrite:
    def test_a_value_outside_the_writable_set_is_refused_naming_object_option_and_values(self):
        from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.extension import EXTENSION
        with pytest.raises(ConfigError) as error:
            engine.plan(EXTENSION, EXTENSION.desired([{"number": "101", "max_call_duration": "42"}]), {}, "merged")
        assert "extension 101: max_call_duration '42' is not one of follow_system, unlimited, 60, 300" in str(error.value)

    def test_a_value_the_pbx_already_holds_compares_as_it_is(self):
        from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.extension import EXTENSION
        actual = actual_of(EXTENSION, {"extnumber": "101", "maxduration": "10800"})
        assert engine.plan(EXTENSION, EXTENSION.desired([{"number": "101", "max_call_duration": "10800"}]),
                           actual, "merged") == []
