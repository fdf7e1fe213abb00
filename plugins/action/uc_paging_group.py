# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_paging_group in the controller's process on a local connection (see plugins/plugin_utils/controller.py)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.paging_group import PAGING_GROUP
from ansible_collections.openvox.ucpbx.plugins.plugin_utils.controller import ResourceAction


class ActionModule(ResourceAction):
    RESOURCE = PAGING_GROUP
    MODULE = "openvox.ucpbx.uc_paging_group"
