"""Event reports (OpenVox UC API: API Reports Examples) POSTed to a receiver registered by login or heartbeat."""

import json
import socket
import time

import pytest

from livehelpers import Receiver, inbound, new_call, setup_pbx, wait_reports

SN = "a09805021987"


@pytest.fixture
def pbx(emu, receiver):
    setup_pbx(emu)
    token = emu.login(port=str(receiver.port), url="events", urltag="0")
    return emu, token


def actions(reports):
    return [(r["action"], r.get("extension"), r.get("status")) if r["action"] == "ExtensionStatus"
            else r["action"] for r in reports]


def test_bootup_compact_json_and_headers(pbx, receiver):
    emu, _token = pbx
    emu.ctl("POST", "bootup")
    receiver.wait_for(1)
    (body,) = receiver.received
    assert body == '{"action":"BootUp","sn":"a09805021987"}'
    assert receiver.paths == ["/events"]
    headers = receiver.headers[0]
    assert headers["Content-Type"] == "application/json" and headers["Connection"] == "close"
    (entry,) = wait_reports(emu, lambda r: r and r[0]["state"] == "delivered")
    assert entry["url"] == f"http://127.0.0.1:{receiver.port}/events"
    assert entry["attempts"] == 1 and entry["statuses"] == [200] and entry["body"] == body


def test_inbound_call_sequence(pbx, receiver):
    emu, _token = pbx
    created = inbound(emu)
    emu.ctl("POST", f"calls/{created['callid']}/hangup")
    reports = receiver.wait_for(9)
    assert actions(reports) == [
        ("ExtensionStatus", "201", "Ringing"), "ALERT", "RING", ("ExtensionStatus", "201", "InUse"),
        "ANSWER", "BYE", "BYE", ("ExtensionStatus", "201", "Idle"), "NewCdr"]
    inbound_obj = {"from": "0755123456", "to": "88880000", "trunk": "sip-trunk-1",
                   "inboundid": created["inboundid"]}
    ring_id, inbound_id = created["callid"], created["inboundid"]
    epoch, first = inbound_id.split(".")
    assert reports[1] == {"action": "ALERT", "callid": ring_id, "inbound": inbound_obj, "sn": SN}
    assert receiver.received[2] == json.dumps(
        {"action": "RING", "callid": ring_id, "ext": {"extid": "201"}, "inbound": inbound_obj,
         "sn": SN}, separators=(",", ":"))
    assert reports[4] == {"action": "ANSWER", "callid": inbound_id, "ext": {"extid": "201"},
                          "inbound": inbound_obj, "sn": SN}
    # The external side hung up: it is listed first; the second BYE has the next id.
    assert list(reports[5]) == ["action", "callid", "inbound", "ext", "sn"]
    assert reports[5]["callid"] == inbound_id
    assert list(reports[6]) == ["action", "callid", "ext", "inbound", "sn"]
    assert reports[6]["callid"] == f"{epoch}.{int(first) + 1}"
    cdr = reports[8]
    assert list(cdr) == ["action", "callid", "timestart", "callfrom", "callto", "callduraction",
                         "talkduraction", "status", "type", "sn"]
    assert (cdr["callfrom"], cdr["callto"], cdr["status"], cdr["type"]) == (
        "0755123456", "201", "ANSWERED", "Inbound")


def test_internal_call_sequence(pbx, receiver):
    emu, token = pbx
    assert emu.api("extension/dial_extension", {"caller": "201", "callee": "202", "autoanswer": "yes"},
                   token=token)["status"] == "Success"
    (call,) = emu.ctl("GET", "calls")["calls"]
    emu.ctl("POST", f"calls/{call['callid']}/answer")
    emu.api("extension/hangup", {"extid": "202"}, token=token)
    reports = receiver.wait_for(14)
    callid = call["callid"]
    epoch, number = callid.split(".")
    calls_only = [r for r in reports if r["action"] != "ExtensionStatus"]
    assert [(r["action"], r["callid"], r.get("ext")) for r in calls_only[:-1]] == [
        # autoanswer: the PBX rings the caller, whose phone answers at once.
        ("RING", callid, {"extid": "201"}),
        ("ANSWER", callid, {"extid": "201"}),
        ("ALERT", callid, {"extid": ["201"]}),
        ("RING", callid, {"extid": ["202", "201"]}),
        ("ANSWER", callid, {"extid": ["202", "201"]}),
        ("ANSWER", callid, {"extid": ["201", "202"]}),
        ("BYE", callid, {"extid": ["202", "201"]}),
        ("BYE", f"{epoch}.{int(number) + 2}", {"extid": ["201", "202"]}),
    ]
    assert calls_only[-1]["type"] == "Internal" and calls_only[-1]["status"] == "ANSWERED"
    statuses = [(r["extension"], r["status"]) for r in reports if r["action"] == "ExtensionStatus"]
    assert statuses == [("201", "InUse"), ("202", "Ringing"), ("202", "InUse"),
                        ("201", "Idle"), ("202", "Idle")]


def test_failed_call(pbx, receiver):
    emu, _token = pbx
    created = new_call(emu, direction="internal", answer=False, **{"from": "201", "to": "202"})
    emu.ctl("POST", f"calls/{created['callid']}/timeout")
    reports = receiver.wait_for(8)
    failed = [r for r in reports if r["action"] == "CallFailed"]
    assert failed == [{"action": "CallFailed", "reason": 480, "callid": created["callid"],
                       "ext": {"extid": ["202", "201"]}, "sn": SN}]
    assert '"reason":480,' in [b for b in receiver.received if "CallFailed" in b][0]
    assert reports[-1]["action"] == "NewCdr" and reports[-1]["status"] == "NO ANSWER"


def test_outbound_call_sequence(pbx, receiver):
    emu, token = pbx
    emu.api("extension/dial_outbound", {"extid": "201", "outto": "013800000000"}, token=token)
    (call,) = emu.ctl("GET", "calls")["calls"]
    emu.ctl("POST", f"calls/{call['callid']}/answer")
    emu.api("outbound/hangup", {"outboundid": call["outboundid"]}, token=token)
    reports = receiver.wait_for(11)
    outbound_obj = {"from": "201", "to": "013800000000", "trunk": "sip-trunk-1",
                    "outboundid": call["outboundid"]}
    calls_only = [r for r in reports if r["action"] != "ExtensionStatus"]
    assert calls_only[0] == {"action": "RING", "callid": call["callid"], "ext": {"extid": "201"}, "sn": SN}
    assert calls_only[1] == {"action": "ANSWER", "callid": call["callid"], "ext": {"extid": "201"}, "sn": SN}
    # The extension->external ring reports carry no sn (OpenVox samples).
    assert calls_only[2] == {"action": "ALERT", "callid": call["callid"], "ext": {"extid": "201"}}
    assert calls_only[3] == {"action": "RING", "callid": call["outboundid"], "outbound": outbound_obj,
                             "ext": {"extid": "201"}}
    assert calls_only[4]["action"] == "ANSWER" and list(calls_only[4]) == [
        "action", "callid", "ext", "outbound", "sn"]
    assert [list(r)[2] for r in calls_only[5:7]] == ["outbound", "ext"]
    assert [r["callid"] for r in calls_only[5:7]] == [call["callid"], call["outboundid"]]
    assert calls_only[7]["type"] == "Outbound"


def test_transfer_report(pbx, receiver):
    emu, _token = pbx
    created = inbound(emu, extension="202")
    emu.ctl("POST", f"calls/{created['callid']}/transfer", {"extension": "202", "to": "203"})
    reports = receiver.wait_for(10)
    (transfer,) = [r for r in reports if r["action"] == "Tranfer"]
    assert list(transfer) == ["action", "callid", "ext", "inbound", "sn"]
    assert transfer["ext"] == {"extid": "202"}
    assert reports[-1]["action"] == "RING" and reports[-1]["ext"] == {"extid": "203"}


def test_status_monitor_filters_ring_reports(pbx, receiver):
    emu, _token = pbx
    emu.ctl("PUT", "status_monitor", {"extensions": ["202"]})
    created = inbound(emu)
    emu.ctl("POST", f"calls/{created['callid']}/hangup")
    receiver.wait_for(4)
    time.sleep(0.1)
    assert [r["action"] for r in receiver.reports()] == ["ANSWER", "BYE", "BYE", "NewCdr"]


def test_presence_change_reports(pbx, receiver):
    emu, _token = pbx
    emu.ctl("PUT", "extensions/205/status", {"status": "Registered"})
    emu.ctl("PUT", "extensions/205/status", {"status": "Unavailable"})
    assert receiver.wait_for(2) == [
        {"action": "ExtensionStatus", "extension": "205", "status": "Registered", "sn": SN},
        {"action": "ExtensionStatus", "extension": "205", "status": "Unregistered", "sn": SN}]


def test_retry_until_200(emu):
    server = Receiver(statuses=[500, 404])
    try:
        emu.login(port=str(server.port))
        emu.ctl("POST", "bootup")
        (entry,) = wait_reports(emu, lambda r: r and r[0]["state"] != "pending")
        assert entry["state"] == "delivered" and entry["statuses"] == [500, 404, 200]
        assert len(server.received) == 3 and len(set(server.received)) == 1
    finally:
        server.close()


def test_retries_are_bounded_and_do_not_block_the_api(emu, token):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        dead_port = sock.getsockname()[1]
    emu.login(port=str(dead_port))
    emu.ctl("POST", "bootup")
    started = time.monotonic()
    assert emu.api("deviceinfo/query", token=token)["status"] == "Success"
    assert time.monotonic() - started < 0.5
    reports = wait_reports(emu, lambda r: all(e["state"] == "failed" for e in r))
    assert [(e["state"], e["attempts"], e["statuses"]) for e in reports] == [
        ("failed", 5, [None] * 5)]


def test_reports_stop_when_the_token_dies(emu):
    server = Receiver(statuses=[500])
    try:
        token = emu.login(port=str(server.port))
        emu.ctl("POST", "bootup")
        wait_reports(emu, lambda r: r and r[0]["state"] == "delivered")
        emu.advance(1801)
        emu.ctl("POST", "bootup")
        reports = wait_reports(emu, lambda r: len(r) == 2 and r[1]["state"] != "pending")
        assert reports[1]["state"] == "dropped" and reports[1]["attempts"] == 0
        assert len(server.received) == 2
        assert emu.api("deviceinfo/query", token=token)["errno"] == "20004"
        # A new login registers again; logging out stops reports at once.
        token = emu.login(port=str(server.port))
        emu.api("logout", token=token)
        emu.ctl("POST", "bootup")
        reports = wait_reports(emu, lambda r: len(r) == 3 and r[2]["state"] != "pending")
        assert reports[2]["state"] == "dropped"
    finally:
        server.close()


def test_heartbeat_sets_absolute_receiver(emu, receiver):
    token = emu.login()
    emu.ctl("POST", "bootup")
    # No receiver yet: nothing is sent or recorded.
    assert emu.ctl("GET", "reports") == {"reports": []}
    body = {"ipaddr": "10.9.9.9", "port": "1", "url": f"127.0.0.1:{receiver.port}/report",
            "urltag": "1"}
    assert emu.api("heartbeat", body, token=token) == {"status": "Success"}
    emu.ctl("POST", "bootup")
    receiver.wait_for(1)
    assert receiver.paths == ["/report"]
    emu.ctl("DELETE", "reports")
    assert emu.ctl("GET", "reports") == {"reports": []}


def test_state_receiver_is_not_bound_to_a_token(emu, receiver):
    emu.ctl("PUT", "state", {"event_receiver": {"ipaddr": "127.0.0.1", "port": str(receiver.port)}})
    emu.ctl("POST", "bootup")
    assert receiver.wait_for(1) == [{"action": "BootUp", "sn": SN}]
    assert receiver.paths == ["/"]
