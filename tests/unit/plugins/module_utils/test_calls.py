# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""calls.py: one call shape whatever variant the firmware answers with, and an extension's current call."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.openvox.ucpbx.plugins.module_utils.direct_module import ActionFailed
from ansible_collections.openvox.ucpbx.plugins.module_utils.calls import (
    current_call,
    extension_states,
    find_call,
    idle_problem,
    list_calls,
    live_call_of,
    normalise_call,
)
from ansible_collections.openvox.ucpbx.plugins.module_utils.errors import PbxApiError

INBOUND = {"inboundid": "1589938168.1111", "from": "0755123456", "to": "88880000", "trunk": "sip-trunk-1",
           "status": "Talking"}
EXPECTED = {"id": "1589938168.1111", "direction": "inbound", "from": "0755123456", "to": "88880000",
            "trunk": "sip-trunk-1", "status": "Talking", "callee": [{"type": "extension", "id": "201"}],
            "extensions": ["201"]}


class FakeClient:
    """Answers client.call(endpoint, body, subject) from a table; a value that is an errno string fails."""

    def __init__(self, answers):
        self.answers = answers
        self.sent = []

    def call(self, endpoint, body=None, subject=None):
        self.sent.append((endpoint, body))
        answer = self.answers[endpoint]
        if callable(answer):
            answer = answer(body)
        if isinstance(answer, str):
            raise PbxApiError(endpoint, answer, subject)
        return answer


class TestNormalise:
    def test_callee_as_one_object_the_device_example(self):
        assert normalise_call(dict(INBOUND, callee={"extid": "201"}), "inbound") == EXPECTED

    def test_callee_as_a_list_of_one_object_yeastar(self):
        assert normalise_call(dict(INBOUND, callee=[{"extid": "201"}]), "inbound") == EXPECTED

    def test_list_and_object_forms_give_the_same_shape(self):
        for raw in ({"queueid": "6701"}, [{"queueid": "6701"}]):
            call = normalise_call(dict(INBOUND, callee=raw), "inbound")
            assert (call["callee"], call["extensions"]) == ([{"type": "queue", "id": "6701"}], [])

    def test_a_list_of_several_parties_of_every_kind(self):
        raw = [{"extid": 201}, {"ivrid": "6500"}, {"outboundid": "1589940001.1300"}, {"conferenceid": "6400"},
               {"unknownid": "x"}, {"extid": ""}, "not an object"]
        call = normalise_call(dict(INBOUND, callee=raw), "inbound")
        assert call["callee"] == [{"type": "extension", "id": "201"}, {"type": "ivr", "id": "6500"},
                                  {"type": "outbound", "id": "1589940001.1300"}, {"type": "conference", "id": "6400"}]
        assert call["extensions"] == ["201"]

    @pytest.mark.parametrize("raw", [None, "", [], {}])
    def test_no_callee(self, raw):
        call = normalise_call(dict(INBOUND, callee=raw), "inbound")
        assert (call["callee"], call["extensions"]) == ([], [])

    def test_outbound_the_calling_extension_takes_part(self):
        raw = {"outboundid": "1589940001.1300", "from": "201", "to": "013800000000", "trunk": "sip-trunk-1",
               "status": "Talking"}
        assert normalise_call(raw, "outbound") == {
            "id": "1589940001.1300", "direction": "outbound", "from": "201", "to": "013800000000",
            "trunk": "sip-trunk-1", "status": "Talking", "callee": [], "extensions": ["201"]}

    def test_missing_fields_are_empty_strings_and_numbers_text(self):
        assert normalise_call({"inboundid": 17}, "inbound") == {
            "id": "17", "direction": "inbound", "from": "", "to": "", "trunk": "", "status": "", "callee": [],
            "extensions": []}


class TestListCalls:
    def test_one_object_instead_of_a_list(self):
        client = FakeClient({"inbound/query": {"status": "Success", "inbound": dict(INBOUND, callee={"extid": "201"})}})
        assert list_calls(client, "inbound") == [EXPECTED]
        assert client.sent == [("inbound/query", {})]

    def test_no_calls(self):
        for answer in ({"status": "Success"}, {"status": "Success", "inbound": []}, {"status": "Success", "inbound": ""}):
            assert list_calls(FakeClient({"inbound/query": answer}), "inbound") == []

    def test_an_id_the_pbx_does_not_know_is_no_call(self):
        client = FakeClient({"inbound/query": "10007"})
        assert list_calls(client, "inbound", "1.2") == []
        assert find_call(client, "inbound", "1.2") is None
        assert client.sent[0] == ("inbound/query", {"inboundid": "1.2"})

    def test_other_errors_are_raised(self):
        with pytest.raises(PbxApiError):
            list_calls(FakeClient({"inbound/query": "10007"}), "inbound")
        with pytest.raises(PbxApiError):
            list_calls(FakeClient({"inbound/query": "20004"}), "inbound", "1.2")


class TestExtensionCall:
    def test_live_call_parts_of_the_record(self):
        assert live_call_of({"extnumber": "201"}) is None
        assert live_call_of({"extnumber": "201", "inbound": {"inboundid": "1.1", "from": "0755"}}) == {
            "direction": "inbound", "id": "1.1"}
        assert live_call_of({"extnumber": "201", "outbound": [{"outboundid": "1.3"}]}) == {
            "direction": "outbound", "id": "1.3"}
        assert live_call_of({"extnumber": "201", "ext": {"extid": "202"}}) == {"direction": "internal", "peer": "202"}
        assert live_call_of({"extnumber": "202", "ext": {"extid": ["201", "202"]}}) == {
            "direction": "internal", "peer": "201"}
        assert live_call_of({"extnumber": "201", "inbound": {"inboundid": ""}, "ext": {}}) is None

    def test_record_with_the_call_is_completed_from_the_call_list(self):
        client = FakeClient({"inbound/query": {"inbound": [dict(INBOUND, callee={"extid": "201"})]}})
        record = {"extnumber": "201", "status": "Busy", "inbound": {"inboundid": "1589938168.1111"}}
        assert current_call(client, "201", record) == EXPECTED

    def test_without_the_call_in_the_record_the_status_and_the_lists_tell(self):
        client = FakeClient({"inbound/query": {"inbound": [dict(INBOUND, callee={"extid": "202"})]},
                             "outbound/query": {"outbound": [{"outboundid": "1.3", "from": "201", "to": "0138"}]}})
        assert current_call(client, "201", {"extnumber": "201", "status": "Hold"})["id"] == "1.3"
        assert current_call(client, "203", {"extnumber": "203", "status": "Busy"}) == {"direction": "internal"}
        client.sent[:] = []
        assert current_call(client, "204", {"extnumber": "204", "status": "Idle"}) is None
        assert client.sent == []

    def test_extension_states(self):
        client = FakeClient({"extension/query": {"extinfos": [{"extnumber": "201"}, {"extnumber": "202"}]}})
        assert sorted(extension_states(client, ["201", "202"])) == ["201", "202"]
        assert client.sent == [("extension/query", {"extid": "201,202"})]
        with pytest.raises(ActionFailed, match="extension 203 does not exist on the PBX"):
            extension_states(client, ["201", "203"])
        with pytest.raises(ActionFailed, match="extension 299 does not exist on the PBX"):
            extension_states(FakeClient({"extension/query": "10006"}), ["299"])

    def test_extension_states_names_the_missing_one_of_several(self):
        client = FakeClient({"extension/query": "10006",
                             "extensionlist/query": {"extlist": [{"extnumber": "201", "status": "Idle"}]}})
        with pytest.raises(ActionFailed, match="^extension 299 does not exist on the PBX$"):
            extension_states(client, ["201", "299"])
        assert [endpoint for endpoint, _body in client.sent] == ["extension/query", "extensionlist/query"]

    @pytest.mark.parametrize("status, problem", [
        ("Idle", None), ("Registered", None),
        ("Unavailable", "extension 201 is not registered, so its phone cannot ring"),
        ("Busy", "extension 201 is not idle (status Busy)"), ("Ringing", "extension 201 is not idle (status Ringing)"),
        ("Hold", "extension 201 is not idle (status Hold)"),
    ])
    def test_idle_problem(self, status, problem):
        assert idle_problem("201", status) == problem
