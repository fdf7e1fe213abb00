#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: uc_ivr
short_description: Configure IVRs of an OpenVox UC Series PBX
version_added: 0.1.0
description:
  - Makes the settings of existing IVRs of an OpenVox UC300, UC500 or UC501 PBX match a list, through
    the PBX HTTP API.
  - IVRs are created and deleted in the PBX web interface; the API can only rename them and change their
    prompt repetitions and response timeout. An IVR that does not exist is an error.
author:
  - openvox.ucpbx maintainers (@openvox-ucpbx)
extends_documentation_fragment:
  - openvox.ucpbx.connection
  - openvox.ucpbx.connection.EDIT_ONLY
  - openvox.ucpbx.connection.ATTRIBUTES
  - openvox.ucpbx.connection.CONTROLLER
options:
  config:
    description:
      - The IVRs. Each is identified by O(config[].number).
      - Required with O(state=merged), O(state=replaced) and O(state=rendered).
    type: list
    elements: dict
    suboptions:
      number:
        description:
          - IVR number. Identifies the IVR.
          - PBX field C(ivrid).
        type: str
        required: true
      name:
        description:
          - 'IVR name: 1 to 31 characters, no spaces and none of C(! $ ( ) / # ; , [ ] " = < > & '' `
            ^ % @ { } |), and not the name of another IVR. A name the web interface stored outside these
            rules reads back and is kept as it is.'
          - PBX field C(ivrname).
        type: str
      prompt_repeat:
        description:
          - How many times the prompt is played.
          - PBX field C(promptrepeat).
        type: int
      response_timeout:
        description:
          - Seconds to wait for the caller's choice.
          - PBX field C(responsetimeout).
        type: int
seealso:
  - name: OpenVox UC Series API documentation
    description: The PBX HTTP API this module uses.
    link: https://help.openvox.cn/docs/uc-series-ippbx/api-documentation/
"""

EXAMPLES = r"""
# Connection options (host, username, password, ...) are left out: set them once for the play with
# module_defaults for group/openvox.ucpbx.ucpbx, or in UCPBX_* environment variables.

- name: Day-time IVR
  openvox.ucpbx.uc_ivr:
    config:
      - number: "6500"
        name: daytime
        prompt_repeat: 2
        response_timeout: 5
"""

RETURN = r"""
changed:
  description: Whether the PBX was changed (or, in check mode, would be).
  returned: always
  type: bool
before:
  description:
    - The IVRs this task changes (or, in check mode, would change) as they were on the PBX, secrets masked.
    - IVRs the task leaves alone are not listed; see RV(existing) and O(state=gathered).
  returned: when O(state) is V(merged) or V(replaced)
  type: list
  elements: dict
  sample:
    - number: '6500'
      name: daytime
      prompt_repeat: 2
      response_timeout: 5
after:
  description:
    - The same IVRs after the change, secrets masked; deleted ones are not listed.
    - Computed from what was read and what was sent, not read again.
  returned: when O(state) is V(merged) or V(replaced)
  type: list
  elements: dict
  sample:
    - number: '6500'
      name: daytime
      prompt_repeat: 2
      response_timeout: 5
existing:
  description: The numbers of every IVR on the PBX before the task, in order.
  returned: when O(state) is V(merged) or V(replaced)
  type: list
  elements: str
  sample:
    - '6500'
commands:
  description:
    - The API requests sent, or in check mode the ones that would be sent, in order, secrets masked.
    - On failure, the requests that had already been applied.
  returned: when O(state) is V(merged) or V(replaced)
  type: list
  elements: dict
  sample:
    - endpoint: ivr/update
      body:
        ivrid: '6500'
        ivrname: daytime
        promptrepeat: '2'
        responsetimeout: '5'
gathered:
  description: The IVRs on the PBX in the format of O(config), without secrets or default values.
  returned: when O(state=gathered)
  type: list
  elements: dict
  sample:
    - number: '6500'
      name: daytime
      prompt_repeat: 2
      response_timeout: 5
rendered:
  description: The bodies of the update requests O(config) translates to, secrets masked.
  returned: when O(state=rendered)
  type: list
  elements: dict
  sample:
    - ivrid: '6500'
      ivrname: daytime
      promptrepeat: '2'
      responsetimeout: '5'
"""

from ansible_collections.openvox.ucpbx.plugins.module_utils.resource_module import run
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.ivr import IVR


def main():
    run(IVR)


if __name__ == "__main__":
    main()
