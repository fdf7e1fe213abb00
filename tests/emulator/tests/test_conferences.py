"""conference/query|update (OpenVox UC API: Query Conference Room Settings, Modify Meeting Room). Rooms are seeded."""

import pytest

from apihelpers import Resource

ROOMS = Resource("conference", "number", "conferences")
query = ROOMS.query
EXAMPLE = [
    {"number": "6401", "name": "Sales", "participantepassword": "1234",
     "moderatorpassword": "9876", "waitformoderator": "no"},
    {"number": "6402", "name": "6402", "participantepassword": "", "moderatorpassword": "",
     "waitformoderator": "no"},
]


def test_query_example(emu, token):
    emu.ctl("PUT", "state", {"conferences": [{"number": "6401", "name": "Sales",
                                              "participantepassword": "1234",
                                              "moderatorpassword": 9876},
                                             {"number": "6402"}]})
    assert emu.api("conference/query", {"number": "all"}, token=token) == {
        "status": "Success", "conferences": EXAMPLE}


def test_default_rooms_and_selection(emu, token):
    rooms = query(emu, token)
    assert [(r["number"], r["name"]) for r in rooms] == [("6400", "Sales"), ("6401", "6401")]
    assert list(rooms[0]) == ["number", "name", "participantepassword", "moderatorpassword",
                              "waitformoderator"]
    assert ROOMS.names(emu, token, "6401,6400") == ["6400", "6401"]
    assert ROOMS.names(emu, token, "6401") == ["6401"]


@pytest.mark.parametrize("body,errno", [
    ({}, "10004"), ({"number": ""}, "10004"), ({"number": "6499"}, "10011"),
    ({"number": "6400,6499"}, "10011"), ({"number": "Sales"}, "10011"),
])
def test_query_errors(emu, token, body, errno):
    emu.refused("conference/query", body, errno, token=token)


def test_update_is_partial(emu, token):
    body = {"number": "6401", "name": "Board room", "moderatorpassword": "4321",
            "waitformoderator": "yes"}
    assert emu.api("conference/update", body, token=token) == {"status": "Success"}
    assert query(emu, token, "6401") == [{"number": "6401", "name": "Board room",
                                          "participantepassword": "",
                                          "moderatorpassword": "4321", "waitformoderator": "yes"}]
    emu.api("conference/update", {"number": "6401", "moderatorpassword": ""}, token=token)
    assert query(emu, token, "6401")[0]["moderatorpassword"] == ""
    assert query(emu, token, "6400")[0]["name"] == "Sales"


@pytest.mark.parametrize("body,errno", [
    ({}, "10004"), ({"name": "x"}, "10004"),
    ({"number": "6499", "name": "x"}, "10011"), ({"number": "6400,6401"}, "10011"),
])
def test_update_errors_change_nothing(emu, token, body, errno):
    emu.refused("conference/update", body, errno, token=token)


@pytest.mark.parametrize("field,value", [
    ("name", ""), ("name", "R&D"), ("name", "50$"), ("name", "a]b"), ("name", 'say "hi"'),
    ("participantepassword", "12a4"), ("moderatorpassword", "*123"),
    ("waitformoderator", "on"),
])
def test_update_refuses_bad_values_with_10004(emu, token, field, value):
    emu.refused("conference/update", {"number": "6400", field: value}, "10004", token=token)


def test_rooms_cannot_be_added_or_deleted(emu, token):
    for endpoint in ("conference/add", "conference/delete"):
        assert emu.api(endpoint, {"number": "6402"}, token=token)["errno"] == "10003"


def test_passwords_are_masked_in_the_log(emu, token):
    emu.api("conference/update", {"number": "6400", "participantepassword": "1111",
                                  "moderatorpassword": "2222", "name": "Sales"}, token=token)
    assert emu.requests_log()[-1]["body"] == {"number": "6400", "participantepassword": "********",
                                              "moderatorpassword": "********", "name": "Sales"}


def test_xml_query_and_update(emu, token):
    body = b"<xml><number>6400</number><waitformoderator>yes</waitformoderator></xml>"
    text = emu.call("conference/update", token=token, fmt="xml", data=body).text
    assert text.endswith("<xml><status>Success</status></xml>")
    text = emu.call("conference/query", token=token, fmt="xml",
                    data=b"<xml><number>6400</number></xml>").text
    assert text == ('<?xml version="1.0" encoding="utf-8"?><xml><status>Success</status>'
                    '<conferences><item id="0"><number>6400</number><name>Sales</name>'
                    "<participantepassword>1234</participantepassword>"
                    "<moderatorpassword>9876</moderatorpassword>"
                    "<waitformoderator>yes</waitformoderator></item></conferences></xml>")
    text = emu.call("conference/query", token=token, fmt="xml",
                    data=b"<xml><number>1</number></xml>").text
    assert text.endswith("<xml><status>Failed</status><errno>10011</errno></xml>")


@pytest.mark.parametrize("document", [
    {"conferences": [{"number": "6400", "waitformoderator": "maybe"}]},
    {"conferences": [{"number": "6400", "moderatorpassword": "abc"}]},
    {"conferences": [{"number": "6400", "name": ""}]},
    {"conferences": [{"number": "x"}]},
])
def test_state_put_refuses_bad_rooms(emu, document):
    emu.put_state_refused(document)


def test_inbound_route_to_a_room(emu, token):
    body = {"name": "conf", "desttype": "conference", "dest": "6400"}
    assert emu.api("inroute/add", body, token=token)["status"] == "Success"
    emu.put_state_refused({"conferences": []})
