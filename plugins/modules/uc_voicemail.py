#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: uc_voicemail
short_description: List and delete voicemail messages on an OpenVox UC Series PBX
version_added: 0.1.0
description:
  - Lists the voicemail messages of the extensions of an OpenVox UC300, UC500 or UC501 PBX, or deletes messages
    of one extension, through its HTTP API.
  - Deleting is idempotent. The module first reads the extension's messages and asks the PBX to delete only
    messages that are there, so a second run changes nothing.
  - Use M(openvox.ucpbx.uc_file) to download a message.
author:
  - openvox.ucpbx maintainers (@openvox-ucpbx)
extends_documentation_fragment:
  - openvox.ucpbx.connection
options:
  action:
    description:
      - V(list) returns the messages of O(extensions) in RV(voicemails).
      - V(delete) deletes O(files) of O(extension).
    type: str
    default: list
    choices: [list, delete]
  extensions:
    description:
      - With O(action=list), the extensions whose messages are listed. By default every extension's.
      - An extension that does not exist on the PBX makes the task fail.
    type: list
    elements: str
  extension:
    description:
      - With O(action=delete), the mailbox (extension number) to delete messages from.
    type: str
  files:
    description:
      - With O(action=delete), the file names of the messages to delete (as in RV(voicemails[].file), for example
        C(msg0000.wav)), or the single item V(all) for every message of O(status).
      - Files that are not in the mailbox (already deleted) are skipped.
    type: list
    elements: str
  status:
    description:
      - With O(action=delete), only delete messages in this state. V(read) and V(unread) are the PBX's folders.
      - When the PBX does not report a message's state, the message is deleted if the PBX agrees it is in this
        state.
    type: str
    default: all
    choices: [read, unread, all]
attributes:
  check_mode:
    support: full
    description: Reads the mailbox and reports the messages that would be deleted, without deleting any.
  diff_mode:
    support: none
    description: Voicemail messages are not configuration; RV(deleted) lists what is, or would be, deleted.
notes:
  - The PBX numbers messages per mailbox (C(msg0000.wav), C(msg0001.wav) and so on) and reuses the lowest free
    number for a new message, so a file name may later name another message.
"""

EXAMPLES = r"""
# Connection options (host, username, password, ...) are left out: set them once for the play with
# module_defaults for group/openvox.ucpbx.ucpbx, or in UCPBX_* environment variables.

- name: List the messages of two extensions
  openvox.ucpbx.uc_voicemail:
    extensions: ["201", "202"]
  register: mailbox

- name: Delete the messages of extension 201 that have been listened to
  openvox.ucpbx.uc_voicemail:
    action: delete
    extension: "201"
    files: all
    status: read

- name: Delete two messages
  openvox.ucpbx.uc_voicemail:
    action: delete
    extension: "202"
    files: [msg0000.wav, msg0001.wav]
"""

RETURN = r"""
voicemails:
  description:
    - With O(action=list), the messages, by extension as the PBX lists them.
    - With O(action=delete), the messages of O(extension) before the deletion.
  returned: always
  type: list
  elements: dict
  contains:
    extension:
      description: The mailbox.
      type: str
      sample: "201"
    file:
      description: The message's file name.
      type: str
      sample: msg0000.wav
    from:
      description: The caller's number.
      type: str
      sample: "0755123456"
    date:
      description: When the message was left, C(YYYY-MM-DD HH:MM:SS).
      type: str
      sample: "2024-03-01 09:15:02"
    duration:
      description: Length of the message in seconds.
      type: int
      sample: 12
    status:
      description: V(read) or V(unread); left out when the PBX does not report it.
      type: str
      returned: when the PBX reports it
      sample: unread
deleted:
  description: The file names deleted, or in check mode the ones that would be.
  returned: with O(action=delete)
  type: list
  elements: str
  sample: [msg0000.wav]
commands:
  description: The delete requests sent, or in check mode the ones that would be sent.
  returned: with O(action=delete)
  type: list
  elements: dict
  sample: [{"endpoint": "voicemail/delete", "body": {"extid": "201", "voicemailfile": "msg0000.wav", "voicemailstatus": "all"}}]
msg:
  description: What was done.
  returned: always
  type: str
  sample: deleted 1 message of extension 201
"""

from ansible_collections.openvox.ucpbx.plugins.module_utils.direct_module import ActionFailed, run_action
from ansible_collections.openvox.ucpbx.plugins.module_utils.errors import PbxApiError
from ansible_collections.openvox.ucpbx.plugins.module_utils.voicemail_alarms_downloads import list_voicemails

VOICEMAIL_MISSING = "20018"


def list_messages(module, client):
    messages = list_voicemails(client, module.params["extensions"])
    return dict(changed=False, voicemails=messages, msg="%d message(s)" % len(messages))


def delete_messages(module, client):
    number, files, status = module.params["extension"], module.params["files"], module.params["status"]
    if not files or any(not name.strip() for name in files):
        raise ActionFailed("files must list file names, or be all")
    if "all" in files and len(files) > 1:
        raise ActionFailed("files: all cannot be combined with file names")
    messages = list_voicemails(client, [number])
    # A message whose state the PBX does not report may be in either folder.
    selected = [message for message in messages if status == "all" or message.get("status", status) == status]
    present = [message["file"] for message in selected]
    if files == ["all"]:
        targets = present
        bodies = [{"extid": number, "voicemailfile": "all", "voicemailstatus": status}] if targets else []
    else:
        targets = [name for name in dict.fromkeys(files) if name in present]
        bodies = [{"extid": number, "voicemailfile": name, "voicemailstatus": status} for name in targets]
    result = dict(voicemails=messages, commands=[{"endpoint": "voicemail/delete", "body": body} for body in bodies])
    what = "%s message(s) of extension %s" % (len(targets), number)
    if not bodies:
        result.update(changed=False, deleted=[], msg="no %smessage to delete in extension %s"
                      % ("" if status == "all" else status + " ", number))
        return result
    if module.check_mode:
        result.update(changed=True, deleted=targets, msg="would delete %s (check mode)" % what)
        return result
    deleted = list(targets) if files == ["all"] else []
    for body in bodies:
        try:
            client.call("voicemail/delete", body, subject="voicemail %s of extension %s" % (body["voicemailfile"], number))
        except PbxApiError as exc:
            # Gone meanwhile, or not in the asked-for folder: nothing to delete.
            if exc.errno == VOICEMAIL_MISSING and body["voicemailfile"] != "all":
                continue
            raise
        if body["voicemailfile"] != "all":
            deleted.append(body["voicemailfile"])
    result.update(changed=bool(deleted), deleted=deleted, msg="deleted %d message(s) of extension %s" % (len(deleted), number))
    return result


def main():
    argument_spec = dict(
        action=dict(type="str", default="list", choices=["list", "delete"]),
        extensions=dict(type="list", elements="str"),
        extension=dict(type="str"),
        files=dict(type="list", elements="str"),
        status=dict(type="str", default="all", choices=["read", "unread", "all"]),
    )
    run_action(
        argument_spec,
        lambda module, client: (delete_messages if module.params["action"] == "delete" else list_messages)(module, client),
        required_if=[("action", "delete", ("extension", "files"))],
    )


if __name__ == "__main__":
    main()
