"""The state document's resource keys (trunks, routes, call features): round trip,
references across resources, reset, state file, and the API conventions on the new
endpoints."""

import json

import pytest

from apihelpers import assert_all_strings
from conftest import EmulatorProcess

FULL_STATE = {
    "extensions": [{"number": "201"}, {"number": "202"}],
    "trunks": [
        {"id": "4", "trunkname": "itsp1", "type": "SIP", "trunktype": "register",
         "host": "sip.example.net", "port": "5060", "username": "6100", "authname": "6100",
         "password": "Pw123456", "status": "Failure"},
        {"trunkname": "fxo1", "type": "FXO", "port": "2", "status": "Busy"},
        {"id": "2", "trunkname": "peer1", "tech": "pjsip", "trunktype": "peer",
         "host": "10.1.1.2", "port": 5062},
    ],
    "inbound_routes": [{"name": "main", "did": "5551000", "desttype": "ivr", "dest": "6500"},
                       {"name": "sales", "desttype": "queue", "dest": "6700"}],
    "outbound_routes": [{"name": "out", "matchpattern": "X.", "trunks": "peer1,itsp1,fxo1"}],
    "queues": [{"queuenumber": "6700", "queuename": "sales", "agents": "201"}],
    "ivrs": [{"ivrid": "6500", "ivrname": "main"}],
    "conferences": [{"number": "6400"}],
    "paging_groups": [{"number": "6300", "name": "all-staff", "type": "intercom",
                       "member": "201,202"}],
}


def test_full_document_loads_with_defaults_and_round_trips(emu, token):
    state = emu.ctl("PUT", "state", FULL_STATE)
    assert state["trunks"] == [
        {"id": "2", "trunkname": "peer1", "type": "SIP", "status": "Unknown",
         "trunktype": "peer", "host": "10.1.1.2", "port": "5062", "domain": "10.1.1.2"},
        {"id": "4", "trunkname": "itsp1", "type": "SIP", "status": "Failure",
         "trunktype": "register", "host": "sip.example.net", "port": "5060",
         "domain": "sip.example.net", "username": "6100", "authname": "6100", "fromuser": "",
         "password": "Pw123456"},
        {"id": "5", "trunkname": "fxo1", "type": "FXO", "status": "Busy", "port": "2"}]
    assert state["inbound_routes"][1] == {"name": "sales", "did": "", "caller_id": "",
                                          "desttype": "queue", "dest": "6700"}
    assert state["outbound_routes"] == [{"id": "1", "name": "out", "prepend": "", "prefix": "",
                                         "matchpattern": "X.", "callerid": "",
                                         "trunks": "peer1,itsp1,fxo1"}]
    assert state["queues"][0]["ringstrategy"] == "Ring All"
    assert state["ivrs"] == [{"ivrid": "6500", "ivrname": "main", "prompt": "",
                              "promptrepeat": "2", "responsetimeout": "4"}]
    assert state["conferences"][0]["name"] == "6400"
    listed = emu.api("trunklist/query", token=token)["trunkname"]
    assert listed == [{"trunkname": "peer1", "status": "Unknown", "type": "SIP"},
                      {"trunkname": "itsp1", "status": "Failure", "type": "SIP"},
                      {"trunkname": "fxo1", "status": "Busy", "type": "FXO", "port": "2"}]
    # New trunks continue after the highest id.
    emu.api("siptrunk/add", {"trunkname": "p3", "trunktype": "peer", "host": "h",
                             "port": "5060"}, token=token)
    assert emu.api("siptrunk/query", {"trunkname": "p3"}, token=token)["trunks"][0]["id"] == "6"
    # What GET returns, PUT takes back unchanged.
    state = emu.state()
    emu.ctl("POST", "reset")
    assert emu.ctl("PUT", "state", state) == state


def test_reset_returns_to_the_defaults(emu, token):
    emu.ctl("PUT", "state", FULL_STATE)
    emu.ctl("POST", "reset")
    state = emu.state()
    assert state["trunks"] == [] and state["inbound_routes"] == []
    assert state["outbound_routes"] == [] and state["paging_groups"] == []
    assert [q["queuenumber"] for q in state["queues"]] == ["6700", "6701"]
    assert [i["ivrid"] for i in state["ivrs"]] == ["6500", "6501"]
    assert [c["number"] for c in state["conferences"]] == ["6400", "6401"]


def test_ids_are_not_reused_after_a_put(emu, token):
    body = {"trunkname": "p1", "trunktype": "peer", "host": "h", "port": "5060"}
    emu.api("siptrunk/add", body, token=token)
    emu.api("siptrunk/add", {**body, "trunkname": "p2"}, token=token)
    emu.api("outroute/add", {"name": "r", "matchpattern": "X.", "trunks": "p1"}, token=token)
    emu.ctl("PUT", "state", {"trunks": [], "outbound_routes": []})
    emu.api("siptrunk/add", body, token=token)
    emu.api("outroute/add", {"name": "r", "matchpattern": "X.", "trunks": "p1"}, token=token)
    state = emu.state()
    assert [t["id"] for t in state["trunks"]] == ["3"]
    assert [r["id"] for r in state["outbound_routes"]] == ["2"]


@pytest.mark.parametrize("document", [
    {"trunks": {}},
    {"trunks": [{"type": "SIP", "trunktype": "peer", "host": "h"}]},
    {"trunks": [{"trunkname": "t", "trunktype": "friend"}]},
    {"trunks": [{"trunkname": "t", "trunktype": "peer", "host": "h", "port": "0"}]},
    {"trunks": [{"trunkname": "t", "trunktype": "peer"}]},
    {"trunks": [{"trunkname": "t", "trunktype": "peer", "host": "h", "username": "u"}]},
    {"trunks": [{"trunkname": "t", "trunktype": "peer", "host": "h", "tech": "sip"}]},
    {"trunks": [{"trunkname": "t", "trunktype": "peer", "host": "h", "status": "Idle"}]},
    {"trunks": [{"trunkname": "t", "type": "FXO"}]},
    {"trunks": [{"trunkname": "t", "type": "FXO", "port": "1", "status": "Registered"}]},
    {"trunks": [{"trunkname": "t", "type": "ISDN"}]},
    {"trunks": [{"trunkname": "a,b", "type": "IAX"}]},
    {"trunks": [{"trunkname": "t", "type": "IAX"}, {"trunkname": "t", "type": "IAX"}]},
    {"trunks": [{"id": "1", "trunkname": "a", "type": "IAX"},
                {"id": "1", "trunkname": "b", "type": "IAX"}]},
    {"trunks": [{"id": "x", "trunkname": "a", "type": "IAX"}]},
    {"trunks": [{"id": "01", "trunkname": "a", "type": "IAX"}]},
    {"trunks": [{"trunkname": "a", "type": "IAX", "port": {"n": 1}}]},
    {"inbound_routes": [{"name": "r", "desttype": "extension"}]},
    {"inbound_routes": "none"},
    {"outbound_routes": [{"name": "r", "trunks": "x"}]},
    {"paging_groups": [{"number": "1", "member": "1,1"}]},
])
def test_state_put_refuses_bad_resource_documents(emu, document):
    emu.put_state_refused(document)


def test_state_put_checks_references_across_the_whole_document(emu):
    # Each part alone would dangle; together they are consistent.
    document = {"extensions": [{"number": "301"}],
                "inbound_routes": [{"name": "r", "desttype": "voicemail", "dest": "301"}]}
    assert emu.control("PUT", "state", document).status_code == 200
    assert emu.control("PUT", "state", {"extensions": []}).status_code == 400
    assert emu.control("PUT", "state", {"extensions": [], "inbound_routes": []}).status_code == 200


def test_state_file_holds_every_resource(tmp_path):
    state_file = tmp_path / "state.json"
    state_file.write_text(json.dumps(FULL_STATE))
    emu = EmulatorProcess(tmp_path, "--state-file", str(state_file))
    try:
        token = emu.login()
        emu.api("inroute/delete", {"name": "all"}, token=token)
        emu.api("outroute/delete", {"name": "all"}, token=token)
        emu.api("siptrunk/delete", {"trunkname": "all"}, token=token)
        assert [t["trunkname"] for t in emu.state()["trunks"]] == ["fxo1"]
        emu.ctl("POST", "reset")
        state = emu.state()
        assert [t["trunkname"] for t in state["trunks"]] == ["peer1", "itsp1", "fxo1"]
        assert [r["name"] for r in state["inbound_routes"]] == ["main", "sales"]
        # Parts the file leaves out keep the defaults.
        assert [q["queuenumber"] for q in state["queues"]] == ["6700"]
        assert [c["number"] for c in state["conferences"]] == ["6400"]
    finally:
        assert emu.stop() == 0


def test_bad_references_in_a_state_file_are_refused(tmp_path):
    state_file = tmp_path / "state.json"
    state_file.write_text(json.dumps({"outbound_routes": [
        {"name": "r", "matchpattern": "X.", "trunks": "nosuch"}]}))
    with pytest.raises(RuntimeError, match="cannot load state"):
        EmulatorProcess(tmp_path, "--state-file", str(state_file))


# -- conventions on the new endpoints ----------------------------------------------------

QUERIES = [
    ("trunklist/query", None, "trunkname"),
    ("siptrunk/query", {"trunkname": "all"}, "trunks"),
    ("inroute/query", {"name": "all"}, "inroutes"),
    ("outroute/query", {"name": "all"}, "outroutes"),
    ("queue/query", None, "queues"),
    ("ivr/query", None, "ivr"),
    ("conference/query", {"number": "all"}, "conferences"),
    ("paginggroup/lists", None, "paginggrouplist"),
    ("paginggroup/query", {"number": "all"}, "paginggroup"),
]


@pytest.mark.parametrize("endpoint,body,key", QUERIES)
def test_every_scalar_is_a_string_on_both_bases(emu, token, endpoint, body, key):
    emu.ctl("PUT", "state", FULL_STATE)
    for base in ("/api/v0.0.1", "/api/v1.1.0"):
        answer = emu.api(endpoint, body, token=token, base=base)
        assert answer["status"] == "Success" and answer[key], answer
        assert_all_strings(answer, endpoint)


@pytest.mark.parametrize("endpoint", [
    "siptrunk/add", "siptrunk/update", "siptrunk/delete", "inroute/add", "outroute/update",
    "queue/update", "ivr/update", "conference/update", "paginggroup/add",
])
def test_token_and_method_checks_come_first(emu, endpoint):
    assert emu.api(endpoint, {})["errno"] == "20005"
    assert emu.api(endpoint, {}, token="0" * 32)["errno"] == "20004"
    assert emu.api(endpoint, {}, method="PUT")["errno"] == "20001"


def test_faults_hit_new_endpoints(emu, token):
    emu.ctl("POST", "faults", {"count": 1, "kind": "errno", "errno": "10025",
                               "endpoint": "outroute/add"})
    body = {"name": "r", "matchpattern": "X.", "trunks": "fxo1"}
    emu.ctl("PUT", "state", {"trunks": [{"trunkname": "fxo1", "type": "FXO", "port": "1"}]})
    assert emu.api("outroute/add", body, token=token)["errno"] == "10025"
    assert emu.state()["outbound_routes"] == []
    assert emu.api("outroute/add", body, token=token)["status"] == "Success"


# What a compromised or buggy device could report: templates, line breaks, backticks, Markdown.
UNTRUSTED = ["{{ lookup('ansible.builtin.pipe', 'id') }}", "Bob`\n\n### PBX plan\n\n<!-- ", "a\u2028b\x85c",
             "{% raw %}`x`"]


def test_a_state_document_holds_names_the_api_would_refuse(emu, token):
    names = UNTRUSTED
    state = emu.ctl("PUT", "state", {
        "deviceinfo": {"devicename": names[2], "firmwarever": names[1]},
        "extensions": [{"number": str(201 + index), "username": name} for index, name in enumerate(names)],
        "trunks": [{"trunkname": "{{ 7 * 6 }}\n`t`", "trunktype": "peer", "host": "10.0.0.1"}],
        "ivrs": [{"ivrid": "6500", "ivrname": names[0]}, {"ivrid": "6501", "ivrname": names[1]}],
        "conferences": [{"number": "6400", "name": names[3]}, {"number": "6401", "name": names[1]}],
    })
    assert [record["username"] for record in state["extensions"]] == names
    assert emu.api("deviceinfo/query", {}, token=token)["deviceinfo"]["firmwarever"] == names[1]
    answer = emu.api("siptrunk/query", {"trunkname": "all"}, token=token)
    assert [trunk["trunkname"] for trunk in answer["trunks"]] == ["{{ 7 * 6 }}\n`t`"]
    answer = emu.api("ivr/query", {"ivr": "all"}, token=token)
    assert [ivr["ivrname"] for ivr in answer["ivr"]] == names[:2]
    answer = emu.api("conference/query", {"number": "all"}, token=token)
    assert [room["name"] for room in answer["conferences"]] == [names[3], names[1]]
    # The API still holds writes to its own rules.
    emu.refused("ivr/update", {"ivrid": "6500", "ivrname": names[3]}, "10018", token=token)
    emu.refused("conference/update", {"number": "6400", "name": names[3]}, "10004", token=token)
