"""The rest of the call API (calltransfer, extension/listen, queue/dial_outbound,
outbound/dial_outbound), the live-call part of extension/query, the reports the other
tests do not reach (Registered, ANSWERED, VOICEMAIL and FAILED CDRs), and faults on the
download links."""

import base64
import time

import pytest
import requests

from livehelpers import Receiver, calls, inbound, new_call, setup_pbx

SN = "a09805021987"


@pytest.fixture
def reporting(emu, receiver):
    setup_pbx(emu)
    token = emu.login(port=str(receiver.port))
    return emu, token


def extinfo(emu, token, number):
    (record,) = emu.api("extension/query", {"extid": number}, token=token)["extinfos"]
    return record


def dial_refused(emu, token, endpoint, body, errno):
    emu.refused(endpoint, body, errno, token=token)
    assert calls(emu) == []


def settle(receiver, count):
    """The reports once `count` have come and no late extra one follows."""
    receiver.wait_for(count)
    time.sleep(0.1)
    return receiver.reports()


# -- extension/query of an extension in a call -----------------------------------------------

def test_extension_query_carries_the_inbound_object_while_in_call(pbx):
    emu, token = pbx
    assert "inbound" not in extinfo(emu, token, "201")
    created = inbound(emu, answer=False)
    ringing = extinfo(emu, token, "201")
    assert ringing["status"] == "Ringing"
    assert ringing["inbound"] == {"inboundid": created["inboundid"], "from": "0755123456",
                                  "to": "88880000", "trunk": "sip-trunk-1"}
    # Key order as documented: inboundid, from, to, trunk.
    assert list(ringing["inbound"]) == ["inboundid", "from", "to", "trunk"]
    emu.ctl("POST", f"calls/{created['callid']}/answer")
    assert extinfo(emu, token, "201")["inbound"]["inboundid"] == created["inboundid"]
    # Other extensions are untouched; the object goes away with the call.
    assert not {"inbound", "outbound", "ext"} & set(extinfo(emu, token, "202"))
    emu.ctl("POST", f"calls/{created['callid']}/hangup")
    assert not {"inbound", "outbound", "ext"} & set(extinfo(emu, token, "201"))


def test_extension_query_outbound_and_internal_objects(pbx):
    emu, token = pbx
    outbound = new_call(emu, direction="outbound", to="013800000000", **{"from": "201"})
    new_call(emu, direction="internal", to="203", **{"from": "202"})
    answer = emu.api("extension/query", {"extid": "201,202,203,204"}, token=token)["extinfos"]
    records = {record["extnumber"]: record for record in answer}
    assert records["201"]["outbound"] == {"outboundid": outbound["outboundid"], "from": "201",
                                          "to": "013800000000", "trunk": "sip-trunk-1"}
    assert list(records["201"]["outbound"]) == ["outboundid", "from", "to", "trunk"]
    assert records["202"]["ext"] == {"extid": "203"}
    assert records["203"]["ext"] == {"extid": "202"}
    assert not {"inbound", "outbound", "ext"} & set(records["204"])
    # The XML form carries the sub-object too.
    text = emu.call("extension/query", token=token, fmt="xml").text
    assert (f"<outbound><outboundid>{outbound['outboundid']}</outboundid><from>201</from>"
            "<to>013800000000</to><trunk>sip-trunk-1</trunk></outbound>") in text
    emu.api("outbound/hangup", {"outboundid": outbound["outboundid"]}, token=token)
    assert "outbound" not in extinfo(emu, token, "201")


# -- extension/listen ------------------------------------------------------------------------

def test_listen(pbx):
    emu, token = pbx
    emu.api("extension/update", {"extid": "203", "monitormode": "Listen"}, token=token)
    inbound(emu)
    assert emu.api("extension/listen", {"listener": "203", "listenedext": "201"},
                   token=token) == {"status": "Success"}
    (call,) = calls(emu)
    assert call["monitors"] == [{"extension": "203", "mode": "listen"}]
    assert emu.api("extension/listen", {"listener": "203", "listenedext": "201"},
                   token=token)["errno"] == "10008"


@pytest.mark.parametrize("body,errno", [
    ({"listener": "203"}, "10004"),
    ({"listener": "299", "listenedext": "201"}, "10006"),
    ({"listener": "205", "listenedext": "201"}, "10008"),   # unregistered
    ({"listener": "202", "listenedext": "203"}, "10009"),
    ({"listener": "204", "listenedext": "201"}, "10010"),   # Whisper only
    ({"listener": "203", "listenedext": "202"}, "10007"),   # not in a call
])
def test_listen_errors(pbx, body, errno):
    emu, token = pbx
    inbound(emu)
    emu.refused("extension/listen", body, errno, token=token)


# -- calltransfer ------------------------------------------------------------------------------

def test_calltransfer_of_an_inbound_call(reporting, receiver):
    emu, token = reporting
    created = inbound(emu)
    settle(receiver, 5)
    receiver.received.clear()
    body = {"callid": created["inboundid"], "transferor": "201", "transferto": "202"}
    assert emu.api("calltransfer", body, token=token) == {"status": "Success"}
    (call,) = calls(emu)
    assert call["to"] == "202" and call["state"] == "ringing"
    assert emu.api("inbound/query", token=token)["inbound"][0]["callee"] == {"extid": "202"}
    assert "inbound" not in extinfo(emu, token, "201")
    assert extinfo(emu, token, "202")["inbound"]["inboundid"] == created["inboundid"]
    reports = settle(receiver, 4)
    # Transfers made through the API are not reported; the new ringing is.
    assert "Tranfer" not in [report["action"] for report in reports]
    assert {"action": "ExtensionStatus", "extension": "202", "status": "Ringing", "sn": SN} in reports


def test_calltransfer_of_an_internal_call_by_either_id(pbx):
    emu, token = pbx
    created = new_call(emu, direction="internal", to="202", **{"from": "201"})
    assert emu.api("calltransfer", {"callid": created["callid"], "transferor": "202",
                                    "transferto": "203"}, token=token) == {"status": "Success"}
    (call,) = calls(emu)
    assert (call["from"], call["to"], call["state"]) == ("201", "203", "ringing")


@pytest.mark.parametrize("body,errno", [
    ({"callid": "X", "transferor": "201"}, "10004"),
    ({"callid": "1.1", "transferor": "201", "transferto": "202"}, "10007"),
    ({"callid": "INBOUND", "transferor": "299", "transferto": "202"}, "10006"),
    ({"callid": "INBOUND", "transferor": "203", "transferto": "202"}, "10007"),   # not a party
    ({"callid": "INBOUND", "transferor": "201", "transferto": "299"}, "10011"),
    ({"callid": "INBOUND", "transferor": "201", "transferto": "204"}, "10008"),   # busy
    ({"callid": "RINGING", "transferor": "202", "transferto": "203"}, "10015"),
    ({"callid": "OUTBOUND", "transferor": "203", "transferto": "202"}, "10015"),
])
def test_calltransfer_errors(pbx, body, errno):
    emu, token = pbx
    ids = {"INBOUND": inbound(emu)["inboundid"],
           "RINGING": inbound(emu, extension="202", answer=False)["inboundid"],
           "OUTBOUND": new_call(emu, direction="outbound", to="0123", **{"from": "203"})["outboundid"]}
    new_call(emu, direction="internal", to="205", **{"from": "204"})
    before = calls(emu)
    body = {key: ids.get(value, value) for key, value in body.items()}
    emu.refused("calltransfer", body, errno, token=token)
    assert calls(emu) == before


# -- dial-outs ---------------------------------------------------------------------------------

def test_queue_dial_outbound_waits_in_the_queue(pbx):
    emu, token = pbx
    emu.api("queue/update", {"queueid": "6701", "agents": "201"}, token=token)
    assert emu.api("queue/dial_outbound", {"queueid": "6701", "outto": "013800000000"},
                   token=token) == {"status": "Success"}
    (listed,) = emu.api("outbound/query", token=token)["outbound"]
    assert (listed["from"], listed["to"], listed["trunk"], listed["status"]) == (
        "6701", "013800000000", "sip-trunk-1", "Progress")
    status = emu.api("queuestatus/query", {"queueid": "6701"}, token=token)["queue"]["queuestatus"]
    assert status["callercount"] == 0
    (call,) = calls(emu)
    emu.ctl("POST", f"calls/{call['callid']}/answer", {"party": "caller"})
    assert emu.api("outbound/query", token=token)["outbound"][0]["status"] == "Wait"
    status = emu.api("queuestatus/query", {"queueid": "6701"}, token=token)["queue"]["queuestatus"]
    assert status["callercount"] == 1
    emu.ctl("POST", f"calls/{call['callid']}/answer")
    assert emu.api("outbound/query", token=token)["outbound"][0]["status"] == "Talking"
    assert extinfo(emu, token, "201")["outbound"] == {
        "outboundid": listed["outboundid"], "from": "6701", "to": "013800000000", "trunk": "sip-trunk-1"}
    emu.api("outbound/hangup", {"outboundid": listed["outboundid"]}, token=token)
    assert calls(emu) == []


@pytest.mark.parametrize("body,errno", [
    ({"queueid": "6701"}, "10004"),
    ({"queueid": "6799", "outto": "0123"}, "10013"),
    ({"queueid": "6701", "outto": "9123"}, "10024"),
])
def test_queue_dial_outbound_errors(pbx, body, errno):
    dial_refused(*pbx, "queue/dial_outbound", body, errno)


def test_ring_group_dial_outbound_rings_a_member(pbx):
    emu, token = pbx
    emu.ctl("PUT", "state", {"ring_groups": [{"number": "6200", "name": "reception", "members": "202,201"}]})
    assert emu.api("ringgroup/dial_outbound", {"ringgroupid": "6200", "outto": "013800000000"},
                   token=token) == {"status": "Success"}
    (listed,) = emu.api("outbound/query", token=token)["outbound"]
    assert (listed["from"], listed["to"], listed["status"]) == ("6200", "013800000000", "Progress")
    (call,) = calls(emu)
    emu.ctl("POST", f"calls/{call['callid']}/answer", {"party": "caller"})
    # Members ring in the group's order; a busy one is skipped.
    new_call(emu, direction="internal", to="203", **{"from": "202"})
    assert emu.control("POST", f"calls/{call['callid']}/answer", {"agent": "202"}).status_code == 400
    answered = emu.ctl("POST", f"calls/{call['callid']}/answer")
    assert (answered["callee"], answered["state"], answered["to"]) == (
        {"type": "extension", "number": "201"}, "answered", "013800000000")
    assert extinfo(emu, token, "201")["outbound"]["from"] == "6200"
    assert emu.api("outbound/query", token=token)["outbound"][0]["status"] == "Talking"
    # A ring group's members cannot be deleted from under it.
    assert emu.api("extension/delete", {"number": "201"}, token=token)["errno"] == "10017"


@pytest.mark.parametrize("body,errno", [
    ({"ringgroupid": "6200"}, "10004"),
    # "Ring group does not exist" in the error code table.
    ({"ringgroupid": "6299", "outto": "0123"}, "10014"),
    ({"ringgroupid": "6200", "outto": "9123"}, "10024"),
])
def test_ring_group_dial_outbound_errors(pbx, body, errno):
    emu, token = pbx
    emu.ctl("PUT", "state", {"ring_groups": [{"number": "6200", "members": "201"}]})
    dial_refused(emu, token, "ringgroup/dial_outbound", body, errno)


def test_ring_group_state_refuses_unknown_members(pbx):
    emu, _token = pbx
    response = emu.control("PUT", "state", {"ring_groups": [{"number": "6200", "members": "299"}]})
    assert response.status_code == 400 and "299" in response.json()["error"]
    assert emu.ctl("GET", "state")["ring_groups"] == []


def test_two_leg_callback(reporting, receiver):
    emu, token = reporting
    assert emu.api("outbound/dial_outbound", {"caller": "0755123456", "outto": "013800000000"},
                   token=token) == {"status": "Success"}
    (listed,) = emu.api("outbound/query", token=token)["outbound"]
    assert (listed["from"], listed["to"], listed["status"]) == ("0755123456", "013800000000", "Progress")
    (call,) = calls(emu)
    assert call["direction"] == "dialout" and call["ringing_party"] == "caller"
    emu.ctl("POST", f"calls/{call['callid']}/answer", {"party": "caller"})
    assert calls(emu)[0]["ringing_party"] == "callee"
    emu.ctl("POST", f"calls/{call['callid']}/answer")
    assert emu.api("outbound/query", token=token)["outbound"][0]["status"] == "Talking"
    emu.api("outbound/hangup", {"outboundid": listed["outboundid"]}, token=token)
    (cdr,) = settle(receiver, 1)
    assert (cdr["action"], cdr["callfrom"], cdr["callto"], cdr["status"], cdr["type"]) == (
        "NewCdr", "0755123456", "013800000000", "ANSWERED", "Outbound")


def test_callback_from_an_extension_rings_it_first(pbx):
    emu, token = pbx
    assert emu.api("outbound/dial_outbound", {"caller": "201", "outto": "013800000000"},
                   token=token) == {"status": "Success"}
    (call,) = calls(emu)
    assert (call["direction"], call["from"], call["ringing_party"]) == ("outbound", "201", "caller")


@pytest.mark.parametrize("body,errno", [
    ({"caller": "0755123456"}, "10004"),
    ({"caller": "9123", "outto": "013800000000"}, "10024"),
    ({"caller": "0755123456", "outto": "9123"}, "10024"),
    ({"caller": "205", "outto": "013800000000"}, "10008"),   # unregistered extension
])
def test_callback_errors(pbx, body, errno):
    dial_refused(*pbx, "outbound/dial_outbound", body, errno)


# -- reports -------------------------------------------------------------------------------------

def test_registration_is_reported_as_registered(reporting, receiver):
    emu, _token = reporting
    emu.ctl("PUT", "extensions/205/status", {"status": "Idle"})
    # A phone registering again (new address) is reported although nothing shows differently.
    answer = emu.ctl("POST", "extensions/205/register")
    assert answer == {"extension": "205", "status": "Idle", "shown": "Idle"}
    emu.ctl("PUT", "extensions/205/status", {"status": "Unavailable"})
    assert settle(receiver, 3) == [
        {"action": "ExtensionStatus", "extension": "205", "status": "Registered", "sn": SN},
        {"action": "ExtensionStatus", "extension": "205", "status": "Registered", "sn": SN},
        {"action": "ExtensionStatus", "extension": "205", "status": "Unregistered", "sn": SN}]
    assert emu.control("POST", "extensions/299/register").status_code == 404


def test_register_control_registers_an_unavailable_phone(pbx):
    emu, token = pbx
    assert emu.ctl("POST", "extensions/205/register")["status"] == "Registered"
    assert extinfo(emu, token, "205")["status"] == "Registered"


def test_caller_side_answer_can_be_answered(reporting, receiver):
    emu, _token = reporting
    assert emu.ctl("PUT", "report_options", {"caller_answer_action": "ANSWERED"}) == {
        "caller_answer_action": "ANSWERED"}
    new_call(emu, direction="internal", to="202", **{"from": "201"})
    new_call(emu, direction="outbound", to="013800000000", **{"from": "203"})
    reports = [report for report in settle(receiver, 14) if report["action"].startswith("ANSWER")]
    assert [(report["action"], report.get("ext")) for report in reports] == [
        ("ANSWER", {"extid": ["202", "201"]}),
        ("ANSWERED", {"extid": ["201", "202"]}),
        ("ANSWERED", {"extid": "203"})]
    assert emu.control("PUT", "report_options", {"caller_answer_action": "ANSWER!"}).status_code == 400


def test_caller_answer_action_option_of_the_cli(emulator_factory):
    emu = emulator_factory("--caller-answer-action", "ANSWERED")
    server = Receiver()
    try:
        setup_pbx(emu)
        emu.login(port=str(server.port))
        new_call(emu, direction="internal", to="202", **{"from": "201"})
        actions = [report["action"] for report in server.wait_for(7)]
        time.sleep(0.1)
        assert [a for a in (report["action"] for report in server.reports())
                if a.startswith("ANSWER")] == ["ANSWER", "ANSWERED"], actions
    finally:
        server.close()


def test_voicemail_and_failed_cdrs(reporting, receiver):
    emu, _token = reporting
    to_voicemail = inbound(emu, answer=False)
    failing = new_call(emu, direction="outbound", to="013800000000", answer=False, **{"from": "202"})
    settle(receiver, 5)
    receiver.received.clear()
    assert emu.ctl("POST", f"calls/{to_voicemail['callid']}/voicemail")["state"] == "ended"
    assert emu.ctl("POST", f"calls/{failing['callid']}/fail", {"reason": 404})["state"] == "ended"
    reports = settle(receiver, 6)
    assert [r["action"] for r in reports] == [
        "ExtensionStatus", "NewCdr", "CallFailed", "ExtensionStatus", "NewCdr"], reports
    voicemail_cdr, failed, failed_cdr = reports[1], reports[2], reports[4]
    assert (voicemail_cdr["status"], voicemail_cdr["type"], voicemail_cdr["callfrom"],
            voicemail_cdr["callto"]) == ("VOICEMAIL", "Inbound", "0755123456", "201")
    assert failed["reason"] == 404
    assert (failed_cdr["status"], failed_cdr["type"]) == ("FAILED", "Outbound")
    assert calls(emu) == []


def test_voicemail_and_fail_controls_refuse(pbx):
    emu, _token = pbx
    answered = inbound(emu)
    assert emu.control("POST", f"calls/{answered['callid']}/voicemail").status_code == 400
    assert emu.control("POST", f"calls/{answered['callid']}/fail").status_code == 400
    ringing = inbound(emu, extension="202", answer=False)
    assert emu.control("POST", f"calls/{ringing['callid']}/fail", {"reason": "busy"}).status_code == 400
    assert len(calls(emu)) == 2


# -- downloads honour faults and latency ------------------------------------------------------------

def _recording(emu, token, name="rec.wav", content=b"RIFFdata"):
    emu.ctl("POST", "recordings", {"file": name, "content_b64": base64.b64encode(content).decode()})
    random = emu.api("recording/get_random", {"recording": name}, token=token)["random"]
    return {"recording": name, "random": random, "token": token}


def _get(emu, params):
    return requests.get(f"{emu.url}/api/v0.0.1/recording/download", params=params, timeout=10)


def test_download_faults(pbx):
    emu, token = pbx
    params = _recording(emu, token)
    emu.ctl("POST", "faults", {"count": 1, "kind": "http500", "endpoint": "recording/download"})
    assert _get(emu, params).status_code == 500
    emu.ctl("POST", "faults", {"count": 1, "kind": "errno", "errno": "10025",
                               "endpoint": "recording/download"})
    assert _get(emu, params).json() == {"status": "Failed", "errno": "10025"}
    emu.ctl("POST", "faults", {"count": 1, "kind": "reset", "endpoint": "recording/download"})
    with pytest.raises(requests.ConnectionError):
        _get(emu, params)
    # None of these spent the random string.
    assert _get(emu, params).content == b"RIFFdata"
    params = _recording(emu, token)
    emu.ctl("POST", "faults", {"count": 1, "kind": "reset_after", "endpoint": "recording/download"})
    with pytest.raises(requests.ConnectionError):
        _get(emu, params)
    assert _get(emu, params).json() == {"status": "Failed", "errno": "20012"}
    params = _recording(emu, token)
    emu.ctl("POST", "faults", {"count": 1, "kind": "delay", "delay_ms": 300,
                               "endpoint": "recording/download"})
    started = time.monotonic()
    assert _get(emu, params).content == b"RIFFdata"
    assert time.monotonic() - started >= 0.3
    faulted = [entry.get("fault") for entry in emu.requests_log()
               if entry["endpoint"] == "recording/download"]
    assert faulted == ["http500", "errno", "reset", None, "reset_after", None, "delay"]


def test_download_latency(emulator_factory):
    emu = emulator_factory("--latency-ms", "300")
    token = emu.login()
    params = _recording(emu, token)
    started = time.monotonic()
    assert _get(emu, params).content == b"RIFFdata"
    assert time.monotonic() - started >= 0.3
