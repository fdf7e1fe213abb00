#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: uc_call
short_description: Control live calls on an OpenVox UC Series PBX
version_added: 0.1.0
description:
  - One-shot call control on an OpenVox UC300, UC500 or UC501 PBX through its HTTP API. It hangs up an inbound
    or outbound call or an extension's call, places calls (from an extension, for a queue, or as a two-leg
    callback), holds, retrieves, mutes, unmutes and transfers an extension's call, and listens to, whispers to or
    barges into an extension's call.
  - The module first reads the call or extension it acts on, so the result says what was there, a call that
    is already gone is reported rather than failed, and check mode can tell the truth without acting.
author:
  - openvox.ucpbx maintainers (@openvox-ucpbx)
extends_documentation_fragment:
  - openvox.ucpbx.connection
options:
  action:
    description:
      - V(hangup) ends the call given by O(inbound_id), O(outbound_id), or the current call of O(extension).
      - V(dial) calls O(destination) from O(extension). The extension's phone rings first (or answers by
        itself with O(auto_answer=true)); once it is answered, the destination is called. A destination that is
        an extension on the PBX is called internally, anything else through the outbound routes.
      - V(dial) with O(queue) instead of O(extension) makes the PBX call O(destination) through the outbound
        routes and, once it answers, put the call into the queue, where it waits for an agent. With O(ring_group)
        the answered call rings the ring group instead.
      - V(callback) is a two-leg callback. The PBX calls O(caller) first and, once it answers, calls
        O(destination) and connects the two. An external O(caller) is called through the outbound routes.
      - V(transfer) hands the answered call of O(extension) over to the extension O(destination) (a blind
        transfer). The destination rings; O(extension) leaves the call.
      - V(hold) and V(unhold) put the current call of O(extension) on hold and retrieve it.
      - V(mute) and V(unmute) make O(extension) inaudible to its peer, and audible again. The PBX clears a mute
        when the call ends.
      - V(listen) lets O(extension) hear O(target)'s call without being heard. V(whisper) lets O(extension) talk
        to O(target) in O(target)'s call without the other party hearing; V(barge) joins O(extension) into that
        call as a three-way call. O(target) must allow monitoring and O(extension)'s monitor mode must permit
        the action (C(Listen), C(Whisper), C(Barge-in), or C(Extensive) for all three).
    type: str
    required: true
    choices: [hangup, dial, callback, hold, unhold, mute, unmute, transfer, listen, whisper, barge]
  inbound_id:
    description:
      - Id of an inbound call (as in RV(openvox.ucpbx.uc_call_info#module:calls[].id)), for O(action=hangup).
    type: str
  outbound_id:
    description:
      - Id of an outbound call, for O(action=hangup).
    type: str
  extension:
    description:
      - The extension that acts. For O(action=hangup), the extension whose call ends; for O(action=dial), the
        caller; for O(action=transfer), the extension whose call is handed over; for O(action=listen),
        O(action=whisper) and O(action=barge), the monitoring extension.
    type: str
  queue:
    description:
      - For O(action=dial), the queue the answered call is put into, instead of O(extension).
    type: str
  ring_group:
    description:
      - For O(action=dial), the ring group the answered call rings, instead of O(extension).
      - The API has no request that lists ring groups, so the module cannot check that it exists before sending
        (also not in check mode); a missing one fails with the PBX's error.
    type: str
  caller:
    description:
      - For O(action=callback), the number the PBX calls first, an external number or an extension.
    type: str
  destination:
    description:
      - What O(action=dial) and O(action=callback) call, either an extension number or an external number (only
        an external number for O(action=dial) with O(queue) or O(ring_group)).
      - For O(action=transfer), the extension the call is transferred to.
    type: str
  call_id:
    description:
      - For O(action=transfer), the PBX's id of the call. By default the id of the inbound or outbound call
        O(extension) is in (as in RV(openvox.ucpbx.uc_call_info#module:calls[].id)).
      - A call between two extensions is in no call list of the PBX, so transferring one needs its id, the
        C(callid) of the call's event reports.
    type: str
  target:
    description:
      - The monitored extension for O(action=listen), O(action=whisper) and O(action=barge).
    type: str
  auto_answer:
    description:
      - With O(action=dial), ask the caller's phone to answer by itself (SIP phones that support it).
    type: bool
    default: false
  fail_if_missing:
    description:
      - With O(action=hangup), fail when the call (or the extension's call) does not exist. By default the task
        succeeds with C(changed=false), since the call is gone either way.
    type: bool
    default: false
attributes:
  check_mode:
    support: full
    description: Reads the call, extensions or queue and reports what would be done, without sending the action.
  diff_mode:
    support: none
    description: Calls are not configuration; there is nothing to compare.
notes:
  - Preconditions the module can read are checked before any action is sent, also in check mode, and fail with a
    message naming the extension or call (extension or queue missing, not registered or not idle, not in a call,
    call not answered yet, monitoring not allowed, monitor mode mismatch, transfer target busy). Anything else the
    PBX rejects fails with the PBX's error number, its meaning and the extension or call involved.
  - V(hold) and V(unhold) are idempotent (the extension's status says whether it holds its call). The PBX does not
    report whether an extension is muted, so V(mute) and V(unmute) are always sent and report C(changed=true);
    repeating them is harmless.
  - V(transfer) is not idempotent. Once done, O(extension) is no longer in the call, so a second run fails with a
    message saying so.
  - The transfer, listen and dial-out requests (C(calltransfer), C(extension/listen), C(queue/dial_outbound),
    C(ringgroup/dial_outbound), C(outbound/dial_outbound)) are in the Chinese edition of the OpenVox API guide
    only; firmware without them answers with error 10003 (unsupported API request), which the task reports.
  - Firmware that does not put the live call into the extension's record is supported; the extension's status
    and the inbound and outbound call lists then tell which call it is in (one or two more requests).
"""

EXAMPLES = r"""
# Connection options (host, username, password, ...) are left out: set them once for the play with
# module_defaults for group/openvox.ucpbx.ucpbx, or in UCPBX_* environment variables.

- name: Call the help desk from extension 201, answering on the phone's speaker
  openvox.ucpbx.uc_call:
    action: dial
    extension: "201"
    destination: "600"
    auto_answer: true

- name: Hang up whatever extension 201 is talking to, and fail if it is idle
  openvox.ucpbx.uc_call:
    action: hangup
    extension: "201"
    fail_if_missing: true

- name: Have the PBX call a customer back and connect the answered call to the support queue
  openvox.ucpbx.uc_call:
    action: dial
    queue: "6701"
    destination: "013800000000"

- name: Call a customer back for the reception ring group
  openvox.ucpbx.uc_call:
    action: dial
    ring_group: "6200"
    destination: "013800000000"

- name: Call the visitor's mobile first, then connect it to the sales line
  openvox.ucpbx.uc_call:
    action: callback
    caller: "0612345678"
    destination: "0755123456"

- name: Hand the call of extension 202 over to extension 204
  openvox.ucpbx.uc_call:
    action: transfer
    extension: "202"
    destination: "204"

- name: A supervisor listens to extension 205's call
  openvox.ucpbx.uc_call:
    action: listen
    extension: "299"
    target: "205"

- name: A team lead barges into the same call, on extension 206's side
  openvox.ucpbx.uc_call:
    action: barge
    extension: "298"
    target: "206"

# inbound_call_id: the inboundid of a call report, or a calls[].id of openvox.ucpbx.uc_call_info.
- name: Disconnect an inbound call by its id
  openvox.ucpbx.uc_call:
    action: hangup
    inbound_id: "{{ inbound_call_id }}"
"""

RETURN = r"""
msg:
  description: What was done, would be done, or why nothing was needed.
  returned: always
  type: str
  sample: inbound call 1589938168.1111 hung up
call:
  description:
    - The call acted on as it was before the action, in the shape of an element of
      RV(openvox.ucpbx.uc_call_info#module:calls).
    - For actions on an extension's call, the same when it is an inbound or outbound call. An internal call
      (between two extensions) is in neither list of the PBX; it is then C(direction=internal), plus C(peer),
      the other extension, when the firmware names it.
    - Also returned with a failure when the call is not answered yet.
  returned: when a call was found
  type: dict
  sample: {"id": "1589938168.1111", "direction": "inbound", "from": "0755123456", "to": "88880000",
           "trunk": "sip-trunk-1", "status": "Talking", "callee": [{"type": "extension", "id": "201"}],
           "extensions": ["201"]}
command:
  description: The API request sent, or in check mode the one that would be sent.
  returned: when an action was, or would be, sent
  type: dict
  sample: {"endpoint": "inbound/hangup", "body": {"inboundid": "1589938168.1111"}}
"""

from ansible_collections.openvox.ucpbx.plugins.module_utils.direct_module import ActionFailed, run_action
from ansible_collections.openvox.ucpbx.plugins.module_utils.calls import (
    BUSY_STATUSES,
    DIRECTIONS,
    current_call,
    extension_states,
    find_call,
    idle_problem,
)
from ansible_collections.openvox.ucpbx.plugins.module_utils.errors import NO_SUCH_CALL, PbxApiError
from ansible_collections.openvox.ucpbx.plugins.module_utils.live import queue_settings

MONITOR_MODES = {"whisper": ("whisper", "extensive"), "barge": ("barge-in", "extensive"),
                 "listen": ("listen", "extensive")}
MONITOR_REQUESTS = {
    "whisper": ("whisperer", "whisperedext", "whispers into"),
    "barge": ("bargein", "bargedext", "barged into"),
    "listen": ("listener", "listenedext", "listens to"),
}
# Call states of inbound/query and outbound/query that mean the call is not answered yet.
NOT_ANSWERED = ("Progress", "Wait")


def send(module, client, endpoint, body, subject, done, result):
    """Send the action (not in check mode) and finish the result."""
    result["command"] = {"endpoint": endpoint, "body": body}
    if module.check_mode:
        result.update(changed=True, msg="check mode, not sent: %s" % done)
        return result
    client.call(endpoint, body, subject=subject)
    result.update(changed=True, msg=done)
    return result


def call_gone(module, what):
    if module.params["fail_if_missing"]:
        raise ActionFailed("%s does not exist (already ended?)" % what)
    return dict(changed=False, msg="%s does not exist; nothing to hang up" % what)


def hangup(module, client):
    params = module.params
    for direction in ("inbound", "outbound"):
        call_id = params["%s_id" % direction]
        if not call_id:
            continue
        what = "%s call %s" % (direction, call_id)
        call = find_call(client, direction, call_id)
        if call is None:
            return call_gone(module, what)
        try:
            return send(module, client, "%s/hangup" % direction, {"%sid" % direction: call_id}, what,
                        "%s hung up" % what, dict(call=call))
        except PbxApiError as exc:
            if exc.errno in NO_SUCH_CALL:
                return call_gone(module, what)
            raise
    number = params["extension"]
    what = "a call of extension %s" % number
    live = current_call(client, number, extension_states(client, [number])[number])
    if live is None:
        return call_gone(module, what)
    try:
        return send(module, client, "extension/hangup", {"extid": number}, "extension %s" % number,
                    "call of extension %s hung up" % number, dict(call=live))
    except PbxApiError as exc:
        if exc.errno in NO_SUCH_CALL:
            return call_gone(module, what)
        raise


def known_extensions(client):
    """{number: shown status} of every extension (one extensionlist/query)."""
    return dict((str(item.get("extnumber", "")), str(item.get("status", ""))) for item in
                client.call("extensionlist/query", {}, subject="extensions").get("extlist") or [])


def dial_for_queue(module, client):
    queue, destination = module.params["queue"], module.params["destination"]
    # Fails, naming the queue, when the PBX has no such queue.
    queue_settings(client, [queue])
    return send(module, client, "queue/dial_outbound", {"queueid": queue, "outto": destination},
                "queue %s calling %s" % (queue, destination),
                "the PBX is calling %s for queue %s" % (destination, queue), {})


def dial_for_ring_group(module, client):
    group, destination = module.params["ring_group"], module.params["destination"]
    return send(module, client, "ringgroup/dial_outbound", {"ringgroupid": group, "outto": destination},
                "ring group %s calling %s" % (group, destination),
                "the PBX is calling %s for ring group %s" % (destination, group), {})


def dial(module, client):
    if module.params["queue"]:
        return dial_for_queue(module, client)
    if module.params["ring_group"]:
        return dial_for_ring_group(module, client)
    caller, destination = module.params["extension"], module.params["destination"]
    known = known_extensions(client)
    if caller not in known:
        raise ActionFailed("extension %s does not exist on the PBX" % caller)
    if destination == caller:
        raise ActionFailed("extension %s cannot call itself" % caller)
    problem = idle_problem(caller, known[caller])
    if problem:
        raise ActionFailed(problem)
    auto_answer = "yes" if module.params["auto_answer"] else "no"
    if destination in known:
        endpoint, body = "extension/dial_extension", {"caller": caller, "callee": destination, "autoanswer": auto_answer}
    else:
        endpoint, body = "extension/dial_outbound", {"extid": caller, "outto": destination, "autoanswer": auto_answer}
    return send(module, client, endpoint, body, "extension %s calling %s" % (caller, destination),
                "extension %s is calling %s" % (caller, destination), {})


def callback(module, client):
    caller, destination = module.params["caller"], module.params["destination"]
    if caller == destination:
        raise ActionFailed("a callback cannot connect %s to itself" % caller)
    known = known_extensions(client)
    if caller in known:
        problem = idle_problem(caller, known[caller])
        if problem:
            raise ActionFailed(problem)
    return send(module, client, "outbound/dial_outbound", {"caller": caller, "outto": destination},
                "callback %s to %s" % (caller, destination),
                "the PBX is calling %s back and will connect it to %s" % (caller, destination), {})


def answered_call(number, record, live, action):
    """The answered call extension `number` is in, or a failure saying why there is none."""
    if live is None:
        raise ActionFailed("extension %s is not in a call; nothing to %s" % (number, action))
    if str(record.get("status", "")) == "Ringing" or live.get("status") in NOT_ANSWERED:
        raise ActionFailed("the call of extension %s is not answered yet; nothing to %s" % (number, action), call=live)
    return live


def transfer(module, client):
    number, destination = module.params["extension"], module.params["destination"]
    if number == destination:
        raise ActionFailed("extension %s cannot transfer its call to itself" % number)
    records = extension_states(client, [number, destination])
    live = answered_call(number, records[number], current_call(client, number, records[number]), "transfer")
    target_status = str(records[destination].get("status", ""))
    if target_status in BUSY_STATUSES:
        raise ActionFailed("transfer target extension %s is not idle (status %s)" % (destination, target_status),
                           call=live)
    call_id = module.params["call_id"] or (live.get("id") if live.get("direction") in DIRECTIONS else None)
    if not call_id:
        raise ActionFailed("extension %s is in a call with another extension, which the PBX lists nowhere; give "
                           "call_id (the callid of the call's event reports) to transfer it" % number, call=live)
    body = {"callid": call_id, "transferor": number, "transferto": destination}
    return send(module, client, "calltransfer", body, "extension %s transferring call %s" % (number, call_id),
                "call %s of extension %s transferred to extension %s" % (call_id, number, destination),
                dict(call=live))


def on_extension_call(module, client):
    action, number = module.params["action"], module.params["extension"]
    record = extension_states(client, [number])[number]
    live = current_call(client, number, record)
    if live is None:
        raise ActionFailed("extension %s is not in a call; nothing to %s" % (number, action))
    status = str(record.get("status", ""))
    if status == "Ringing" or live.get("status") in NOT_ANSWERED:
        raise ActionFailed("the call of extension %s is not answered yet; nothing to %s" % (number, action), call=live)
    held = status == "Hold"
    if (action == "hold" and held) or (action == "unhold" and not held):
        return dict(changed=False, call=live, msg="the call of extension %s is already %s"
                    % (number, "on hold" if held else "not on hold"))
    return send(module, client, "extension/%s" % action, {"extid": number}, "extension %s" % number,
                "%s done on the call of extension %s" % (action, number), dict(call=live))


def monitor(module, client):
    action, monitoring, target = module.params["action"], module.params["extension"], module.params["target"]
    if monitoring == target:
        raise ActionFailed("extension %s cannot %s its own call" % (target, action))
    records = extension_states(client, [monitoring, target])
    if str(records[target].get("allowbeingmonitored", "off")).lower() != "on":
        raise ActionFailed("extension %s does not allow being monitored (allow_monitoring is off)" % target)
    mode = str(records[monitoring].get("monitormode", ""))
    if mode.lower() not in MONITOR_MODES[action]:
        raise ActionFailed("extension %s's monitor mode (%s) does not permit %s"
                           % (monitoring, mode or "disabled", action))
    problem = idle_problem(monitoring, str(records[monitoring].get("status", "")))
    if problem:
        raise ActionFailed(problem)
    live = answered_call(target, records[target], current_call(client, target, records[target]), action)
    monitor_key, target_key, done = MONITOR_REQUESTS[action]
    body = {monitor_key: monitoring, target_key: target}
    return send(module, client, "extension/%s" % action, body, "extension %s monitoring %s" % (monitoring, target),
                "extension %s %s extension %s's call" % (monitoring, done, target), dict(call=live))


HANDLERS = {
    "hangup": hangup,
    "dial": dial,
    "callback": callback,
    "hold": on_extension_call,
    "unhold": on_extension_call,
    "mute": on_extension_call,
    "unmute": on_extension_call,
    "transfer": transfer,
    "listen": monitor,
    "whisper": monitor,
    "barge": monitor,
}


def main():
    argument_spec = dict(
        action=dict(type="str", required=True, choices=list(HANDLERS)),
        inbound_id=dict(type="str"),
        outbound_id=dict(type="str"),
        extension=dict(type="str"),
        queue=dict(type="str"),
        ring_group=dict(type="str"),
        caller=dict(type="str"),
        destination=dict(type="str"),
        call_id=dict(type="str"),
        target=dict(type="str"),
        auto_answer=dict(type="bool", default=False),
        fail_if_missing=dict(type="bool", default=False),
    )
    run_action(
        argument_spec,
        lambda module, client: HANDLERS[module.params["action"]](module, client),
        mutually_exclusive=[("inbound_id", "outbound_id", "extension", "queue", "ring_group", "caller")],
        required_if=[
            ("action", "hangup", ("inbound_id", "outbound_id", "extension"), True),
            ("action", "dial", ("extension", "queue", "ring_group"), True),
            ("action", "dial", ("destination",)),
            ("action", "callback", ("caller", "destination")),
            ("action", "transfer", ("extension", "destination")),
            ("action", "listen", ("extension", "target")),
            ("action", "hold", ("extension",)),
            ("action", "unhold", ("extension",)),
            ("action", "mute", ("extension",)),
            ("action", "unmute", ("extension",)),
            ("action", "whisper", ("extension", "target")),
            ("action", "barge", ("extension", "target")),
        ],
    )


if __name__ == "__main__":
    main()
