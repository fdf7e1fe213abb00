#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: uc_conference
short_description: Configure conference rooms of an OpenVox UC Series PBX
version_added: 0.1.0
description:
  - Makes the settings of existing conference rooms of an OpenVox UC300, UC500 or UC501 PBX match a
    list, through the PBX HTTP API.
  - Rooms are created and deleted in the PBX web interface; the API can only change their name, PINs and
    moderator setting. A room that does not exist is an error.
author:
  - openvox.ucpbx maintainers (@openvox-ucpbx)
extends_documentation_fragment:
  - openvox.ucpbx.connection
  - openvox.ucpbx.connection.EDIT_ONLY
  - openvox.ucpbx.connection.ATTRIBUTES
  - openvox.ucpbx.connection.SECRETS
  - openvox.ucpbx.connection.CONTROLLER
options:
  config:
    description:
      - The conference rooms. Each is identified by O(config[].number).
      - Required with O(state=merged), O(state=replaced) and O(state=rendered).
    type: list
    elements: dict
    suboptions:
      number:
        description:
          - Room number. Identifies the room.
          - PBX field C(number).
        type: str
        required: true
      name:
        description:
          - Room name, not empty and without any of C(& ' < > ` | $ ] \ "). A name the web interface stored
            outside these rules reads back and is kept as it is.
          - PBX field C(name).
        type: str
      participant_password:
        description:
          - PIN participants enter (digits).
          - PBX field C(participantepassword).
          - A secret, never shown in results, diffs or logs; compared according to O(update_password).
            Left as it is by O(state=replaced) and O(state=overridden) when not given.
        type: str
      moderator_password:
        description:
          - PIN the moderator enters (digits).
          - PBX field C(moderatorpassword).
          - A secret, never shown in results, diffs or logs; compared according to O(update_password).
            Left as it is by O(state=replaced) and O(state=overridden) when not given.
        type: str
      wait_for_moderator:
        description:
          - Participants wait until the moderator joins.
          - The PBX stores it as C(yes)/C(no) in C(waitformoderator).
        type: bool
seealso:
  - name: OpenVox UC Series API documentation
    description: The PBX HTTP API this module uses.
    link: https://help.openvox.cn/docs/uc-series-ippbx/api-documentation/
"""

EXAMPLES = r"""
# Connection options (host, username, password, ...) are left out: set them once for the play with
# module_defaults for group/openvox.ucpbx.ucpbx, or in UCPBX_* environment variables.

- name: Sales room with PINs, set only when the room is first configured
  openvox.ucpbx.uc_conference:
    config:
      - number: "6400"
        name: Sales
        participant_password: "{{ vault_room_6400_pin }}"
        moderator_password: "{{ vault_room_6400_moderator_pin }}"
        wait_for_moderator: true
    update_password: on_create

- name: Rename room 6401
  openvox.ucpbx.uc_conference:
    config:
      - number: "6401"
        name: Board
"""

RETURN = r"""
changed:
  description: Whether the PBX was changed (or, in check mode, would be).
  returned: always
  type: bool
before:
  description:
    - The conference rooms this task changes (or, in check mode, would change) as they were on the PBX,
      secrets masked.
    - Conference rooms the task leaves alone are not listed; see RV(existing) and O(state=gathered).
  returned: when O(state) is V(merged) or V(replaced)
  type: list
  elements: dict
  sample:
    - number: '6400'
      name: Sales
      wait_for_moderator: true
      participant_password: '********'
      moderator_password: '********'
after:
  description:
    - The same conference rooms after the change, secrets masked; deleted ones are not listed.
    - Computed from what was read and what was sent, not read again.
  returned: when O(state) is V(merged) or V(replaced)
  type: list
  elements: dict
  sample:
    - number: '6400'
      name: Sales
      wait_for_moderator: true
      participant_password: '********'
      moderator_password: '********'
existing:
  description: The numbers of every conference room on the PBX before the task, in order.
  returned: when O(state) is V(merged) or V(replaced)
  type: list
  elements: str
  sample:
    - '6400'
commands:
  description:
    - The API requests sent, or in check mode the ones that would be sent, in order, secrets masked.
    - On failure, the requests that had already been applied.
  returned: when O(state) is V(merged) or V(replaced)
  type: list
  elements: dict
  sample:
    - endpoint: conference/update
      body:
        number: '6400'
        name: Sales
        waitformoderator: 'yes'
        participantepassword: '********'
        moderatorpassword: '********'
gathered:
  description: The conference rooms on the PBX in the format of O(config), without secrets or default values.
  returned: when O(state=gathered)
  type: list
  elements: dict
  sample:
    - number: '6400'
      name: Sales
      wait_for_moderator: true
rendered:
  description: The bodies of the update requests O(config) translates to, secrets masked.
  returned: when O(state=rendered)
  type: list
  elements: dict
  sample:
    - number: '6400'
      name: Sales
      waitformoderator: 'yes'
      participantepassword: '********'
      moderatorpassword: '********'
"""

from ansible_collections.openvox.ucpbx.plugins.module_utils.resource_module import run
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.conference import CONFERENCE


def main():
    run(CONFERENCE)


if __name__ == "__main__":
    main()
