"""outroute/query|add|update|delete (OpenVox UC API: Outbound Route)."""

import pytest

from apihelpers import Resource, merged

ROUTES = Resource("outroute", "name", "outroutes")
add, query = ROUTES.add, ROUTES.query
SEED = {"trunks": [{"trunkname": "itsp1", "trunktype": "peer", "host": "10.0.0.1"},
                   {"trunkname": "itsp2", "trunktype": "peer", "host": "10.0.0.2"},
                   {"trunkname": "fxo1", "type": "FXO", "port": "1"}]}
# The example of the Add Outbound Route page.
ADD_EXAMPLE = {"name": "to16", "prefix": "16", "matchpattern": "X.", "trunks": "itsp1"}


def test_query_example_from_seeded_state(seeded, token):
    emu = seeded
    emu.ctl("PUT", "state", {"outbound_routes": [
        {"id": "19", "name": "to-pbx", "prefix": "16", "matchpattern": "X.", "trunks": "itsp1"}]})
    assert emu.api("outroute/query", {"name": "all"}, token=token) == {
        "status": "Success",
        "outroutes": [{"id": "19", "name": "to-pbx", "prepend": "", "prefix": "16",
                       "matchpattern": "X.", "callerid": "", "trunks": "itsp1"}]}
    # New routes continue after the highest stored id.
    add(emu, token, **ADD_EXAMPLE)
    assert [r["id"] for r in query(emu, token)] == ["19", "20"]


def test_add_example(seeded, token):
    assert add(seeded, token, **ADD_EXAMPLE) == {"status": "Success"}
    assert query(seeded, token, "to16") == [{"id": "1", "name": "to16", "prepend": "",
                                             "prefix": "16", "matchpattern": "X.",
                                             "callerid": "", "trunks": "itsp1"}]


def test_trunk_order_is_kept_exactly(seeded, token):
    add(seeded, token, name="r", matchpattern="NXXNXXXXXX", trunks="itsp2, fxo1,itsp1")
    add(seeded, token, name="s", matchpattern="X.", trunks="itsp1,itsp2")
    assert [r["trunks"] for r in query(seeded, token)] == ["itsp2,fxo1,itsp1", "itsp1,itsp2"]


def test_yeastar_keys_are_ignored(seeded, token):
    answer = add(seeded, token, **ADD_EXAMPLE, strip="2", extensions="101",
                 extensionsgroup="g1")
    assert answer["status"] == "Success"
    assert set(query(seeded, token)[0]) == {"id", "name", "prepend", "prefix", "matchpattern",
                                            "callerid", "trunks"}


@pytest.mark.parametrize("pattern", ["X.", "_NXXNXXXXXX", "[2-9]XX", "011!", "*72X.",
                                     "#", "+49Z.", "33nxxxxxxxx", "zx."])
def test_pattern_characters(seeded, token, pattern):
    answer = add(seeded, token, name="r", matchpattern=pattern, trunks="itsp1")
    expected = "10075" if pattern.startswith("_") else None
    assert answer.get("errno") == expected


# The body checks add and update share. The PBX holds ADD_EXAMPLE (id 1) and "other"
# (id 2); add sends ADD_EXAMPLE under a new name, update sends it for id 1.
SHARED_BODY_ERRORS = [
    ({"name": None}, "10004"), ({"name": ""}, "10004"), ({"matchpattern": None}, "10004"),
    ({"matchpattern": ""}, "10004"), ({"trunks": ""}, "10004"), ({"trunks": None}, "10004"),
    ({"trunks": ","}, "10004"),
    ({"name": "other"}, "10074"),
    ({"name": "a,b"}, "10073"), ({"name": "all"}, "10073"), ({"name": "x,y"}, "10073"),
    ({"prefix": "9a"}, "10075"), ({"prefix": "+9"}, "10075"), ({"prefix": "a"}, "10075"),
    ({"matchpattern": "y."}, "10075"), ({"matchpattern": "X. "}, "10075"),
    ({"matchpattern": "abc"}, "10075"),
    ({"prepend": "0x"}, "10077"), ({"prepend": "1-2"}, "10077"), ({"prepend": "p"}, "10077"),
    # The reference: "digits added in front of the number" — no dialling signs.
    ({"prepend": "+"}, "10077"), ({"prepend": "+33"}, "10077"), ({"prepend": "*31#"}, "10077"),
    ({"trunks": "nosuch"}, "10078"), ({"trunks": "itsp1,nosuch"}, "10078"),
    ({"trunks": "itsp1,itsp1"}, "10078"), ({"trunks": "itsp9"}, "10078"),
]


@pytest.fixture
def two_routes(seeded, token):
    add(seeded, token, **ADD_EXAMPLE)
    add(seeded, token, name="other", matchpattern="X.", trunks="itsp2")
    return seeded


# Update may keep the route's own name.
@pytest.mark.parametrize("change,errno", SHARED_BODY_ERRORS + [({"name": "to16"}, "10074")])
def test_add_errors(two_routes, token, change, errno):
    body = merged(ADD_EXAMPLE, {"name": "new"}, change)
    two_routes.refused("outroute/add", body, errno, token=token)


@pytest.mark.parametrize("prepend", ["", "0", "0049"])
def test_prepend_takes_digits(seeded, token, prepend):
    assert add(seeded, token, name="r", matchpattern="X.", prepend=prepend, trunks="itsp1") == {"status": "Success"}
    assert query(seeded, token)[-1]["prepend"] == prepend


# INFERRED (tests/emulator/README.md): the reference names X, Z and N; Asterisk reads them in either case.
@pytest.mark.parametrize("pattern", ["nxx", "0zX.", "[1-5]xx"])
def test_lowercase_pattern_letters_are_taken(seeded, token, pattern):
    assert add(seeded, token, name="r", matchpattern=pattern, trunks="itsp1") == {"status": "Success"}
    assert query(seeded, token)[-1]["matchpattern"] == pattern


def test_lowercase_pattern_letters_match_like_uppercase():
    from ucpbx_emulator.calls import _pattern_regex
    assert _pattern_regex("nxx") == _pattern_regex("NXX")


def test_ids_increase_and_are_never_reused(seeded, token):
    for name in ("a", "b"):
        add(seeded, token, name=name, matchpattern="X.", trunks="itsp1")
    seeded.api("outroute/delete", {"name": "b"}, token=token)
    add(seeded, token, name="c", matchpattern="X.", trunks="itsp1")
    assert [(r["id"], r["name"]) for r in query(seeded, token)] == [("1", "a"), ("3", "c")]


@pytest.mark.parametrize("body,errno", [
    ({}, "10004"), ({"name": ""}, "10004"), ({"name": "nosuch"}, "10083"),
    ({"name": "to16,nosuch"}, "10083"),
])
def test_query_errors(seeded, token, body, errno):
    add(seeded, token, **ADD_EXAMPLE)
    seeded.refused("outroute/query", body, errno, token=token)


# -- update -----------------------------------------------------------------------------

def test_update_renames_and_keeps_omitted_optional_fields(seeded, token):
    emu = seeded
    add(emu, token, **ADD_EXAMPLE, prepend="0", callerid="10X")
    body = {"id": "1", "name": "to16-new", "matchpattern": "NXX.", "trunks": "itsp2,itsp1",
            "strip": "1"}
    assert emu.api("outroute/update", body, token=token) == {"status": "Success"}
    assert query(emu, token) == [{"id": "1", "name": "to16-new", "prepend": "0", "prefix": "16",
                                  "matchpattern": "NXX.", "callerid": "10X",
                                  "trunks": "itsp2,itsp1"}]
    emu.api("outroute/update", {**body, "prefix": "", "callerid": ""}, token=token)
    (route,) = query(emu, token)
    assert (route["prefix"], route["callerid"], route["prepend"]) == ("", "", "0")


@pytest.mark.parametrize("change,errno", SHARED_BODY_ERRORS + [
    ({"id": None}, "10004"), ({"id": ""}, "10004"), ({"id": "99"}, "10083"),
    ({"id": "1,2"}, "10083"),
])
def test_update_errors(two_routes, token, change, errno):
    body = merged(ADD_EXAMPLE, {"id": "1"}, change)
    two_routes.refused("outroute/update", body, errno, token=token)


# -- delete -----------------------------------------------------------------------------

def test_delete_one_list_and_all(seeded, token):
    ROUTES.check_delete_one_list_and_all(seeded, token, ("a", "b", "c", "d"),
                                         matchpattern="X.", trunks="itsp1")


@pytest.mark.parametrize("body,errno", [
    ({}, "10004"), ({"name": ","}, "10004"), ({"name": "a,nosuch"}, "10083"),
])
def test_delete_errors_delete_nothing(seeded, token, body, errno):
    add(seeded, token, name="a", matchpattern="X.", trunks="itsp1")
    seeded.refused("outroute/delete", body, errno, token=token)
    assert ROUTES.names(seeded, token) == ["a"]


# -- state ------------------------------------------------------------------------------

@pytest.mark.parametrize("document", [
    {"trunks": []},
    {"trunks": [{"trunkname": "itsp1", "trunktype": "peer", "host": "h"}]},
    {"outbound_routes": [{"name": "x", "matchpattern": "X.", "trunks": "nosuch"}]},
    {"outbound_routes": [{"name": "x", "matchpattern": "X.", "trunks": "itsp1", "strip": "1"}]},
    {"outbound_routes": [{"name": "x", "matchpattern": "bad", "trunks": "itsp1"}]},
    {"outbound_routes": [{"id": "1", "name": "x", "matchpattern": "X.", "trunks": "itsp1"},
                         {"id": "1", "name": "y", "matchpattern": "X.", "trunks": "itsp1"}]},
])
def test_state_put_keeps_routes_and_trunks_consistent(seeded, token, document):
    add(seeded, token, name="r", matchpattern="X.", trunks="itsp2")
    seeded.put_state_refused(document)
