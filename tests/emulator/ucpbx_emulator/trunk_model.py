"""Trunks (OpenVox UC API: Trunk): SIP trunks managed through siptrunk/*, plus trunks of other
kinds (FXO, IAX, ...) that only a state document can create, as a device's hardware
ports would.

A record is a dict under the API's names: ``id``, ``trunkname``, ``type`` (``SIP``,
``FXO``...), ``status``, then for SIP trunks ``trunktype`` and the fields of that type,
for physical trunks ``port`` (the hardware port). Ids are numeric strings handed out in
increasing order and never reused while the emulator runs.
"""

from .errors import (MISSING_PARAMETER, NO_SUCH_TRUNK, TRUNK_DELETE_FAILED, TRUNK_NAME_INVALID,
                     TRUNK_NAME_TAKEN, TRUNK_PORT_INVALID, TRUNK_TYPE_INVALID, ApiError)
from .records import IdTable, StateError, bad_list_name
from .registry import require

SIP = "SIP"
TECH = "pjsip"
DEFAULT_SIP_PORT = "5060"
TRUNK_TYPES = ("register", "peer", "account")
# Order = order of keys in a siptrunk/query element after trunktype.
TYPE_FIELDS = {
    "register": ("host", "port", "domain", "username", "authname", "fromuser", "password"),
    "peer": ("host", "port", "domain"),
    "account": ("username", "authname", "password"),
}
REQUIRED_FIELDS = {
    "register": ("host", "port", "username", "authname", "password"),
    "peer": ("host", "port"),
    "account": ("username", "authname", "password"),
}
# A fixed rule: the emulator has no ITSP to register with, so a register trunk claims
# success and trunks that never register have no state to report.
SIP_STATUS = {"register": "Registered", "peer": "Unknown", "account": "Unknown"}
VOIP_STATUSES = ("Registering", "Failure", "failure", "Registered", "Disable", "Unknown")
PHYSICAL_STATUSES = ("Fault", "Idle", "Busy")
OTHER_VOIP_TYPES = ("IAX",)
PHYSICAL_TYPES = ("FXO", "BRI", "E1", "T1", "GSM")


def sip_settings(body):
    """The type-specific part of a siptrunk/add or /update body, complete and checked.

    Fields of other types are dropped; optional fields not sent get their defaults
    (update replaces the whole record, so the same rule serves both verbs).
    """
    trunktype = body["trunktype"]
    if trunktype not in TRUNK_TYPES:
        raise ApiError(TRUNK_TYPE_INVALID)
    for name in REQUIRED_FIELDS[trunktype]:
        if body.get(name, "") == "":
            raise ApiError(MISSING_PARAMETER, f"{trunktype} trunks need {name}")
    settings = {"trunktype": trunktype}
    for name in TYPE_FIELDS[trunktype]:
        settings[name] = body.get(name, "")
    if "port" in settings:
        settings["port"] = checked_port(settings["port"])
    if "domain" in settings and settings["domain"] == "":
        settings["domain"] = settings["host"]
    return settings


def checked_port(value):
    if not (value.isascii() and value.isdigit() and 1 <= int(value) <= 65535):
        raise ApiError(TRUNK_PORT_INVALID, f"port {value!r}")
    return str(int(value))


def checked_name(name):
    if bad_list_name(name):
        raise ApiError(TRUNK_NAME_INVALID, f"trunk name {name!r}")
    return name


def is_sip(record):
    return record["type"] == SIP


def render_sip(record):
    """One element of siptrunk/query's ``trunks``."""
    element = {"id": record["id"], "trunkname": record["trunkname"], "tech": TECH,
               "trunktype": record["trunktype"]}
    for name in TYPE_FIELDS[record["trunktype"]]:
        element[name] = record[name]
    return element


def render_list_entry(record):
    """One element of trunklist/query (key order of the device's example)."""
    entry = {"trunkname": record["trunkname"], "status": record["status"], "type": record["type"]}
    if record["type"] in PHYSICAL_TYPES:
        entry["port"] = record["port"]
    return entry


class TrunkTable(IdTable):
    """Trunks keyed by id, listed in id order; siptrunk/* selects SIP trunks by name."""

    NOUN = "trunk"
    SELECT_BY = "trunkname"
    FIELDS = ("id", "trunkname", "type", "status", "trunktype") + TYPE_FIELDS["register"]
    EXTRA_KEYS = ("tech",)
    NOT_FOUND = NO_SUCH_TRUNK
    # An outbound route would be left dialling through a trunk that is gone.
    IN_USE = TRUNK_DELETE_FAILED
    NAME_TAKEN = TRUNK_NAME_TAKEN

    def names(self):
        return [record["trunkname"] for record in self.sorted_records()]

    def selectable(self):
        # A non-SIP name is as unknown to siptrunk/* as a missing one.
        return {name: record for name, record in super().selectable().items() if is_sip(record)}

    def sip_record(self, body, current=None):
        """The SIP trunk a siptrunk/add or /update body describes, checked."""
        name = body["trunkname"]
        settings = sip_settings(body)
        checked_name(name)
        self.checked_name(name, current)
        return {"trunkname": name, "type": SIP, "status": SIP_STATUS[settings["trunktype"]],
                **settings}

    def add_sip(self, body):
        require(body, "trunkname", "trunktype")
        record = self.sip_record(body)
        trunk_id = self.allocate_id()
        self.records[trunk_id] = {"id": trunk_id, **record}

    def update_sip(self, body):
        """Replace the SIP trunk ``id`` with the body; returns (old name, new name)."""
        trunk_id, name, _unused = require(body, "id", "trunkname", "trunktype")
        current = self.records.get(trunk_id)
        if current is None or not is_sip(current):
            raise ApiError(NO_SUCH_TRUNK)
        self.records[trunk_id] = {"id": trunk_id, **self.sip_record(body, current)}
        return current["trunkname"], name

    def stored_record(self, key, values, rng):
        """API rules apply to SIP settings; other kinds only a state document makes."""
        kind = values.get("type", SIP)
        if values.get("tech", TECH) != TECH:
            raise StateError(f"trunk {key}: tech must be {TECH}")
        checked_name(key)
        if kind == SIP:
            require(values, "trunktype")
            if "port" in TYPE_FIELDS.get(values["trunktype"], ()):
                # The SIP default, which the API makes clients send but a state need not.
                values = {"port": DEFAULT_SIP_PORT, **values}
            record = {"trunkname": key, "type": SIP, **sip_settings(values)}
            record["status"] = values.get("status", SIP_STATUS[record["trunktype"]])
            extra = set(values) - set(record) - {"id", "tech"}
        else:
            record = _other_record(key, kind, values)
            extra = set(values) - set(record) - {"id"}
        if extra:
            raise StateError(f"trunk {key}: keys {sorted(extra)} do not apply to its type")
        statuses = PHYSICAL_STATUSES if kind in PHYSICAL_TYPES else VOIP_STATUSES
        if record["status"] not in statuses:
            raise StateError(f"trunk {key}: status must be one of {statuses}")
        return record


def _other_record(name, kind, values):
    if kind in OTHER_VOIP_TYPES:
        return {"trunkname": name, "type": kind, "status": values.get("status", "Unknown")}
    if kind in PHYSICAL_TYPES:
        port = values.get("port", "")
        if not port:
            raise StateError(f"trunk {name}: {kind} trunks need the hardware port")
        return {"trunkname": name, "type": kind, "status": values.get("status", "Idle"),
                "port": port}
    raise StateError(f"trunk {name}: type must be one of {(SIP,) + OTHER_VOIP_TYPES + PHYSICAL_TYPES}")
