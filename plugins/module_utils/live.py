# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Live PBX state shared by the queue, conference and prompt modules: reading it in one stable
shape whichever variant the firmware answers with, and the checks made before any request."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.openvox.ucpbx.plugins.module_utils.direct_module import ActionFailed
from ansible_collections.openvox.ucpbx.plugins.module_utils.engine import MASK
from ansible_collections.openvox.ucpbx.plugins.module_utils.errors import NO_SUCH_QUEUE, PbxApiError, objects

# queuestatus agentstatus codes: Asterisk device states plus 9 and 10 (OpenVox UC API, Query Queue Status,
# https://help.openvox.cn/docs/uc-series-ippbx/api-documentation/api-interface-example/queues/query-queue-status).
AGENT_STATUSES = ("unknown", "idle", "in_use", "busy", "invalid", "unavailable", "ringing", "in_use_ringing",
                  "on_hold", "paused", "wrap_up")
PAUSED_CODE = 9


def _as_int(value, default=None):
    if isinstance(value, bool):
        return default
    if isinstance(value, int):
        return value
    text = str(value if value is not None else "").strip()
    return int(text) if text.isdigit() else default


# -- queues ----------------------------------------------------------------------------------------

def agent_status(code):
    """(status_code, readable status) of an agentstatus value; anything undocumented is unknown."""
    number = _as_int(code)
    if number is None or not 0 <= number < len(AGENT_STATUSES):
        return number, "unknown"
    return number, AGENT_STATUSES[number]


def normalise_queue_status(answer, queue):
    """One queue's status from a queuestatus/query answer, OpenVox or Yeastar shape.

    OpenVox: {"queue": {"queuenumber", "queuestatus": {"members": [...], "callercount": 2}}}
    Yeastar 1.1.0: {"queues": [{"queuenumber", "queuestatus": [{"callercount": "0", "members": [...]}]}]}
    """
    entries = objects(answer.get("queue")) + objects(answer.get("queues"))
    matching = [entry for entry in entries if str(entry.get("queuenumber", "")) == queue]
    if not matching and len(entries) == 1 and entries[0].get("queuenumber") in (None, ""):
        matching = entries
    callers, agents, seen = 0, [], set()
    for entry in matching:
        # The status block may be an object, a list of them, or (some firmware) the entry itself.
        blocks = objects(entry.get("queuestatus")) or [entry]
        for block in blocks:
            callers += _as_int(block.get("callercount"), 0)
            for member in objects(block.get("members")) + objects(block.get("member")):
                extension = str(member.get("agent", member.get("extid", "")))
                if not extension or extension in seen:
                    continue
                seen.add(extension)
                code, status = agent_status(member.get("agentstatus"))
                agents.append({"extension": extension, "status_code": code, "status": status})
    return {"number": queue, "callers_waiting": callers, "agents": agents}


def queue_status(client, queue):
    """queuestatus/query for one queue (the API takes one per request); a missing queue is a clear error."""
    try:
        answer = client.call("queuestatus/query", {"queueid": queue}, subject="queue %s" % queue)
    except PbxApiError as exc:
        if exc.errno == NO_SUCH_QUEUE:
            raise ActionFailed("queue %s does not exist on the PBX" % queue)
        raise
    return normalise_queue_status(answer, queue)


def queue_settings(client, queues=None):
    """queue/query: {queue number: raw settings}, in the PBX's order; all queues without `queues`."""
    body = {"queueid": ",".join(queues)} if queues else {}
    try:
        answer = client.call("queue/query", body, subject="queue %s" % ", ".join(queues) if queues else "queues")
    except PbxApiError as exc:
        if exc.errno == NO_SUCH_QUEUE and queues:
            raise ActionFailed("queue %s does not exist on the PBX" % " or ".join(queues))
        raise
    settings = []
    for item in objects(answer.get("queues")):
        number = str(item.get("queuenumber", ""))
        if number:
            settings.append((number, item))
    return settings


def split_csv(value):
    return [part.strip() for part in str(value or "").split(",") if part.strip()]


# -- conferences -------------------------------------------------------------------------------------

def normalise_sessions(answer, room):
    """Members in session of one room from conference/query_in_session, either spelling.

    The device's example says {"conference": [{"conferencenumber", "member": [{number, channelid,
    memberstatus}]}]}; the doc table says `conferences` / `members`. No one in session: no key at all.
    """
    entries = objects(answer.get("conference")) + objects(answer.get("conferences"))
    matching = [entry for entry in entries
                if str(entry.get("conferencenumber", entry.get("number", ""))) == room]
    if not matching and len(entries) == 1 and entries[0].get("conferencenumber", entries[0].get("number")) is None:
        matching = entries
    members, seen = [], set()
    for entry in matching:
        for member in objects(entry.get("member")) + objects(entry.get("members")):
            number = str(member.get("number", member.get("membernumber", "")))
            if not number or number in seen:
                continue
            seen.add(number)
            members.append({"number": number, "channel_id": str(member.get("channelid", "")),
                            "status": str(member.get("memberstatus", ""))})
    return members


def conference_sessions(client, room):
    answer = client.call("conference/query_in_session", {"number": room}, subject="conference room %s" % room)
    return normalise_sessions(answer, room)


# -- prompts ------------------------------------------------------------------------------------------

def prompt_problems(names):
    """What is wrong with prompt names under the API's rule (OpenVox UC API, Play Prompts): each name non-empty, with a
    letter, without `+` (the separator). Returns one message per bad name."""
    problems = []
    for index, name in enumerate(names):
        label = "prompt %d (%r)" % (index + 1, name)
        if not name:
            problems.append("prompt %d is empty" % (index + 1))
        elif "+" in name:
            problems.append("%s contains '+', which joins prompt names" % label)
        elif not any(char.isalpha() for char in name):
            problems.append("%s contains no letter" % label)
    return problems


def mask_body(body, secret_keys=("password",)):
    return dict((key, MASK if key in secret_keys and value is not None else value) for key, value in body.items())
