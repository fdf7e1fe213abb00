# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Outbound routes: outroute/query|add|delete keyed by name, outroute/update by the PBX's id."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections import OrderedDict

from ansible_collections.openvox.ucpbx.plugins.module_utils.engine import (
    LIST,
    LISTED_NAME,
    Endpoint,
    Field,
    Reference,
    Resource,
)
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.trunk import TRUNK_NAMES

OUTBOUND_ROUTE = Resource(
    name="outbound route",
    key="name",
    query=Endpoint("outroute/query", key="name", all_value="all", list_keys=("outroutes",), not_found=("10083",)),
    add=Endpoint("outroute/add", key="name"),
    update=Endpoint("outroute/update", key="id", key_from="id"),
    delete=Endpoint("outroute/delete", key="name", batch=True, not_found=("10083",)),
    # The update call requires name, pattern and trunks even when they do not change.
    full_update=True,
    fields=OrderedDict([
        ("name", Field("name", "Route name. Identifies the route. Without commas or leading or trailing blanks, "
                               "and not C(all): the API passes names in comma lists, beside the word C(all).",
                       pattern=LISTED_NAME[0], hint=LISTED_NAME[1])),
        ("prefix", Field("prefix", "Digits the caller dials first; the PBX removes them before sending the number "
                                   "to the trunk.", pattern=r"^\d*$", hint="digits only", default="")),
        ("match_pattern", Field("matchpattern", "Dial pattern matched after the prefix (Asterisk syntax: "
                                                "C(X), C(Z), C(N), C(.), C([1-5]), ...). The letters are "
                                                "accepted in either case, as Asterisk reads them.",
                                pattern=r"^[0-9XZNxzn.\[\]\-!*#+]+$",
                                hint="digits and X Z N (either case) . [ ] - ! * # +")),
        ("prepend", Field("prepend", "Digits added in front of the number sent to the trunk. The API takes digits "
                                     "only: a sign such as C(+) is refused before any request.",
                          pattern=r"^\d*$", hint="digits only", default="")),
        ("caller_id", Field("callerid", "Caller ID pattern the calling extension must match for the route to apply; "
                                        "empty matches any.", default="")),
        ("trunks", Field("trunks", "Trunk names in order of priority, each once. The order is compared; every trunk must "
                                   "exist.",
                         kind=LIST, ordered=True)),
    ]),
    create_requires=("match_pattern", "trunks"),
    # The PBX carries a trunk's new name into the routes that dial through it (siptrunk/update renames).
    references=[Reference("trunks", TRUNK_NAMES, follows_renames=True)],
)
