"""Audio calls (OpenVox UC API: Audio Calls, plus the transfer, listen and dial-out endpoints
of the Chinese guide's appendix) and prompt playback (Play Prompts), acting on the call
simulator. Responses carry no ``callid`` (the OpenVox examples show none)."""

from ..calls import ANSWERED, external_party, extension_party, find_route
from ..errors import (MISSING_PARAMETER, MONITOR_MODE_MISMATCH, NO_OUTBOUND_PERMISSION,
                      NO_SUCH_CALL, NO_SUCH_EXTENSION, NO_SUCH_QUEUE, NOT_BRIDGED, NOT_IDLE,
                      NOT_MONITORABLE, NUMBER_NOT_FOUND, PROMPT_MISSING, ApiError)
from ..files import prompt_names
from ..registry import Endpoints, require, split_list

ENDPOINTS = Endpoints()
# Monitor modes (extension setting, compared ignoring case) that allow each action.
MONITOR_MODES = {"whisper": ("whisper", "extensive"), "barge": ("barge-in", "extensive"),
                 "listen": ("listen", "extensive")}
# Calls outbound/query lists: extension-made ones and those the PBX dials out itself.
OUTBOUND_KINDS = ("outbound", "dialout")


def _sim(call):
    return call.emulator.calls


def _extension(call, number, errno=NO_SUCH_EXTENSION):
    record = call.emulator.state.extensions.records.get(number)
    if record is None:
        raise ApiError(errno)
    return record


def _autoanswer(body):
    value = body.get("autoanswer", "no")
    if value not in ("yes", "no"):
        raise ApiError(MISSING_PARAMETER)
    return value == "yes"


def _select(calls, key, selector):
    """Calls of one direction, filtered by a comma list of ids (any unknown: 10007)."""
    if not selector:
        return calls
    wanted = split_list(selector)
    known = {c.ids[key] for c in calls}
    if not set(wanted) <= known:
        raise ApiError(NO_SUCH_CALL)
    return [c for c in calls if c.ids[key] in wanted]


def _live(call, kind):
    kinds = OUTBOUND_KINDS if kind == "outbound" else (kind,)
    return [c for c in _sim(call).calls.values() if c.kind in kinds]


# -- queries -------------------------------------------------------------------------------

def _callee_object(live):
    # The device example shows an object (Yeastar v1.1.0: an array of one object).
    if live.callee["type"] == "queue":
        return {"queueid": live.callee["number"]}
    return {"extid": live.callee["number"]}


@ENDPOINTS.query("inbound/query")
def query_inbound(call):
    calls = _select(_live(call, "inbound"), "inboundid", call.body.get("inboundid", ""))
    return {"inbound": [{"inboundid": c.ids["inboundid"], "from": c.caller["number"],
                         "to": c.ids["did"], "trunk": c.trunk, "callee": _callee_object(c),
                         "status": c.api_status()} for c in calls]}


@ENDPOINTS.query("outbound/query")
def query_outbound(call):
    calls = _select(_live(call, "outbound"), "outboundid", call.body.get("outboundid", ""))
    return {"outbound": [{"outboundid": c.ids["outboundid"], "from": c.dialled_from(),
                          "to": c.dialled_to(), "trunk": c.trunk,
                          "status": c.api_status()} for c in calls]}


# -- making calls ------------------------------------------------------------------------

def _idle_caller(call, number):
    _extension(call, number)
    if not _sim(call).is_idle(number):
        raise ApiError(NOT_IDLE)


@ENDPOINTS("extension/dial_extension")
def dial_extension(call):
    caller, callee = require(call.body, "caller", "callee")
    autoanswer = _autoanswer(call.body)
    _idle_caller(call, caller)
    if callee == caller:
        raise ApiError(NUMBER_NOT_FOUND)
    _extension(call, callee, NUMBER_NOT_FOUND)
    _sim(call).internal(caller, callee, via_api=True, autoanswer=autoanswer)


def _route_trunk(call, number):
    route = find_route(call.emulator.state.outbound_routes, number)
    if route is None:
        raise ApiError(NO_OUTBOUND_PERMISSION)
    return split_list(route["trunks"])[0]


@ENDPOINTS("extension/dial_outbound")
def dial_outbound(call):
    extid, outto = require(call.body, "extid", "outto")
    autoanswer = _autoanswer(call.body)
    _idle_caller(call, extid)
    trunk = _route_trunk(call, outto)
    _sim(call).outbound(extid, outto, trunk, via_api=True, autoanswer=autoanswer)


@ENDPOINTS("queue/dial_outbound")
def queue_dial_outbound(call):
    """The PBX calls ``outto``; once answered, the call waits in the queue for an agent."""
    queue, outto = require(call.body, "queueid", "outto")
    if queue not in call.emulator.state.queues.records:
        raise ApiError(NO_SUCH_QUEUE)
    trunk = _route_trunk(call, outto)
    _sim(call).dialout(external_party(outto, trunk), {"type": "queue", "number": queue}, trunk,
                       origin=queue, outto=outto)


@ENDPOINTS("ringgroup/dial_outbound")
def ring_group_dial_outbound(call):
    """The PBX calls ``outto``; once answered, the call rings the ring group's members."""
    group, outto = require(call.body, "ringgroupid", "outto")
    call.emulator.state.ring_groups.get(group)
    trunk = _route_trunk(call, outto)
    _sim(call).dialout(external_party(outto, trunk), {"type": "ringgroup", "number": group}, trunk,
                       origin=group, outto=outto)


@ENDPOINTS("outbound/dial_outbound")
def callback_dial_outbound(call):
    """Two-leg callback: the PBX calls ``caller`` first, then connects it to ``outto``.
    An extension as ``caller`` is the same as extension/dial_outbound without autoanswer."""
    caller, outto = require(call.body, "caller", "outto")
    if caller in call.emulator.state.extensions.records:
        _idle_caller(call, caller)
        trunk = _route_trunk(call, outto)
        _sim(call).outbound(caller, outto, trunk, via_api=True)
        return
    first_trunk = _route_trunk(call, caller)
    trunk = _route_trunk(call, outto)
    _sim(call).dialout(external_party(caller, first_trunk), external_party(outto, trunk), trunk,
                       origin=caller, outto=outto)


@ENDPOINTS("calltransfer")
def call_transfer(call):
    """Blind transfer of an answered call by one of its extensions to another extension.
    Not reported as Tranfer: the PBX reports transfers made on phones only."""
    call_id, transferor, target = require(call.body, "callid", "transferor", "transferto")
    sim = _sim(call)
    live = sim.find(call_id)
    if live is None:
        raise ApiError(NO_SUCH_CALL)
    _extension(call, transferor)
    if transferor not in live.extensions():
        raise ApiError(NO_SUCH_CALL)
    if live.state != ANSWERED or live.kind not in ("inbound", "internal"):
        raise ApiError(NOT_BRIDGED)
    if live.kind == "inbound" and transferor != live.callee["number"]:
        raise ApiError(NOT_BRIDGED)
    _extension(call, target, NUMBER_NOT_FOUND)
    # Like a dialled extension, an unregistered target still "rings"; a busy one cannot.
    if target in live.extensions() or sim.call_of(target) is not None or sim.in_conference(target):
        raise ApiError(NOT_IDLE)
    sim.transfer(live, transferor, target, reported=False)


# -- acting on an extension's call ---------------------------------------------------------

def _current_call(call, number):
    _extension(call, number)
    live = _sim(call).call_of(number)
    if live is None:
        raise ApiError(NO_SUCH_CALL)
    return live


def _bridged_party_call(call, number):
    """The answered call the extension is a party of (hold/mute act on it)."""
    live = _current_call(call, number)
    if live.state != ANSWERED or number not in live.extensions():
        raise ApiError(NOT_BRIDGED)
    return live


@ENDPOINTS("extension/hangup")
def hangup_extension(call):
    number = require(call.body, "extid")
    live = _current_call(call, number)
    if number not in live.extensions():
        # A monitoring extension hanging up leaves the monitored call alone.
        _sim(call).remove_monitor(live, number)
        return
    _sim(call).hangup(live, first=number)


def _by_id(call, kind, key):
    call_id = require(call.body, key)
    for live in _live(call, kind):
        if live.ids[key] == call_id:
            return live
    raise ApiError(NO_SUCH_CALL)


@ENDPOINTS("inbound/hangup")
def hangup_inbound(call):
    live = _by_id(call, "inbound", "inboundid")
    # The PBX clears the trunk leg, so the external side is reported as hanging up first.
    _sim(call).hangup(live, first=live.caller["number"])


@ENDPOINTS("outbound/hangup")
def hangup_outbound(call):
    live = _by_id(call, "outbound", "outboundid")
    _sim(call).hangup(live, first=live.callee["number"])


@ENDPOINTS.switch("extension/hold", "extension/unhold")
def hold(call, held):
    number = require(call.body, "extid")
    _sim(call).set_hold(_bridged_party_call(call, number), number, held)


@ENDPOINTS.switch("extension/mute", "extension/unmute")
def mute(call, muted):
    number = require(call.body, "extid")
    _sim(call).set_mute(_bridged_party_call(call, number), number, muted)


def _monitor(mode, monitor_key, target_key):
    def handler(call):
        monitor, target = require(call.body, monitor_key, target_key)
        monitor_record = _extension(call, monitor)
        target_record = _extension(call, target)
        sim = _sim(call)
        if not sim.is_idle(monitor):
            raise ApiError(NOT_IDLE)
        if target_record["allowbeingmonitored"] != "on":
            raise ApiError(NOT_MONITORABLE)
        if monitor_record["monitormode"].lower() not in MONITOR_MODES[mode]:
            raise ApiError(MONITOR_MODE_MISMATCH)
        live = sim.call_of(target)
        if live is None or live.state != ANSWERED or target not in live.extensions():
            raise ApiError(NO_SUCH_CALL)
        sim.add_monitor(live, monitor, mode)
    return handler


ENDPOINTS("extension/whisper")(_monitor("whisper", "whisperer", "whisperedext"))
ENDPOINTS("extension/barge")(_monitor("barge", "bargein", "bargedext"))
ENDPOINTS("extension/listen")(_monitor("listen", "listener", "listenedext"))


# -- prompts --------------------------------------------------------------------------------

def _checked_prompt(call):
    prompt = require(call.body, "prompt")
    names = prompt_names(prompt)
    if names is None or not set(names) <= set(call.emulator.files.prompts):
        raise ApiError(PROMPT_MISSING)
    return prompt


@ENDPOINTS("extension/playprompt")
def play_prompt_extension(call):
    number = require(call.body, "extid")
    _extension(call, number)
    prompt = _checked_prompt(call)
    autoanswer = _autoanswer(call.body)
    if not _sim(call).is_idle(number):
        raise ApiError(NOT_IDLE)
    _sim(call).prompt_call(extension_party(number), prompt, autoanswer)


@ENDPOINTS("outbound/playprompt")
def play_prompt_outbound(call):
    outto = require(call.body, "outto")
    prompt = _checked_prompt(call)
    # fromext is Yeastar's (whose outbound permission to use); accepted and ignored.
    trunk = _route_trunk(call, outto)
    _sim(call).prompt_call(external_party(outto, trunk), prompt, autoanswer=False)
