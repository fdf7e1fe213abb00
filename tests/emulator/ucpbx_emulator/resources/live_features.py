"""Live queue status and agents (OpenVox UC API: Queues, status and agents) and conferences in
session (Conference)."""

from ..errors import (MISSING_PARAMETER, NO_SUCH_CALL, NO_SUCH_EXTENSION, QUEUE_CONFIG_FAILED,
                      WRONG_PASSWORD, ApiError)
from ..registry import Endpoints, require, split_list

ENDPOINTS = Endpoints()


def _sim(call):
    return call.emulator.calls


# -- queues --------------------------------------------------------------------------------

def _queue_and_extension(call):
    queueid, extid = require(call.body, "queueid", "extid")
    state = call.emulator.state
    queue = state.queues.get(queueid)
    if extid not in state.extensions.records:
        raise ApiError(NO_SUCH_EXTENSION)
    return queue, extid


def _members(queue):
    return split_list(queue["agents"]) + [agent for agent in split_list(queue["dynamicagents"])
                                          if agent not in split_list(queue["agents"])]


@ENDPOINTS("queuestatus/query")
def query_queue_status(call):
    queueid = require(call.body, "queueid")
    queue = call.emulator.state.queues.get(queueid)
    sim = _sim(call)
    members = [{"agent": agent, "agentstatus": sim.agent_status(queueid, agent)}
               for agent in _members(queue)]
    # The OpenVox example: one object, and callercount a JSON number.
    return {"queue": {"queuenumber": queueid,
                      "queuestatus": {"members": members, "callercount": sim.waiting_in(queueid)}}}


@ENDPOINTS("queue/add_dynamicagent")
def add_dynamic_agent(call):
    queue, extid = _queue_and_extension(call)
    if "password" in call.body and call.body["password"] != queue["password"]:
        raise ApiError(WRONG_PASSWORD)
    if extid in split_list(queue["agents"]):
        # A static agent is always logged in; a dynamic login would list it twice.
        raise ApiError(QUEUE_CONFIG_FAILED)
    agents = split_list(queue["dynamicagents"])
    if extid not in agents:
        queue["dynamicagents"] = ",".join(agents + [extid])


@ENDPOINTS("queue/del_dynamicagent")
def del_dynamic_agent(call):
    queue, extid = _queue_and_extension(call)
    # Required, but may be empty when the queue has no password.
    if "password" not in call.body:
        raise ApiError(MISSING_PARAMETER)
    if call.body["password"] != queue["password"]:
        raise ApiError(WRONG_PASSWORD)
    agents = split_list(queue["dynamicagents"])
    if extid not in agents:
        raise ApiError(QUEUE_CONFIG_FAILED)
    queue["dynamicagents"] = ",".join(agent for agent in agents if agent != extid)
    _sim(call).paused.discard((queue["queuenumber"], extid))


@ENDPOINTS.switch("queue/pause_agent", "queue/unpause_agent")
def pause(call, paused):
    queue, extid = _queue_and_extension(call)
    if extid not in _members(queue):
        raise ApiError(QUEUE_CONFIG_FAILED)
    key = (queue["queuenumber"], extid)
    if paused:
        _sim(call).paused.add(key)
    else:
        _sim(call).paused.discard(key)


# -- conferences in session -------------------------------------------------------------------

@ENDPOINTS("conference/query_in_session")
def query_in_session(call):
    rooms = call.emulator.state.conferences.select(require(call.body, "number"), allow_all=False)
    sessions = _sim(call).conferences
    listed = [{"conferencenumber": room["number"],
               "member": [{"number": m["number"], "channelid": m["channelid"],
                           "memberstatus": m["memberstatus"]} for m in sessions[room["number"]]]}
              for room in rooms if sessions.get(room["number"])]
    # Like voicemail/query, nothing in session leaves the payload key out.
    return {"conference": listed} if listed else None


@ENDPOINTS("conference/add_member")
def add_member(call):
    number, invited = require(call.body, "number", "invitemember")
    _sim(call).invite(number, split_list(invited))


def _members_of(call):
    number, members = require(call.body, "number", "membernumber")
    call.emulator.state.conferences.get(number)
    session = _sim(call).conferences.get(number, [])
    wanted = split_list(members)
    present = {member["number"] for member in session}
    if not wanted or not set(wanted) <= present:
        raise ApiError(NO_SUCH_CALL)
    return number, [member for member in session if member["number"] in wanted]


@ENDPOINTS("conference/kick_member")
def kick_member(call):
    number, members = _members_of(call)
    _sim(call).kick(number, [member["number"] for member in members])


@ENDPOINTS.switch("conference/mute_member", "conference/unmute_member")
def mute_member(call, muted):
    for member in _members_of(call)[1]:
        member["muted"] = muted
