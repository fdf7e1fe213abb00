"""The call simulator: live calls, the extension presence they imply, and the event
reports each step of a call produces (reference part 2 §2.5, §3.4).

An extension takes part in at most one call at a time (as a party or as a monitor), so
"the extension's current call" that extension/hangup|hold|mute act on is never ambiguous.

Ids follow the device: ``<epoch>.<sequence>`` with one PBX-wide increasing sequence.
A call reserves neighbouring sequence numbers for its legs:

- inbound: ``I`` = inboundid (trunk leg), ``I+1`` = the extension side of the bridge,
  ``I+2`` = the ring leg ``R`` (ALERT/RING carry R, ANSWER and the first BYE carry I);
- outbound: ``E`` = the extension leg (callid), ``E+1`` = outboundid;
- internal: ``C`` = callid, ``C+1`` = callee leg, ``C+2`` = the second BYE's callid.
"""

import re
import time

from .errors import NO_OUTBOUND_PERMISSION, NOT_IDLE, ApiError
from .registry import split_list

CALLER = "caller"
CALLEE = "callee"
RINGING = "ringing"
ANSWERED = "answered"
# Extension status (extensionlist/query) -> ExtensionStatus report value (§3.3).
REPORTED_STATUS = {
    "Unavailable": "Unregistered",
    "Registered": "Idle",
    "Idle": "Idle",
    "Busy": "InUse",
    "Ringing": "Ringing",
    "Hold": "InUse",
    "Malfunction": "Unregistered",
    "Fxsnoport": "Unregistered",
}
IDLE_PRESENCE = ("Idle", "Registered")
# Parties that are not a phone but hand the call to one of their members.
GROUP_PARTIES = ("queue", "ringgroup")
# Keys of LiveCall.ids that name a call leg (the others, like "did", are not ids).
LEG_KEYS = ("callid", "inboundid", "outboundid")
# queuestatus agentstatus codes (§2.3.3) for an agent that is in no call.
PRESENCE_AGENT_STATUS = {
    "Idle": "1", "Registered": "1", "Busy": "2", "Ringing": "6", "Hold": "8",
    "Unavailable": "5", "Malfunction": "4", "Fxsnoport": "4",
}
FIRST_SEQUENCE = 1000


class CallError(ValueError):
    """A control request the simulator cannot act out (answered with HTTP 400)."""


def extension_party(number):
    return {"type": "extension", "number": number}


def external_party(number, trunk):
    return {"type": "external", "number": number, "trunk": trunk}


class LiveCall:
    """One call. ``caller``/``callee`` are party dicts (extension, external or queue)."""

    def __init__(self, kind, ids, caller, callee, started):
        self.kind = kind
        self.ids = ids
        self.callid = ids["callid"]
        self.caller = caller
        self.callee = callee
        self.state = RINGING
        # Calls made through the API ring the calling extension first (§2.5.3).
        self.ringing_party = CALLEE
        self.held_by = []
        self.muted = []
        self.monitors = []
        self.queue = None
        self.trunk = ""
        self.prompt = None
        self.started = started
        self.answered_at = None
        # Dial-outs made for a queue or as a two-leg callback: what outbound/query shows
        # as "from" (the queue or the first number) and "to" (the dialled number).
        self.origin = None
        self.outto = None

    def dialled_from(self):
        if self.origin is not None:
            return self.origin
        return self.caller["number"] if self.caller else ""

    def dialled_to(self):
        return self.outto if self.outto is not None else self.callee["number"]

    def extensions(self):
        """Extensions taking part as caller or callee, caller first."""
        return [party["number"] for party in (self.caller, self.callee)
                if party is not None and party["type"] == "extension"]

    def involves(self, number):
        return number in self.extensions() or any(m["extension"] == number for m in self.monitors)

    def status_of(self, number):
        """The extension status (extensionlist/query wording) this call gives ``number``."""
        if any(m["extension"] == number for m in self.monitors):
            return "Busy"
        if self.state == RINGING:
            ringing = self.caller if self.ringing_party == CALLER else self.callee
            if ringing["type"] == "extension" and ringing["number"] == number:
                return "Ringing"
            if self.ringing_party == CALLER:
                return None
            return "Busy"
        return "Hold" if number in self.held_by else "Busy"

    def api_status(self):
        """status of inbound/query and outbound/query."""
        if self.state == RINGING and self.ringing_party == CALLER:
            return "Progress"
        if self.callee["type"] == "queue":
            return "Wait"
        return "Talking" if self.state == ANSWERED else "Progress"

    def to_json(self):
        state = "held" if self.held_by else self.state
        data = {
            "callid": self.callid,
            "direction": self.kind,
            **{key: value for key, value in self.ids.items() if key != "callid"},
            "from": self.dialled_from(),
            "to": self.dialled_to(),
            "trunk": self.trunk,
            "queue": self.queue,
            "caller": self.caller,
            "callee": self.callee,
            "state": state,
            "ringing_party": self.ringing_party if self.state == RINGING else None,
            "held_by": list(self.held_by),
            "muted": list(self.muted),
            "monitors": [dict(monitor) for monitor in self.monitors],
            "prompt": self.prompt,
            "started": self.started,
            "answered_at": self.answered_at,
        }
        return data


# -- outbound-route matching -------------------------------------------------------------

def _pattern_regex(pattern):
    """Asterisk dial-pattern -> regex: X Z N classes, [..] sets, '.' one or more, '!' zero
    or more, anything else literal."""
    parts = []
    position = 0
    while position < len(pattern):
        char = pattern[position]
        if char in "xzn":
            char = char.upper()
        if char == "X":
            parts.append("[0-9]")
        elif char == "Z":
            parts.append("[1-9]")
        elif char == "N":
            parts.append("[2-9]")
        elif char == ".":
            parts.append(".+")
        elif char == "!":
            parts.append(".*")
        elif char == "[":
            end = pattern.find("]", position)
            if end < 0:
                return None
            parts.append("[" + re.escape(pattern[position + 1:end]).replace("\\-", "-") + "]")
            position = end
        else:
            parts.append(re.escape(char))
        position += 1
    return "".join(parts)


def route_matches(route, number):
    regex = _pattern_regex(route["matchpattern"])
    if regex is None:
        return False
    try:
        return re.fullmatch(re.escape(route["prefix"]) + regex, number) is not None
    except re.error:
        return False


def find_route(outbound_routes, number):
    """The first outbound route (id order) whose prefix+pattern matches the number."""
    for route in outbound_routes.sorted_records():
        if route_matches(route, number):
            return route
    return None


# -- the simulator -----------------------------------------------------------------------

class CallSimulator:
    """Live calls of the emulated PBX. ``emulator`` gives the state, clock and reporter."""

    def __init__(self, emulator):
        self.emulator = emulator
        self.calls = {}
        self.sequence = FIRST_SEQUENCE
        # Conference rooms in session: room -> [{number, channelid, memberstatus, muted}].
        self.conferences = {}
        self.channel_counter = 0
        # (queue number, extension) pairs of paused agents.
        self.paused = set()
        # Finished calls, as CDR rows (the fields of a NewCdr report).
        self.cdrs = []
        # None: every extension has the Status Monitor box ticked.
        self.status_monitor = None
        # The caller-side "Call Answered" report: ANSWER on the OpenVox captures, ANSWERED
        # on Yeastar 1.1.0 (OpenVox UC API: Call Answered report).
        self.caller_answer_action = emulator.settings.caller_answer_action

    # -- small helpers -----------------------------------------------------------------

    @property
    def state(self):
        return self.emulator.state

    def now(self):
        return self.emulator.clock.wall()

    def allocate(self, count):
        """``count`` neighbouring ids sharing one epoch."""
        epoch = int(self.now())
        first = self.sequence + 1
        self.sequence += count
        return [f"{epoch}.{first + offset}" for offset in range(count)]

    def new_channel(self, endpoint):
        self.channel_counter += 1
        return f"PJSIP/{endpoint}-{self.channel_counter:08x}"

    def emit(self, payload, with_sn=True):
        if with_sn:
            payload["sn"] = self.state.deviceinfo.values["sn"]
        self.emulator.reporter.emit(payload)

    def monitored(self, *numbers):
        return self.status_monitor is None or any(n in self.status_monitor for n in numbers)

    def call_of(self, number):
        """The live call an extension takes part in, or None."""
        for call in self.calls.values():
            if call.involves(number):
                return call
        return None

    def in_conference(self, number):
        return any(member["number"] == number for members in self.conferences.values()
                   for member in members)

    def presence(self, number):
        record = self.state.extensions.records.get(number)
        return record["status"] if record else "Unavailable"

    def effective_status(self, number):
        """What extensionlist/query shows: the call state over the registration state."""
        call = self.call_of(number)
        if call is not None:
            status = call.status_of(number)
            if status is not None:
                return status
        if self.in_conference(number):
            return "Busy"
        return self.presence(number)

    def is_idle(self, number):
        """Registered, and in no call, conference or monitoring session."""
        return (self.presence(number) in IDLE_PRESENCE and self.call_of(number) is None
                and not self.in_conference(number))

    def find(self, call_id):
        """A call by its callid or any of its leg ids."""
        for call in self.calls.values():
            if any(call.ids.get(key) == call_id for key in LEG_KEYS):
                return call
        return None

    def _status_changes(self, before):
        """ExtensionStatus reports for every extension whose shown status changed."""
        for number, old in before.items():
            new = self.effective_status(number)
            if new != old and self.monitored(number):
                reported = REPORTED_STATUS.get(new)
                if reported == "Idle" and REPORTED_STATUS.get(old) == "Unregistered":
                    # A phone that registers is reported as Registered, not Idle
                    # (OpenVox UC API: Changed Extension Status).
                    reported = "Registered"
                if reported and reported != REPORTED_STATUS.get(old):
                    self.emit({"action": "ExtensionStatus", "extension": number,
                               "status": reported})

    def register(self, number):
        """The phone of ``number`` registers (again, or from a new address): the PBX
        sends ExtensionStatus Registered even when the shown status does not change."""
        record = self.state.extensions.records[number]
        if record["status"] not in IDLE_PRESENCE:
            record["status"] = "Registered"
        if self.monitored(number):
            self.emit({"action": "ExtensionStatus", "extension": number, "status": "Registered"})

    def live_object(self, number):
        """The live-call part of extension/query for ``number`` (OpenVox UC API: Query
        Extension): ``inbound {inboundid, from, to, trunk}``, ``outbound {outboundid,
        from, to, trunk}`` or, for a call between two extensions, ``ext {extid}`` naming
        the other one. Empty when the extension is in no call."""
        call = self.call_of(number)
        if call is None or call.kind == "prompt":
            return {}
        if call.kind == "inbound":
            return {"inbound": {"inboundid": call.ids["inboundid"], "from": call.caller["number"],
                                "to": call.ids.get("did", ""), "trunk": call.trunk}}
        if call.kind in ("outbound", "dialout"):
            return {"outbound": {"outboundid": call.ids["outboundid"], "from": call.dialled_from(),
                                 "to": call.dialled_to(), "trunk": call.trunk}}
        others = [party for party in call.extensions() if party != number]
        return {"ext": {"extid": others[0] if len(others) == 1 else others}}

    def _snapshot(self, numbers):
        return {number: self.effective_status(number) for number in numbers}

    def set_presence(self, number, status):
        before = self._snapshot([number])
        self.state.extensions.records[number]["status"] = status
        self._status_changes(before)

    # -- party objects of reports (§3.2) ---------------------------------------------------

    def _external_object(self, call, party):
        if call.kind == "inbound":
            return "inbound", {"from": party["number"], "to": call.ids.get("did", ""),
                               "trunk": party["trunk"], "inboundid": call.ids["inboundid"]}
        return "outbound", {"from": call.dialled_from(), "to": call.dialled_to(),
                            "trunk": party["trunk"], "outboundid": call.ids["outboundid"]}

    def _parties(self, call, order):
        """Report party objects for the given parties (first = listed first). Two
        extensions share one ``ext`` object with an array of numbers."""
        parties = [party for party in order if party is not None and party["type"] not in GROUP_PARTIES]
        extensions = [party["number"] for party in parties if party["type"] == "extension"]
        objects = {}
        for party in parties:
            if party["type"] == "extension":
                if "ext" not in objects:
                    objects["ext"] = {"extid": extensions if len(extensions) > 1 else party["number"]}
            else:
                key, value = self._external_object(call, party)
                objects[key] = value
        return objects

    def _call_report(self, action, callid, call, order, with_sn=True, reason=None):
        payload = {"action": action}
        if reason is not None:
            payload["reason"] = reason
        payload["callid"] = callid
        payload.update(self._parties(call, order))
        self.emit(payload, with_sn)

    # -- creating calls ------------------------------------------------------------------

    def _add(self, call):
        self.calls[call.callid] = call
        return call

    def inbound(self, caller_number, did, trunk, extension=None, queue=None):
        ids = self.allocate(3)
        call = LiveCall("inbound", {"callid": ids[2], "inboundid": ids[0], "did": did},
                        external_party(caller_number, trunk),
                        extension_party(extension) if extension else {"type": "queue", "number": queue},
                        self.now())
        call.trunk = trunk
        call.queue = queue
        call.legs = ids
        self._add(call)
        if extension:
            self._ring_callee(call)
        return call

    def outbound(self, extension, number, trunk, via_api=False, autoanswer=False):
        ids = self.allocate(2)
        call = LiveCall("outbound", {"callid": ids[0], "outboundid": ids[1]},
                        extension_party(extension), external_party(number, trunk), self.now())
        call.trunk = trunk
        call.legs = ids
        self._add(call)
        self._start_from_caller(call, via_api, autoanswer)
        return call

    def internal(self, caller, callee, via_api=False, autoanswer=False):
        ids = self.allocate(3)
        call = LiveCall("internal", {"callid": ids[0]}, extension_party(caller),
                        extension_party(callee), self.now())
        call.legs = ids
        self._add(call)
        self._start_from_caller(call, via_api, autoanswer)
        return call

    def dialout(self, first, second, trunk, origin, outto):
        """A call the PBX places on its own: it rings ``first`` (an external party) and,
        once that answers, connects it to ``second`` (a queue, or another external
        party for a two-leg callback)."""
        ids = self.allocate(2)
        call = LiveCall("dialout", {"callid": ids[0], "outboundid": ids[1]}, first, second,
                        self.now())
        call.trunk = trunk
        call.legs = ids
        call.origin = origin
        call.outto = outto
        call.ringing_party = CALLER
        if second["type"] == "queue":
            call.queue = second["number"]
        return self._add(call)

    def prompt_call(self, party, prompt, autoanswer):
        ids = self.allocate(1)
        call = LiveCall("prompt", {"callid": ids[0]}, None, party, self.now())
        call.trunk = party.get("trunk", "")
        call.prompt = prompt
        call.legs = ids
        watched = call.extensions()
        before = self._snapshot(watched)
        self._add(call)
        if autoanswer:
            call.state = ANSWERED
            call.answered_at = self.now()
        self._status_changes(before)
        return call

    def _start_from_caller(self, call, via_api, autoanswer):
        caller = call.caller["number"]
        if via_api and not autoanswer:
            # The PBX rings the calling extension first; the callee is rung once it answers.
            call.ringing_party = CALLER
            before = {caller: self.presence(caller)}
            self._status_changes(before)
            self._call_report("RING", call.callid, call, [call.caller])
            return
        if via_api:
            self._call_report("RING", call.callid, call, [call.caller])
            self._caller_picked_up(call, {caller: self.presence(caller)})
            return
        self._caller_picked_up(call, {caller: self.presence(caller)}, dialled=True)

    def _caller_picked_up(self, call, before, dialled=False):
        call.ringing_party = CALLEE
        self._status_changes(before)
        if not dialled:
            self._call_report("ANSWER", call.callid, call, [call.caller])
        self._ring_callee(call)

    def _ring_callee(self, call):
        """The callee starts ringing: ExtensionStatus, ALERT, RING (§3.4 A-C)."""
        callee = call.callee
        if callee["type"] == "extension":
            number = callee["number"]
            busy = any(other is not call and other.involves(number) for other in self.calls.values())
            if busy or self.in_conference(number):
                self._fail(call, 486, "BUSY")
                return
            self._status_changes({number: self.presence(number)})
        ring_id = call.callid if call.kind != "outbound" else call.ids["outboundid"]
        monitored = self.monitored(*call.extensions())
        if call.kind == "dialout":
            if monitored and callee["type"] == "extension":
                self._call_report("RING", call.ids["outboundid"], call, [call.callee, call.caller])
        elif call.kind == "inbound":
            if monitored:
                self._call_report("ALERT", ring_id, call, [call.caller])
                self._call_report("RING", ring_id, call, [call.callee, call.caller])
        elif call.kind == "outbound":
            # The OpenVox samples of an extension->external call carry no sn.
            if monitored:
                self._call_report("ALERT", call.callid, call, [call.caller], with_sn=False)
                self._call_report("RING", ring_id, call, [call.callee, call.caller], with_sn=False)
        elif monitored:
            self.emit({"action": "ALERT", "callid": call.callid,
                       "ext": {"extid": [call.caller["number"]]}})
            self._call_report("RING", call.callid, call, [call.callee, call.caller])

    # -- steps ----------------------------------------------------------------------------

    def answer(self, call, agent=None, caller_only=False):
        """The ringing party picks up. For a call still ringing its caller this first
        completes that step; ``caller_only`` stops there."""
        if call.state == ANSWERED:
            raise CallError("the call is already answered")
        if call.kind == "dialout":
            self._answer_dialout(call, agent, caller_only)
            return
        if call.ringing_party == CALLER:
            caller = call.caller["number"]
            before = {caller: self.effective_status(caller)}
            self._caller_picked_up(call, before)
            if caller_only or call.callid not in self.calls:
                return
        if call.callee["type"] == "queue":
            self._connect_agent(call, agent)
        if call.kind == "prompt":
            before = self._snapshot(call.extensions())
            call.state = ANSWERED
            call.answered_at = self.now()
            self._status_changes(before)
            return
        before = self._snapshot(call.extensions())
        call.state = ANSWERED
        call.answered_at = self.now()
        self._status_changes(before)
        if call.kind == "inbound":
            self._call_report("ANSWER", call.ids["inboundid"], call, [call.callee, call.caller])
        elif call.kind == "outbound":
            self._call_report(self.caller_answer_action, call.callid, call, [call.caller, call.callee])
        else:
            # Callee's view, then the caller's ("Call Answered": ANSWER on OpenVox).
            self._call_report("ANSWER", call.callid, call, [call.callee, call.caller])
            self._call_report(self.caller_answer_action, call.callid, call, [call.caller, call.callee])

    def _answer_dialout(self, call, agent, caller_only):
        if call.ringing_party == CALLER:
            # The dialled number picks up; it now waits in the queue or rings the second
            # number of a callback.
            call.ringing_party = CALLEE
            if caller_only:
                return
        if call.callee["type"] in GROUP_PARTIES:
            self._connect_agent(call, agent)
            if call.callid not in self.calls:
                return
        before = self._snapshot(call.extensions())
        call.state = ANSWERED
        call.answered_at = self.now()
        self._status_changes(before)
        if call.extensions():
            self._call_report("ANSWER", call.ids["outboundid"], call, [call.callee, call.caller])

    def available_agents(self, queue_number):
        record = self.state.queues.records[queue_number]
        agents = split_list(record["agents"]) + split_list(record["dynamicagents"])
        return [agent for agent in agents
                if (queue_number, agent) not in self.paused and self.is_idle(agent)]

    def available_members(self, group):
        """Who can take a call for a queue or ring group party, in ringing order."""
        if group["type"] == "queue":
            return self.available_agents(group["number"])
        record = self.state.ring_groups.records[group["number"]]
        return [member for member in split_list(record["members"]) if self.is_idle(member)]

    def _connect_agent(self, call, agent):
        group = call.callee
        available = self.available_members(group)
        what = "queue" if group["type"] == "queue" else "ring group"
        if agent is None:
            if not available:
                raise CallError(f"no available member of {what} {group['number']}")
            agent = available[0]
        elif agent not in available:
            raise CallError(f"{agent} is not an available member of {what} {group['number']}")
        call.callee = extension_party(agent)
        self._ring_callee(call)

    def hangup(self, call, first=None, reason=None):
        """End a call. ``first`` is the party that hung up ("caller"/"callee"/extension
        number); unanswered calls end with CallFailed."""
        first_party = self._party(call, first)
        if call.state != ANSWERED:
            if reason is None:
                # The ringing callee declining, or anyone else giving up.
                reason = 603 if first_party is call.callee else 487
            self._fail(call, reason, "NO ANSWER")
            return
        other = call.callee if first_party is call.caller else call.caller
        order = [first_party, other]
        legs = call.legs
        if call.kind == "inbound":
            bye_ids = (call.ids["inboundid"], legs[1])
        elif call.kind == "internal":
            bye_ids = (legs[0], legs[2])
        elif call.kind == "outbound" or (call.kind == "dialout" and call.extensions()):
            bye_ids = (legs[0], legs[1])
        else:
            bye_ids = None
        watched = self._watched(call)
        before = self._snapshot(watched)
        del self.calls[call.callid]
        if bye_ids is not None:
            self._call_report("BYE", bye_ids[0], call, order)
            self._call_report("BYE", bye_ids[1], call, list(reversed(order)))
        self._status_changes(before)
        if call.kind != "prompt":
            self._cdr(call, "ANSWERED")

    def _watched(self, call):
        return call.extensions() + [monitor["extension"] for monitor in call.monitors]

    def _party(self, call, first):
        if first in (None, CALLER):
            return call.caller if first == CALLER else self._remote(call)
        if first == CALLEE:
            return call.callee
        for party in (call.caller, call.callee):
            if party is not None and party["number"] == first:
                return party
        return self._remote(call)

    @staticmethod
    def _remote(call):
        """The external party of an inbound/outbound call (the one a control hangup
        means); for internal calls the callee."""
        if call.caller is not None and call.caller["type"] == "external":
            return call.caller
        return call.callee

    def _fail(self, call, reason, cdr_status):
        watched = self._watched(call)
        before = self._snapshot(watched)
        self.calls.pop(call.callid, None)
        reported = call.kind != "prompt" and (call.kind != "dialout" or call.extensions())
        if reported and call.ringing_party == CALLEE:
            ring_id = call.callid
            self._call_report("CallFailed", ring_id, call, [call.callee, call.caller], reason=reason)
        self._status_changes(before)
        if call.kind != "prompt" and call.ringing_party == CALLEE:
            self._cdr(call, "BUSY" if reason == 486 else cdr_status)

    def timeout(self, call):
        if call.state == ANSWERED:
            raise CallError("the call is already answered")
        self._fail(call, 480, "NO ANSWER")

    def fail(self, call, reason):
        """The call cannot be completed (unknown number, network trouble...): CallFailed
        with ``reason`` and a FAILED CDR."""
        if call.state == ANSWERED:
            raise CallError("the call is already answered")
        self._fail(call, reason, "FAILED")

    def voicemail(self, call):
        """The ringing extension's voicemail takes the call: no CallFailed, the CDR says
        VOICEMAIL (OpenVox UC API: Call Failure report)."""
        if call.state == ANSWERED or call.ringing_party != CALLEE or call.callee["type"] != "extension":
            raise CallError("only a call ringing an extension can go to its voicemail")
        if call.kind == "prompt":
            raise CallError("a prompt call has no voicemail")
        before = self._snapshot(self._watched(call))
        del self.calls[call.callid]
        self._status_changes(before)
        self._cdr(call, "VOICEMAIL")

    def transfer(self, call, transferrer, target, reported=True):
        """A blind transfer. Made on the phone (*03) it is reported as Tranfer (sic);
        transfers made through the API are not reported."""
        if call.state != ANSWERED:
            raise CallError("only an answered call can be transferred")
        if call.kind not in ("inbound", "internal"):
            raise CallError("only inbound and internal calls can be transferred")
        if call.kind == "inbound" and transferrer != call.callee["number"]:
            raise CallError(f"{transferrer} is not the answering extension")
        if transferrer not in call.extensions():
            raise CallError(f"{transferrer} is not a party of the call")
        if self.call_of(target) is not None or self.in_conference(target):
            raise CallError(f"{target} is busy")
        before = self._snapshot([transferrer] + [m["extension"] for m in call.monitors])
        if call.kind == "internal":
            other = call.callee if call.caller["number"] == transferrer else call.caller
            # The order of the OpenVox sample: the other party first.
            if reported:
                self.emit({"action": "Tranfer", "callid": call.callid,
                           "ext": {"extid": [other["number"], transferrer]}})
            call.caller = other
        elif reported:
            self._call_report("Tranfer", call.callid, call,
                              [extension_party(transferrer), call.caller])
        call.callee = extension_party(target)
        call.state = RINGING
        call.ringing_party = CALLEE
        call.held_by = []
        call.muted = []
        call.monitors = []
        self._status_changes(before)
        self._ring_callee(call)

    # -- in-call actions ------------------------------------------------------------------

    def set_hold(self, call, number, held):
        if held and number not in call.held_by:
            call.held_by.append(number)
        if not held and number in call.held_by:
            call.held_by.remove(number)

    @staticmethod
    def set_mute(call, number, muted):
        if muted and number not in call.muted:
            call.muted.append(number)
        if not muted and number in call.muted:
            call.muted.remove(number)

    def add_monitor(self, call, number, mode):
        before = self._snapshot([number])
        call.monitors.append({"extension": number, "mode": mode})
        self._status_changes(before)

    def remove_monitor(self, call, number):
        before = self._snapshot([number])
        call.monitors = [m for m in call.monitors if m["extension"] != number]
        self._status_changes(before)

    # -- conferences in session ---------------------------------------------------------------

    def invite(self, room, numbers):
        """conference/add_member: every number is checked before anyone joins. An
        extension must exist and be idle (10008); any other number needs an outbound
        route (10024). Members join straight into the room ("Up")."""
        self.state.conferences.get(room)
        present = {member["number"] for member in self.conferences.get(room, [])}
        joining = []
        for number in numbers:
            if number in present or number in joining:
                continue
            if number in self.state.extensions.records:
                if self.call_of(number) is not None or self.in_conference(number):
                    raise ApiError(NOT_IDLE)
            elif find_route(self.state.outbound_routes, number) is None:
                raise ApiError(NO_OUTBOUND_PERMISSION)
            joining.append(number)
        for number in joining:
            self.join(room, number, "Up")

    def join(self, room, number, memberstatus):
        external = number not in self.state.extensions.records
        endpoint = number
        if external:
            route = find_route(self.state.outbound_routes, number)
            endpoint = split_list(route["trunks"])[0] if route else "trunk"
        before = self._snapshot([] if external else [number])
        self.conferences.setdefault(room, []).append({
            "number": number, "channelid": self.new_channel(endpoint),
            "memberstatus": memberstatus, "muted": False, "external": external})
        self._status_changes(before)

    def kick(self, room, numbers):
        before = self._snapshot([n for n in numbers if n in self.state.extensions.records])
        self.conferences[room] = [m for m in self.conferences.get(room, []) if m["number"] not in numbers]
        if not self.conferences[room]:
            del self.conferences[room]
        self._status_changes(before)

    # -- CDR -------------------------------------------------------------------------------

    def _cdr(self, call, status):
        end = self.now()
        talk = int(end - call.answered_at) if call.answered_at is not None else 0
        if call.kind == "inbound":
            callfrom, callto, kind = call.caller["number"], call.callee["number"], "Inbound"
        elif call.kind == "dialout":
            callfrom, callto, kind = call.dialled_from(), call.dialled_to(), "Outbound"
        elif call.kind == "outbound":
            callfrom, callto, kind = call.caller["number"], call.callee["number"], "Outbound"
        else:
            callfrom, callto, kind = call.caller["number"], call.callee["number"], "Internal"
        row = {
            "callid": call.ids.get("inboundid", call.callid),
            "timestart": format_time(call.started),
            "callfrom": callfrom,
            "callto": callto,
            "callduraction": str(int(end - call.started)),
            "talkduraction": str(talk),
            "status": status,
            "type": kind,
        }
        self.cdrs.append({**row, "srctrunkname": call.trunk if kind == "Inbound" else "",
                          "dsttrunkname": call.trunk if kind == "Outbound" else "",
                          "didnumber": call.ids.get("did", "")})
        self.emit({"action": "NewCdr", **row})

    # -- listings --------------------------------------------------------------------------

    def to_json(self):
        calls = sorted(self.calls.values(), key=lambda call: _sequence(call.callid))
        return [call.to_json() for call in calls]

    def waiting_in(self, queue_number):
        return sum(1 for call in self.calls.values()
                   if call.callee["type"] == "queue" and call.callee["number"] == queue_number
                   and call.ringing_party == CALLEE)

    def agent_status(self, queue_number, agent):
        if (queue_number, agent) in self.paused:
            return "9"
        call = self.call_of(agent)
        if call is not None:
            status = call.status_of(agent)
            if status == "Ringing":
                return "6"
            if status == "Hold":
                return "8"
            if status == "Busy":
                return "2"
        if self.in_conference(agent):
            return "2"
        return PRESENCE_AGENT_STATUS.get(self.presence(agent), "0")

    def forget_extensions(self, numbers):
        """Drop live traces of extensions that no longer exist (after a state PUT)."""
        for call in list(self.calls.values()):
            if any(number not in numbers for number in call.extensions()):
                del self.calls[call.callid]
        for room, members in self.conferences.items():
            self.conferences[room] = [m for m in members
                                      if m["external"] or m["number"] in numbers]
        self.paused = {(queue, agent) for queue, agent in self.paused if agent in numbers}


def _sequence(call_id):
    return int(call_id.split(".")[1])


def format_time(epoch):
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(epoch))
