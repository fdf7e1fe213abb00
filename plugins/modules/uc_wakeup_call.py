#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: uc_wakeup_call
short_description: Manage the wake-up calls (alarms) of an extension on an OpenVox UC Series PBX
version_added: 0.1.0
description:
  - Makes the wake-up calls of one extension (a hotel room) of an OpenVox UC300, UC500 or UC501 PBX match a list,
    through the hotel application of its HTTP API.
  - The module reads the extension's alarms once, then sends only the create, update and delete requests needed.
    A second run with the same list sends nothing.
  - An alarm is identified by its time, type and weekdays; the PBX keeps at most one alarm of an extension with the
    same three. A listed alarm that exists with another prompt is updated.
author:
  - openvox.ucpbx maintainers (@openvox-ucpbx)
extends_documentation_fragment:
  - openvox.ucpbx.connection
options:
  extension:
    description:
      - The extension whose alarms are managed.
    type: str
    required: true
  alarms:
    description:
      - The alarms to ensure present, or absent.
      - With O(state=present) and O(exclusive=true), an empty list removes every alarm of O(extension); with
        O(state=absent), an empty list removes nothing.
    type: list
    elements: dict
    required: true
    suboptions:
      time:
        description:
          - When the phone rings, C(HH:MM) on a 24-hour clock. Quote it in YAML (C("06:30")), as an unquoted
            06:30 is read as a number.
        type: str
        required: true
      type:
        description:
          - V(onetime) rings once (the PBX deletes the alarm after it has rung); V(custom) rings on O(alarms[].weekdays)
            every week.
        type: str
        default: onetime
        choices: [onetime, custom]
      weekdays:
        description:
          - With O(alarms[].type=custom), the days it rings, C(0) for Sunday and C(1) to C(6) for Monday to Saturday.
            Required for V(custom), not allowed for V(onetime).
        type: list
        elements: int
      prompt:
        description:
          - The prompt played, as the PBX names custom prompts (for example C(custom/wakeup1)).
          - When left out, an existing alarm matches whatever its prompt is, and a new alarm gets the PBX's default.
        type: str
  state:
    description:
      - V(present) creates the listed alarms that are missing and updates the prompt of those that differ only in it.
      - V(absent) deletes the listed alarms that exist.
    type: str
    default: present
    choices: [present, absent]
  exclusive:
    description:
      - With O(state=present), also delete every alarm of O(extension) that is not listed.
    type: bool
    default: false
attributes:
  check_mode:
    support: full
    description: Reads the alarms and reports the requests that would be sent, without sending them.
  diff_mode:
    support: full
    description: Shows the extension's alarms before and after.
notes:
  - Times and weekdays are checked before any request is sent.
  - A one-time alarm that has rung disappears from the PBX, so a play listing it creates it again; use it for
    alarms set for the next morning, not in configuration that is applied repeatedly.
  - Why O(state=present)/V(absent) and O(exclusive) rather than the V(merged)/V(replaced)/V(overridden)/V(gathered)
    states of the configuration modules such as M(openvox.ucpbx.uc_extension) - alarms are the guests' own,
    short-lived data of one room (set at the desk, deleted by the PBX once rung), an alarm has no name or number
    of its own (it is nothing but a time, a type and weekdays), and it has no options that a default could be
    put back into. So alarms are not part of M(openvox.ucpbx.uc_config) nor of the C(pbx_config) role, and this
    module acts on one extension at a time.
"""

EXAMPLES = r"""
# Connection options (host, username, password, ...) are left out: set them once for the play with
# module_defaults for group/openvox.ucpbx.ucpbx, or in UCPBX_* environment variables.

- name: Wake room 301 at 06:30 on weekdays, and at 09:00 on weekends
  openvox.ucpbx.uc_wakeup_call:
    extension: "301"
    alarms:
      - {time: "06:30", type: custom, weekdays: [1, 2, 3, 4, 5], prompt: custom/wakeup1}
      - {time: "09:00", type: custom, weekdays: [0, 6]}
    exclusive: true

- name: One wake-up call tomorrow morning
  openvox.ucpbx.uc_wakeup_call:
    extension: "302"
    alarms:
      - time: "07:15"

- name: Cancel it
  openvox.ucpbx.uc_wakeup_call:
    extension: "302"
    state: absent
    alarms:
      - time: "07:15"

- name: Remove every alarm of room 303
  openvox.ucpbx.uc_wakeup_call:
    extension: "303"
    alarms: []
    exclusive: true
"""

RETURN = r"""
before:
  description: The extension's alarms as read.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: The PBX's id of the alarm (C(wakeupid)).
      type: str
      sample: "4"
    time:
      description: C(HH:MM).
      type: str
      sample: "06:30"
    type:
      description: V(onetime) or V(custom).
      type: str
      sample: custom
    weekdays:
      description: Days it rings, C(0) = Sunday; empty for a one-time alarm.
      type: list
      elements: int
      sample: [1, 2, 3, 4, 5]
    prompt:
      description: Prompt played; empty for the PBX's default.
      type: str
      sample: custom/wakeup1
alarms:
  description:
    - The extension's alarms after the task (predicted from what was read and sent, not read again), in the shape of
      RV(before). An alarm created by the task has no C(id), since the PBX does not return it.
  returned: always
  type: list
  elements: dict
  sample: [{"id": "4", "time": "06:30", "type": "custom", "weekdays": [1, 2, 3, 4, 5], "prompt": "custom/wakeup1"}]
commands:
  description: The requests sent, or in check mode the ones that would be sent.
  returned: always
  type: list
  elements: dict
  sample: [{"endpoint": "wakeupcall/create", "body": {"number": "301", "time": "06:30", "type": "custom", "weekdays": "1,2,3,4,5"}}]
msg:
  description: What was done.
  returned: always
  type: str
  sample: 1 created, 0 updated, 0 deleted
"""

from ansible_collections.openvox.ucpbx.plugins.module_utils.direct_module import ActionFailed, run_action
from ansible_collections.openvox.ucpbx.plugins.module_utils.voicemail_alarms_downloads import list_alarms, normalise_time


def desired_alarms(items):
    """Validated, normalised alarms; one error listing every problem."""
    problems, alarms, seen = [], [], {}
    for index, item in enumerate(items):
        where = "alarms[%d]" % index
        alarm_time = normalise_time(item["time"])
        if alarm_time is None:
            problems.append("%s: time %r is not HH:MM on a 24-hour clock (quote it in YAML)" % (where, item["time"]))
        days = item["weekdays"] or []
        if item["type"] == "custom":
            if not days:
                problems.append("%s: a custom alarm needs weekdays" % where)
            elif [day for day in days if not 0 <= day <= 6]:
                problems.append("%s: weekdays must be 0 (Sunday) to 6 (Saturday), not %s" % (where, days))
            elif len(set(days)) != len(days):
                problems.append("%s: weekdays lists a day twice: %s" % (where, days))
        elif days:
            problems.append("%s: a onetime alarm takes no weekdays" % where)
        alarm = {"time": alarm_time, "type": item["type"], "weekdays": sorted(days), "prompt": item["prompt"]}
        key = identity(alarm)
        if alarm_time is not None and key in seen:
            problems.append("%s: the same time, type and weekdays as alarms[%d]" % (where, seen[key]))
        seen.setdefault(key, index)
        alarms.append(alarm)
    if problems:
        raise ActionFailed("; ".join(problems))
    return alarms


def identity(alarm):
    return (alarm["time"], alarm["type"], tuple(alarm["weekdays"]))


def body_of(number, alarm, wakeupid=None):
    body = {"number": number}
    if wakeupid is not None:
        body["wakeupid"] = wakeupid
    body.update(time=alarm["time"], type=alarm["type"])
    if alarm["type"] == "custom":
        body["weekdays"] = ",".join(str(day) for day in alarm["weekdays"])
    if alarm["prompt"] is not None:
        body["prompt"] = alarm["prompt"]
    return body


def plan(number, wanted, before, state, exclusive):
    """(commands, alarms after) for the alarms read and the desired ones."""
    by_identity = dict((identity(alarm), alarm) for alarm in before)
    commands, after, keep = [], [dict(alarm) for alarm in before], set()
    deletes = []
    for alarm in wanted:
        current = by_identity.get(identity(alarm))
        prompt_matches = current is not None and alarm["prompt"] in (None, current["prompt"])
        if state == "absent":
            if prompt_matches:
                deletes.append(current["id"])
            continue
        if current is None:
            commands.append({"endpoint": "wakeupcall/create", "body": body_of(number, alarm)})
            after.append(dict(alarm, id=None, prompt=alarm["prompt"] or ""))
            continue
        keep.add(current["id"])
        if not prompt_matches:
            commands.append({"endpoint": "wakeupcall/update", "body": body_of(number, alarm, current["id"])})
            for entry in after:
                if entry["id"] == current["id"]:
                    entry["prompt"] = alarm["prompt"]
    if state == "present" and exclusive:
        deletes = [alarm["id"] for alarm in before if alarm["id"] not in keep]
    if deletes:
        commands.append({"endpoint": "wakeupcall/delete", "body": {"number": number, "wakeupid": ",".join(deletes)}})
        after = [alarm for alarm in after if alarm["id"] not in deletes]
    return commands, after


def shown(alarms):
    """Alarms as returned: ids as read, or left out for created ones."""
    return [dict((key, value) for key, value in alarm.items() if not (key == "id" and value is None)) for alarm in alarms]


def converge(module, client):
    params = module.params
    number = params["extension"]
    wanted = desired_alarms(params["alarms"] or [])
    if params["exclusive"] and params["state"] == "absent":
        raise ActionFailed("exclusive applies to state=present only")
    before = list_alarms(client, number)
    commands, after = plan(number, wanted, before, params["state"], params["exclusive"])
    counts = dict((verb, len([c for c in commands if c["endpoint"].endswith(verb)])) for verb in ("create", "update", "delete"))
    deleted = len(commands[-1]["body"]["wakeupid"].split(",")) if counts["delete"] else 0
    result = dict(changed=bool(commands), before=before, alarms=shown(after), commands=commands,
                  msg="%d created, %d updated, %d deleted" % (counts["create"], counts["update"], deleted))
    if module._diff:
        result["diff"] = {"before": {"alarms": before}, "after": {"alarms": shown(after)}}
    if module.check_mode or not commands:
        if commands:
            result["msg"] = "would have %s (check mode)" % result["msg"]
        return result
    for command in commands:
        client.call(command["endpoint"], command["body"], subject="alarm of extension %s at %s" % (
            number, command["body"].get("time") or "ids " + command["body"].get("wakeupid", "")))
    return result


def main():
    argument_spec = dict(
        extension=dict(type="str", required=True),
        alarms=dict(type="list", elements="dict", required=True, options=dict(
            time=dict(type="str", required=True),
            type=dict(type="str", default="onetime", choices=["onetime", "custom"]),
            weekdays=dict(type="list", elements="int"),
            prompt=dict(type="str"),
        )),
        state=dict(type="str", default="present", choices=["present", "absent"]),
        exclusive=dict(type="bool", default=False),
    )
    run_action(argument_spec, converge)


if __name__ == "__main__":
    main()
