#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: uc_paging_group
short_description: Manage paging and intercom groups of an OpenVox UC Series PBX
version_added: 0.1.0
description:
  - Makes the paging and intercom groups of an OpenVox UC300, UC500 or UC501 PBX match a list, through
    the PBX HTTP API.
  - "O(config[].members) is a set: the order is not compared. Every member must be an existing extension
    (checked before anything is changed, in check mode too)."
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
      - The paging groups. Each is identified by O(config[].number).
      - Required with O(state=merged), O(state=replaced), O(state=overridden) and O(state=rendered).
    type: list
    elements: dict
    suboptions:
      number:
        description:
          - Group number, dialled to page the group. Identifies the group.
          - PBX field C(number).
        type: str
        required: true
      name:
        description:
          - Group name, not empty (the PBX refuses an empty one).
          - PBX field C(name).
          - Left as it is by O(state=replaced) and O(state=overridden) when not given.
        type: str
      type:
        description:
          - V(paging) is one-way (members hear the caller), V(intercom) two-way.
          - PBX field C(type).
          - Left as it is by O(state=replaced) and O(state=overridden) when not given.
        type: str
        choices: [intercom, paging]
      members:
        description:
          - 'Member extensions (a set: order is not compared).'
          - PBX field C(member), a comma-separated list.
          - Left as it is by O(state=replaced) and O(state=overridden) when not given.
        type: list
        elements: str
seealso:
  - name: OpenVox UC Series API documentation
    description: The PBX HTTP API this module uses.
    link: https://help.openvox.cn/docs/uc-series-ippbx/api-documentation/
"""

EXAMPLES = r"""
# Connection options (host, username, password, ...) are left out: set them once for the play with
# module_defaults for group/openvox.ucpbx.ucpbx, or in UCPBX_* environment variables.

- name: Warehouse loudspeakers
  openvox.ucpbx.uc_paging_group:
    config:
      - number: "6301"
        name: warehouse
        type: paging
        members: ["201", "202", "203"]

- name: The front desk talks to the back office
  openvox.ucpbx.uc_paging_group:
    config:
      - number: "6302"
        name: back-office
        type: intercom
        members: ["204"]
"""

RETURN = r"""
changed:
  description: Whether the PBX was changed (or, in check mode, would be).
  returned: always
  type: bool
before:
  description:
    - The paging groups this task changes (or, in check mode, would change) as they were on the PBX, secrets
      masked.
    - Paging groups the task leaves alone are not listed; see RV(existing) and O(state=gathered).
  returned: when O(state) is V(merged), V(replaced), V(overridden) or V(deleted)
  type: list
  elements: dict
  sample:
    - number: '6301'
      name: warehouse
      type: paging
      members:
      - '201'
      - '202'
      - '203'
after:
  description:
    - The same paging groups after the change, secrets masked; deleted ones are not listed.
    - Computed from what was read and what was sent, not read again. For a paging group created with O(state=merged),
      only the options that were given are known.
  returned: when O(state) is V(merged), V(replaced), V(overridden) or V(deleted)
  type: list
  elements: dict
  sample:
    - number: '6301'
      name: warehouse
      type: paging
      members:
      - '201'
      - '202'
      - '203'
existing:
  description: The numbers of every paging group on the PBX before the task, in order.
  returned: when O(state) is V(merged), V(replaced), V(overridden) or V(deleted)
  type: list
  elements: str
  sample:
    - '6301'
commands:
  description:
    - The API requests sent, or in check mode the ones that would be sent, in order, secrets masked.
    - On failure, the requests that had already been applied.
  returned: when O(state) is V(merged), V(replaced), V(overridden) or V(deleted)
  type: list
  elements: dict
  sample:
    - endpoint: paginggroup/add
      body:
        number: '6301'
        name: warehouse
        type: paging
        member: 201,202,203
gathered:
  description: The paging groups on the PBX in the format of O(config), without secrets or default values.
  returned: when O(state=gathered)
  type: list
  elements: dict
  sample:
    - number: '6301'
      name: warehouse
      type: paging
      members:
      - '201'
      - '202'
      - '203'
rendered:
  description: The bodies of the add requests O(config) translates to, secrets masked.
  returned: when O(state=rendered)
  type: list
  elements: dict
  sample:
    - number: '6301'
      name: warehouse
      type: paging
      member: 201,202,203
"""

from ansible_collections.openvox.ucpbx.plugins.module_utils.resource_module import run
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.paging_group import PAGING_GROUP


def main():
    run(PAGING_GROUP)


if __name__ == "__main__":
    main()
