#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: uc_hotel_checkout
short_description: Check a hotel room out on an OpenVox UC Series PBX
version_added: 0.1.0
description:
  - Checks a guest out of a room (an extension) through the hotel application of an OpenVox UC300, UC500 or UC501
    PBX.
  - The OpenVox API documentation does not say what a check-out changes. On the Yeastar PBX the API derives
    from, it deletes the room's wake-up calls, empties its voicemail box, removes the extension's outbound
    permissions and resets its caller ID name; an OpenVox PBX is expected to do the same, which depends on its
    firmware and is not verified by this module.
  - The module first checks that the extension exists and reads its alarms and voicemail messages, so the result
    lists what the check-out is expected to remove.
  - A check-out is an action, not a state, so a performed check-out always reports C(changed=true).
author:
  - openvox.ucpbx maintainers (@openvox-ucpbx)
extends_documentation_fragment:
  - openvox.ucpbx.connection
options:
  extension:
    description:
      - The room's extension number.
    type: str
    required: true
attributes:
  check_mode:
    support: full
    description: Reads the extension, its alarms and its voicemail messages and reports them, without checking out.
  diff_mode:
    support: none
    description: RV(alarms) and RV(voicemails) list what the check-out is expected to remove.
"""

EXAMPLES = r"""
# Connection options (host, username, password, ...) are left out: set them once for the play with
# module_defaults for group/openvox.ucpbx.ucpbx, or in UCPBX_* environment variables.

- name: Check out room 301
  openvox.ucpbx.uc_hotel_checkout:
    extension: "301"
  register: checkout

- name: Say what went
  ansible.builtin.debug:
    msg: "{{ checkout.alarms | length }} alarm(s) and {{ checkout.voicemails | length }} message(s) removed"
"""

RETURN = r"""
alarms:
  description: The room's wake-up calls before the check-out, in the shape of RV(openvox.ucpbx.uc_wakeup_call#module:before).
  returned: always
  type: list
  elements: dict
  sample: [{"id": "4", "time": "06:30", "type": "custom", "weekdays": [1, 2, 3, 4, 5], "prompt": ""}]
voicemails:
  description: The room's voicemail messages before the check-out, in the shape of RV(openvox.ucpbx.uc_voicemail#module:voicemails).
  returned: always
  type: list
  elements: dict
  sample: [{"extension": "301", "file": "msg0000.wav", "from": "0755123456", "date": "2024-03-01 09:15:02", "duration": 12}]
command:
  description: The request sent, or in check mode the one that would be sent.
  returned: always
  type: dict
  sample: {"endpoint": "hotel/checkout", "body": {"number": "301"}}
msg:
  description: What was done.
  returned: always
  type: str
  sample: room 301 checked out (1 alarm, 2 voicemail messages removed)
"""

from ansible_collections.openvox.ucpbx.plugins.module_utils.direct_module import run_action
from ansible_collections.openvox.ucpbx.plugins.module_utils.calls import extension_states
from ansible_collections.openvox.ucpbx.plugins.module_utils.voicemail_alarms_downloads import list_alarms, list_voicemails


def checkout(module, client):
    number = module.params["extension"]
    extension_states(client, [number])
    alarms = list_alarms(client, number)
    voicemails = list_voicemails(client, [number])
    command = {"endpoint": "hotel/checkout", "body": {"number": number}}
    what = "%d alarm(s), %d voicemail message(s)" % (len(alarms), len(voicemails))
    result = dict(changed=True, alarms=alarms, voicemails=voicemails, command=command)
    if module.check_mode:
        result["msg"] = "would check room %s out, removing %s (check mode)" % (number, what)
        return result
    client.call(command["endpoint"], command["body"], subject="room %s" % number)
    result["msg"] = "room %s checked out (%s removed)" % (number, what)
    return result


def main():
    run_action(dict(extension=dict(type="str", required=True)), checkout)


if __name__ == "__main__":
    main()
