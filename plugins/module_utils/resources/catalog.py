# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every resource by the name used in gather_subset, uc_config and the pbx_config role, with its
module, in dependency order. Everything that lists the kinds follows from this list or is checked
against it (tests/unit/test_catalog.py): the role's schema and kinds, uc_pbx_info's subsets, the
action group and the modules themselves."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections import OrderedDict

from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.conference import CONFERENCE
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.extension import EXTENSION
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.inbound_route import INBOUND_ROUTE
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.ivr import IVR
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.outbound_route import OUTBOUND_ROUTE
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.paging_group import PAGING_GROUP
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.queue import QUEUE
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.trunk import TRUNK

# Objects are created in this order and deleted in the reverse one, so no reference dangles.
# (kind, resource, the module that manages it)
CATALOG = (
    ("trunks", TRUNK, "uc_trunk"),
    ("extensions", EXTENSION, "uc_extension"),
    ("queues", QUEUE, "uc_queue"),
    ("paging_groups", PAGING_GROUP, "uc_paging_group"),
    ("ivrs", IVR, "uc_ivr"),
    ("conferences", CONFERENCE, "uc_conference"),
    ("inbound_routes", INBOUND_ROUTE, "uc_inbound_route"),
    ("outbound_routes", OUTBOUND_ROUTE, "uc_outbound_route"),
)
RESOURCES = OrderedDict((kind, resource) for kind, resource, _module in CATALOG)
MODULES = OrderedDict((kind, module) for kind, _resource, module in CATALOG)
