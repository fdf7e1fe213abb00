#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: uc_conference_member
short_description: Invite, kick, mute and unmute the members of a running conference on an OpenVox UC Series PBX
version_added: 0.1.0
description:
  - Acts on the members of a conference that is in session on an OpenVox UC300, UC500 or UC501 PBX. It
    invites numbers into a room, kicks members out, and mutes or unmutes them.
  - The module first reads who is in the room (C(conference/query_in_session)), then sends at most one request
    for all the listed members.
  - V(present) and V(absent) are idempotent. Numbers already in the room are not invited again, and numbers not
    in the room are not kicked.
  - The API does not report whether a member is muted. So V(muted) and V(unmuted) always send their request
    (C(changed=true)) for the listed members, and in check mode they only report what they would send.
author:
  - openvox.ucpbx maintainers (@openvox-ucpbx)
extends_documentation_fragment:
  - openvox.ucpbx.connection
options:
  room:
    description:
      - Number of the conference room.
    type: str
    required: true
  members:
    description:
      - The numbers to act on, extensions or external numbers, as the room lists them.
    type: list
    elements: str
    required: true
  state:
    description:
      - V(present) invites the numbers that are not in the room (C(conference/add_member)). The PBX calls them.
        An extension must be idle, and an external number needs an outbound route.
      - V(absent) kicks out the numbers that are in the room (C(conference/kick_member)).
      - V(muted) and V(unmuted) mute and unmute members (C(conference/mute_member), C(conference/unmute_member)).
        Every listed number must be in the room. Otherwise the task fails before sending anything and names the
        numbers that are missing.
    type: str
    default: present
    choices: [present, absent, muted, unmuted]
attributes:
  check_mode:
    support: full
    description: Reads the room and returns the request that would be sent, without sending it.
  diff_mode:
    support: none
    description: The result's RV(members) lists who was in the room.
notes:
  - A member counts as in the room whether it talks (C(Up)) or waits for the moderator (C(HOLD)).
seealso:
  - module: openvox.ucpbx.uc_conference
"""

EXAMPLES = r"""
# Connection options (host, username, password, ...) are left out: set them once for the play with
# module_defaults for group/openvox.ucpbx.ucpbx, or in UCPBX_* environment variables.

- name: Bring the team into room 6401
  openvox.ucpbx.uc_conference_member:
    room: "6401"
    members: ["201", "202", "013800000000"]
    state: present

- name: Mute everyone but the speaker
  openvox.ucpbx.uc_conference_member:
    room: "6401"
    members: ["202", "013800000000"]
    state: muted

- name: Drop the external participant
  openvox.ucpbx.uc_conference_member:
    room: "6401"
    members: ["013800000000"]
    state: absent
"""

RETURN = r"""
members:
  description: Who was in the room before the task.
  returned: always
  type: list
  elements: dict
  contains:
    number:
      description: The member's number.
      type: str
      sample: "201"
    channel_id:
      description: The member's channel on the PBX.
      type: str
      sample: PJSIP/201-0000001a
    status:
      description: V(Up) (in the room) or V(HOLD) (waiting for the moderator).
      type: str
      sample: Up
commands:
  description: The requests sent, or in check mode the requests that would be sent.
  returned: always
  type: list
  elements: dict
  sample: [{endpoint: conference/add_member, body: {number: "6401", invitemember: "202,013800000000"}}]
"""

from ansible_collections.openvox.ucpbx.plugins.module_utils.direct_module import ActionFailed, run_action
from ansible_collections.openvox.ucpbx.plugins.module_utils.errors import PbxApiError
from ansible_collections.openvox.ucpbx.plugins.module_utils.live import conference_sessions

ENDPOINTS = {"present": ("conference/add_member", "invitemember"),
             "absent": ("conference/kick_member", "membernumber"),
             "muted": ("conference/mute_member", "membernumber"),
             "unmuted": ("conference/unmute_member", "membernumber")}


def manage_members(module, client):
    room, state = module.params["room"].strip(), module.params["state"]
    numbers = []
    for number in module.params["members"]:
        number = str(number).strip()
        if number and number not in numbers:
            numbers.append(number)
    if not room:
        raise ActionFailed("room must not be empty")
    if not numbers:
        raise ActionFailed("members must list at least one number")
    if any("," in number for number in numbers):
        raise ActionFailed("a member number must not contain ',': %s" % ", ".join(n for n in numbers if "," in n))
    members = conference_sessions(client, room)
    present = set(member["number"] for member in members)
    result = dict(changed=False, members=members, commands=[])
    if state == "present":
        targets = [number for number in numbers if number not in present]
    elif state == "absent":
        targets = [number for number in numbers if number in present]
    else:
        missing = [number for number in numbers if number not in present]
        if missing:
            raise ActionFailed("cannot %s %s in conference room %s: not in the room (in session: %s)"
                               % ("mute" if state == "muted" else "unmute", ", ".join(missing), room,
                                  ", ".join(sorted(present)) or "nobody"), **result)
        targets = numbers
    if not targets:
        return result
    endpoint, field = ENDPOINTS[state]
    command = {"endpoint": endpoint, "body": {"number": room, field: ",".join(targets)}}
    result.update(changed=True, commands=[command])
    if module.check_mode:
        return result
    try:
        client.call(endpoint, command["body"], subject="conference room %s, members %s" % (room, ", ".join(targets)))
    except PbxApiError as exc:
        result["changed"] = False
        raise ActionFailed(str(exc), **result)
    return result


def main():
    run_action(
        dict(
            room=dict(type="str", required=True),
            members=dict(type="list", elements="str", required=True),
            state=dict(type="str", default="present", choices=["present", "absent", "muted", "unmuted"]),
        ),
        manage_members,
    )


if __name__ == "__main__":
    main()
