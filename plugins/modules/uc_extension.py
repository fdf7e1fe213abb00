#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: uc_extension
short_description: Manage extensions of an OpenVox UC Series PBX
version_added: 0.1.0
description:
  - Makes the extensions of an OpenVox UC300, UC500 or UC501 PBX match a list, through the PBX HTTP API.
  - Reads every extension in one request, compares, and sends only the add, update and delete requests needed.
  - Option names are the collection's; each option documents the PBX field behind it. The PBX's own
    spellings (for example the C(moblie) and C(userpassword) keys of its query answer) are handled here.
author:
  - openvox.ucpbx maintainers (@openvox-ucpbx)
extends_documentation_fragment:
  - openvox.ucpbx.connection
  - openvox.ucpbx.connection.RESOURCE
  - openvox.ucpbx.connection.ATTRIBUTES
  - openvox.ucpbx.connection.SECRETS
  - openvox.ucpbx.connection.CONTROLLER
options:
  config:
    description:
      - The extensions. Each is identified by O(config[].number).
      - Required with O(state=merged), O(state=replaced), O(state=overridden) and O(state=rendered).
    type: list
    elements: dict
    suboptions:
      number:
        description:
          - Extension number (digits, at most 7). Identifies the extension.
          - PBX field C(number), reported as C(extnumber).
        type: str
        required: true
      name:
        description:
          - Display name of the extension's user.
          - PBX field C(username).
          - O(state=replaced) and O(state=overridden) clear it when it is not given.
        type: str
      caller_id:
        description:
          - Caller ID number presented for calls from the extension. The PBX uses the extension number
            when it is not set.
          - PBX field C(callerid).
          - Left as it is by O(state=replaced) and O(state=overridden) when not given.
        type: str
      register_password:
        description:
          - SIP registration secret. The PBX generates one when it is not set.
          - PBX field C(registerpassword).
          - A secret, never shown in results, diffs or logs; compared according to O(update_password).
            Left as it is by O(state=replaced) and O(state=overridden) when not given.
        type: str
      max_registrations:
        description:
          - How many devices may register to the extension at once.
          - PBX field C(maxregistrations).
          - O(state=replaced) and O(state=overridden) set V(1) when it is not given.
        type: int
      login_password:
        description:
          - Password of the user web portal (6 to 63 characters).
          - PBX field C(loginpassword), reported as C(userpassword).
          - A secret, never shown in results, diffs or logs; compared according to O(update_password).
            Left as it is by O(state=replaced) and O(state=overridden) when not given.
        type: str
      email:
        description:
          - 'E-mail address of the user (voicemail to e-mail), as the web interface takes it: C(name@domain.tld).
            The reference gives no format.'
          - PBX field C(email).
          - O(state=replaced) and O(state=overridden) clear it when it is not given.
        type: str
      mobile:
        description:
          - Mobile number of the user (digits).
          - PBX field C(mobile), reported as C(moblie).
          - O(state=replaced) and O(state=overridden) clear it when it is not given.
        type: str
      voicemail:
        description:
          - Whether the extension has a voicemail box.
          - The PBX stores it as C(on)/C(off) in C(hasvoicemail).
          - Left as it is by O(state=replaced) and O(state=overridden) when not given.
        type: bool
      voicemail_pin:
        description:
          - Voicemail access PIN (digits).
          - PBX field C(vmsecret).
          - A secret, never shown in results, diffs or logs; compared according to O(update_password).
            Left as it is by O(state=replaced) and O(state=overridden) when not given.
        type: str
      voicemail_to_email:
        description:
          - Send voicemail messages to O(config[].email).
          - The PBX stores it as C(on)/C(off) in C(enablevmtoemail).
          - O(state=replaced) and O(state=overridden) set V(false) when it is not given.
        type: bool
      no_answer_forward:
        description:
          - Forward calls when the extension does not answer.
          - The PBX stores it as C(on)/C(off) in C(noanswerforward).
          - O(state=replaced) and O(state=overridden) set V(false) when it is not given.
        type: bool
      no_answer_forward_to:
        description:
          - Where calls forwarded by O(config[].no_answer_forward) go.
          - PBX field C(ntransferto); option values map to V(voicemail)=C(Voicemail), V(extension)=C(Extension),
            V(mobile_number)=C(Mobile Number), V(custom_number)=C(Custom Number).
          - Left as it is by O(state=replaced) and O(state=overridden) when not given.
        type: str
        choices: [custom_number, extension, mobile_number, voicemail]
      no_answer_forward_extension:
        description:
          - Target extension when forwarding to C(extension).
          - PBX field C(ntransferext).
          - Left as it is by O(state=replaced) and O(state=overridden) when not given.
        type: str
      no_answer_forward_prefix:
        description:
          - Dial prefix for a mobile or custom number (digits, at most 7).
          - PBX field C(ntransferprefix).
          - Left as it is by O(state=replaced) and O(state=overridden) when not given.
        type: str
      no_answer_forward_number:
        description:
          - Number called when forwarding to C(custom_number) (digits, at most 15).
          - PBX field C(ntransfernum).
          - Left as it is by O(state=replaced) and O(state=overridden) when not given.
        type: str
      busy_forward:
        description:
          - Forward calls when the extension is busy.
          - The PBX stores it as C(on)/C(off) in C(busyforward).
          - O(state=replaced) and O(state=overridden) set V(false) when it is not given.
        type: bool
      busy_forward_to:
        description:
          - Where calls forwarded by O(config[].busy_forward) go.
          - PBX field C(btransferto); option values map to V(voicemail)=C(Voicemail), V(extension)=C(Extension),
            V(mobile_number)=C(Mobile Number), V(custom_number)=C(Custom Number).
          - Left as it is by O(state=replaced) and O(state=overridden) when not given.
        type: str
        choices: [custom_number, extension, mobile_number, voicemail]
      busy_forward_extension:
        description:
          - Target extension when forwarding to C(extension).
          - PBX field C(btransferext).
          - Left as it is by O(state=replaced) and O(state=overridden) when not given.
        type: str
      busy_forward_prefix:
        description:
          - Dial prefix for a mobile or custom number (digits, at most 7).
          - PBX field C(btransferprefix).
          - Left as it is by O(state=replaced) and O(state=overridden) when not given.
        type: str
      busy_forward_number:
        description:
          - Number called when forwarding to C(custom_number) (digits, at most 15).
          - PBX field C(btransfernum).
          - Left as it is by O(state=replaced) and O(state=overridden) when not given.
        type: str
      mobility:
        description:
          - Mobility extension, so calls can also reach O(config[].mobile).
          - The PBX stores it as C(on)/C(off) in C(enablemobile).
          - O(state=replaced) and O(state=overridden) set V(false) when it is not given.
        type: bool
      ring_simultaneously:
        description:
          - Ring the mobile number together with the extension.
          - The PBX stores it as C(on)/C(off) in C(ringsimultaneous).
          - O(state=replaced) and O(state=overridden) set V(false) when it is not given.
        type: bool
      mobile_prefix:
        description:
          - Outbound prefix used to reach the mobile number.
          - PBX field C(mobileprefix).
          - O(state=replaced) and O(state=overridden) clear it when it is not given.
        type: str
      allow_monitoring:
        description:
          - Whether other extensions may monitor this one's calls.
          - The PBX stores it as C(on)/C(off) in C(allowbeingmonitored).
          - O(state=replaced) and O(state=overridden) set V(false) when it is not given.
        type: bool
      monitor_mode:
        description:
          - How this extension may monitor others.
          - PBX field C(monitormode); option values map to V(disabled)=C(Disabled), V(extensive)=C(Extensive),
            V(listen)=C(Listen), V(whisper)=C(Whisper), V(barge_in)=C(Barge-in).
          - O(state=replaced) and O(state=overridden) set V(disabled) when it is not given.
        type: str
        choices: [barge_in, disabled, extensive, listen, whisper]
      ring_timeout:
        description:
          - Seconds the extension rings before no-answer handling.
          - PBX field C(ringtimeout).
          - Left as it is by O(state=replaced) and O(state=overridden) when not given.
        type: int
        choices: [15, 30, 60, 120, 300]
      max_call_duration:
        description:
          - Longest call allowed, either V(follow_system), V(unlimited), or a number of seconds.
          - PBX field C(maxduration); option values map to V(follow_system)=C(Follow System), V(unlimited)=C(Unlimited).
          - The API accepts V(follow_system), V(unlimited), V(60), V(300), V(600), V(900), V(1800), V(3600),
            V(6000); other values set in the web interface are read and compared as they are.
          - O(state=replaced) and O(state=overridden) set V(follow_system) when it is not given.
        type: str
      dnd:
        description:
          - Do not disturb. Users also switch it from their phones, so it is only written when a task
            sets it.
          - The PBX stores it as C(on)/C(off) in C(dnd).
          - 'Also changed while the PBX runs, so it is written only when given: O(state=replaced) and
            O(state=overridden) leave it as it is, and RV(gathered) leaves it out.'
        type: bool
      rename_from:
        description:
          - The O(config[].number) the extension has on the PBX before this run, to rename it in place.
            Ignored once the extension has the new O(config[].number), so a second run changes nothing.
            When neither exists, the task fails before any write, in check mode too.
          - The PBX renames through its update call, so the extension keeps its settings (no delete and
            re-create); a rename shows in RV(commands) and the diff. Not used with O(state=deleted).
        type: str
notes:
  - Secrets (O(config[].register_password), O(config[].login_password), O(config[].voicemail_pin)) are
    reported by the PBX in clear text; this module never returns them. RV(gathered) leaves them out, and a
    secret left out of O(config) is never changed.
  - RV(after) is computed from what was read and what was sent; the PBX is not read a second time.
  - When extensions are to be added, the PBX's capacity is read (C(deviceinfo/query)); a task that would add more
    extensions than the PBX holds fails before any write, in check mode too.
seealso:
  - name: OpenVox UC Series API documentation
    description: The PBX HTTP API this module uses.
    link: https://help.openvox.cn/docs/uc-series-ippbx/api-documentation/
"""

EXAMPLES = r"""
# Connection options (host, username, password, ...) are left out: set them once for the play with
# module_defaults for group/openvox.ucpbx.ucpbx, or in UCPBX_* environment variables.

- name: Add or change two extensions, leaving everything else alone
  openvox.ucpbx.uc_extension:
    config:
      - number: "2001"
        name: Alice
        voicemail: true
        voicemail_pin: "2580"
        register_password: "{{ vault_sip_2001 }}"
      - number: "2002"
        name: Bob
        dnd: true
        busy_forward: true
        busy_forward_to: custom_number
        busy_forward_number: "0755123456"
    update_password: on_create

- name: Make extension 2002 exactly this (other options back to their defaults)
  openvox.ucpbx.uc_extension:
    state: replaced
    config:
      - number: "2002"
        name: Bob
        monitor_mode: listen

- name: Delete two extensions
  openvox.ucpbx.uc_extension:
    state: deleted
    config:
      - number: "2001"
      - number: "2002"

# pbx_extensions: the list of every extension the PBX should have, from the host's variables.
- name: Keep only these extensions on the PBX
  openvox.ucpbx.uc_extension:
    state: overridden
    config: "{{ pbx_extensions }}"

- name: Read every extension in the format of config
  openvox.ucpbx.uc_extension:
    state: gathered
  register: pbx

- name: Show the requests a config means, without a PBX
  openvox.ucpbx.uc_extension:
    state: rendered
    config:
      - number: "3001"
        name: Lobby
"""

RETURN = r"""
changed:
  description: Whether the PBX was changed (or, in check mode, would be).
  returned: always
  type: bool
before:
  description:
    - The extensions this task changes (or, in check mode, would change) as they were on the PBX, secrets
      masked.
    - Extensions the task leaves alone are not listed; see RV(existing) and O(state=gathered).
  returned: when O(state) is V(merged), V(replaced), V(overridden) or V(deleted)
  type: list
  elements: dict
  sample:
    - number: '2001'
      name: Alice
      voicemail: true
      voicemail_pin: '********'
      register_password: '********'
after:
  description:
    - The same extensions after the change, secrets masked; deleted ones are not listed.
    - Computed from what was read and what was sent, not read again. For an extension created with O(state=merged),
      only the options that were given are known.
  returned: when O(state) is V(merged), V(replaced), V(overridden) or V(deleted)
  type: list
  elements: dict
  sample:
    - number: '2001'
      name: Alice
      voicemail: true
      voicemail_pin: '********'
      register_password: '********'
existing:
  description: The numbers of every extension on the PBX before the task, in order.
  returned: when O(state) is V(merged), V(replaced), V(overridden) or V(deleted)
  type: list
  elements: str
  sample:
    - '2001'
commands:
  description:
    - The API requests sent, or in check mode the ones that would be sent, in order, secrets masked.
    - On failure, the requests that had already been applied.
  returned: when O(state) is V(merged), V(replaced), V(overridden) or V(deleted)
  type: list
  elements: dict
  sample:
    - endpoint: extension/add
      body:
        number: '2001'
        username: Alice
        hasvoicemail: 'on'
        vmsecret: '********'
        registerpassword: '********'
gathered:
  description: The extensions on the PBX in the format of O(config), without secrets or default values.
  returned: when O(state=gathered)
  type: list
  elements: dict
  sample:
    - number: '2001'
      name: Alice
      voicemail: true
rendered:
  description: The bodies of the add requests O(config) translates to, secrets masked.
  returned: when O(state=rendered)
  type: list
  elements: dict
  sample:
    - number: '2001'
      username: Alice
      hasvoicemail: 'on'
      vmsecret: '********'
      registerpassword: '********'
"""

from ansible_collections.openvox.ucpbx.plugins.module_utils.resource_module import run
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.extension import EXTENSION


def main():
    run(EXTENSION)


if __name__ == "__main__":
    main()
