#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: uc_call_info
short_description: List the active calls of an OpenVox UC Series PBX
version_added: 0.1.0
description:
  - Lists the active inbound and outbound calls of an OpenVox UC300, UC500 or UC501 PBX, optionally filtered.
  - Every call comes back in one shape, whichever variant the firmware answers with (for example the called
    party as one object or as a list).
author:
  - openvox.ucpbx maintainers (@openvox-ucpbx)
extends_documentation_fragment:
  - openvox.ucpbx.connection
options:
  direction:
    description:
      - Which calls to list. Each direction costs one request.
    type: str
    default: all
    choices: [all, inbound, outbound]
  inbound_id:
    description:
      - Only the inbound call with this id.
    type: str
  outbound_id:
    description:
      - Only the outbound call with this id.
    type: str
  extension:
    description:
      - Only calls this extension takes part in.
    type: str
  trunk:
    description:
      - Only calls through this trunk.
    type: str
  caller:
    description:
      - Only calls whose calling number (RV(calls[].from)) is this.
    type: str
attributes:
  check_mode:
    support: full
    description: Only reads.
  diff_mode:
    support: none
    description: Only reads, so there is nothing to show.
"""

EXAMPLES = r"""
# Connection options (host, username, password, ...) are left out: set them once for the play with
# module_defaults for group/openvox.ucpbx.ucpbx, or in UCPBX_* environment variables.

- name: Find the calls of a nuisance caller
  openvox.ucpbx.uc_call_info:
    direction: inbound
    caller: "0755123456"
  register: nuisance

- name: Hang them up
  openvox.ucpbx.uc_call:
    action: hangup
    inbound_id: "{{ item.id }}"
  loop: "{{ nuisance.calls }}"

- name: Calls that go through the provider trunk
  openvox.ucpbx.uc_call_info:
    trunk: itsp1
  register: through_itsp1

- name: Say how busy the trunk is
  ansible.builtin.debug:
    msg: "{{ through_itsp1.calls | length }} call(s) on itsp1"
"""

RETURN = r"""
calls:
  description: The active calls that match, inbound first.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Call id (C(inboundid) or C(outboundid) on the PBX), to use with P(openvox.ucpbx.uc_call#module).
      type: str
      sample: "1589938168.1111"
    direction:
      description: V(inbound) or V(outbound).
      type: str
    from:
      description: Calling number (the extension, for outbound calls).
      type: str
    to:
      description: Called number.
      type: str
    trunk:
      description: Trunk the call uses.
      type: str
    status:
      description: As the PBX reports it, for example C(Talking), C(Progress) or C(Wait).
      type: str
    callee:
      description: Who the call is connected to, each as C(type) (extension, ivr, queue, outbound, ...) and C(id).
      type: list
      elements: dict
      sample: [{"type": "extension", "id": "201"}]
    extensions:
      description: The extensions taking part in the call.
      type: list
      elements: str
"""

from ansible_collections.openvox.ucpbx.plugins.module_utils.direct_module import run_action
from ansible_collections.openvox.ucpbx.plugins.module_utils.calls import DIRECTIONS, list_calls


def matches(call, params):
    return ((params["extension"] is None or params["extension"] in call["extensions"])
            and (params["trunk"] is None or params["trunk"] == call["trunk"])
            and (params["caller"] is None or params["caller"] == call["from"]))


def read_calls(module, client):
    params = module.params
    calls = []
    for direction in DIRECTIONS:
        wanted_id = params["%s_id" % direction]
        other_id = params["%s_id" % ("outbound" if direction == "inbound" else "inbound")]
        if params["direction"] not in ("all", direction) or other_id:
            continue
        calls.extend(call for call in list_calls(client, direction, wanted_id) if matches(call, params))
    return dict(changed=False, calls=calls)


def main():
    run_action(
        dict(
            direction=dict(type="str", default="all", choices=["all"] + list(DIRECTIONS)),
            inbound_id=dict(type="str"),
            outbound_id=dict(type="str"),
            extension=dict(type="str"),
            trunk=dict(type="str"),
            caller=dict(type="str"),
        ),
        read_calls,
        mutually_exclusive=[("inbound_id", "outbound_id")],
    )


if __name__ == "__main__":
    main()
