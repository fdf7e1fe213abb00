"""trunklist/query and siptrunk/query|add|update|delete (OpenVox UC API: Trunk)."""

import pytest

from apihelpers import Resource, merged

TRUNKS = Resource("siptrunk", "trunkname", "trunks")

# The example of the Add a SIP Trunk page, and the peer trunk of the Query SIP Trunk Settings example.
REGISTER = {"trunkname": "itsp1", "trunktype": "register", "host": "sip.example.net",
            "port": "5060", "username": "6100", "authname": "6100", "password": "Pw123456"}
PEER = {"trunkname": "peer1", "trunktype": "peer", "host": "10.1.1.2", "port": "5060"}
ACCOUNT = {"trunkname": "acct1", "trunktype": "account", "username": "7100",
           "authname": "7100", "password": "Acc12345"}


def add(emu, token, body):
    return TRUNKS.add(emu, token, **body)


query = TRUNKS.query


def seed_physical(emu):
    emu.ctl("PUT", "state", {"trunks": [
        {"trunkname": "fxo1", "type": "FXO", "port": "1"},
        {"trunkname": "iax1", "type": "IAX", "status": "Registered"},
    ]})


def test_query_example_after_seeding(emu, token):
    assert add(emu, token, REGISTER) == {"status": "Success"}
    assert add(emu, token, PEER) == {"status": "Success"}
    answer = emu.api("siptrunk/query", {"trunkname": "all"}, token=token)
    assert answer == {"status": "Success", "trunks": [
        {"id": "1", "trunkname": "itsp1", "tech": "pjsip", "trunktype": "register",
         "host": "sip.example.net", "port": "5060", "domain": "sip.example.net",
         "username": "6100", "authname": "6100", "fromuser": "", "password": "Pw123456"},
        {"id": "2", "trunkname": "peer1", "tech": "pjsip", "trunktype": "peer",
         "host": "10.1.1.2", "port": "5060", "domain": "10.1.1.2"}]}


def test_account_trunk_fields(emu, token):
    add(emu, token, {**ACCOUNT, "host": "ignored.example", "fromuser": "x"})
    assert query(emu, token) == [{"id": "1", "trunkname": "acct1", "tech": "pjsip",
                                  "trunktype": "account", "username": "7100",
                                  "authname": "7100", "password": "Acc12345"}]


def test_trunklist_lists_every_trunk(emu, token):
    seed_physical(emu)
    add(emu, token, REGISTER)
    add(emu, token, PEER)
    add(emu, token, ACCOUNT)
    answer = emu.api("trunklist/query", token=token)
    assert answer == {"status": "Success", "trunkname": [
        {"trunkname": "fxo1", "status": "Idle", "type": "FXO", "port": "1"},
        {"trunkname": "iax1", "status": "Registered", "type": "IAX"},
        {"trunkname": "itsp1", "status": "Registered", "type": "SIP"},
        {"trunkname": "peer1", "status": "Unknown", "type": "SIP"},
        {"trunkname": "acct1", "status": "Unknown", "type": "SIP"}]}
    # State-only trunks stay out of siptrunk/*.
    assert TRUNKS.names(emu, token) == ["itsp1", "peer1", "acct1"]


def test_query_selection(emu, token):
    for body in (REGISTER, PEER, ACCOUNT):
        add(emu, token, body)
    assert TRUNKS.names(emu, token, "acct1,itsp1") == ["itsp1", "acct1"]
    assert TRUNKS.names(emu, token, "peer1") == ["peer1"]


def test_query_all_without_sip_trunks_is_empty(emu, token):
    seed_physical(emu)
    assert query(emu, token) == []


def test_domain_defaults_to_host_and_can_be_set(emu, token):
    add(emu, token, {**REGISTER, "domain": "", "fromuser": "6100x"})
    add(emu, token, {**PEER, "domain": "example.org"})
    itsp, peer = query(emu, token)
    assert itsp["domain"] == "sip.example.net" and itsp["fromuser"] == "6100x"
    assert peer["domain"] == "example.org"


def test_ids_increase_and_are_never_reused(emu, token):
    add(emu, token, REGISTER)
    add(emu, token, PEER)
    emu.api("siptrunk/delete", {"trunkname": "peer1"}, token=token)
    add(emu, token, ACCOUNT)
    assert [t["id"] for t in query(emu, token)] == ["1", "3"]
    emu.api("siptrunk/delete", {"trunkname": "all"}, token=token)
    add(emu, token, PEER)
    assert [t["id"] for t in query(emu, token)] == ["4"]


# The body checks add and update share. The PBX holds fxo1 (id 1), iax1 (id 2), itsp1
# (REGISTER, id 3) and peer1 (PEER, id 4); add sends REGISTER under a new name, update
# sends REGISTER for id 3.
SHARED_BODY_ERRORS = [
    ({"trunkname": ""}, "10004"), ({"trunktype": None}, "10004"), ({"trunktype": ""}, "10004"),
    ({"host": ""}, "10004"), ({"port": None}, "10004"), ({"username": None}, "10004"),
    ({"authname": ""}, "10004"), ({"password": None}, "10004"),
    ({"trunktype": "friend"}, "10044"), ({"trunktype": "user"}, "10044"),
    ({"port": "0"}, "10046"), ({"port": "65536"}, "10046"), ({"port": "50a"}, "10046"),
    ({"port": "99999"}, "10046"),
    ({"trunkname": "a,b"}, "10042"), ({"trunkname": "all"}, "10042"),
    ({"trunkname": "x,y"}, "10042"),
    ({"trunkname": "fxo1"}, "10043"), ({"trunkname": "peer1"}, "10043"),
]
UPDATE_ONLY_ERRORS = [
    ({"id": None}, "10004"), ({"id": ""}, "10004"), ({"trunkname": None}, "10004"),
    ({"id": "99"}, "10062"),
]


@pytest.fixture
def four_trunks(emu, token):
    seed_physical(emu)
    add(emu, token, REGISTER)
    add(emu, token, PEER)
    return emu


@pytest.mark.parametrize("change,errno", SHARED_BODY_ERRORS)
def test_add_errors(four_trunks, token, change, errno):
    body = merged(REGISTER, {"trunkname": "itsp2"}, change)
    four_trunks.refused("siptrunk/add", body, errno, token=token)


@pytest.mark.parametrize("base,missing", [
    (PEER, "host"), (PEER, "port"), (ACCOUNT, "username"), (ACCOUNT, "authname"),
    (ACCOUNT, "password"),
])
def test_add_requires_the_fields_of_its_type(emu, token, base, missing):
    body = {key: value for key, value in base.items() if key != missing}
    assert add(emu, token, body)["errno"] == "10004"


def test_add_duplicate_name(emu, token):
    add(emu, token, REGISTER)
    assert add(emu, token, {**PEER, "trunkname": "itsp1"})["errno"] == "10043"


def test_port_extremes_and_numbers(emu, token):
    assert add(emu, token, {**PEER, "port": 65535})["status"] == "Success"
    assert add(emu, token, {**PEER, "trunkname": "p2", "port": "1"})["status"] == "Success"
    assert [t["port"] for t in query(emu, token)] == ["65535", "1"]


# -- update -----------------------------------------------------------------------------

def test_update_example_is_a_full_replacement(emu, token):
    add(emu, token, {**REGISTER, "domain": "d.example", "fromuser": "fu"})
    example = {"id": "1", "trunkname": "itsp1", "trunktype": "register",
               "host": "sip2.example.net", "port": "5060", "username": "6100",
               "authname": "6100", "password": "Pw123456"}
    assert emu.api("siptrunk/update", example, token=token) == {"status": "Success"}
    (trunk,) = query(emu, token)
    # Optional fields not sent are cleared or defaulted, not kept.
    assert trunk["host"] == "sip2.example.net"
    assert trunk["domain"] == "sip2.example.net"
    assert trunk["fromuser"] == ""


def test_update_can_change_the_type(emu, token):
    add(emu, token, REGISTER)
    body = {"id": "1", "trunkname": "itsp1", "trunktype": "peer", "host": "10.0.0.1",
            "port": 5070, "username": "dropped"}
    assert emu.api("siptrunk/update", body, token=token)["status"] == "Success"
    assert query(emu, token) == [{"id": "1", "trunkname": "itsp1", "tech": "pjsip",
                                  "trunktype": "peer", "host": "10.0.0.1", "port": "5070",
                                  "domain": "10.0.0.1"}]
    listed = emu.api("trunklist/query", token=token)["trunkname"]
    assert listed == [{"trunkname": "itsp1", "status": "Unknown", "type": "SIP"}]


@pytest.mark.parametrize("change,errno", SHARED_BODY_ERRORS + UPDATE_ONLY_ERRORS)
def test_update_errors_change_nothing(four_trunks, token, change, errno):
    body = merged(REGISTER, {"id": "3"}, change)
    four_trunks.refused("siptrunk/update", body, errno, token=token)


def test_update_cannot_touch_a_non_sip_trunk(emu, token):
    seed_physical(emu)
    body = {**PEER, "id": "1", "trunkname": "fxo1"}
    assert emu.api("siptrunk/update", body, token=token)["errno"] == "10062"


def test_rename_propagates_to_outbound_routes(emu, token):
    add(emu, token, REGISTER)
    add(emu, token, PEER)
    emu.api("outroute/add", {"name": "out", "matchpattern": "X.", "trunks": "peer1,itsp1"},
            token=token)
    body = {**REGISTER, "id": "1", "trunkname": "itsp-main"}
    assert emu.api("siptrunk/update", body, token=token)["status"] == "Success"
    (route,) = emu.api("outroute/query", {"name": "out"}, token=token)["outroutes"]
    assert route["trunks"] == "peer1,itsp-main"
    assert emu.api("siptrunk/query", {"trunkname": "itsp1"}, token=token)["errno"] == "10062"
    assert query(emu, token, "itsp-main")[0]["id"] == "1"


# -- delete -----------------------------------------------------------------------------

def test_delete_one_list_and_all(emu, token):
    seed_physical(emu)
    for body in (REGISTER, PEER, ACCOUNT):
        add(emu, token, body)
    assert TRUNKS.delete(emu, token, "peer1") == {"status": "Success"}
    assert TRUNKS.delete(emu, token, "acct1,itsp1")["status"] == "Success"
    assert query(emu, token) == []
    add(emu, token, REGISTER)
    assert TRUNKS.delete(emu, token, "all")["status"] == "Success"
    # "all" means every SIP trunk; the state-only ones stay.
    assert [t["trunkname"] for t in emu.state()["trunks"]] == ["fxo1", "iax1"]


# An outbound route uses peer1.
@pytest.mark.parametrize("action,body,errno", [
    ("query", {}, "10004"), ("query", {"trunkname": ""}, "10004"),
    ("query", {"trunkname": ","}, "10004"), ("query", {"trunkname": "nosuch"}, "10062"),
    ("query", {"trunkname": "itsp1,nosuch"}, "10062"), ("query", {"trunkname": "fxo1"}, "10062"),
    ("delete", {}, "10004"), ("delete", {"trunkname": ""}, "10004"),
    ("delete", {"trunkname": "itsp1,nosuch"}, "10062"), ("delete", {"trunkname": "fxo1"}, "10062"),
    ("delete", {"trunkname": "peer1"}, "10061"), ("delete", {"trunkname": "all"}, "10061"),
])
def test_query_and_delete_errors_change_nothing(four_trunks, token, action, body, errno):
    emu = four_trunks
    emu.api("outroute/add", {"name": "r", "matchpattern": "X.", "trunks": "peer1"}, token=token)
    emu.refused(f"siptrunk/{action}", body, errno, token=token)


def test_trunk_is_deletable_once_no_route_uses_it(emu, token):
    add(emu, token, PEER)
    emu.api("outroute/add", {"name": "r", "matchpattern": "X.", "trunks": "peer1"}, token=token)
    assert emu.api("siptrunk/delete", {"trunkname": "peer1"}, token=token)["errno"] == "10061"
    emu.api("outroute/delete", {"name": "r"}, token=token)
    assert emu.api("siptrunk/delete", {"trunkname": "peer1"}, token=token)["status"] == "Success"


# -- XML, log, key option ------------------------------------------------------------------

def test_xml_query(emu, token):
    add(emu, token, PEER)
    body = b"<xml><trunkname>all</trunkname></xml>"
    text = emu.call("siptrunk/query", token=token, fmt="xml", data=body).text
    assert text == ('<?xml version="1.0" encoding="utf-8"?><xml><status>Success</status>'
                    '<trunks><item id="0"><id>1</id><trunkname>peer1</trunkname>'
                    "<tech>pjsip</tech><trunktype>peer</trunktype><host>10.1.1.2</host>"
                    "<port>5060</port><domain>10.1.1.2</domain></item></trunks></xml>")


def test_xml_add(emu, token):
    body = ("<xml><trunkname>itsp1</trunkname><trunktype>register</trunktype>"
            "<host>sip.example.net</host><port>5060</port><domain>sip.example.net</domain>"
            "<username>6100</username><authname>6100</authname><password>Pw123456</password>"
            "</xml>").encode()
    text = emu.call("siptrunk/add", token=token, fmt="xml", data=body).text
    assert text.endswith("<xml><status>Success</status></xml>")
    assert query(emu, token)[0]["password"] == "Pw123456"


def test_password_is_masked_in_the_log(emu, token):
    add(emu, token, REGISTER)
    entry = emu.requests_log()[-1]
    assert entry["body"]["password"] == "********"
    assert entry["body"]["username"] == "6100"


def test_trunk_list_key_option_with_trunks(emulator_factory):
    emu = emulator_factory("--trunk-list-key", "trunklist")
    token = emu.login()
    add(emu, token, PEER)
    answer = emu.api("trunklist/query", token=token)
    assert answer == {"status": "Success", "trunklist": [
        {"trunkname": "peer1", "status": "Unknown", "type": "SIP"}]}
