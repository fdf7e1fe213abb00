# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Paging and intercom groups: paginggroup/query|add|update|delete, keyed by number."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections import OrderedDict

from ansible_collections.openvox.ucpbx.plugins.module_utils.engine import (
    CHOICE,
    LIST,
    Endpoint,
    Field,
    Reference,
    Resource,
)
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.extension import EXTENSION_NUMBERS

PAGING_GROUP = Resource(
    name="paging group",
    key="number",
    # The API has no errno of its own for a missing group: it answers 10011 (number does not exist).
    query=Endpoint("paginggroup/query", key="number", all_value="all", list_keys=("paginggroup",),
                   not_found=("10011",)),
    add=Endpoint("paginggroup/add", key="number"),
    update=Endpoint("paginggroup/update", key="number"),
    delete=Endpoint("paginggroup/delete", key="number", batch=True, not_found=("10011",)),
    # The update call requires the group type even when it does not change.
    full_update=True,
    fields=OrderedDict([
        ("number", Field("number", "Group number, dialled to page the group. Identifies the group.",
                         pattern=r"^\d+$", hint="digits only")),
        ("name", Field("name", "Group name, not empty (the PBX refuses an empty one).",
                       written=(r"^.+$", "not empty"))),
        ("type", Field("type", "V(paging) is one-way (members hear the caller), V(intercom) two-way.", kind=CHOICE,
                       choices=OrderedDict([("paging", "paging"), ("intercom", "intercom")]))),
        ("members", Field("member", "Member extensions (a set: order is not compared).", kind=LIST)),
    ]),
    create_requires=("name", "type", "members"),
    references=[Reference("members", EXTENSION_NUMBERS)],
)
