"""Control API for the live side of the PBX: calls, extension presence, conference
members, seeded files and prompts (reading them and the event reports is in
``control.VIEWS``).

Like the rest of ``/_emulator/`` it needs no token and stays out of the request log.
"""

import base64
import binascii
import csv
import io

from .calls import find_route, format_time
from .control import BadRequest, Routes, read_json
from .extension_model import EXTENSION_STATUSES
from .files import parse_time
from .registry import split_list

ROUTES = Routes()


async def _body(request):
    body = await read_json(request)
    if not isinstance(body, dict):
        raise BadRequest("body must be a JSON object")
    return body


def _text(body, key, required=True, default=""):
    value = body.get(key, default)
    if value is None:
        value = default
    if isinstance(value, bool) or isinstance(value, (dict, list)):
        raise BadRequest(f"{key} must be a string")
    value = str(value)
    if required and not value:
        raise BadRequest(f"{key} is required")
    return value


def _flag(body, key, default):
    value = body.get(key, default)
    if not isinstance(value, bool):
        raise BadRequest(f"{key} must be true or false")
    return value


def _content(body):
    try:
        return base64.b64decode(_text(body, "content_b64", required=False), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise BadRequest(f"content_b64 is not base64: {exc}") from exc


# -- calls ------------------------------------------------------------------------------------

def _extension(emulator, number, status=400):
    if number not in emulator.state.extensions.records:
        raise BadRequest(f"no extension {number!r}", status)
    return number


def _free(emulator, number):
    sim = emulator.calls
    if sim.call_of(number) is not None or sim.in_conference(number):
        raise BadRequest(f"extension {number} is busy")


def _trunk(emulator, name):
    if emulator.state.trunks.by_name(name) is None:
        raise BadRequest(f"no trunk {name!r}")
    return name


def _call_result(emulator, live):
    data = live.to_json()
    if live.callid not in emulator.calls.calls:
        data["state"] = "ended"
    return data


@ROUTES("POST", "/calls")
async def create_call(emulator, request):
    body = await _body(request)
    direction = _text(body, "direction")
    answer = _flag(body, "answer", True)
    sim = emulator.calls
    if direction == "inbound":
        caller, did = _text(body, "from"), _text(body, "to", required=False)
        trunk = _trunk(emulator, _text(body, "trunk"))
        extension = _text(body, "extension", required=False)
        queue = _text(body, "queue", required=False)
        if bool(extension) == bool(queue):
            raise BadRequest("give exactly one of extension and queue")
        if extension:
            _extension(emulator, extension)
            _free(emulator, extension)
        elif queue not in emulator.state.queues.records:
            raise BadRequest(f"no queue {queue!r}")
        live = sim.inbound(caller, did, trunk, extension=extension or None, queue=queue or None)
        if answer and live.callid in sim.calls and (extension or sim.available_agents(queue)):
            sim.answer(live)
        return _call_result(emulator, live)
    if direction in ("outbound", "internal"):
        caller = _extension(emulator, _text(body, "from"))
        _free(emulator, caller)
        to = _text(body, "to")
        if direction == "outbound":
            trunk = _text(body, "trunk", required=False)
            if trunk:
                _trunk(emulator, trunk)
            else:
                route = find_route(emulator.state.outbound_routes, to)
                if route is None:
                    raise BadRequest(f"no trunk given and no outbound route matches {to!r}")
                trunk = split_list(route["trunks"])[0]
            live = sim.outbound(caller, to, trunk)
        else:
            _extension(emulator, to)
            if to == caller:
                raise BadRequest("an extension cannot call itself")
            live = sim.internal(caller, to)
        if answer and live.callid in sim.calls:
            sim.answer(live)
        return _call_result(emulator, live)
    raise BadRequest("direction must be inbound, outbound or internal")


def _live_call_action(verb, reads_body=True):
    """Register ``action(emulator, live, body)`` as POST /calls/{callid}/<verb>; it is
    answered with the call as the action left it."""
    def register(action):
        async def handler(emulator, request):
            body = await _body(request) if reads_body else {}
            live = emulator.calls.find(request.match_info["callid"])
            if live is None:
                raise BadRequest(f"no live call {request.match_info['callid']!r}", 404)
            action(emulator, live, body)
            return _call_result(emulator, live)
        ROUTES("POST", "/calls/{callid}/" + verb)(handler)
        return action
    return register


@_live_call_action("answer")
def answer_call(emulator, live, body):
    agent = _text(body, "agent", required=False) or None
    emulator.calls.answer(live, agent=agent, caller_only=_text(body, "party", required=False) == "caller")


@_live_call_action("hangup")
def hangup_call(emulator, live, body):
    # By default the remote (external) party hangs up; "caller"/"callee"/a number choose.
    emulator.calls.hangup(live, first=_text(body, "party", required=False) or None)


@_live_call_action("timeout", reads_body=False)
def timeout_call(emulator, live, body):
    emulator.calls.timeout(live)


@_live_call_action("fail")
def fail_call(emulator, live, body):
    reason = body.get("reason", 404)
    if not isinstance(reason, int) or isinstance(reason, bool) or not 100 <= reason <= 699:
        raise BadRequest("reason must be a SIP status code (a number, e.g. 404)")
    emulator.calls.fail(live, reason)


@_live_call_action("voicemail", reads_body=False)
def voicemail_call(emulator, live, body):
    emulator.calls.voicemail(live)


@_live_call_action("transfer")
def transfer_call(emulator, live, body):
    transferrer = _extension(emulator, _text(body, "extension"))
    target = _extension(emulator, _text(body, "to"))
    emulator.calls.transfer(live, transferrer, target)


# -- presence and status monitor -------------------------------------------------------------------

@ROUTES("PUT", "/extensions/{number}/status")
async def set_extension_status(emulator, request):
    number = _extension(emulator, request.match_info["number"], status=404)
    status = _text(await _body(request), "status")
    if status not in EXTENSION_STATUSES:
        raise BadRequest(f"status must be one of {list(EXTENSION_STATUSES)}")
    emulator.calls.set_presence(number, status)
    return {"extension": number, "status": status,
            "shown": emulator.calls.effective_status(number)}


@ROUTES("POST", "/extensions/{number}/register")
async def register_extension(emulator, request):
    number = _extension(emulator, request.match_info["number"], status=404)
    emulator.calls.register(number)
    return {"extension": number, "status": emulator.state.extensions.records[number]["status"],
            "shown": emulator.calls.effective_status(number)}


@ROUTES("PUT", "/report_options")
async def set_report_options(emulator, request):
    body = await _body(request)
    action = _text(body, "caller_answer_action", required=False) or emulator.calls.caller_answer_action
    if action not in ("ANSWER", "ANSWERED"):
        raise BadRequest("caller_answer_action must be ANSWER or ANSWERED")
    emulator.calls.caller_answer_action = action
    return {"caller_answer_action": action}


@ROUTES("PUT", "/status_monitor")
async def set_status_monitor(emulator, request):
    value = (await _body(request)).get("extensions", "all")
    if value == "all":
        emulator.calls.status_monitor = None
    elif isinstance(value, list) and all(isinstance(item, str) for item in value):
        emulator.calls.status_monitor = set(value)
    else:
        raise BadRequest('extensions must be "all" or a list of extension numbers')
    return {"extensions": value}


# -- conferences ----------------------------------------------------------------------------------

@ROUTES("GET", "/conferences")
async def list_conferences(emulator, request):
    return {"conferences": {room: [dict(member) for member in members]
                            for room, members in emulator.calls.conferences.items()}}


@ROUTES("POST", "/conferences/{room}/members")
async def add_conference_member(emulator, request):
    room = request.match_info["room"]
    if room not in emulator.state.conferences.records:
        raise BadRequest(f"no conference room {room!r}", 404)
    body = await _body(request)
    number = _text(body, "number")
    memberstatus = _text(body, "memberstatus", required=False, default="Up")
    if memberstatus not in ("Up", "HOLD"):
        raise BadRequest("memberstatus must be Up or HOLD")
    if number in emulator.state.extensions.records:
        _free(emulator, number)
    elif any(member["number"] == number for member in emulator.calls.conferences.get(room, [])):
        raise BadRequest(f"{number} is already in the room")
    emulator.calls.join(room, number, memberstatus)
    return await list_conferences(emulator, request)


# -- files ----------------------------------------------------------------------------------------

@ROUTES("POST", "/voicemails")
async def add_voicemail(emulator, request):
    body = await _body(request)
    extension = _extension(emulator, _text(body, "extension"))
    length = _text(body, "duration", required=False, default="0")
    if not length.isdigit():
        raise BadRequest("duration must be whole seconds")
    date = _text(body, "date", required=False) or format_time(emulator.clock.wall())
    if parse_time(date) is None:
        raise BadRequest("date must be YYYY-MM-DD HH:MM:SS")
    status = _text(body, "status", required=False, default="unread")
    if status not in ("read", "unread"):
        raise BadRequest("status must be read or unread")
    message = emulator.files.add_voicemail(extension, _text(body, "from", required=False), length,
                                           date, status, _content(body))
    return {"extid": extension, "voicemailfile": message["voicemailfile"]}


@ROUTES("POST", "/recordings")
async def add_recording(emulator, request):
    body = await _body(request)
    name = _text(body, "file")
    emulator.files.add_recording(name, _content(body))
    return {"recording": name}


@ROUTES("POST", "/cdr")
async def add_cdr(emulator, request):
    body = await _body(request)
    sn = emulator.state.deviceinfo.values["sn"]
    if "content_csv" in body:
        reader = csv.DictReader(io.StringIO(_text(body, "content_csv")))
        rows = [dict(row) for row in reader]
    else:
        rows = body.get("records")
        if not isinstance(rows, list):
            raise BadRequest("give records (a list of objects) or content_csv")
    return {"added": emulator.files.add_cdr_rows(rows, sn)}


@ROUTES("PUT", "/prompts")
async def set_prompts(emulator, request):
    prompts = (await _body(request)).get("prompts")
    if not isinstance(prompts, list) or not all(isinstance(p, str) and p for p in prompts):
        raise BadRequest("prompts must be a list of names")
    emulator.files.prompts = list(prompts)
    return {"prompts": prompts}


def add_routes(app, emulator_key):
    ROUTES.add_to(app, emulator_key)
