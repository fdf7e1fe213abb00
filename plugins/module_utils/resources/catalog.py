# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every resource by the name used in gather_subset and in the pbx_config role, in dependency order."""

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
RESOURCES = OrderedDict([
    ("trunks", TRUNK),
    ("extensions", EXTENSION),
    ("queues", QUEUE),
    ("paging_groups", PAGING_GROUP),
    ("ivrs", IVR),
    ("conferences", CONFERENCE),
    ("inbound_routes", INBOUND_ROUTE),
    ("outbound_routes", OUTBOUND_ROUTE),
])
