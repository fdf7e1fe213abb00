#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: uc_trunk
short_description: Manage SIP trunks of an OpenVox UC Series PBX
version_added: 0.1.0
description:
  - Makes the SIP trunks of an OpenVox UC300, UC500 or UC501 PBX match a list, through the PBX HTTP API.
  - Reads every SIP trunk in one request, compares, and sends only the add, update and delete requests
    needed.
  - "The PBX replaces the whole trunk on update, so an update always carries the complete record: the
    options given merged into what the PBX reported. The PBX addresses updates by an id it assigns; the
    module looks it up, users only name trunks."
  - Non-SIP trunks (FXO, IAX, BRI, GSM, E1) cannot be configured through the API. O(state=gathered)
    lists them with their O(config[].trunk_type) so that its output can be fed back; naming one with a
    SIP type is an error.
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
      - The trunks. Each is identified by O(config[].name).
      - Required with O(state=merged), O(state=replaced), O(state=overridden) and O(state=rendered).
    type: list
    elements: dict
    suboptions:
      name:
        description:
          - 'Trunk name. Identifies the trunk; outbound routes refer to trunks by name. Without commas
            or leading or trailing blanks, and not C(all): the API passes names in comma lists, beside
            the word C(all).'
          - PBX field C(trunkname).
        type: str
        required: true
      trunk_type:
        description:
          - V(register) registers to a provider, V(peer) is an IP peer without registration, V(account)
            lets a device register to the PBX. The other values stand for non-SIP trunks, which the API
            lists but cannot configure; they appear in RV(gathered) so that it can be fed back.
          - PBX field C(trunktype); option values map to V(register)=C(register), V(peer)=C(peer), V(account)=C(account),
            V(fxo)=C(FXO), V(iax)=C(IAX), V(bri)=C(BRI), V(gsm)=C(GSM), V(e1)=C(E1).
          - Left as it is by O(state=replaced) and O(state=overridden) when not given.
        type: str
        choices: [account, bri, e1, fxo, gsm, iax, peer, register]
      host:
        description:
          - Provider or peer address (V(register), V(peer)).
          - PBX field C(host).
          - Only for objects whose O(config[].trunk_type) is V(register), V(peer); refused on the others
            and never sent for them.
          - Left as it is by O(state=replaced) and O(state=overridden) when not given.
        type: str
      port:
        description:
          - SIP port of the provider or peer (V(register), V(peer)).
          - PBX field C(port).
          - Only for objects whose O(config[].trunk_type) is V(register), V(peer); refused on the others
            and never sent for them.
          - Left as it is by O(state=replaced) and O(state=overridden) when not given.
        type: int
      domain:
        description:
          - SIP domain (V(register), V(peer)). A trunk created without it gets O(config[].host) as its
            domain, which later host changes do not update; set it when the two differ.
          - PBX field C(domain).
          - Only for objects whose O(config[].trunk_type) is V(register), V(peer); refused on the others
            and never sent for them.
          - Left as it is by O(state=replaced) and O(state=overridden) when not given.
        type: str
      username:
        description:
          - User name (V(register), V(account)).
          - PBX field C(username).
          - Only for objects whose O(config[].trunk_type) is V(register), V(account); refused on the others
            and never sent for them.
          - Left as it is by O(state=replaced) and O(state=overridden) when not given.
        type: str
      auth_name:
        description:
          - Authentication name (V(register), V(account)).
          - PBX field C(authname).
          - Only for objects whose O(config[].trunk_type) is V(register), V(account); refused on the others
            and never sent for them.
          - Left as it is by O(state=replaced) and O(state=overridden) when not given.
        type: str
      from_user:
        description:
          - User part of the From header, when the provider needs one (V(register)).
          - PBX field C(fromuser).
          - Only for objects whose O(config[].trunk_type) is V(register); refused on the others and never
            sent for them.
          - Left as it is by O(state=replaced) and O(state=overridden) when not given.
        type: str
      password:
        description:
          - Password (V(register), V(account)).
          - PBX field C(password).
          - Only for objects whose O(config[].trunk_type) is V(register), V(account); refused on the others
            and never sent for them.
          - A secret, never shown in results, diffs or logs; compared according to O(update_password).
            Left as it is by O(state=replaced) and O(state=overridden) when not given.
        type: str
      rename_from:
        description:
          - The O(config[].name) the trunk has on the PBX before this run, to rename it in place. Ignored
            once the trunk has the new O(config[].name), so a second run changes nothing. When neither
            exists, the task fails before any write, in check mode too.
          - The PBX renames through its update call, so the trunk keeps its settings (no delete and re-create);
            a rename shows in RV(commands) and the diff. Not used with O(state=deleted).
        type: str
notes:
  - "Each O(config[].trunk_type) needs its own options when a trunk is created or changed to it:
    V(register) needs O(config[].host), O(config[].port), O(config[].username), O(config[].auth_name)
    and O(config[].password); V(peer) needs O(config[].host) and O(config[].port); V(account) needs
    O(config[].username), O(config[].auth_name) and O(config[].password)."
  - A trunk still used by an outbound route cannot be deleted; remove it from the routes first (role
    P(openvox.ucpbx.pbx_config#role) orders this for you). When a task would delete such a trunk, the
    outbound routes are read and the task fails before any write, in check mode too, naming the routes; in
    check mode the failed result still lists in RV(commands) the delete a real run would try (the
    P(openvox.ucpbx.pbx_config#role) role uses it when it deletes those routes first).
seealso:
  - name: OpenVox UC Series API documentation
    description: The PBX HTTP API this module uses.
    link: https://help.openvox.cn/docs/uc-series-ippbx/api-documentation/
"""

EXAMPLES = r"""
# Connection options (host, username, password, ...) are left out: set them once for the play with
# module_defaults for group/openvox.ucpbx.ucpbx, or in UCPBX_* environment variables.

- name: A provider trunk and a peer
  openvox.ucpbx.uc_trunk:
    config:
      - name: itsp1
        trunk_type: register
        host: sip.example.net
        port: 5060
        username: "6100"
        auth_name: "6100"
        password: "{{ vault_itsp1_password }}"
      - name: branch-office
        trunk_type: peer
        host: 10.20.0.5
        port: 5060

# pbx_trunks: the list of every SIP trunk the PBX should have, from the host's variables.
- name: Only these trunks may exist (non-SIP trunks are never touched)
  openvox.ucpbx.uc_trunk:
    state: overridden
    config: "{{ pbx_trunks }}"
"""

RETURN = r"""
changed:
  description: Whether the PBX was changed (or, in check mode, would be).
  returned: always
  type: bool
before:
  description:
    - The trunks this task changes (or, in check mode, would change) as they were on the PBX, secrets
      masked.
    - Trunks the task leaves alone are not listed; see RV(existing) and O(state=gathered).
  returned: when O(state) is V(merged), V(replaced), V(overridden) or V(deleted)
  type: list
  elements: dict
  sample:
    - name: itsp1
      trunk_type: register
      host: sip.example.net
      port: 5060
      username: '6100'
      auth_name: '6100'
      password: '********'
after:
  description:
    - The same trunks after the change, secrets masked; deleted ones are not listed.
    - Computed from what was read and what was sent, not read again. For a trunk created with O(state=merged),
      only the options that were given are known.
  returned: when O(state) is V(merged), V(replaced), V(overridden) or V(deleted)
  type: list
  elements: dict
  sample:
    - name: itsp1
      trunk_type: register
      host: sip.example.net
      port: 5060
      username: '6100'
      auth_name: '6100'
      password: '********'
existing:
  description: The names of every trunk on the PBX before the task, in order.
  returned: when O(state) is V(merged), V(replaced), V(overridden) or V(deleted)
  type: list
  elements: str
  sample:
    - itsp1
commands:
  description:
    - The API requests sent, or in check mode the ones that would be sent, in order, secrets masked.
    - On failure, the requests that had already been applied.
  returned: when O(state) is V(merged), V(replaced), V(overridden) or V(deleted)
  type: list
  elements: dict
  sample:
    - endpoint: siptrunk/add
      body:
        trunkname: itsp1
        trunktype: register
        host: sip.example.net
        port: '5060'
        username: '6100'
        authname: '6100'
        password: '********'
gathered:
  description: The trunks on the PBX in the format of O(config), without secrets or default values.
  returned: when O(state=gathered)
  type: list
  elements: dict
  sample:
    - name: itsp1
      trunk_type: register
      host: sip.example.net
      port: 5060
      username: '6100'
      auth_name: '6100'
rendered:
  description: The bodies of the add requests O(config) translates to, secrets masked.
  returned: when O(state=rendered)
  type: list
  elements: dict
  sample:
    - trunkname: itsp1
      trunktype: register
      host: sip.example.net
      port: '5060'
      username: '6100'
      authname: '6100'
      password: '********'
"""

from ansible_collections.openvox.ucpbx.plugins.module_utils.resource_module import run
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.trunk import TRUNK


def main():
    run(TRUNK)


if __name__ == "__main__":
    main()
