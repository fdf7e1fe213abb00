# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""IVRs: ivr/query|update. IVRs are created in the web interface; the API edits them."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections import OrderedDict

from ansible_collections.openvox.ucpbx.plugins.module_utils.engine import (
    INT,
    Endpoint,
    Field,
    KeySource,
    Resource,
)

IVR_NUMBERS = KeySource("ivrs", Endpoint("ivr/query", list_keys=("ivr",)), "ivrid", label="IVR")

IVR = Resource(
    name="IVR",
    key="number",
    query=Endpoint("ivr/query", key="name", list_keys=("ivr",), not_found=("10012",)),
    update=Endpoint("ivr/update", key="ivrid"),
    fields=OrderedDict([
        ("number", Field("ivrid", "IVR number. Identifies the IVR.")),
        ("name", Field("ivrname", "IVR name: 1 to 31 characters, no spaces and none of C(! $ ( ) / # ; , [ ] \" = < > "
                                  "& ' ` ^ % @ { } |), and not the name of another IVR. A name the web interface "
                                  "stored outside these rules reads back and is kept as it is.",
                       unique=True, written=(r"^[^\s!$()/#;,\[\]\"=<>&'`^%@{}|]{1,31}$",
                                             "1 to 31 characters without spaces or any of ! $ ( ) / # ; , [ ] \" = < > "
                                             "& ' ` ^ % @ { } |"))),
        ("prompt_repeat", Field("promptrepeat", "How many times the prompt is played.", kind=INT, between=(1, 5))),
        ("response_timeout", Field("responsetimeout", "Seconds to wait for the caller's choice.", kind=INT,
                                   between=(1, 10))),
    ]),
)
