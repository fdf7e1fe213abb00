# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Live calls and extension presence, in one stable shape whatever variant the firmware returns."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.openvox.ucpbx.plugins.module_utils.direct_module import ActionFailed
from ansible_collections.openvox.ucpbx.plugins.module_utils.errors import (
    NO_SUCH_CALL,
    NO_SUCH_EXTENSION,
    PbxApiError,
    listed_records,
    objects,
)

DIRECTIONS = ("inbound", "outbound")
# What a callee entry's key says about the party it names.
CALLEE_KINDS = (("extid", "extension"), ("ivrid", "ivr"), ("queueid", "queue"), ("outboundid", "outbound"),
                ("inboundid", "inbound"), ("conferenceid", "conference"))
BUSY_STATUSES = ("Busy", "Ringing", "Hold")


def _callees(raw):
    parties = []
    for entry in objects(raw):
        for api_key, kind in CALLEE_KINDS:
            if entry.get(api_key) not in (None, ""):
                parties.append({"type": kind, "id": str(entry[api_key])})
    return parties


def normalise_call(raw, direction):
    call = {
        "id": str(raw.get("%sid" % direction, "")),
        "direction": direction,
        "from": str(raw.get("from", "")),
        "to": str(raw.get("to", "")),
        "trunk": str(raw.get("trunk", "")),
        "status": str(raw.get("status", "")),
        "callee": _callees(raw.get("callee")),
    }
    extensions = [party["id"] for party in call["callee"] if party["type"] == "extension"]
    if direction == "outbound" and call["from"]:
        extensions.insert(0, call["from"])
    call["extensions"] = extensions
    return call


def list_calls(client, direction, call_id=None):
    """Active calls of one direction; [] when the PBX says the asked-for call does not exist."""
    body = {"%sid" % direction: call_id} if call_id else {}
    try:
        answer = client.call("%s/query" % direction, body, subject="%s call %s" % (direction, call_id) if call_id
                             else "%s calls" % direction)
    except PbxApiError as exc:
        if call_id and exc.errno in NO_SUCH_CALL:
            return []
        raise
    return [normalise_call(item, direction) for item in objects(answer.get(direction))]


def find_call(client, direction, call_id):
    for call in list_calls(client, direction, call_id):
        if call["id"] == call_id:
            return call
    return None


def extension_states(client, numbers):
    """extension/query for the given numbers: {number: raw record}; a missing one is a clear error."""
    try:
        answer = client.call("extension/query", {"extid": ",".join(numbers)},
                             subject="extension %s" % ", ".join(numbers))
    except PbxApiError as exc:
        if exc.errno != NO_SUCH_EXTENSION:
            raise
        if len(numbers) > 1:
            # The PBX does not say which one is missing; the extension list does.
            listing = client.call("extensionlist/query", {}, subject="extensions")
            listed = set(str(item["extnumber"]) for item in listed_records(
                listing, "extensionlist/query", ("extlist",), key_field="extnumber", subject="extensions"))
            numbers = [number for number in numbers if number not in listed] or numbers
        raise ActionFailed("extension %s does not exist on the PBX" % " or ".join(numbers))
    found = dict((str(item["extnumber"]), item) for item in listed_records(
        answer, "extension/query", ("extinfos",), key_field="extnumber", subject="extension %s" % ", ".join(numbers)))
    missing = [number for number in numbers if number not in found]
    if missing:
        raise ActionFailed("extension %s does not exist on the PBX" % ", ".join(missing))
    return found


def live_call_of(record):
    """The call an extension record says it is in, as {direction: id}, or None.

    Firmware that reports it adds `inbound {inboundid}`, `outbound {outboundid}` or `ext {extid}` to the record;
    `extid` may be one number or a list holding both extensions of an internal call.
    """
    number = str(record.get("extnumber", ""))
    for key, id_key in (("inbound", "inboundid"), ("outbound", "outboundid"), ("ext", "extid")):
        value = record.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        if not isinstance(value, dict) or value.get(id_key) in (None, "", []):
            continue
        if key != "ext":
            return {"direction": key, "id": str(value[id_key])}
        peers = value[id_key] if isinstance(value[id_key], list) else [value[id_key]]
        peers = [str(peer) for peer in peers if str(peer) != number] or [str(peer) for peer in peers]
        return {"direction": "internal", "peer": peers[0]}
    return None


def current_call(client, number, record):
    """The call extension `number` is in, or None when its record says it is in none.

    The live-call part of the record is used when the firmware sends one. Otherwise the shown status (Ringing,
    Busy, Hold) says whether the extension is in a call, and the inbound and outbound calls say which one; a
    call found in neither is an internal call: {"direction": "internal"}.
    """
    live = live_call_of(record)
    if live is not None and live["direction"] == "internal":
        return live
    if live is not None:
        return find_call(client, live["direction"], live["id"]) or live
    if str(record.get("status", "")) not in BUSY_STATUSES:
        return None
    for direction in DIRECTIONS:
        for call in list_calls(client, direction):
            if number in call["extensions"]:
                return call
    return {"direction": "internal"}


def idle_problem(number, status):
    """Why extension `number` cannot start a call or a monitoring session, or None when it can."""
    if status == "Unavailable":
        return "extension %s is not registered, so its phone cannot ring" % number
    if status in BUSY_STATUSES:
        return "extension %s is not idle (status %s)" % (number, status)
    return None
