# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""SIP trunks: siptrunk/query|add|update|delete; other trunks are listed by trunklist/query."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections import OrderedDict

from ansible_collections.openvox.ucpbx.plugins.module_utils.engine import (
    CHOICE,
    INT,
    LISTED_NAME,
    Endpoint,
    Field,
    KeySource,
    ReadOnlyKinds,
    Resource,
)

# The trunk list answers under "trunkname" on OpenVox firmware and "trunklist" elsewhere.
TRUNK_NAMES = KeySource("trunks", Endpoint("trunklist/query", list_keys=("trunklist", "trunkname")), "trunkname",
                        kind_api="type", label="trunk")

# Which SIP trunk types have which settings; an update sends only the trunk type's own.
REGISTER_PEER = ("register", "peer")
REGISTER_ACCOUNT = ("register", "account")
REGISTER_ONLY = ("register",)
SIP_TYPES = OrderedDict([("register", "register"), ("peer", "peer"), ("account", "account")])
OTHER_TYPES = OrderedDict([("fxo", "FXO"), ("iax", "IAX"), ("bri", "BRI"), ("gsm", "GSM"), ("e1", "E1")])

TRUNK = Resource(
    name="trunk",
    key="name",
    query=Endpoint("siptrunk/query", key="trunkname", all_value="all", list_keys=("trunks",), not_found=("10062",)),
    add=Endpoint("siptrunk/add", key="trunkname"),
    update=Endpoint("siptrunk/update", key="id", key_from="id"),
    delete=Endpoint("siptrunk/delete", key="trunkname", batch=True, not_found=("10062",)),
    # The PBX replaces the whole trunk on update, so every update carries the complete record.
    full_update=True,
    fields=OrderedDict([
        ("name", Field("trunkname", "Trunk name. Identifies the trunk; outbound routes refer to trunks by name. "
                                    "Without commas or leading or trailing blanks, and not C(all): the API passes "
                                    "names in comma lists, beside the word C(all).",
                       pattern=LISTED_NAME[0], hint=LISTED_NAME[1])),
        ("trunk_type", Field("trunktype", "V(register) registers to a provider, V(peer) is an IP peer without "
                                          "registration, V(account) lets a device register to the PBX. "
                                          "The other values stand for non-SIP trunks, which the API lists but cannot "
                                          "configure; they appear in RV(gathered) so that it can be fed back.",
                             kind=CHOICE, choices=OrderedDict(list(SIP_TYPES.items()) + list(OTHER_TYPES.items())))),
        ("host", Field("host", "Provider or peer address (V(register), V(peer)).",
                       only_for=("trunk_type", REGISTER_PEER))),
        ("port", Field("port", "SIP port of the provider or peer (V(register), V(peer)).", kind=INT, between=(1, 65535),
                       only_for=("trunk_type", REGISTER_PEER))),
        ("domain", Field("domain", "SIP domain (V(register), V(peer)). A trunk created without it gets O(config[].host) "
                                   "as its domain, which later host changes do not update; set it when the two differ.",
                         only_for=("trunk_type", REGISTER_PEER))),
        ("username", Field("username", "User name (V(register), V(account)).",
                           only_for=("trunk_type", REGISTER_ACCOUNT))),
        ("auth_name", Field("authname", "Authentication name (V(register), V(account)).",
                            only_for=("trunk_type", REGISTER_ACCOUNT))),
        ("from_user", Field("fromuser", "User part of the From header, when the provider needs one (V(register)).",
                            only_for=("trunk_type", REGISTER_ONLY))),
        ("password", Field("password", "Password (V(register), V(account)).", secret=True,
                           only_for=("trunk_type", REGISTER_ACCOUNT))),
    ]),
    create_requires=("trunk_type",),
    required_when=[
        ("trunk_type", "register", ("host", "port", "username", "auth_name", "password")),
        ("trunk_type", "peer", ("host", "port")),
        ("trunk_type", "account", ("username", "auth_name", "password")),
    ],
    read_only=ReadOnlyKinds(TRUNK_NAMES, "trunk_type", dict((word, option) for option, word in OTHER_TYPES.items())),
)
