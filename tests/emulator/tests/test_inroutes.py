"""inroute/query|add|update|delete (OpenVox UC API: Inbound Route)."""

import pytest

from apihelpers import Resource

ROUTES = Resource("inroute", "name", "inroutes")
add, query = ROUTES.add, ROUTES.query
SEED = {"extensions": [{"number": "101"}, {"number": "102"}]}


def test_query_example_id_is_always_empty(seeded, token):
    emu = seeded
    assert add(emu, token, name="main", desttype="extension", dest="102") == {"status": "Success"}
    assert emu.api("inroute/query", {"name": "all"}, token=token) == {
        "status": "Success",
        "inroutes": [{"id": "", "name": "main", "did": "", "caller_id": "",
                      "desttype": "extension", "dest": "102"}]}


@pytest.mark.parametrize("desttype,dest", [
    ("extension", "101"), ("voicemail", "102"), ("ivr", "6500"), ("queue", "6701"),
    ("conference", "6400"), ("ringgroup", "6600"), ("disa", "anything"), ("callback", "x"),
    ("hangup", ""), ("hangup", "ignored"),
])
def test_add_each_destination_type(seeded, token, desttype, dest):
    emu = seeded
    answer = add(emu, token, name="r", did="5551000", caller_id="0049X.", desttype=desttype,
                 dest=dest, trunks="ignored-yeastar-key")
    assert answer == {"status": "Success"}
    assert query(emu, token, "r") == [{"id": "", "name": "r", "did": "5551000",
                                       "caller_id": "0049X.", "desttype": desttype,
                                       "dest": dest}]


def test_hangup_needs_no_dest(seeded, token):
    assert add(seeded, token, name="night", desttype="hangup")["status"] == "Success"
    assert query(seeded, token)[0]["dest"] == ""


@pytest.mark.parametrize("body,errno", [
    ({}, "10004"),
    ({"desttype": "extension", "dest": "101"}, "10004"),
    ({"name": "", "desttype": "extension", "dest": "101"}, "10004"),
    ({"name": "r"}, "10004"),
    ({"name": "r", "desttype": "extension"}, "10004"),
    ({"name": "r", "desttype": "extension", "dest": ""}, "10004"),
    ({"name": "r", "desttype": "ringgroup"}, "10004"),
    ({"name": "r", "desttype": "outroute", "dest": "x"}, "10068"),
    ({"name": "r", "desttype": "Extension", "dest": "101"}, "10068"),
    ({"name": "r", "desttype": "extension", "dest": "999"}, "10069"),
    ({"name": "r", "desttype": "voicemail", "dest": "999"}, "10069"),
    ({"name": "r", "desttype": "ivr", "dest": "6599"}, "10069"),
    ({"name": "r", "desttype": "ivr", "dest": "daytime"}, "10069"),
    ({"name": "r", "desttype": "queue", "dest": "6799"}, "10069"),
    ({"name": "r", "desttype": "conference", "dest": "6499"}, "10069"),
    ({"name": "main", "desttype": "hangup"}, "10064"),
    ({"name": "a,b", "desttype": "hangup"}, "10063"),
    ({"name": "all", "desttype": "hangup"}, "10063"),
])
def test_add_errors(seeded, token, body, errno):
    add(seeded, token, name="main", desttype="extension", dest="101")
    seeded.refused("inroute/add", body, errno, token=token)


def test_query_selection_keeps_creation_order(seeded, token):
    emu = seeded
    for name in ("zeta", "alpha", "mid"):
        add(emu, token, name=name, desttype="hangup")
    assert ROUTES.names(emu, token) == ["zeta", "alpha", "mid"]
    assert ROUTES.names(emu, token, "mid,zeta") == ["zeta", "mid"]


@pytest.mark.parametrize("body,errno", [
    ({}, "10004"), ({"name": ""}, "10004"), ({"name": "nosuch"}, "10072"),
    ({"name": "main,nosuch"}, "10072"),
])
def test_query_errors(seeded, token, body, errno):
    add(seeded, token, name="main", desttype="hangup")
    seeded.refused("inroute/query", body, errno, token=token)


def test_query_all_when_empty(emu, token):
    assert query(emu, token) == []


# -- update -----------------------------------------------------------------------------

def test_update_keeps_omitted_optional_fields_and_clears_empty_ones(seeded, token):
    emu = seeded
    add(emu, token, name="main", did="5551000", caller_id="0049X.", desttype="extension",
        dest="101")
    body = {"name": "main", "desttype": "queue", "dest": "6700", "trunks": "ignored"}
    assert emu.api("inroute/update", body, token=token) == {"status": "Success"}
    (route,) = query(emu, token)
    assert (route["did"], route["caller_id"], route["desttype"], route["dest"]) == (
        "5551000", "0049X.", "queue", "6700")
    emu.api("inroute/update", {"name": "main", "desttype": "hangup", "dest": "",
                               "did": ""}, token=token)
    assert query(emu, token)[0] == {"id": "", "name": "main", "did": "", "caller_id": "0049X.",
                                    "desttype": "hangup", "dest": ""}


@pytest.mark.parametrize("body,errno", [
    ({"desttype": "hangup"}, "10004"),
    ({"name": "main"}, "10004"),
    ({"name": "main", "desttype": "extension"}, "10004"),
    ({"name": "main", "dest": "101"}, "10004"),
    ({"name": "nosuch", "desttype": "hangup"}, "10072"),
    ({"name": "main", "desttype": "fax", "dest": "1"}, "10068"),
    ({"name": "main", "desttype": "extension", "dest": "103"}, "10069"),
])
def test_update_errors(seeded, token, body, errno):
    add(seeded, token, name="main", desttype="extension", dest="101")
    seeded.refused("inroute/update", body, errno, token=token)


# -- delete -----------------------------------------------------------------------------

def test_delete_one_list_and_all(seeded, token):
    ROUTES.check_delete_one_list_and_all(seeded, token, ("a", "b", "c", "d"),
                                         desttype="hangup")


@pytest.mark.parametrize("body,errno", [
    ({}, "10004"), ({"name": ""}, "10004"), ({"name": "a,nosuch"}, "10072"),
])
def test_delete_errors_delete_nothing(seeded, token, body, errno):
    add(seeded, token, name="a", desttype="hangup")
    seeded.refused("inroute/delete", body, errno, token=token)
    assert ROUTES.names(seeded, token) == ["a"]


# -- referential integrity ----------------------------------------------------------------

@pytest.mark.parametrize("desttype", ["extension", "voicemail"])
def test_extension_used_by_a_route_cannot_be_deleted_or_renumbered(seeded, token, desttype):
    emu = seeded
    add(emu, token, name="main", desttype=desttype, dest="101")
    assert emu.api("extension/delete", {"number": "101"}, token=token)["errno"] == "10017"
    assert emu.api("extension/delete", {"number": "102,101"}, token=token)["errno"] == "10017"
    assert emu.api("extension/update", {"extid": "101", "extnumber": "201"},
                   token=token)["errno"] == "10017"
    assert [r["number"] for r in emu.state()["extensions"]] == ["101", "102"]
    # Other changes to the extension are still fine.
    assert emu.api("extension/update", {"extid": "101", "username": "desk"},
                   token=token)["status"] == "Success"
    assert emu.api("extension/update", {"extid": "101", "extnumber": "101"},
                   token=token)["status"] == "Success"
    emu.api("inroute/update", {"name": "main", "desttype": "extension", "dest": "102"},
            token=token)
    assert emu.api("extension/delete", {"number": "101"}, token=token)["status"] == "Success"
    assert emu.api("extension/delete", {"number": "102"}, token=token)["errno"] == "10017"


def test_unknown_extension_in_delete_still_answers_10006(seeded, token):
    add(seeded, token, name="main", desttype="extension", dest="101")
    assert seeded.api("extension/delete", {"number": "101,999"}, token=token)["errno"] == "10006"


def test_state_put_refuses_a_dangling_destination(seeded, token):
    emu = seeded
    add(emu, token, name="main", desttype="ivr", dest="6501")
    for document in ({"ivrs": [{"ivrid": "6500"}]},
                     {"inbound_routes": [{"name": "x", "desttype": "extension", "dest": "999"}]},
                     {"inbound_routes": [{"name": "x", "desttype": "teleport", "dest": "1"}]},
                     {"inbound_routes": [{"name": "x", "id": "7", "desttype": "hangup"}]}):
        emu.put_state_refused(document)
