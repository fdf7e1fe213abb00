# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The PBX's event reports, normalised: one stable `pbx_event` shape whatever the firmware sends.

Pure functions and bounded memories, no network: the event source
(extensions/eda/plugins/event_source/pbx_events.py) receives the reports, asks Senders whether the
sender may report, RecentReports whether the PBX sent the same report again, and hands each body to
parse_report() and normalise(). Reports are those of the OpenVox UC API, API Reports Examples
(https://help.openvox.cn/docs/uc-series-ippbx/api-documentation/api-reports-examples/).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import ipaddress
import json
import re
import time
from collections import OrderedDict

CALL_MEMORY = 1000
RECENT_REPORTS = 4096

# action on the wire (case-insensitive) -> normalised type
EVENT_TYPES = {
    "bootup": "boot_up",
    "extensionstatus": "extension_status",
    "alert": "alert",
    "ring": "ring",
    "answer": "answer",
    "answered": "answer",
    "bye": "bye",
    "tranfer": "transfer",
    "transfer": "transfer",
    "callfailed": "call_failed",
    "newcdr": "new_cdr",
}
EXTENSION_STATUSES = {
    "ringing": "ringing",
    "inuse": "busy",
    "busy": "busy",
    "hold": "busy",
    "idle": "idle",
    "registered": "registered",
    "unregistered": "unregistered",
    "unavailable": "unregistered",
}
CDR_DURATIONS = (("callduraction", "duration"), ("callduration", "duration"), ("talkduraction", "talk_duration"),
                 ("talkduration", "talk_duration"))


def _pairs_hook(pairs):
    """json object hook: a key repeated (legacy report format) keeps every value, in a list."""
    result = {}
    for key, value in pairs:
        if key in result:
            previous = result[key]
            if isinstance(previous, list) and getattr(previous, "repeated", False):
                previous.append(value)
            else:
                collected = _Repeated([previous, value])
                result[key] = collected
        else:
            result[key] = value
    return result


class _Repeated(list):
    repeated = True


def parse_report(body):
    """The report body as a dict; raises ValueError when it is not a JSON object."""
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    document = json.loads(text, object_pairs_hook=_pairs_hook)
    if not isinstance(document, dict):
        raise ValueError("the report is not a JSON object")
    return _plain(document)


def _plain(value):
    if isinstance(value, dict):
        return dict((key, _plain(item)) for key, item in value.items())
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _snake(text):
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", str(text))
    return re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_").lower() or "unknown"


def event_type(action):
    if action is None:
        return "unknown"
    return EVENT_TYPES.get(str(action).lower(), _snake(action))


def _string(value):
    return None if value is None else str(value)


def _extension_numbers(value):
    """The numbers of an `ext` object: {"extid": "201"}, {"extid": ["202", "201"]}, a bare value or a list."""
    if isinstance(value, list):
        numbers = []
        for item in value:
            numbers.extend(_extension_numbers(item))
        return numbers
    if isinstance(value, dict):
        value = value.get("extid", value.get("number"))
        if isinstance(value, list):
            return [str(item) for item in value]
    return [] if value in (None, "") else [str(value)]


def _parties_in_order(report):
    """The party objects of a call report, in the order of the report's keys."""
    parties = []
    for key, value in report.items():
        if key == "ext":
            for number in _extension_numbers(value):
                parties.append({"kind": "extension", "number": number})
        elif key in ("inbound", "outbound") and isinstance(value, (dict, list)):
            for leg in value if isinstance(value, list) else [value]:
                if not isinstance(leg, dict):
                    continue
                party = {
                    "kind": key,
                    "number": _string(leg.get("from" if key == "inbound" else "to")),
                    "from": _string(leg.get("from")),
                    "to": _string(leg.get("to")),
                    "trunk": _string(leg.get("trunk")),
                    "id": _string(leg.get("%sid" % key)),
                }
                parties.append(party)
    return parties


def _party_key(party):
    if party["kind"] == "extension":
        return "extension:%s" % party["number"]
    return "%s:%s" % (party["kind"], party.get("id"))


class CallMemory:
    """Roles learnt from earlier reports of a call (bounded), used where order says nothing."""

    def __init__(self, size=CALL_MEMORY):
        self.size = size
        self.calls = OrderedDict()    # call id -> {party key: role}
        self.parties = OrderedDict()  # party key -> role in its latest call
        self.answers = OrderedDict()  # call id -> ANSWER reports seen

    def _remember(self, table, key, value):
        table[key] = value
        table.move_to_end(key)
        while len(table) > self.size:
            table.popitem(last=False)

    def learn(self, call_id, parties):
        roles = dict((_party_key(party), party["role"]) for party in parties if party["role"] in ("caller", "callee"))
        if not roles:
            return
        if call_id is not None:
            known = dict(self.calls.get(call_id, {}))
            known.update(roles)
            self._remember(self.calls, call_id, known)
        for key, role in roles.items():
            self._remember(self.parties, key, role)

    def role(self, call_id, party):
        key = _party_key(party)
        return self.calls.get(call_id, {}).get(key) or self.parties.get(key)

    def count_answer(self, call_id):
        seen = self.answers.get(call_id, 0) + 1
        self._remember(self.answers, call_id, seen)
        return seen


def _assign_roles(kind, action, call_id, parties, memory):
    """Give each party a role: caller, callee, transferor, or party when nothing tells."""
    externals = [party for party in parties if party["kind"] != "extension"]
    extensions = [party for party in parties if party["kind"] == "extension"]
    for party in externals:
        party["role"] = "caller" if party["kind"] == "inbound" else "callee"
    if externals:
        if kind == "transfer":
            ext_role = "transferor"
        elif kind == "alert":
            ext_role = "caller"
        else:
            ext_role = "callee" if externals[0]["kind"] == "inbound" else "caller"
        for party in extensions:
            party["role"] = ext_role
        return
    if not extensions:
        return
    if kind == "alert":
        order = ["caller"]
    elif kind == "ring" and len(extensions) == 1:
        order = ["callee"]  # the ringing phone (an API call first rings the calling extension)
    elif kind in ("ring", "call_failed"):
        order = ["callee", "caller"]
    elif kind == "answer":
        if str(action).upper() == "ANSWERED":
            order = ["caller", "callee"]
        else:
            # OpenVox sends ANSWER twice for an internal call: callee view, then caller view.
            first = memory.count_answer(call_id) == 1
            order = ["callee", "caller"] if first else ["caller", "callee"]
    else:
        order = []  # BYE lists who hung up first; a transfer's order is not consistent
    remembered = [memory.role(call_id, party) for party in extensions]
    if kind in ("answer", "bye", "transfer") and all(remembered) and len(set(remembered)) == len(remembered):
        for party, role in zip(extensions, remembered):
            party["role"] = role
        return
    for index, party in enumerate(extensions):
        if index < len(order):
            party["role"] = order[index]
        else:
            party["role"] = memory.role(call_id, party) or "party"
    if len(extensions) == 1 and kind in ("answer", "bye", "call_failed"):
        # A lone extension (the ringing-first leg of an API call) is the phone that rang.
        extensions[0]["role"] = memory.role(call_id, extensions[0]) or "callee"


def _cdr(report):
    cdr = {
        "call_from": _string(report.get("callfrom")),
        "call_to": _string(report.get("callto")),
        "time_start": _string(report.get("timestart")),
        "status": _string(report.get("status")),
        "call_type": _string(report.get("type")),
    }
    for wire, name in CDR_DURATIONS:
        if wire in report and name not in cdr:
            try:
                cdr[name] = int(str(report[wire]).strip())
            except ValueError:
                cdr[name] = _string(report[wire])
    if report.get("recording"):
        cdr["recording"] = _string(report["recording"])
    for key in ("srctrunkname", "desttrunkname", "didnumber", "cdrid"):
        if key in report:
            cdr[key] = _string(report[key])
    return cdr


def _cdr_parties(cdr):
    call_type = (cdr.get("call_type") or "").lower()
    caller_kind = "inbound" if call_type == "inbound" else "extension"
    callee_kind = "outbound" if call_type == "outbound" else "extension"
    parties = []
    if cdr.get("call_from") is not None:
        parties.append({"role": "caller", "kind": caller_kind, "number": cdr["call_from"]})
    if cdr.get("call_to") is not None:
        parties.append({"role": "callee", "kind": callee_kind, "number": cdr["call_to"]})
    return parties


def normalise(report, memory=None):
    """One report as received -> the `pbx_event` payload."""
    memory = memory if memory is not None else CallMemory()
    action = report.get("action")
    if isinstance(action, list):
        action = action[0] if action else None
    kind = event_type(action)
    event = {"type": kind, "action": _string(action), "call_id": _string(report.get("callid")), "parties": []}
    if "sn" in report:
        event["sn"] = _string(report["sn"])
    if kind == "extension_status":
        status = _string(report.get("status"))
        event["extension"] = _string(report.get("extension"))
        event["extension_status"] = EXTENSION_STATUSES.get((status or "").lower(), _snake(status or "unknown"))
        event["status"] = status
    elif kind == "new_cdr":
        event["cdr"] = _cdr(report)
        event["parties"] = _cdr_parties(event["cdr"])
    else:
        parties = _parties_in_order(report)
        _assign_roles(kind, action, event["call_id"], parties, memory)
        event["parties"] = parties
        memory.learn(event["call_id"], parties)
        if kind == "call_failed":
            reason = report.get("reason")
            event["reason"] = reason
            match = re.match(r"\s*(\d{3})", str(reason))
            event["reason_code"] = int(match.group(1)) if match else None
    for party in event["parties"]:
        links = {"inbound": (("did", "to"), ("inbound_id", "id")), "outbound": (("outbound_id", "id"),)}
        for name, field in links.get(party["kind"], ()):
            if party.get(field) is not None:
                event.setdefault(name, party[field])
    for role in ("caller", "callee"):
        match = [party for party in event["parties"] if party.get("role") == role]
        if match:
            event[role] = match[0]
    event["raw"] = report
    inert = _without_template_markers(event)
    if inert != event:
        inert["had_template_markers"] = True
    return {"pbx_event": inert}


# A rulebook hands event data to Ansible as extra vars, and Ansible templates extra vars when they are used:
# "{{ lookup('pipe', ...) }}" in a caller's name (which anyone who can call in sets) would run on the controller.
_TEMPLATE_MARKER = re.compile(r"\{(?=[{%#])")


def _without_template_markers(value):
    """`value` with every Jinja opening delimiter ({{, {%, {#) in its text and keys broken up by a space."""
    if isinstance(value, dict):
        return dict((_without_template_markers(key), _without_template_markers(item)) for key, item in value.items())
    if isinstance(value, list):
        return [_without_template_markers(item) for item in value]
    if isinstance(value, str):
        return _TEMPLATE_MARKER.sub("{ ", value)
    return value


# ---------------------------------------------------------------------------- who may report

def peer_address(text):
    """The address of a peer, or None when it is not an IP address.

    A dual-stack listener sees an IPv4 peer as ::ffff:a.b.c.d; it is the IPv4 address that is configured and
    resolved, so the mapped form is unwrapped. A zone index (fe80::1%eth0) is dropped.
    """
    if text is None:
        return None
    try:
        value = ipaddress.ip_address(str(text).split("%", 1)[0])
    except ValueError:
        return None
    if value.version == 6 and value.ipv4_mapped is not None:
        return value.ipv4_mapped
    return value


def source_network(text):
    """One allowed_sources entry, an address or a CIDR network; ValueError when it is neither."""
    value = ipaddress.ip_network(str(text).strip(), strict=False)
    mapped = value.network_address.ipv4_mapped if value.version == 6 else None
    if mapped is not None and value.prefixlen >= 96:
        # Peers are compared unwrapped (peer_address), so the network must be too.
        value = ipaddress.ip_network("%s/%d" % (mapped, value.prefixlen - 96))
    return value


class Senders:
    """The addresses reports are taken from: the PBX's own (resolved at each login) and fixed extra networks."""

    def __init__(self, networks=()):
        self.networks = tuple(source_network(item) for item in networks)
        self.pbx = frozenset()

    def set_pbx(self, addresses):
        """Replace the PBX's addresses; True when they changed."""
        previous = self.pbx
        self.pbx = frozenset(value for value in (peer_address(item) for item in addresses) if value is not None)
        return self.pbx != previous

    def allows(self, peer):
        value = peer_address(peer)
        if value is None:
            return False
        return value in self.pbx or any(value in network for network in self.networks)


# ---------------------------------------------------------------------------- reports sent again

def report_subject(report):
    """What a report tells the state of, when the same report can legitimately come again (else None).

    Call reports and CDRs carry a call id unique to their leg, so the same body twice is a resend. An
    ExtensionStatus is the state of one extension, and Ringing, Idle, Ringing is three real changes.
    """
    if isinstance(report, dict) and str(report.get("action", "")).lower() == "extensionstatus":
        return "extension:%s" % report.get("extension")
    return None


class RecentReports:
    """Digests of the reports accepted lately (at most `size`, none older than `window` seconds).

    A PBX that got no 200 sends the very same bytes again. A body seen within the window is a duplicate, except
    that an ExtensionStatus is remembered only until another status of the same extension is accepted.
    """

    def __init__(self, window, size=RECENT_REPORTS, clock=time.monotonic):
        self.window = window
        self.size = size
        self.clock = clock
        self.seen = OrderedDict()  # digest -> (time accepted, subject), oldest first
        self.subjects = {}         # subject -> digest of its latest report

    @staticmethod
    def digest(body):
        return hashlib.sha256(body).digest()

    def _forget_oldest(self):
        digest, (dummy, subject) = self.seen.popitem(last=False)
        if subject is not None and self.subjects.get(subject) == digest:
            del self.subjects[subject]

    def seen_before(self, digest):
        if not self.window:
            return False
        oldest = self.clock() - self.window
        while self.seen and next(iter(self.seen.values()))[0] <= oldest:
            self._forget_oldest()
        return digest in self.seen

    def remember(self, digest, subject=None):
        if not self.window:
            return
        if subject is not None:
            previous = self.subjects.pop(subject, None)
            if previous is not None:
                self.seen.pop(previous, None)
            self.subjects[subject] = digest
        self.seen.pop(digest, None)
        self.seen[digest] = (self.clock(), subject)
        while len(self.seen) > self.size:
            self._forget_oldest()
