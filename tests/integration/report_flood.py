# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reports for flooding the pbx_events receiver in process, shared by its test and benchmarks/eda_flood.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

SN = "a0980502aaaa"
EXTERNAL = "0755123456"
DID = "88880000"
TRUNK = "sip-trunk-1"


class Delivery:
    """What the receiver reads of an aiohttp request, so that a flood does not wait for sockets."""

    method = "POST"

    def __init__(self, remote, body):
        self.remote = remote
        self.body = body
        self.content_length = len(body)

    async def read(self):
        return self.body


def compact(report):
    return json.dumps(report, separators=(",", ":")).encode("utf-8")


def flood_body(index):
    """Reports of distinct calls, each different (so none is a duplicate), of the four most common kinds."""
    call = "1700000000.%d" % index
    kind = index % 4
    if kind == 0:
        return compact({"action": "RING", "callid": call, "ext": {"extid": "201"},
                        "inbound": {"from": EXTERNAL, "to": DID, "trunk": TRUNK, "inboundid": call}, "sn": SN})
    if kind == 1:
        return compact({"action": "ANSWER", "callid": call, "ext": {"extid": ["202", "201"]}, "sn": SN})
    if kind == 2:
        return compact({"action": "BYE", "callid": call, "ext": {"extid": ["201", "202"]}, "sn": SN})
    return compact({"action": "NewCdr", "callid": call, "timestart": "2023-11-14 22:13:20", "callfrom": "201",
                    "callto": "202", "callduraction": "31", "talkduraction": "20", "status": "ANSWERED",
                    "type": "Internal", "sn": SN})
