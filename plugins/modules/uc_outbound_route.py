#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: uc_outbound_route
short_description: Manage outbound routes of an OpenVox UC Series PBX
version_added: 0.1.0
description:
  - Makes the outbound routes of an OpenVox UC300, UC500 or UC501 PBX match a list, through the PBX HTTP
    API.
  - "O(config[].trunks) is an ordered list: the order is the priority in which trunks are tried, and it
    is compared."
  - Every trunk named must exist on the PBX (SIP or not); an unknown trunk is an error naming the route
    and the trunk, reported before anything is changed, in check mode too.
  - The PBX addresses updates by an id it assigns; the module looks it up, users only name routes.
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
      - The outbound routes. Each is identified by O(config[].name).
      - Required with O(state=merged), O(state=replaced), O(state=overridden) and O(state=rendered).
    type: list
    elements: dict
    suboptions:
      name:
        description:
          - 'Route name. Identifies the route. Without commas or leading or trailing blanks, and not C(all):
            the API passes names in comma lists, beside the word C(all).'
          - PBX field C(name).
        type: str
        required: true
      prefix:
        description:
          - Digits the caller dials first; the PBX removes them before sending the number to the trunk.
          - PBX field C(prefix).
          - O(state=replaced) and O(state=overridden) clear it when it is not given.
        type: str
      match_pattern:
        description:
          - 'Dial pattern matched after the prefix (Asterisk syntax: C(X), C(Z), C(N), C(.), C([1-5]),
            ...). The letters are accepted in either case, as Asterisk reads them.'
          - PBX field C(matchpattern).
          - Left as it is by O(state=replaced) and O(state=overridden) when not given.
        type: str
      prepend:
        description:
          - 'Digits added in front of the number sent to the trunk. The API takes digits only: a sign
            such as C(+) is refused before any request.'
          - PBX field C(prepend).
          - O(state=replaced) and O(state=overridden) clear it when it is not given.
        type: str
      caller_id:
        description:
          - Caller ID pattern the calling extension must match for the route to apply; empty matches any.
          - PBX field C(callerid).
          - O(state=replaced) and O(state=overridden) clear it when it is not given.
        type: str
      trunks:
        description:
          - Trunk names in order of priority, each once. The order is compared; every trunk must exist.
          - PBX field C(trunks), a comma-separated list.
          - Left as it is by O(state=replaced) and O(state=overridden) when not given.
        type: list
        elements: str
      rename_from:
        description:
          - The O(config[].name) the outbound route has on the PBX before this run, to rename it in place.
            Ignored once the outbound route has the new O(config[].name), so a second run changes nothing.
            When neither exists, the task fails before any write, in check mode too.
          - The PBX renames through its update call, so the outbound route keeps its settings (no delete
            and re-create); a rename shows in RV(commands) and the diff. Not used with O(state=deleted).
        type: str
seealso:
  - name: OpenVox UC Series API documentation
    description: The PBX HTTP API this module uses.
    link: https://help.openvox.cn/docs/uc-series-ippbx/api-documentation/
"""

EXAMPLES = r"""
# Connection options (host, username, password, ...) are left out: set them once for the play with
# module_defaults for group/openvox.ucpbx.ucpbx, or in UCPBX_* environment variables.

- name: Dial 9 for the outside world, through itsp1 and then the FXO line
  openvox.ucpbx.uc_outbound_route:
    config:
      - name: external
        prefix: "9"
        match_pattern: X.
        trunks: [itsp1, fxo-line1]
"""

RETURN = r"""
changed:
  description: Whether the PBX was changed (or, in check mode, would be).
  returned: always
  type: bool
before:
  description:
    - The outbound routes this task changes (or, in check mode, would change) as they were on the PBX,
      secrets masked.
    - Outbound routes the task leaves alone are not listed; see RV(existing) and O(state=gathered).
  returned: when O(state) is V(merged), V(replaced), V(overridden) or V(deleted)
  type: list
  elements: dict
  sample:
    - name: external
      prefix: '9'
      match_pattern: X.
      trunks:
      - itsp1
      - fxo-line1
after:
  description:
    - The same outbound routes after the change, secrets masked; deleted ones are not listed.
    - Computed from what was read and what was sent, not read again. For an outbound route created with
      O(state=merged), only the options that were given are known.
  returned: when O(state) is V(merged), V(replaced), V(overridden) or V(deleted)
  type: list
  elements: dict
  sample:
    - name: external
      prefix: '9'
      match_pattern: X.
      trunks:
      - itsp1
      - fxo-line1
existing:
  description: The names of every outbound route on the PBX before the task, in order.
  returned: when O(state) is V(merged), V(replaced), V(overridden) or V(deleted)
  type: list
  elements: str
  sample:
    - external
commands:
  description:
    - The API requests sent, or in check mode the ones that would be sent, in order, secrets masked.
    - On failure, the requests that had already been applied.
  returned: when O(state) is V(merged), V(replaced), V(overridden) or V(deleted)
  type: list
  elements: dict
  sample:
    - endpoint: outroute/add
      body:
        name: external
        prefix: '9'
        matchpattern: X.
        trunks: itsp1,fxo-line1
gathered:
  description: The outbound routes on the PBX in the format of O(config), without secrets or default values.
  returned: when O(state=gathered)
  type: list
  elements: dict
  sample:
    - name: external
      prefix: '9'
      match_pattern: X.
      trunks:
      - itsp1
      - fxo-line1
rendered:
  description: The bodies of the add requests O(config) translates to, secrets masked.
  returned: when O(state=rendered)
  type: list
  elements: dict
  sample:
    - name: external
      prefix: '9'
      matchpattern: X.
      trunks: itsp1,fxo-line1
"""

from ansible_collections.openvox.ucpbx.plugins.module_utils.resource_module import run
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.outbound_route import OUTBOUND_ROUTE


def main():
    run(OUTBOUND_ROUTE)


if __name__ == "__main__":
    main()
