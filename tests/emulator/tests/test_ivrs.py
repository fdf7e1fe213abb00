"""ivr/query|update (OpenVox UC API: IVR). IVRs are seeded, never added."""

import pytest

from apihelpers import Resource

query = Resource("ivr", "name", "ivr").select


def test_query_example(emu, token):
    emu.ctl("PUT", "state", {"ivrs": [{"ivrid": "6501", "ivrname": "daytime",
                                       "prompt": "welcome1", "promptrepeat": "2",
                                       "responsetimeout": "4"}]})
    assert emu.api("ivr/query", {"name": "6501"}, token=token) == {
        "status": "Success",
        "ivr": [{"ivrid": "6501", "ivrname": "daytime", "prompt": "welcome1",
                 "promptrepeat": "2", "responsetimeout": "4"}]}
    assert query(emu, token, {"name": "daytime"}) == query(emu, token, {"name": "6501"})


def test_default_ivrs_and_query_all(emu, token):
    ivrs = query(emu, token)
    assert [(i["ivrid"], i["ivrname"]) for i in ivrs] == [("6500", "daytime"), ("6501", "night")]
    assert list(ivrs[0]) == ["ivrid", "ivrname", "prompt", "promptrepeat", "responsetimeout"]
    assert query(emu, token, {"name": ""}) == ivrs
    assert emu.api("ivr/query", token=token, method="GET")["ivr"] == ivrs


@pytest.mark.parametrize("body,numbers", [
    ({"name": "night"}, ["6501"]), ({"name": "6500"}, ["6500"]),
    ({"name": "night,6500"}, ["6500", "6501"]), ({"ivrid": "6501"}, ["6501"]),
    ({"ivrid": "daytime"}, ["6500"]), ({"name": "night", "ivrid": "6500"}, ["6501"]),
])
def test_query_matches_number_or_name(emu, token, body, numbers):
    assert [i["ivrid"] for i in query(emu, token, body)] == numbers


@pytest.mark.parametrize("body", [{"name": "6599"}, {"name": "daytime,evening"},
                                  {"ivrid": "all"}])
def test_query_unknown_ivr(emu, token, body):
    emu.refused("ivr/query", body, "10012", token=token)


def test_update_is_partial_and_prompt_is_read_only(emu, token):
    body = {"ivrid": "6500", "ivrname": "day_time-2", "promptrepeat": "5",
            "prompt": "other"}
    assert emu.api("ivr/update", body, token=token) == {"status": "Success"}
    assert query(emu, token, {"name": "6500"}) == [{
        "ivrid": "6500", "ivrname": "day_time-2", "prompt": "welcome1", "promptrepeat": "5",
        "responsetimeout": "4"}]
    emu.api("ivr/update", {"ivrid": "6500", "responsetimeout": 10}, token=token)
    assert query(emu, token, {"name": "6500"})[0]["responsetimeout"] == "10"


@pytest.mark.parametrize("body,errno", [
    ({}, "10004"), ({"ivrid": ""}, "10004"), ({"ivrname": "x"}, "10004"),
    ({"ivrid": "6599"}, "10012"), ({"ivrid": "daytime"}, "10012"),
])
def test_update_errors_change_nothing(emu, token, body, errno):
    emu.refused("ivr/update", body, errno, token=token)


@pytest.mark.parametrize("field,value", [
    ("ivrname", ""), ("ivrname", "a" * 32), ("ivrname", "two words"),
    ("ivrname", "semi;colon"), ("ivrname", "at@home"), ("ivrname", "pipe|"),
    ("ivrname", "night"), ("promptrepeat", "0"), ("promptrepeat", "6"),
    ("responsetimeout", "0"), ("responsetimeout", "11"), ("responsetimeout", "fast"),
])
def test_update_refuses_bad_values_with_10018(emu, token, field, value):
    emu.refused("ivr/update", {"ivrid": "6500", field: value}, "10018", token=token)


def test_longest_name_and_keeping_own_name(emu, token):
    assert emu.api("ivr/update", {"ivrid": "6500", "ivrname": "d" * 31},
                   token=token)["status"] == "Success"
    assert emu.api("ivr/update", {"ivrid": "6501", "ivrname": "night"},
                   token=token)["status"] == "Success"


@pytest.mark.parametrize("document", [
    {"ivrs": [{"ivrid": "6500", "ivrname": ""}]},
    {"ivrs": [{"ivrid": "6500", "ivrname": "x"}, {"ivrid": "6501", "ivrname": "x"}]},
    {"ivrs": [{"ivrid": "6500"}, {"ivrid": "6500"}]},
])
def test_state_put_refuses_bad_ivrs(emu, document):
    emu.put_state_refused(document)


def test_inbound_route_to_an_ivr(emu, token):
    body = {"name": "main", "desttype": "ivr", "dest": "6501"}
    assert emu.api("inroute/add", body, token=token)["status"] == "Success"
    emu.put_state_refused({"ivrs": [{"ivrid": "6500"}]})
    assert emu.control("PUT", "state", {"ivrs": [{"ivrid": "6501"}]}).status_code == 200
