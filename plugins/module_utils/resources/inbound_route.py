# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Inbound routes: inroute/query|add|update|delete, all keyed by name (the PBX reports no id)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections import OrderedDict

from ansible_collections.openvox.ucpbx.plugins.module_utils.engine import (
    CHOICE,
    LISTED_NAME,
    Endpoint,
    Field,
    Reference,
    Resource,
)
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.conference import CONFERENCE_NUMBERS
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.extension import EXTENSION_NUMBERS
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.ivr import IVR_NUMBERS
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.queue import QUEUE_NUMBERS

DESTINATION_TYPES = ["hangup", "extension", "voicemail", "ivr", "ringgroup", "queue", "conference", "disa", "callback"]

INBOUND_ROUTE = Resource(
    name="inbound route",
    key="name",
    query=Endpoint("inroute/query", key="name", all_value="all", list_keys=("inroutes",), not_found=("10072",)),
    add=Endpoint("inroute/add", key="name"),
    update=Endpoint("inroute/update", key="name"),
    delete=Endpoint("inroute/delete", key="name", batch=True, not_found=("10072",)),
    # The update call requires the destination even when it does not change.
    full_update=True,
    fields=OrderedDict([
        ("name", Field("name", "Route name. Identifies the route; the PBX cannot rename inbound routes. Without "
                               "commas or leading or trailing blanks, and not C(all): the API passes names in "
                               "comma lists, beside the word C(all).",
                       pattern=LISTED_NAME[0], hint=LISTED_NAME[1])),
        ("did", Field("did", "DID pattern the called number must match; empty matches any.", default="")),
        ("caller_id", Field("caller_id", "Caller ID pattern the caller must match; empty matches any.", default="")),
        ("destination_type", Field("desttype", "What answers the call.", kind=CHOICE,
                                   choices=OrderedDict((word, word) for word in DESTINATION_TYPES))),
        ("destination", Field("dest", "The extension, voicemail box, IVR, ring group, queue or conference room "
                                      "number (by O(config[].destination_type)). It must exist on the PBX. "
                                      "Not used with V(hangup), which sends it empty.",
                              only_for=("destination_type", [word for word in DESTINATION_TYPES if word != "hangup"]),
                              sent_blank=True)),
    ]),
    create_requires=("destination_type",),
    required_when=[("destination_type", word, ("destination",)) for word in DESTINATION_TYPES if word != "hangup"],
    references=[Reference("destination", {
        "extension": EXTENSION_NUMBERS,
        "voicemail": EXTENSION_NUMBERS,
        "ivr": IVR_NUMBERS,
        "queue": QUEUE_NUMBERS,
        "conference": CONFERENCE_NUMBERS,
    }, selector="destination_type")],
)
