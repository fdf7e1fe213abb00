"""Queue status and agents (OpenVox UC API: Query Queue Status), conferences in session (OpenVox UC API: Login) and prompt playback (OpenVox UC API: Login)."""

import pytest

from livehelpers import calls, inbound


def queue_status(emu, token, queueid="6701"):
    answer = emu.api("queuestatus/query", {"queueid": queueid}, token=token)
    assert answer["status"] == "Success", answer
    return answer


def agents(emu, token, body, endpoint="queue/add_dynamicagent"):
    return emu.api(endpoint, body, token=token)


# -- queue status ----------------------------------------------------------------------------

def test_queuestatus_example_shape(pbx):
    emu, token = pbx
    emu.api("queue/update", {"queueid": "6701", "agents": "201,202", "dynamicagents": "205"},
            token=token)
    assert agents(emu, token, {"queueid": "6701", "extid": "202"}, "queue/pause_agent") == {
        "status": "Success"}
    inbound(emu, queue="6701", answer=False)
    inbound(emu, queue="6701", answer=False, **{"from": "0755000001"})
    assert queue_status(emu, token) == {"status": "Success", "queue": {
        "queuenumber": "6701", "queuestatus": {"members": [
            {"agent": "201", "agentstatus": "1"}, {"agent": "202", "agentstatus": "9"},
            {"agent": "205", "agentstatus": "5"}], "callercount": 2}}}


def test_queuestatus_follows_calls(pbx):
    emu, token = pbx
    emu.api("queue/update", {"queueid": "6700", "agents": "201,202"}, token=token)
    assert queue_status(emu, token, "6700")["queue"]["queuestatus"]["callercount"] == 0
    waiting = inbound(emu, queue="6700", answer=False)
    assert calls(emu)[0]["state"] == "ringing"
    # answer picks the first available agent.
    emu.ctl("POST", f"calls/{waiting['callid']}/answer")
    members = queue_status(emu, token, "6700")["queue"]["queuestatus"]
    assert members == {"members": [{"agent": "201", "agentstatus": "2"},
                                   {"agent": "202", "agentstatus": "1"}], "callercount": 0}
    assert emu.api("inbound/query", token=token)["inbound"][0]["callee"] == {"extid": "201"}
    emu.api("extension/hold", {"extid": "201"}, token=token)
    assert queue_status(emu, token, "6700")["queue"]["queuestatus"]["members"][0]["agentstatus"] == "8"
    inbound(emu, queue="6700", answer=False, **{"from": "0755000001"})
    ringing = calls(emu)[1]
    emu.ctl("POST", f"calls/{ringing['callid']}/answer", {"agent": "202"})
    # Answer connects the agent (it rings) and the agent answers.
    assert queue_status(emu, token, "6700")["queue"]["queuestatus"]["members"][1]["agentstatus"] == "2"


def test_queue_without_free_agent_waits(pbx):
    emu, _token = pbx
    created = inbound(emu, queue="6700")
    assert calls(emu)[0]["callee"] == {"type": "queue", "number": "6700"}
    assert emu.control("POST", f"calls/{created['callid']}/answer").status_code == 400


@pytest.mark.parametrize("body,errno", [
    ({}, "10004"), ({"queueid": "6799"}, "10013"), ({"queueid": "sales"}, "10013")])
def test_queuestatus_errors(pbx, body, errno):
    emu, token = pbx
    emu.refused("queuestatus/query", body, errno, token=token)


# -- dynamic agents ---------------------------------------------------------------------------

def test_dynamic_agent_login_logout(pbx):
    emu, token = pbx
    assert agents(emu, token, {"queueid": "6701", "extid": "205"}) == {"status": "Success"}
    assert agents(emu, token, {"queueid": "6701", "extid": "203", "password": "2468"}) == {
        "status": "Success"}
    # Logging in twice changes nothing.
    assert agents(emu, token, {"queueid": "6701", "extid": "205"}) == {"status": "Success"}
    queue = emu.api("queue/query", {"queueid": "6701"}, token=token)["queues"][0]
    assert queue["dynamicagents"] == "205,203"
    members = queue_status(emu, token)["queue"]["queuestatus"]["members"]
    assert members == [{"agent": "205", "agentstatus": "5"}, {"agent": "203", "agentstatus": "1"}]
    assert agents(emu, token, {"queueid": "6701", "extid": "205", "password": "2468"},
                  "queue/del_dynamicagent") == {"status": "Success"}
    assert emu.api("queue/query", {"queueid": "6701"}, token=token)["queues"][0][
        "dynamicagents"] == "203"


@pytest.mark.parametrize("endpoint,body,errno", [
    ("queue/add_dynamicagent", {"queueid": "6701"}, "10004"),
    ("queue/add_dynamicagent", {"extid": "201"}, "10004"),
    ("queue/add_dynamicagent", {"queueid": "6799", "extid": "201"}, "10013"),
    ("queue/add_dynamicagent", {"queueid": "6701", "extid": "299"}, "10006"),
    ("queue/add_dynamicagent", {"queueid": "6701", "extid": "201", "password": "0000"}, "10032"),
    ("queue/add_dynamicagent", {"queueid": "6701", "extid": "202"}, "10019"),   # static agent
    ("queue/del_dynamicagent", {"queueid": "6701", "extid": "201"}, "10004"),   # password required
    ("queue/del_dynamicagent", {"queueid": "6701", "extid": "201", "password": "1"}, "10032"),
    ("queue/del_dynamicagent", {"queueid": "6701", "extid": "203", "password": "2468"}, "10019"),
    ("queue/pause_agent", {"queueid": "6701", "extid": "203"}, "10019"),        # not an agent
    ("queue/pause_agent", {"queueid": "6701", "extid": "299"}, "10006"),
    ("queue/unpause_agent", {"queueid": "6799", "extid": "201"}, "10013"),
    ("queue/unpause_agent", {"queueid": "6701"}, "10004"),
])
def test_agent_errors(pbx, endpoint, body, errno):
    emu, token = pbx
    emu.api("queue/update", {"queueid": "6701", "agents": "202"}, token=token)
    emu.refused(endpoint, body, errno, token=token)


def test_pause_and_unpause(pbx):
    emu, token = pbx
    emu.api("queue/update", {"queueid": "6700", "agents": "201"}, token=token)
    body = {"queueid": "6700", "extid": "201"}
    assert agents(emu, token, body, "queue/pause_agent") == {"status": "Success"}
    assert queue_status(emu, token, "6700")["queue"]["queuestatus"]["members"] == [
        {"agent": "201", "agentstatus": "9"}]
    # A paused agent gets no queue calls.
    waiting = inbound(emu, queue="6700")
    assert calls(emu)[0]["callee"]["type"] == "queue"
    assert agents(emu, token, body, "queue/unpause_agent") == {"status": "Success"}
    emu.ctl("POST", f"calls/{waiting['callid']}/answer")
    assert queue_status(emu, token, "6700")["queue"]["queuestatus"]["members"] == [
        {"agent": "201", "agentstatus": "2"}]


def test_queue_without_password_accepts_empty_logout_password(pbx):
    emu, token = pbx
    emu.ctl("PUT", "state", {"queues": [{"queuenumber": "6702"}]})
    assert agents(emu, token, {"queueid": "6702", "extid": "201"})["status"] == "Success"
    assert agents(emu, token, {"queueid": "6702", "extid": "201", "password": ""},
                  "queue/del_dynamicagent")["status"] == "Success"


# -- conferences ---------------------------------------------------------------------------

def test_query_in_session_example(pbx):
    emu, token = pbx
    emu.ctl("POST", "conferences/6401/members", {"number": "201"})
    emu.ctl("POST", "conferences/6401/members", {"number": "202", "memberstatus": "HOLD"})
    answer = emu.api("conference/query_in_session", {"number": "6401"}, token=token)
    assert answer["status"] == "Success"
    (room,) = answer["conference"]
    assert room["conferencenumber"] == "6401"
    assert [(m["number"], m["memberstatus"]) for m in room["member"]] == [
        ("201", "Up"), ("202", "HOLD")]
    assert room["member"][0]["channelid"].startswith("PJSIP/201-")
    assert room["member"][0]["channelid"] != room["member"][1]["channelid"]
    assert all(len(m["channelid"].split("-")[1]) == 8 for m in room["member"])


def test_query_in_session_empty_and_errors(pbx):
    emu, token = pbx
    assert emu.api("conference/query_in_session", {"number": "6400,6401"}, token=token) == {
        "status": "Success"}
    assert emu.api("conference/query_in_session", {"number": "6499"}, token=token)["errno"] == "10011"
    assert emu.api("conference/query_in_session", {}, token=token)["errno"] == "10004"


def test_invite_kick_mute(pbx):
    emu, token = pbx
    body = {"number": "6401", "invitemember": "203,013800000000"}
    assert emu.api("conference/add_member", body, token=token) == {"status": "Success"}
    room = emu.api("conference/query_in_session", {"number": "6401"}, token=token)["conference"][0]
    assert [m["number"] for m in room["member"]] == ["203", "013800000000"]
    assert room["member"][1]["channelid"].startswith("PJSIP/sip-trunk-1-")
    # An extension in a conference is busy.
    assert emu.api("extension/dial_extension", {"caller": "203", "callee": "201"},
                   token=token)["errno"] == "10008"
    member = {"number": "6401", "membernumber": "203"}
    assert emu.api("conference/mute_member", member, token=token) == {"status": "Success"}
    assert emu.ctl("GET", "conferences")["conferences"]["6401"][0]["muted"] is True
    assert emu.api("conference/unmute_member", member, token=token) == {"status": "Success"}
    assert emu.ctl("GET", "conferences")["conferences"]["6401"][0]["muted"] is False
    assert emu.api("conference/kick_member", {"number": "6401", "membernumber": "203,013800000000"},
                   token=token) == {"status": "Success"}
    assert emu.api("conference/query_in_session", {"number": "6401"}, token=token) == {
        "status": "Success"}


@pytest.mark.parametrize("endpoint,body,errno", [
    ("conference/add_member", {"number": "6401"}, "10004"),
    ("conference/add_member", {"number": "6499", "invitemember": "201"}, "10011"),
    ("conference/add_member", {"number": "6401", "invitemember": "202,8888"}, "10024"),
    ("conference/add_member", {"number": "6401", "invitemember": "202,201"}, "10008"),
    ("conference/kick_member", {"number": "6401"}, "10004"),
    ("conference/kick_member", {"number": "6499", "membernumber": "203"}, "10011"),
    ("conference/kick_member", {"number": "6401", "membernumber": "204"}, "10007"),
    ("conference/mute_member", {"number": "6401", "membernumber": "203,204"}, "10007"),
    ("conference/unmute_member", {"number": "6400", "membernumber": "203"}, "10007"),
])
def test_conference_member_errors(pbx, endpoint, body, errno):
    emu, token = pbx
    inbound(emu)   # 201 busy
    emu.ctl("POST", "conferences/6401/members", {"number": "203"})
    emu.refused(endpoint, body, errno, token=token)
    # Nothing joined on failure.
    assert [m["number"] for m in emu.ctl("GET", "conferences")["conferences"]["6401"]] == ["203"]


# -- prompts ---------------------------------------------------------------------------------

def test_playprompt_extension(pbx):
    emu, token = pbx
    body = {"extid": "201", "prompt": "greet+menu2", "autoanswer": "yes"}
    assert emu.api("extension/playprompt", body, token=token) == {"status": "Success"}
    (call,) = calls(emu)
    assert call["direction"] == "prompt" and call["prompt"] == "greet+menu2"
    assert call["state"] == "answered" and call["to"] == "201"
    assert emu.api("extension/playprompt", body, token=token)["errno"] == "10008"
    assert emu.api("extension/hangup", {"extid": "201"}, token=token) == {"status": "Success"}
    assert emu.api("extension/playprompt", {"extid": "202", "prompt": "welcome"},
                   token=token) == {"status": "Success"}
    assert calls(emu)[0]["state"] == "ringing"


@pytest.mark.parametrize("prompt", ["nosuch", "greet+nosuch", "greet++menu2", "greet+", "1234",
                                    "greet.wav"])
def test_playprompt_unknown_prompt(pbx, prompt):
    emu, token = pbx
    assert emu.api("extension/playprompt", {"extid": "201", "prompt": prompt},
                   token=token) == {"status": "Failed", "errno": "10023"}
    assert emu.api("outbound/playprompt", {"outto": "0123", "prompt": prompt},
                   token=token) == {"status": "Failed", "errno": "10023"}


def test_playprompt_errors_and_catalogue(pbx):
    emu, token = pbx
    assert emu.api("extension/playprompt", {"extid": "201"}, token=token)["errno"] == "10004"
    assert emu.api("extension/playprompt", {"extid": "299", "prompt": "greet"},
                   token=token)["errno"] == "10006"
    assert emu.api("outbound/playprompt", {"outto": "8123", "prompt": "greet"},
                   token=token)["errno"] == "10024"
    assert emu.api("outbound/playprompt", {"prompt": "greet"}, token=token)["errno"] == "10004"
    assert emu.api("outbound/playprompt", {"outto": "013800000000", "prompt": "greet+goodbye",
                                           "fromext": "201"}, token=token) == {"status": "Success"}
    (call,) = calls(emu)
    assert call["callee"] == {"type": "external", "number": "013800000000", "trunk": "sip-trunk-1"}
    emu.ctl("PUT", "prompts", {"prompts": ["custom1"]})
    assert emu.api("extension/playprompt", {"extid": "202", "prompt": "custom1"},
                   token=token)["status"] == "Success"
    assert emu.api("extension/playprompt", {"extid": "203", "prompt": "greet"},
                   token=token)["errno"] == "10023"
