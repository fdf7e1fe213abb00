#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: uc_queue_agent
short_description: Log a queue agent in or out, or pause it, on an OpenVox UC Series PBX
version_added: 0.1.0
description:
  - Makes an agent of a call queue on an OpenVox UC300, UC500 or UC501 PBX logged in, paused or logged out, and
    sends only the requests needed to get there.
  - The module first reads the queue's status (C(queuestatus/query)). An extension listed there is logged in,
    or paused when its status is C(9). To log an agent out it also reads the queue's settings
    (C(queue/query)), since only dynamic agents can log out.
  - From logged out, V(logged_in) sends C(queue/add_dynamicagent) and V(paused) sends C(queue/add_dynamicagent)
    then C(queue/pause_agent). A logged-in agent is paused with C(queue/pause_agent). A paused agent is resumed
    with C(queue/unpause_agent). Any agent is logged out with C(queue/del_dynamicagent) alone, because
    the PBX resumes a paused agent when it logs out.
  - Static agents (the queue's O(openvox.ucpbx.uc_queue#module:config[].static_agents)) are always logged in.
    They can be paused and resumed, but asking for V(logged_out) fails. Remove them from the queue with
    M(openvox.ucpbx.uc_queue) instead.
author:
  - openvox.ucpbx maintainers (@openvox-ucpbx)
extends_documentation_fragment:
  - openvox.ucpbx.connection
options:
  queue:
    description:
      - Number of the queue.
    type: str
    required: true
  extension:
    description:
      - The agent's extension.
    type: str
    required: true
  state:
    description:
      - V(logged_in) means the agent takes queue calls. V(paused) means the agent is logged in but gets no queue
        calls. V(logged_out) means the agent is not in the queue.
    type: str
    required: true
    choices: [logged_in, logged_out, paused]
  queue_password:
    description:
      - The queue's password for dynamic agents (set in the queue's settings).
      - Named C(queue_password) because O(password) is the API password of the connection options.
      - The PBX requires it to log an agent out. The module fails before sending anything when a logout is
        needed and the password is missing, unless the queue has no password.
      - When logging in, the password is optional. If you give it, the PBX checks it. A wrong password fails
        the task with errno 10032. In check mode the module compares it with the queue's settings and fails the
        same way, without sending anything.
    type: str
attributes:
  check_mode:
    support: full
    description: Reads the queue and returns the requests that would be sent, without sending them.
  diff_mode:
    support: none
    description: The result's RV(before) and RV(after) give the agent's state.
seealso:
  - module: openvox.ucpbx.uc_queue_info
  - module: openvox.ucpbx.uc_queue
"""

EXAMPLES = r"""
# Connection options (host, username, password, ...) are left out: set them once for the play with
# module_defaults for group/openvox.ucpbx.ucpbx, or in UCPBX_* environment variables.

- name: Extension 205 takes support calls
  openvox.ucpbx.uc_queue_agent:
    queue: "6701"
    extension: "205"
    state: logged_in

- name: Lunch break
  openvox.ucpbx.uc_queue_agent:
    queue: "6701"
    extension: "205"
    state: paused

- name: End of shift
  openvox.ucpbx.uc_queue_agent:
    queue: "6701"
    extension: "205"
    state: logged_out

- name: Log in to a queue that has a password
  openvox.ucpbx.uc_queue_agent:
    queue: "6700"
    extension: "206"
    state: logged_in
    queue_password: "{{ vault_queue_6700_password }}"
"""

RETURN = r"""
before:
  description: The agent's state before the task, V(logged_in), V(paused) or V(logged_out).
  returned: always
  type: str
  sample: logged_out
after:
  description: The agent's state after the task, or in check mode the state the task would leave.
  returned: always
  type: str
  sample: paused
static:
  description: Whether the extension is a static agent of the queue. Null when the module did not need to read the queue's settings.
  returned: always
  type: bool
  sample: false
agent_status:
  description:
    - The agent's status before the task, in the words of RV(openvox.ucpbx.uc_queue_info#module:queues[].agents[].status).
    - Null when the agent was logged out.
  returned: always
  type: str
  sample: idle
commands:
  description: The requests sent, or in check mode the requests that would be sent. Passwords are masked.
  returned: always
  type: list
  elements: dict
  sample:
    - {endpoint: queue/add_dynamicagent, body: {queueid: "6701", extid: "205", password: "********"}}
    - {endpoint: queue/pause_agent, body: {queueid: "6701", extid: "205"}}
"""

from ansible_collections.openvox.ucpbx.plugins.module_utils.direct_module import ActionFailed, run_action
from ansible_collections.openvox.ucpbx.plugins.module_utils.errors import NO_SUCH_EXTENSION, WRONG_PASSWORD, PbxApiError
from ansible_collections.openvox.ucpbx.plugins.module_utils.live import (
    PAUSED_CODE,
    mask_body,
    queue_settings,
    queue_status,
    split_csv,
)


def current_state(status, extension):
    for agent in status["agents"]:
        if agent["extension"] == extension:
            return ("paused" if agent["status_code"] == PAUSED_CODE else "logged_in"), agent["status"]
    return "logged_out", None


def plan(queue, extension, before, wanted, password):
    """The requests that take the agent from `before` to `wanted`, as (endpoint, body)."""
    key = {"queueid": queue, "extid": extension}
    steps = []
    if before == wanted:
        return steps
    if wanted == "logged_out":
        # del_dynamicagent needs the password; the PBX resumes a paused agent as it logs it out.
        steps.append(("queue/del_dynamicagent", dict(key, password=password)))
        return steps
    if before == "logged_out":
        login = dict(key)
        if password is not None:
            login["password"] = password
        steps.append(("queue/add_dynamicagent", login))
        before = "logged_in"
    if wanted == "paused" and before == "logged_in":
        steps.append(("queue/pause_agent", dict(key)))
    elif wanted == "logged_in" and before == "paused":
        steps.append(("queue/unpause_agent", dict(key)))
    return steps


def manage_agent(module, client):
    params = module.params
    queue, extension, wanted = params["queue"].strip(), params["extension"].strip(), params["state"]
    password = params["queue_password"]
    if not queue or not extension:
        raise ActionFailed("queue and extension must not be empty")
    before, status_word = current_state(queue_status(client, queue), extension)
    static = settings = None
    if wanted == "logged_out" and before != "logged_out":
        settings = dict(queue_settings(client, [queue])).get(queue)
        if settings is None:
            raise ActionFailed("queue %s does not exist on the PBX" % queue)
        static = extension in split_csv(settings.get("agents"))
        if static:
            raise ActionFailed(
                "extension %s is a static agent of queue %s: static agents are always logged in and cannot be "
                "logged out dynamically; remove it from the queue's static_agents with openvox.ucpbx.uc_queue"
                % (extension, queue), before=before, static=True)
        if password is None:
            # A queue without a password takes an empty one; otherwise the PBX requires it.
            if str(settings.get("password", "")) != "":
                raise ActionFailed("logging extension %s out of queue %s needs the queue's dynamic-agent password "
                                   "(option queue_password)" % (extension, queue), before=before)
            password = ""
    steps = plan(queue, extension, before, wanted, password)
    commands = [{"endpoint": endpoint, "body": mask_body(body)} for endpoint, body in steps]
    result = dict(changed=bool(steps), before=before, after=wanted, static=static, agent_status=status_word,
                  commands=commands)
    if module.check_mode:
        sent = [body["password"] for _endpoint, body in steps if "password" in body]
        if sent:
            # The PBX checks the password only when it gets it; the queue's settings hold it, so a check
            # run predicts the refusal instead of reporting a change the real run cannot make.
            if settings is None:
                settings = dict(queue_settings(client, [queue])).get(queue) or {}
            if str(settings.get("password", "")) != sent[0]:
                refused = dict(result)
                refused.update(changed=False, commands=[], after=before)
                raise ActionFailed("%s: the PBX would refuse the password of queue %s (errno 10032)"
                                   % (steps[0][0], queue), **refused)
        return result
    subject = "extension %s in queue %s" % (extension, queue)
    for index, (endpoint, body) in enumerate(steps):
        try:
            client.call(endpoint, body, subject=subject)
        except PbxApiError as exc:
            done = dict(result)
            done.update(changed=index > 0, commands=commands[:index], after=before if index == 0 else "logged_in")
            if exc.errno == WRONG_PASSWORD:
                raise ActionFailed("%s: the PBX refused the password of queue %s (errno 10032)"
                                   % (endpoint, queue), **done)
            if exc.errno == NO_SUCH_EXTENSION:
                raise ActionFailed("extension %s does not exist on the PBX" % extension, **done)
            raise ActionFailed(str(exc), **done)
    return result


def main():
    run_action(
        dict(
            queue=dict(type="str", required=True),
            extension=dict(type="str", required=True),
            state=dict(type="str", required=True, choices=["logged_in", "logged_out", "paused"]),
            queue_password=dict(type="str", no_log=True),
        ),
        manage_agent,
    )


if __name__ == "__main__":
    main()
