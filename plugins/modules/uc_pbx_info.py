#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: uc_pbx_info
short_description: Read the device information and configuration of an OpenVox UC Series PBX
version_added: 0.1.0
description:
  - Returns the model, serial number, versions and clock of an OpenVox UC300, UC500 or UC501 PBX.
  - With O(gather_subset), also returns its configuration, each kind of object in the C(config) format of its
    own module (for example RV(pbx.extensions) as O(openvox.ucpbx.uc_extension#module:config)), without secrets
    and without options that have their default value. Feeding a list back to its module with
    O(openvox.ucpbx.uc_extension#module:state=overridden) changes nothing.
  - Each kind of object costs one request (trunks two when non-SIP trunks are listed).
  - With O(gather_subset=status), also returns the live state of the PBX (trunk registrations, extension
    presence, queue agents and waiting callers) under RV(pbx.status). It is read-only information that no module
    takes as configuration.
author:
  - openvox.ucpbx maintainers (@openvox-ucpbx)
extends_documentation_fragment:
  - openvox.ucpbx.connection
options:
  gather_subset:
    description:
      - What to read besides the device information. V(all) reads every kind of configuration.
      - V(status) reads the live state instead of configuration (one request for the trunks, one for the
        extensions, and one per queue plus one for the list of queues, unless V(queues) is also read). V(all)
        does not include it.
    type: list
    elements: str
    default: []
    choices: [all, extensions, trunks, inbound_routes, outbound_routes, queues, paging_groups, ivrs, conferences,
              status]
attributes:
  check_mode:
    support: full
    description: Only reads.
  diff_mode:
    support: none
    description: Only reads, so there is nothing to show.
"""

EXAMPLES = r"""
# Connection options (host, username, password, ...) are left out: set them once for the play with
# module_defaults for group/openvox.ucpbx.ucpbx, or in UCPBX_* environment variables.

- name: Device information only
  openvox.ucpbx.uc_pbx_info:
  register: pbx_device

- name: Everything, in the format of each module's config
  openvox.ucpbx.uc_pbx_info:
    gather_subset: all
  register: pbx_everything

- name: Live state
  openvox.ucpbx.uc_pbx_info:
    gather_subset: status
  register: pbx_live

- name: Trunks that are not registered
  ansible.builtin.debug:
    msg: "{{ pbx_live.pbx.status.trunks | rejectattr('status', 'in', ['Registered', 'Idle'])
             | map(attribute='name') }}"

- name: Print the firmware version
  ansible.builtin.debug:
    msg: "{{ pbx_device.pbx.device.model }} runs firmware {{ pbx_device.pbx.device.firmware_version }}"
"""

RETURN = r"""
pbx:
  description: What was read.
  returned: always
  type: dict
  contains:
    device:
      description: Device information.
      type: dict
      returned: always
      contains:
        model:
          description: Model name.
          type: str
          returned: always
          sample: UC500
        serial_number:
          description: Serial number.
          type: str
          returned: always
        hardware_version:
          description: Hardware version.
          type: str
          returned: always
        firmware_version:
          description: Firmware version.
          type: str
          returned: always
          sample: 4.3.6
        system_time:
          description: The PBX clock, C(YYYY-MM-DD HH:MM:SS).
          type: str
          returned: always
        boot_time:
          description: When the PBX started, as the PBX writes it.
          type: str
          returned: always
        extensions_configured:
          description: Number of extensions configured.
          type: int
          returned: always
        extension_capacity:
          description: Number of extensions the PBX supports.
          type: int
          returned: always
    extensions:
      description: Extensions, in the format of O(openvox.ucpbx.uc_extension#module:config).
      type: list
      elements: dict
      returned: when in O(gather_subset)
    trunks:
      description: Trunks, in the format of O(openvox.ucpbx.uc_trunk#module:config), non-SIP trunks included.
      type: list
      elements: dict
      returned: when in O(gather_subset)
    inbound_routes:
      description: Inbound routes, in the format of O(openvox.ucpbx.uc_inbound_route#module:config).
      type: list
      elements: dict
      returned: when in O(gather_subset)
    outbound_routes:
      description: Outbound routes, in the format of O(openvox.ucpbx.uc_outbound_route#module:config).
      type: list
      elements: dict
      returned: when in O(gather_subset)
    queues:
      description: Queues, in the format of O(openvox.ucpbx.uc_queue#module:config).
      type: list
      elements: dict
      returned: when in O(gather_subset)
    paging_groups:
      description: Paging groups, in the format of O(openvox.ucpbx.uc_paging_group#module:config).
      type: list
      elements: dict
      returned: when in O(gather_subset)
    ivrs:
      description: IVRs, in the format of O(openvox.ucpbx.uc_ivr#module:config).
      type: list
      elements: dict
      returned: when in O(gather_subset)
    conferences:
      description: Conference rooms, in the format of O(openvox.ucpbx.uc_conference#module:config).
      type: list
      elements: dict
      returned: when in O(gather_subset)
    status:
      description: The live state of the PBX, as the PBX shows it at the time of the task.
      type: dict
      returned: when O(gather_subset) has V(status)
      contains:
        trunks:
          description: Every trunk (SIP, IAX and analog or digital ones), in the PBX's order.
          type: list
          elements: dict
          returned: always
          contains:
            name:
              description: The trunk name.
              type: str
              returned: always
              sample: sip-trunk-1
            type:
              description: The trunk type as the PBX names it, C(SIP), C(IAX), C(FXO) (some firmware also C(GSM),
                C(BRI), C(E1)).
              type: str
              returned: always
              sample: SIP
            status:
              description:
                - The registration or line status as the PBX words it. SIP and IAX trunks C(Registering),
                  C(Registered), C(Failure) (some firmware C(failure)), C(Disable) or C(Unknown); analog trunks
                  C(Idle), C(Busy) or C(Fault).
              type: str
              returned: always
              sample: Registered
            port:
              description: The physical port of an analog or digital trunk.
              type: str
              returned: when the PBX reports one
              sample: "1"
        extensions:
          description: Every extension, in the PBX's order.
          type: list
          elements: dict
          returned: always
          contains:
            number:
              description: The extension number.
              type: str
              returned: always
              sample: "201"
            type:
              description: The extension type as the PBX names it (for example C(pjsip), or C(FXS) for an analog one).
              type: str
              returned: always
              sample: pjsip
            status:
              description:
                - The presence as the PBX words it, C(Unavailable) (not registered), C(Registered), C(Idle),
                  C(Ringing), C(Busy), C(Hold), C(Malfunction) or C(Fxsnoport).
              type: str
              returned: always
              sample: Idle
            agent_id:
              description: The agent id the PBX reports for the extension; null when it reports none.
              type: str
              returned: always
              sample: "7"
            port:
              description: The physical port of an analog extension.
              type: str
              returned: when the PBX reports one
        queues:
          description: Every queue, in the shape of an element of RV(openvox.ucpbx.uc_queue_info#module:queues).
          type: list
          elements: dict
          returned: always
          contains:
            number:
              description: The queue number.
              type: str
              returned: always
              sample: "6701"
            callers_waiting:
              description: Callers waiting in the queue for an agent.
              type: int
              returned: always
              sample: 2
            agents:
              description:
                - The queue's agents (static, then logged-in dynamic ones) with their status, as in
                  RV(openvox.ucpbx.uc_queue_info#module:queues[].agents).
              type: list
              elements: dict
              returned: always
              sample: [{"extension": "201", "status_code": 1, "status": "idle"}]
secret_options:
  description:
    - For each kind of object in O(gather_subset), the options that hold secrets. They are never returned;
      an export can write placeholders for them.
  returned: always
  type: dict
  sample: {"extensions": ["register_password", "login_password", "voicemail_pin"]}
"""

from ansible_collections.openvox.ucpbx.plugins.module_utils import engine
from ansible_collections.openvox.ucpbx.plugins.module_utils.direct_module import run_action
from ansible_collections.openvox.ucpbx.plugins.module_utils.errors import PbxAnswerError, answer_object
from ansible_collections.openvox.ucpbx.plugins.module_utils.live import queue_settings, queue_status
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.catalog import RESOURCES

STATUS = "status"

DEVICE_FIELDS = [
    ("model", "devicename"),
    ("serial_number", "sn"),
    ("hardware_version", "hardwarever"),
    ("firmware_version", "firmwarever"),
    ("system_time", "systemtime"),
    ("boot_time", "uptime"),
]


def device_info(client):
    raw = answer_object(client.call("deviceinfo/query", {}, subject="device information"), "deviceinfo/query",
                        "deviceinfo", "device information")
    device = dict((name, str(raw.get(api, ""))) for name, api in DEVICE_FIELDS)
    configured, _slash, capacity = str(raw.get("extensionstatus", "")).partition("/")
    device["extensions_configured"] = int(configured) if configured.strip().isdigit() else None
    device["extension_capacity"] = int(capacity) if capacity.strip().isdigit() else None
    return device


def gathered(client, resource):
    records = engine.read_all(client, resource)
    records.update(engine.split_read_only(client, resource, [], records, list_all=True)[1])
    return [resource.gathered_view(record) for record in engine.as_list(resource, records)]


def _listed(answer, endpoint, *keys):
    """The first of `keys` whose value is a list (the trunk list answers under either of two keys)."""
    for key in keys:
        value = answer.get(key)
        if isinstance(value, list):
            return [item for item in value if isinstance(item, dict)]
        if isinstance(value, dict):
            return [value]
        if value is not None:
            raise PbxAnswerError(endpoint, "'%s' is not a list of records" % key)
    return []


def _text(value):
    return "" if value is None else str(value)


def trunk_status(client):
    answer = client.call("trunklist/query", {}, subject="trunk status")
    trunks = []
    for item in _listed(answer, "trunklist/query", "trunklist", "trunkname"):
        trunk = dict(name=_text(item.get("trunkname")), type=_text(item.get("type")), status=_text(item.get("status")))
        if _text(item.get("port")):
            trunk["port"] = _text(item["port"])
        trunks.append(trunk)
    return trunks


def extension_status(client):
    answer = client.call("extensionlist/query", {}, subject="extension status")
    extensions = []
    for item in _listed(answer, "extensionlist/query", "extlist"):
        extension = dict(number=_text(item.get("extnumber")), type=_text(item.get("type")),
                         status=_text(item.get("status")), agent_id=_text(item.get("agentid")) or None)
        if _text(item.get("port")):
            extension["port"] = _text(item["port"])
        extensions.append(extension)
    return extensions


def live_status(client, queue_numbers=None):
    if queue_numbers is None:
        queue_numbers = [number for number, _settings in queue_settings(client)]
    return dict(trunks=trunk_status(client), extensions=extension_status(client),
                queues=[queue_status(client, number) for number in queue_numbers])


def read_pbx(module, client):
    subset = module.params["gather_subset"]
    wanted = list(RESOURCES) if "all" in subset else [name for name in RESOURCES if name in subset]
    pbx = dict(device=device_info(client))
    for name in wanted:
        pbx[name] = gathered(client, RESOURCES[name])
    if STATUS in subset:
        # The queues just read give the list of queues; otherwise it is one more request.
        known_queues = [queue["number"] for queue in pbx["queues"]] if "queues" in pbx else None
        pbx[STATUS] = live_status(client, known_queues)
    return dict(changed=False, pbx=pbx, secret_options=dict((name, RESOURCES[name].secret_fields) for name in wanted))


def main():
    run_action(dict(gather_subset=dict(type="list", elements="str", default=[],
                                       choices=["all"] + list(RESOURCES) + [STATUS])),
               read_pbx)


if __name__ == "__main__":
    main()
