#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: uc_prompt
short_description: Play prompts to an extension or an external number through an OpenVox UC Series PBX
version_added: 0.1.0
description:
  - Makes an OpenVox UC300, UC500 or UC501 PBX call an extension (C(extension/playprompt)) or an external number
    (C(outbound/playprompt)) and play one or more prompts once the call is answered.
  - The prompt names are checked before anything is sent. Each name must not be empty, must contain a letter
    and must not contain C(+), because the PBX joins names with C(+).
  - Playing is an action, not a state, so a task that plays always reports C(changed=true).
author:
  - openvox.ucpbx maintainers (@openvox-ucpbx)
extends_documentation_fragment:
  - openvox.ucpbx.connection
options:
  prompts:
    description:
      - Names of the prompts to play, in order, without file extension. Each must be a custom prompt or system
        recording on the PBX, otherwise the PBX refuses the request (errno 10023) and the task fails naming the
        prompts.
    type: list
    elements: str
    required: true
  extension:
    description:
      - The extension to call. Exactly one of O(extension) and O(number) is required.
      - The PBX refuses an extension that is not registered or not idle (errno 10008).
    type: str
  number:
    description:
      - The external number to call, through the outbound routes. An outbound route must match the number
        (errno 10024 otherwise).
    type: str
  auto_answer:
    description:
      - With O(extension), ask the phone to answer by itself (SIP phones that support it). Ignored with O(number).
    type: bool
    default: false
attributes:
  check_mode:
    support: full
    description:
      - Checks the prompt names and, for O(extension), that the extension exists (one C(extension/query)). It
        returns what would be played and the request that would be sent, without sending it. A warning says
        when the extension is not idle and registered, because the PBX would then refuse the call.
  diff_mode:
    support: none
    description: Playing a prompt is not configuration; there is nothing to compare.
seealso:
  - module: openvox.ucpbx.uc_call
"""

EXAMPLES = r"""
# Connection options (host, username, password, ...) are left out: set them once for the play with
# module_defaults for group/openvox.ucpbx.ucpbx, or in UCPBX_* environment variables.

- name: Greet extension 201 and read the menu, answering on the speaker
  openvox.ucpbx.uc_prompt:
    prompts: [greet, menu2]
    extension: "201"
    auto_answer: true

- name: Tell an external number the office is closed
  openvox.ucpbx.uc_prompt:
    prompts: [afterhours]
    number: "013800000000"
"""

RETURN = r"""
prompt:
  description: The prompt parameter sent, the names joined with C(+).
  returned: always
  type: str
  sample: greet+menu2
command:
  description: The request sent, or in check mode the request that would be sent.
  returned: success
  type: dict
  sample: {endpoint: extension/playprompt, body: {extid: "201", prompt: "greet+menu2", autoanswer: "yes"}}
msg:
  description: What was played, or would be played, and to whom.
  returned: always
  type: str
  sample: played greet+menu2 to extension 201
extension_status:
  description: In check mode with O(extension), the extension's status as the PBX shows it (for example C(Idle)).
  returned: check mode with O(extension)
  type: str
  sample: Idle
"""

from ansible_collections.openvox.ucpbx.plugins.module_utils.direct_module import ActionFailed, run_action
from ansible_collections.openvox.ucpbx.plugins.module_utils.calls import extension_states
from ansible_collections.openvox.ucpbx.plugins.module_utils.errors import NO_SUCH_EXTENSION, PROMPT_MISSING, PbxApiError
from ansible_collections.openvox.ucpbx.plugins.module_utils.live import prompt_problems

IDLE_STATUSES = ("Idle", "Registered")
REFUSALS = {
    "10008": "extension %(target)s is not idle or not registered, so the PBX cannot call it",
    "10024": "no outbound route lets the PBX call %(target)s",
}


def play(module, client):
    params = module.params
    names = list(params["prompts"])
    problems = prompt_problems(names)
    if not names:
        problems = ["prompts must name at least one prompt"]
    if problems:
        # Checked before the first request: the PBX would refuse the whole list with errno 10023.
        raise ActionFailed("invalid prompt names: %s" % "; ".join(problems), prompts=names)
    prompt = "+".join(names)
    if params["extension"] is not None:
        target = params["extension"].strip()
        what = "extension %s" % target
        endpoint = "extension/playprompt"
        body = {"extid": target, "prompt": prompt, "autoanswer": "yes" if params["auto_answer"] else "no"}
    else:
        target = params["number"].strip()
        what = target
        endpoint = "outbound/playprompt"
        body = {"outto": target, "prompt": prompt}
    if not target:
        raise ActionFailed("%s must not be empty" % ("extension" if params["extension"] is not None else "number"))
    result = dict(changed=True, prompt=prompt, command={"endpoint": endpoint, "body": body})
    if module.check_mode:
        if params["extension"] is not None:
            status = str(extension_states(client, [target])[target].get("status", ""))
            result["extension_status"] = status
            if status not in IDLE_STATUSES:
                module.warn("extension %s is %s; the PBX plays prompts only to a registered, idle extension"
                            % (target, status or "in an unknown state"))
        result["msg"] = "would play %s to %s (check mode)" % (prompt, what)
        return result
    try:
        client.call(endpoint, body, subject="prompt %s to %s" % (prompt, what))
    except PbxApiError as exc:
        if exc.errno == PROMPT_MISSING:
            raise ActionFailed("%s: the PBX has no prompt file for at least one of %s (prompt %s); each must be a "
                               "custom prompt or system recording on the PBX (errno 10023)"
                               % (endpoint, ", ".join(names), prompt), prompt=prompt)
        if exc.errno == NO_SUCH_EXTENSION and params["extension"] is not None:
            raise ActionFailed("extension %s does not exist on the PBX" % target, prompt=prompt)
        if exc.errno in REFUSALS:
            raise ActionFailed("%s: %s (errno %s)" % (endpoint, REFUSALS[exc.errno] % {"target": target}, exc.errno),
                               prompt=prompt)
        raise
    result["msg"] = "played %s to %s" % (prompt, what)
    return result


def main():
    run_action(
        dict(
            prompts=dict(type="list", elements="str", required=True),
            extension=dict(type="str"),
            number=dict(type="str"),
            auto_answer=dict(type="bool", default=False),
        ),
        play,
        mutually_exclusive=[("extension", "number")],
        required_one_of=[("extension", "number")],
    )


if __name__ == "__main__":
    main()
