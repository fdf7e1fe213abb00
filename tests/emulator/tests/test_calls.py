"""Audio calls (OpenVox UC API: Audio Calls) driven through the call simulator."""

import re

import pytest

from livehelpers import calls, inbound, new_call, setup_pbx

ID = re.compile(r"[0-9]{9,11}\.[0-9]+")


def seq(call_id):
    return int(call_id.split(".")[1])


def status_of(emu, token, number):
    (ext,) = [e for e in emu.api("extensionlist/query", token=token)["extlist"]
              if e["extnumber"] == number]
    return ext["status"]


# -- control API ---------------------------------------------------------------------------

def test_inbound_call_ids_and_listing(pbx):
    emu, _token = pbx
    created = inbound(emu)
    assert ID.fullmatch(created["callid"]) and ID.fullmatch(created["inboundid"])
    # Ring leg R = inbound leg I + 2, same epoch.
    assert seq(created["callid"]) == seq(created["inboundid"]) + 2
    assert created["callid"].split(".")[0] == created["inboundid"].split(".")[0]
    (listed,) = calls(emu)
    assert listed["direction"] == "inbound" and listed["state"] == "answered"
    assert listed["from"] == "0755123456" and listed["to"] == "201"
    assert listed["trunk"] == "sip-trunk-1"
    assert listed["muted"] == [] and listed["monitors"] == [] and listed["held_by"] == []
    second = inbound(emu, extension="202")
    assert seq(second["inboundid"]) > seq(created["callid"])


@pytest.mark.parametrize("body,message", [
    ({"direction": "inbound", "from": "1", "trunk": "nope", "extension": "201"}, "trunk"),
    ({"direction": "inbound", "from": "1", "trunk": "sip-trunk-1", "extension": "299"}, "extension"),
    ({"direction": "inbound", "from": "1", "trunk": "sip-trunk-1", "queue": "6799"}, "queue"),
    ({"direction": "inbound", "from": "1", "trunk": "sip-trunk-1"}, "exactly one"),
    ({"direction": "outbound", "from": "299", "to": "0123", "trunk": "sip-trunk-1"}, "extension"),
    ({"direction": "outbound", "from": "201", "to": "0123", "trunk": "nope"}, "trunk"),
    ({"direction": "sideways"}, "direction"),
    ({"direction": "inbound", "from": "1", "trunk": "sip-trunk-1", "extension": "201",
      "answer": "yes"}, "answer"),
])
def test_create_call_validation(pbx, body, message):
    emu, _token = pbx
    response = emu.control("POST", "calls", body)
    assert response.status_code == 400 and message in response.json()["error"]


def test_busy_extension_refused_by_control(pbx):
    emu, _token = pbx
    inbound(emu)
    assert emu.control("POST", "calls", {"direction": "inbound", "from": "1",
                                         "trunk": "sip-trunk-1", "extension": "201"}).status_code == 400


def test_answer_hangup_timeout_controls(pbx):
    emu, token = pbx
    ringing = inbound(emu, answer=False)
    assert calls(emu)[0]["state"] == "ringing"
    assert status_of(emu, token, "201") == "Ringing"
    answered = emu.ctl("POST", f"calls/{ringing['callid']}/answer")
    assert answered["state"] == "answered"
    assert status_of(emu, token, "201") == "Busy"
    # Any leg id finds the call.
    assert emu.ctl("POST", f"calls/{ringing['inboundid']}/hangup")["state"] == "ended"
    assert calls(emu) == []
    assert status_of(emu, token, "201") == "Idle"
    second = inbound(emu, answer=False)
    assert emu.ctl("POST", f"calls/{second['callid']}/timeout")["state"] == "ended"
    assert emu.control("POST", f"calls/{second['callid']}/answer").status_code == 404
    third = inbound(emu)
    assert emu.control("POST", f"calls/{third['callid']}/timeout").status_code == 400


# -- inbound/query, outbound/query ---------------------------------------------------------------

def test_inbound_query_example_shape(pbx):
    emu, token = pbx
    created = inbound(emu)
    answer = emu.api("inbound/query", {"inboundid": created["inboundid"]}, token=token)
    assert answer == {"status": "Success", "inbound": [
        {"inboundid": created["inboundid"], "from": "0755123456", "to": "88880000",
         "trunk": "sip-trunk-1", "callee": {"extid": "201"}, "status": "Talking"}]}


def test_inbound_query_all_progress_wait_and_unknown(pbx):
    emu, token = pbx
    assert emu.api("inbound/query", token=token) == {"status": "Success", "inbound": []}
    ringing = inbound(emu, answer=False)
    waiting = inbound(emu, queue="6701")
    listed = emu.api("inbound/query", {}, token=token)["inbound"]
    assert [(c["inboundid"], c["status"], c["callee"]) for c in listed] == [
        (ringing["inboundid"], "Progress", {"extid": "201"}),
        (waiting["inboundid"], "Wait", {"queueid": "6701"})]
    assert len(emu.api("inbound/query", token=token, method="GET")["inbound"]) == 2
    for selector in ("1589938168.1111", ringing["inboundid"] + ",1.2"):
        assert emu.api("inbound/query", {"inboundid": selector}, token=token) == {
            "status": "Failed", "errno": "10007"}


def test_outbound_query(pbx):
    emu, token = pbx
    created = new_call(emu, direction="outbound", **{"from": "201", "to": "013800000000",
                                                     "trunk": "sip-trunk-1"})
    assert seq(created["outboundid"]) == seq(created["callid"]) + 1
    assert emu.api("outbound/query", token=token) == {"status": "Success", "outbound": [
        {"outboundid": created["outboundid"], "from": "201", "to": "013800000000",
         "trunk": "sip-trunk-1", "status": "Talking"}]}
    assert emu.api("outbound/query", {"outboundid": "9.9"}, token=token)["errno"] == "10007"
    # Without a trunk the matching outbound route's first trunk is used.
    emu.ctl("POST", f"calls/{created['callid']}/hangup")
    routed = new_call(emu, direction="outbound", answer=False, **{"from": "202", "to": "0123"})
    assert routed["trunk"] == "sip-trunk-1"
    assert emu.api("outbound/query", token=token)["outbound"][0]["status"] == "Progress"


# -- dialling --------------------------------------------------------------------------------------

def test_dial_extension(pbx):
    emu, token = pbx
    body = {"caller": "201", "callee": "202"}
    assert emu.api("extension/dial_extension", body, token=token) == {"status": "Success"}
    (call,) = calls(emu)
    assert call["direction"] == "internal" and call["state"] == "ringing"
    # The caller's phone rings first.
    assert call["ringing_party"] == "caller"
    assert status_of(emu, token, "201") == "Ringing"
    call = emu.ctl("POST", f"calls/{call['callid']}/answer", {"party": "caller"})
    assert call["ringing_party"] == "callee"
    assert status_of(emu, token, "201") == "Busy" and status_of(emu, token, "202") == "Ringing"
    assert emu.ctl("POST", f"calls/{call['callid']}/answer")["state"] == "answered"
    # Busy now: 10008.
    assert emu.api("extension/dial_extension", {"caller": "201", "callee": "203"},
                   token=token)["errno"] == "10008"


def test_dial_extension_autoanswer_rings_callee(pbx):
    emu, token = pbx
    assert emu.api("extension/dial_extension", {"caller": "201", "callee": "202",
                                                "autoanswer": "yes"}, token=token)["status"] == "Success"
    (call,) = calls(emu)
    assert call["ringing_party"] == "callee" and call["from"] == "201" and call["to"] == "202"


@pytest.mark.parametrize("body,errno", [
    ({"callee": "202"}, "10004"),
    ({"caller": "201"}, "10004"),
    ({"caller": "299", "callee": "202"}, "10006"),
    ({"caller": "205", "callee": "202"}, "10008"),      # not registered
    ({"caller": "201", "callee": "299"}, "10011"),
    ({"caller": "201", "callee": "201"}, "10011"),
    ({"caller": "201", "callee": "202", "autoanswer": "maybe"}, "10004"),
])
def test_dial_extension_errors(pbx, body, errno):
    emu, token = pbx
    assert emu.api("extension/dial_extension", body, token=token) == {
        "status": "Failed", "errno": errno}
    assert calls(emu) == []


def test_dial_extension_to_busy_callee_fails(pbx):
    emu, token = pbx
    inbound(emu, extension="202")
    emu.api("extension/dial_extension", {"caller": "201", "callee": "202", "autoanswer": "yes"},
            token=token)
    assert len(calls(emu)) == 1


def test_dial_outbound(pbx):
    emu, token = pbx
    assert emu.api("extension/dial_outbound", {"extid": "201", "outto": "013800000000",
                                               "autoanswer": "yes"}, token=token) == {"status": "Success"}
    (call,) = calls(emu)
    assert call["direction"] == "outbound" and call["trunk"] == "sip-trunk-1"
    assert emu.api("outbound/query", token=token)["outbound"][0]["status"] == "Progress"


@pytest.mark.parametrize("body,errno", [
    ({"extid": "201"}, "10004"),
    ({"extid": "299", "outto": "0123"}, "10006"),
    ({"extid": "205", "outto": "0123"}, "10008"),
    ({"extid": "201", "outto": "8123"}, "10024"),     # no route matches
])
def test_dial_outbound_errors(pbx, body, errno):
    emu, token = pbx
    assert emu.api("extension/dial_outbound", body, token=token) == {
        "status": "Failed", "errno": errno}


def test_route_patterns(emu, token):
    setup_pbx(emu)
    emu.ctl("PUT", "state", {"outbound_routes": [
        {"name": "r1", "prefix": "9", "matchpattern": "NXX[1-3]", "trunks": "sip-trunk-1"}]})
    ok = {"extid": "201", "outto": "92001", "autoanswer": "yes"}
    assert emu.api("extension/dial_outbound", ok, token=token)["status"] == "Success"
    for outto in ("2001", "91001", "92004", "920011"):
        assert emu.api("extension/dial_outbound", {"extid": "202", "outto": outto},
                       token=token)["errno"] == "10024"


# -- hangup ---------------------------------------------------------------------------------------

def test_inbound_hangup_example(pbx):
    emu, token = pbx
    created = inbound(emu)
    assert emu.api("inbound/hangup", {"inboundid": created["inboundid"]}, token=token) == {
        "status": "Success"}
    assert calls(emu) == []
    assert emu.api("inbound/hangup", {"inboundid": "1589938168.1111"}, token=token) == {
        "status": "Failed", "errno": "10007"}
    assert emu.api("inbound/hangup", {}, token=token)["errno"] == "10004"
    # The callid (ring leg) is not an inbound id.
    second = inbound(emu)
    assert emu.api("inbound/hangup", {"inboundid": second["callid"]}, token=token)["errno"] == "10007"


def test_outbound_and_extension_hangup(pbx):
    emu, token = pbx
    created = new_call(emu, direction="outbound", **{"from": "201", "to": "0123", "trunk": "sip-trunk-1"})
    assert emu.api("outbound/hangup", {"outboundid": created["callid"]}, token=token)["errno"] == "10007"
    assert emu.api("outbound/hangup", {"outboundid": created["outboundid"]}, token=token) == {
        "status": "Success"}
    inbound(emu, answer=False)
    assert emu.api("extension/hangup", {"extid": "201"}, token=token) == {"status": "Success"}
    assert calls(emu) == []
    assert emu.api("extension/hangup", {"extid": "201"}, token=token)["errno"] == "10007"
    assert emu.api("extension/hangup", {"extid": "299"}, token=token)["errno"] == "10006"
    assert emu.api("extension/hangup", {}, token=token)["errno"] == "10004"


# -- hold and mute ---------------------------------------------------------------------------------

@pytest.mark.parametrize("on,off,field", [("hold", "unhold", "held_by"), ("mute", "unmute", "muted")])
def test_hold_and_mute(pbx, on, off, field):
    emu, token = pbx
    created = inbound(emu, answer=False)
    assert emu.api(f"extension/{on}", {"extid": "201"}, token=token)["errno"] == "10015"
    emu.ctl("POST", f"calls/{created['callid']}/answer")
    assert emu.api(f"extension/{on}", {"extid": "201"}, token=token) == {"status": "Success"}
    (call,) = calls(emu)
    assert call[field] == ["201"]
    if on == "hold":
        assert call["state"] == "held"
        assert status_of(emu, token, "201") == "Hold"
    assert emu.api(f"extension/{off}", {"extid": "201"}, token=token) == {"status": "Success"}
    assert calls(emu)[0][field] == [] and calls(emu)[0]["state"] == "answered"
    assert emu.api(f"extension/{on}", {"extid": "202"}, token=token)["errno"] == "10007"
    assert emu.api(f"extension/{on}", {"extid": "299"}, token=token)["errno"] == "10006"
    assert emu.api(f"extension/{off}", {}, token=token)["errno"] == "10004"


def test_mute_is_cleared_when_the_call_ends(pbx):
    emu, token = pbx
    created = inbound(emu)
    emu.api("extension/mute", {"extid": "201"}, token=token)
    emu.ctl("POST", f"calls/{created['callid']}/hangup")
    inbound(emu)
    assert calls(emu)[0]["muted"] == []


# -- whisper and barge -------------------------------------------------------------------------------

@pytest.mark.parametrize("endpoint,monitor_key,target_key,monitor", [
    ("extension/whisper", "whisperer", "whisperedext", "204"),
    ("extension/barge", "bargein", "bargedext", "203"),
])
def test_monitoring(pbx, endpoint, monitor_key, target_key, monitor):
    emu, token = pbx
    inbound(emu)
    body = {monitor_key: monitor, target_key: "201"}
    assert emu.api(endpoint, body, token=token) == {"status": "Success"}
    (call,) = calls(emu)
    mode = endpoint.split("/")[1]
    assert call["monitors"] == [{"extension": monitor, "mode": mode}]
    assert status_of(emu, token, monitor) == "Busy"
    # The monitor is busy now.
    assert emu.api(endpoint, body, token=token)["errno"] == "10008"
    # The monitor hanging up leaves the call in place.
    assert emu.api("extension/hangup", {"extid": monitor}, token=token) == {"status": "Success"}
    assert calls(emu)[0]["monitors"] == []


@pytest.mark.parametrize("endpoint,body,errno", [
    ("extension/whisper", {"whisperer": "203"}, "10004"),
    ("extension/whisper", {"whisperer": "299", "whisperedext": "201"}, "10006"),
    ("extension/whisper", {"whisperer": "203", "whisperedext": "299"}, "10006"),
    ("extension/barge", {"bargein": "205", "bargedext": "201"}, "10008"),   # unregistered
    ("extension/whisper", {"whisperer": "202", "whisperedext": "203"}, "10009"),
    ("extension/whisper", {"whisperer": "202", "whisperedext": "201"}, "10010"),  # Disabled
    ("extension/barge", {"bargein": "204", "bargedext": "201"}, "10010"),    # Whisper only
    ("extension/whisper", {"whisperer": "203", "whisperedext": "202"}, "10007"),  # no call
])
def test_monitoring_errors(pbx, endpoint, body, errno):
    emu, token = pbx
    inbound(emu)
    emu.refused(endpoint, body, errno, token=token)


def test_monitoring_a_ringing_call_is_10007(pbx):
    emu, token = pbx
    inbound(emu, answer=False)
    assert emu.api("extension/barge", {"bargein": "203", "bargedext": "201"},
                   token=token)["errno"] == "10007"


# -- presence ------------------------------------------------------------------------------------

def test_extension_presence_control(pbx):
    emu, token = pbx
    answer = emu.ctl("PUT", "extensions/205/status", {"status": "Registered"})
    assert answer == {"extension": "205", "status": "Registered", "shown": "Registered"}
    assert status_of(emu, token, "205") == "Registered"
    assert emu.api("extension/dial_extension", {"caller": "205", "callee": "201"},
                   token=token)["status"] == "Success"
    assert emu.control("PUT", "extensions/205/status", {"status": "Asleep"}).status_code == 400
    assert emu.control("PUT", "extensions/299/status", {"status": "Idle"}).status_code == 404


def test_reset_and_deleted_extension_drop_calls(pbx):
    emu, token = pbx
    inbound(emu, extension="203")
    emu.api("extension/delete", {"number": "203"}, token=token)
    assert calls(emu) == []
    inbound(emu)
    emu.ctl("POST", "reset")
    assert calls(emu) == []


def test_transfer_control(pbx):
    emu, token = pbx
    created = inbound(emu)
    call = emu.ctl("POST", f"calls/{created['callid']}/transfer", {"extension": "201", "to": "202"})
    assert call["to"] == "202" and call["state"] == "ringing"
    assert status_of(emu, token, "201") == "Idle"
    assert emu.api("inbound/query", token=token)["inbound"][0]["callee"] == {"extid": "202"}
    assert emu.control("POST", f"calls/{created['callid']}/transfer",
                       {"extension": "202", "to": "203"}).status_code == 400


def test_live_queries_in_xml(pbx):
    emu, token = pbx
    created = inbound(emu)
    text = emu.call("inbound/query", token=token, fmt="xml").text
    assert (f'<inbound><item id="0"><inboundid>{created["inboundid"]}</inboundid>'
            '<from>0755123456</from><to>88880000</to><trunk>sip-trunk-1</trunk>'
            '<callee><extid>201</extid></callee><status>Talking</status></item></inbound>') in text
    text = emu.call("queuestatus/query", data=b"<xml><queueid>6700</queueid></xml>", token=token,
                    fmt="xml").text
    assert "<queue><queuenumber>6700</queuenumber><queuestatus><members></members>" \
           "<callercount>0</callercount></queuestatus></queue>" in text
