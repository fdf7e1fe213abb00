# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Extensions: extension/query|add|update|delete."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re
from collections import OrderedDict

from ansible_collections.openvox.ucpbx.plugins.module_utils.engine import (
    BOOL,
    CHOICE,
    INT,
    Endpoint,
    Field,
    KeySource,
    Reference,
    Resource,
)
from ansible_collections.openvox.ucpbx.plugins.module_utils.errors import answer_object

FORWARD_TO = OrderedDict([
    ("voicemail", "Voicemail"),
    ("extension", "Extension"),
    ("mobile_number", "Mobile Number"),
    ("custom_number", "Custom Number"),
])

DIGITS = r"^\d*$"
# deviceinfo's extensionstatus: "<configured>/<capacity>" (OpenVox UC API: Query PBX Information).
EXTENSION_STATUS = re.compile(r"^\s*(\d+)\s*/\s*(\d+)\s*$")


def beyond_capacity(client, operations, actual, planned=None):
    """Adds that would take the PBX past the number of extensions it holds (it refuses the excess midway)."""
    adds = sum(1 for operation in operations if operation.verb == "add")
    if not adds:
        return []
    info = answer_object(client.call("deviceinfo/query", {}, subject="device information"), "deviceinfo/query",
                         "deviceinfo", "device information")
    status = EXTENSION_STATUS.match(str(info.get("extensionstatus", "")))
    if not status:
        return []
    capacity = int(status.group(2))
    # Adds are sent before deletes, so the count peaks at what exists plus what is added.
    peak = len(actual) + adds
    if peak <= capacity:
        return []
    deletes = sum(1 for operation in operations if operation.verb == "delete")
    advice = " (deleting first, in an earlier task with state=deleted, makes room)" if deletes and \
        peak - deletes <= capacity else ""
    return ["%d extension(s) to add while %d exist, but this PBX holds at most %d (deviceinfo extensionstatus %s)%s"
            % (adds, len(actual), capacity, info.get("extensionstatus"), advice)]


# The durations the device offers for an extension's longest call, in seconds.
MAX_CALL_SECONDS = (60, 300, 600, 900, 1800, 3600, 6000)


def _forwarding(prefix, switch, api_prefix, when):
    """The five fields of one call-forwarding rule (no answer, busy)."""
    return [
        ("%s_forward" % prefix, Field(switch, "Forward calls when the extension %s." % when,
                                      kind=BOOL, default=False)),
        ("%s_forward_to" % prefix, Field(
            "%stransferto" % api_prefix, "Where calls forwarded by O(config[].%s_forward) go." % prefix, kind=CHOICE, choices=FORWARD_TO)),
        ("%s_forward_extension" % prefix, Field(
            "%stransferext" % api_prefix, "Target extension when forwarding to C(extension).")),
        ("%s_forward_prefix" % prefix, Field(
            "%stransferprefix" % api_prefix, "Dial prefix for a mobile or custom number (digits, at most 7).",
            pattern=r"^\d{0,7}$", hint="digits only, at most 7")),
        ("%s_forward_number" % prefix, Field(
            "%stransfernum" % api_prefix, "Number called when forwarding to C(custom_number) (digits, at most 15).",
            pattern=r"^\d{0,15}$", hint="digits only, at most 15")),
    ]


EXTENSION_NUMBERS = KeySource("extensions", Endpoint("extensionlist/query", list_keys=("extlist",)), "extnumber",
                              label="extension")

EXTENSION = Resource(
    name="extension",
    key="number",
    query=Endpoint("extension/query", key="extid", list_keys=("extinfos",), not_found=("10006",)),
    add=Endpoint("extension/add", key="number"),
    update=Endpoint("extension/update", key="extid", rename_as="extnumber"),
    delete=Endpoint("extension/delete", key="number", batch=True, not_found=("10006",)),
    fields=OrderedDict([
        ("number", Field("number", "Extension number (digits, at most 7). Identifies the extension.",
                         reported_as=("extnumber",), pattern=r"^\d{1,7}$", hint="1 to 7 digits")),
        ("name", Field("username", "Display name of the extension's user.", default="")),
        ("caller_id", Field("callerid", "Caller ID number presented for calls from the extension. "
                                        "The PBX uses the extension number when it is not set.")),
        ("register_password", Field(
            "registerpassword", "SIP registration secret. The PBX generates one when it is not set.",
            pattern=r"^[^;&\"'\\<>` ]{1,31}$",
            hint="1 to 31 characters, none of ; & \" ' \\ < > ` or space", secret=True)),
        ("max_registrations", Field("maxregistrations", "How many devices may register to the extension at once.",
                                    kind=INT, between=(1, 5), default=1)),
        ("login_password", Field("loginpassword", "Password of the user web portal (6 to 63 characters).",
                                 reported_as=("userpassword",), pattern=r"^.{6,63}$", hint="6 to 63 characters",
                                 secret=True)),
        ("email", Field("email", "E-mail address of the user (voicemail to e-mail), as the web interface takes it: "
                                 "C(name@domain.tld). The reference gives no format.", default="",
                        written=(r"^\s*(?:[^@\s,;]+@[^@\s.,;]+(?:\.[^@\s.,;]+)+)?\s*$", "an address like name@example.com"))),
        ("mobile", Field("mobile", "Mobile number of the user (digits).", reported_as=("moblie",),
                         pattern=DIGITS, hint="digits only", default="")),
        ("voicemail", Field("hasvoicemail", "Whether the extension has a voicemail box.", kind=BOOL)),
        ("voicemail_pin", Field("vmsecret", "Voicemail access PIN (digits).", pattern=r"^\d+$",
                                hint="digits only", secret=True)),
        ("voicemail_to_email", Field("enablevmtoemail", "Send voicemail messages to O(config[].email).",
                                     kind=BOOL, default=False)),
    ] + _forwarding("no_answer", "noanswerforward", "n", "does not answer") + _forwarding(
        "busy", "busyforward", "b", "is busy") + [
        ("mobility", Field("enablemobile", "Mobility extension, so calls can also reach O(config[].mobile).",
                           kind=BOOL, default=False)),
        ("ring_simultaneously", Field("ringsimultaneous", "Ring the mobile number together with the extension.",
                                      kind=BOOL, default=False)),
        ("mobile_prefix", Field("mobileprefix", "Outbound prefix used to reach the mobile number.",
                                pattern=DIGITS, hint="digits only", default="")),
        ("allow_monitoring", Field("allowbeingmonitored", "Whether other extensions may monitor this one's calls.",
                                   kind=BOOL, default=False)),
        ("monitor_mode", Field("monitormode", "How this extension may monitor others.", kind=CHOICE,
                               choices=OrderedDict([("disabled", "Disabled"), ("extensive", "Extensive"),
                                                    ("listen", "Listen"), ("whisper", "Whisper"),
                                                    ("barge_in", "Barge-in")]),
                               reported_values={"disable": "disabled"}, default="disabled")),
        ("ring_timeout", Field("ringtimeout", "Seconds the extension rings before no-answer handling.",
                               kind=INT, choices=[15, 30, 60, 120, 300])),
        ("max_call_duration", Field("maxduration", "Longest call allowed, either V(follow_system), V(unlimited), or a "
                                                   "number of seconds.",
                                    kind=CHOICE, choices=OrderedDict([("follow_system", "Follow System"),
                                                                      ("unlimited", "Unlimited")]),
                                    pattern=r"^\d+$", hint="a number of seconds", default="follow_system",
                                    writable=["follow_system", "unlimited"] + [str(s) for s in MAX_CALL_SECONDS])),
        ("dnd", Field("dnd", "Do not disturb. Users also switch it from their phones, so it is only written when a "
                             "task sets it.", kind=BOOL, runtime=True)),
    ]),
    required_if=[
        ("no_answer_forward_to", "extension", ("no_answer_forward_extension",)),
        ("no_answer_forward_to", "custom_number", ("no_answer_forward_number",)),
        ("busy_forward_to", "extension", ("busy_forward_extension",)),
        ("busy_forward_to", "custom_number", ("busy_forward_number",)),
    ],
    # A forward to an extension names another extension (only when it forwards to one).
    references=[Reference("%s_forward_extension" % prefix, {"extension": EXTENSION_NUMBERS},
                          selector="%s_forward_to" % prefix) for prefix in ("no_answer", "busy")],
    preflight=[beyond_capacity],
)
