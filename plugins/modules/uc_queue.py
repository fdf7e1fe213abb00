#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: uc_queue
short_description: Configure call queues of an OpenVox UC Series PBX
version_added: 0.1.0
description:
  - Makes the settings of existing call queues of an OpenVox UC300, UC500 or UC501 PBX match a list,
    through the PBX HTTP API.
  - Queues are created and deleted in the PBX web interface; the API can only change them, so this
    module has no O(state=overridden) or O(state=deleted), and a queue that does not exist is an error.
  - "O(config[].static_agents) is a set of existing extensions: order is
    not compared, and an unknown extension is an error reported before anything is changed (a warning in
    check mode)."
  - Which agents are logged in to a queue right now (the PBX's C(dynamicagents)) is live state, changed
    when agents log in and out; this module never reads or writes it, so a configuration run cannot log
    an agent in or out. Use M(openvox.ucpbx.uc_queue_agent) to log agents in and out.
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
      - The queues. Each is identified by O(config[].number).
      - Required with O(state=merged), O(state=replaced) and O(state=rendered).
    type: list
    elements: dict
    suboptions:
      number:
        description:
          - Queue number. Identifies the queue.
          - PBX field C(queueid), reported as C(queuenumber).
        type: str
        required: true
      name:
        description:
          - Queue name, not empty (the PBX refuses an empty one).
          - PBX field C(queuename).
        type: str
      password:
        description:
          - 'Password agents enter to log in to the queue dynamically (digits: it is typed on a phone
            keypad).'
          - PBX field C(password).
          - A secret, never shown in results, diffs or logs; compared according to O(update_password).
            Left as it is by O(state=replaced) and O(state=overridden) when not given.
        type: str
      ring_strategy:
        description:
          - How calls are offered to agents.
          - PBX field C(ringstrategy); option values map to V(ring_all)=C(Ring All), V(least_recent)=C(Least
            Recent), V(fewest_calls)=C(Fewest Calls), V(random)=C(Random), V(round_robin_memory)=C(Rrmemory),
            V(linear)=C(Linear).
        type: str
        choices: [fewest_calls, least_recent, linear, random, ring_all, round_robin_memory]
      static_agents:
        description:
          - Extensions that are always agents of the queue (a set).
          - PBX field C(agents), a comma-separated list.
        type: list
        elements: str
      agent_timeout:
        description:
          - Seconds an agent rings before the next is tried.
          - PBX field C(agenttimeout).
          - The API accepts V(10), V(20), V(30), V(40), V(50); other values set in the web interface are
            read and compared as they are.
        type: int
      wrapup_time:
        description:
          - Seconds an agent rests after a call.
          - PBX field C(wrapuptime).
          - The API accepts V(10), V(20), V(30), V(40), V(50); other values set in the web interface are
            read and compared as they are.
        type: int
      retry:
        description:
          - Seconds before agents are rung again.
          - PBX field C(retry).
          - The API accepts V(10), V(20), V(30), V(40), V(50); other values set in the web interface are
            read and compared as they are.
        type: int
      max_wait_time:
        description:
          - Longest a caller waits, in seconds.
          - PBX field C(maxwaittime).
          - The API accepts V(300), V(600), V(900), V(1200), V(1800); other values set in the web interface
            are read and compared as they are.
        type: int
      join_empty:
        description:
          - Callers may join a queue without available agents.
          - The PBX stores it as C(on)/C(off) in C(joinempty).
        type: bool
      leave_when_empty:
        description:
          - Callers leave when no agent is available.
          - The PBX stores it as C(on)/C(off) in C(leavewhenempty).
        type: bool
      announce_position:
        description:
          - Tell callers their position.
          - The PBX stores it as C(on)/C(off) in C(announcepos).
        type: bool
      announce_frequency:
        description:
          - Seconds between announcements (0 = never).
          - PBX field C(announcefreq).
          - The API accepts V(0), V(15), V(30), V(45), V(60), V(120), V(180), V(240), V(300), V(600),
            V(1200); other values set in the web interface are read and compared as they are.
        type: int
      announce_hold_time:
        description:
          - Tell callers the expected hold time.
          - The PBX stores it as C(on)/C(off) in C(announceholdtime).
        type: bool
seealso:
  - name: OpenVox UC Series API documentation
    description: The PBX HTTP API this module uses.
    link: https://help.openvox.cn/docs/uc-series-ippbx/api-documentation/
"""

EXAMPLES = r"""
# Connection options (host, username, password, ...) are left out: set them once for the play with
# module_defaults for group/openvox.ucpbx.ucpbx, or in UCPBX_* environment variables.

- name: Support queue settings
  openvox.ucpbx.uc_queue:
    config:
      - number: "6701"
        name: support
        ring_strategy: least_recent
        static_agents: ["201", "202"]
        agent_timeout: 20
        max_wait_time: 600
"""

RETURN = r"""
changed:
  description: Whether the PBX was changed (or, in check mode, would be).
  returned: always
  type: bool
before:
  description:
    - The queues this task changes (or, in check mode, would change) as they were on the PBX, secrets
      masked.
    - Queues the task leaves alone are not listed; see RV(existing) and O(state=gathered).
  returned: when O(state) is V(merged) or V(replaced)
  type: list
  elements: dict
  sample:
    - number: '6701'
      name: support
      ring_strategy: least_recent
      static_agents:
      - '201'
      - '202'
      agent_timeout: 20
      max_wait_time: 600
after:
  description:
    - The same queues after the change, secrets masked; deleted ones are not listed.
    - Computed from what was read and what was sent, not read again.
  returned: when O(state) is V(merged) or V(replaced)
  type: list
  elements: dict
  sample:
    - number: '6701'
      name: support
      ring_strategy: least_recent
      static_agents:
      - '201'
      - '202'
      agent_timeout: 20
      max_wait_time: 600
existing:
  description: The numbers of every queue on the PBX before the task, in order.
  returned: when O(state) is V(merged) or V(replaced)
  type: list
  elements: str
  sample:
    - '6701'
commands:
  description:
    - The API requests sent, or in check mode the ones that would be sent, in order, secrets masked.
    - On failure, the requests that had already been applied.
  returned: when O(state) is V(merged) or V(replaced)
  type: list
  elements: dict
  sample:
    - endpoint: queue/update
      body:
        queueid: '6701'
        queuename: support
        ringstrategy: Least Recent
        agents: 201,202
        agenttimeout: '20'
        maxwaittime: '600'
gathered:
  description: The queues on the PBX in the format of O(config), without secrets or default values.
  returned: when O(state=gathered)
  type: list
  elements: dict
  sample:
    - number: '6701'
      name: support
      ring_strategy: least_recent
      static_agents:
      - '201'
      - '202'
      agent_timeout: 20
      max_wait_time: 600
rendered:
  description: The bodies of the update requests O(config) translates to, secrets masked.
  returned: when O(state=rendered)
  type: list
  elements: dict
  sample:
    - queueid: '6701'
      queuename: support
      ringstrategy: Least Recent
      agents: 201,202
      agenttimeout: '20'
      maxwaittime: '600'
"""

from ansible_collections.openvox.ucpbx.plugins.module_utils.resource_module import run
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.queue import QUEUE


def main():
    run(QUEUE)


if __name__ == "__main__":
    main()
