#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: uc_queue_info
short_description: Show the live status of call queues on an OpenVox UC Series PBX
version_added: 0.1.0
description:
  - Reads how many callers wait in each call queue of an OpenVox UC300, UC500 or UC501 PBX, and the state of each
    of its agents (static agents and logged-in dynamic agents).
  - The PBX answers the status of one queue per request, so the module sends one request per queue, plus one to
    list the queues when O(queues) is not given.
  - Every queue comes back in one shape, whichever variant the firmware answers with (the OpenVox one, a single
    C(queue) object with a numeric C(callercount), or the Yeastar one, a C(queues) list with a C(queuestatus) list
    and the count as a string).
author:
  - openvox.ucpbx maintainers (@openvox-ucpbx)
extends_documentation_fragment:
  - openvox.ucpbx.connection
options:
  queues:
    description:
      - Numbers of the queues to show, in this order. A queue that does not exist fails the task.
      - By default every queue on the PBX, in the PBX's order (read with C(queue/query)).
    type: list
    elements: str
attributes:
  check_mode:
    support: full
    description: Only reads.
  diff_mode:
    support: none
    description: Only reads, so there is nothing to show.
seealso:
  - module: openvox.ucpbx.uc_queue_agent
  - module: openvox.ucpbx.uc_queue
"""

EXAMPLES = r"""
# Connection options (host, username, password, ...) are left out: set them once for the play with
# module_defaults for group/openvox.ucpbx.ucpbx, or in UCPBX_* environment variables.

- name: Status of every queue
  openvox.ucpbx.uc_queue_info:
  register: status

- name: Warn when callers wait in the support queue and nobody is free
  ansible.builtin.debug:
    msg: "{{ q.callers_waiting }} callers wait in queue 6701 and no agent is idle"
  vars:
    q: "{{ (status.queues | selectattr('number', 'eq', '6701') | first) }}"
  when:
    - q.callers_waiting > 0
    - q.agents | selectattr('status', 'eq', 'idle') | list | length == 0

- name: Only two queues
  openvox.ucpbx.uc_queue_info:
    queues: ["6700", "6701"]
"""

RETURN = r"""
queues:
  description: One entry per queue.
  returned: always
  type: list
  elements: dict
  contains:
    number:
      description: The queue number.
      type: str
      sample: "6701"
    callers_waiting:
      description: Callers waiting in the queue for an agent.
      type: int
      sample: 2
    agents:
      description: The queue's agents (static, then logged-in dynamic ones, as the PBX lists them).
      type: list
      elements: dict
      contains:
        extension:
          description: The agent's extension.
          type: str
          sample: "201"
        status_code:
          description: The PBX's C(agentstatus) code, 0 to 10; null if the PBX sent something that is not a number.
          type: int
          sample: 1
        status:
          description:
            - The code in words, V(unknown) (0 or anything undocumented), V(idle) (1), V(in_use) (2), V(busy) (3),
              V(invalid) (4), V(unavailable) (5, extension not registered), V(ringing) (6),
              V(in_use_ringing) (7), V(on_hold) (8), V(paused) (9) or V(wrap_up) (10).
          type: str
          sample: idle
  sample:
    - number: "6701"
      callers_waiting: 2
      agents:
        - {extension: "201", status_code: 1, status: idle}
        - {extension: "202", status_code: 9, status: paused}
"""

from ansible_collections.openvox.ucpbx.plugins.module_utils.direct_module import run_action
from ansible_collections.openvox.ucpbx.plugins.module_utils.live import queue_settings, queue_status


def read_queues(module, client):
    wanted = []
    for number in module.params["queues"] or []:
        number = str(number).strip()
        if number and number not in wanted:
            wanted.append(number)
    if module.params["queues"] is None:
        wanted = [number for number, _settings in queue_settings(client)]
    return dict(changed=False, queues=[queue_status(client, number) for number in wanted])


def main():
    run_action(dict(queues=dict(type="list", elements="str")), read_queues)


if __name__ == "__main__":
    main()
