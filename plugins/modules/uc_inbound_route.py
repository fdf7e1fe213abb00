#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: uc_inbound_route
short_description: Manage inbound routes of an OpenVox UC Series PBX
version_added: 0.1.0
description:
  - Makes the inbound routes of an OpenVox UC300, UC500 or UC501 PBX match a list, through the PBX HTTP
    API.
  - Routes are identified by name; the PBX reports no id for them and cannot rename them.
  - The destination must exist on the PBX. A route naming a missing extension, IVR, queue or conference
    room is an error that names the route and the destination, reported before anything is changed, in
    check mode too (RV(commands) is empty in both). Create destinations in the same
    M(openvox.ucpbx.uc_config) task, which knows what it creates, to check a whole change at once.
author:
  - openvox.ucpbx maintainers (@openvox-ucpbx)
extends_documentation_fragment:
  - openvox.ucpbx.connection
  - openvox.ucpbx.connection.RESOURCE
  - openvox.ucpbx.connection.ATTRIBUTES
  - openvox.ucpbx.connection.CONTROLLER
options:
  config:
    description:
      - The inbound routes. Each is identified by O(config[].name).
      - Required with O(state=merged), O(state=replaced), O(state=overridden) and O(state=rendered).
    type: list
    elements: dict
    suboptions:
      name:
        description:
          - 'Route name. Identifies the route; the PBX cannot rename inbound routes. Without commas or
            leading or trailing blanks, and not C(all): the API passes names in comma lists, beside the
            word C(all).'
          - PBX field C(name).
        type: str
        required: true
      did:
        description:
          - DID pattern the called number must match; empty matches any.
          - PBX field C(did).
          - O(state=replaced) and O(state=overridden) clear it when it is not given.
        type: str
      caller_id:
        description:
          - Caller ID pattern the caller must match; empty matches any.
          - PBX field C(caller_id).
          - O(state=replaced) and O(state=overridden) clear it when it is not given.
        type: str
      destination_type:
        description:
          - What answers the call.
          - PBX field C(desttype).
          - Left as it is by O(state=replaced) and O(state=overridden) when not given.
        type: str
        choices: [callback, conference, disa, extension, hangup, ivr, queue, ringgroup, voicemail]
      destination:
        description:
          - The extension, voicemail box, IVR, ring group, queue or conference room number (by O(config[].destination_type)).
            It must exist on the PBX. Not used with V(hangup), which sends it empty.
          - PBX field C(dest).
          - Only for objects whose O(config[].destination_type) is V(extension), V(voicemail), V(ivr),
            V(ringgroup), V(queue), V(conference), V(disa), V(callback); refused on the others, which
            send it empty.
          - Left as it is by O(state=replaced) and O(state=overridden) when not given.
        type: str
seealso:
  - name: OpenVox UC Series API documentation
    description: The PBX HTTP API this module uses.
    link: https://help.openvox.cn/docs/uc-series-ippbx/api-documentation/
"""

EXAMPLES = r"""
# Connection options (host, username, password, ...) are left out: set them once for the play with
# module_defaults for group/openvox.ucpbx.ucpbx, or in UCPBX_* environment variables.

- name: Main number to the reception IVR, support DID to the support queue
  openvox.ucpbx.uc_inbound_route:
    config:
      - name: main
        did: "88880000"
        destination_type: ivr
        destination: "6500"
      - name: support
        did: "88880001"
        destination_type: queue
        destination: "6701"

- name: Drop calls from a blocked caller
  openvox.ucpbx.uc_inbound_route:
    config:
      - name: blocked
        caller_id: "0755123456"
        destination_type: hangup

- name: Remove the route of a number given back to the provider
  openvox.ucpbx.uc_inbound_route:
    state: deleted
    config:
      - name: old-fax
"""

RETURN = r"""
changed:
  description: Whether the PBX was changed (or, in check mode, would be).
  returned: always
  type: bool
before:
  description:
    - The inbound routes this task changes (or, in check mode, would change) as they were on the PBX,
      secrets masked.
    - Inbound routes the task leaves alone are not listed; see RV(existing) and O(state=gathered).
  returned: when O(state) is V(merged), V(replaced), V(overridden) or V(deleted)
  type: list
  elements: dict
  sample:
    - name: main
      did: '88880000'
      destination_type: ivr
      destination: '6500'
after:
  description:
    - The same inbound routes after the change, secrets masked; deleted ones are not listed.
    - Computed from what was read and what was sent, not read again. For an inbound route created with
      O(state=merged), only the options that were given are known.
  returned: when O(state) is V(merged), V(replaced), V(overridden) or V(deleted)
  type: list
  elements: dict
  sample:
    - name: main
      did: '88880000'
      destination_type: ivr
      destination: '6500'
existing:
  description: The names of every inbound route on the PBX before the task, in order.
  returned: when O(state) is V(merged), V(replaced), V(overridden) or V(deleted)
  type: list
  elements: str
  sample:
    - main
commands:
  description:
    - The API requests sent, or in check mode the ones that would be sent, in order, secrets masked.
    - On failure, the requests that had already been applied.
  returned: when O(state) is V(merged), V(replaced), V(overridden) or V(deleted)
  type: list
  elements: dict
  sample:
    - endpoint: inroute/add
      body:
        name: main
        did: '88880000'
        desttype: ivr
        dest: '6500'
gathered:
  description: The inbound routes on the PBX in the format of O(config), without secrets or default values.
  returned: when O(state=gathered)
  type: list
  elements: dict
  sample:
    - name: main
      did: '88880000'
      destination_type: ivr
      destination: '6500'
rendered:
  description: The bodies of the add requests O(config) translates to, secrets masked.
  returned: when O(state=rendered)
  type: list
  elements: dict
  sample:
    - name: main
      did: '88880000'
      desttype: ivr
      dest: '6500'
"""

from ansible_collections.openvox.ucpbx.plugins.module_utils.resource_module import run
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.inbound_route import INBOUND_ROUTE


def main():
    run(INBOUND_ROUTE)


if __name__ == "__main__":
    main()
