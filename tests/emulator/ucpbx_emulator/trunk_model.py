"""Trunks (reference §5): SIP trunks managed through siptrunk/*, plus trunks of other
kinds (FXO, IAX, ...) that only a state document can create, as a device's hardware
ports would.

A record is a dict under the API's names: ``id``, ``trunkname``, ``type`` (``SIP``,
``FXO``...), ``status``, then for SIP trunks ``trunktype`` and the fields of that type,
for physical trunks ``port`` (the hardware port). Ids are numeric strings handed out in
increasing order and never reused while the emulator runs.
"""

from .errors import (MISSING_PARAMETER, NO_SUCH_TRUNK, TRUNK_DELETE_FAILED, TRUNK_NAME_INVALID,
                     TRUNK_NAME_TAKEN, TRUNK_PORT_INVALID, TRUNK_TYPE_INVALID, ApiError)
from .records import IdTable, StateError, bad_list_name, load_records, refused, select
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
ALL_FIELDS = ("id", "trunkname", "type", "status", "trunktype") + TYPE_FIELDS["register"]


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
    """Trunks keyed by id, listed in id order."""

    NAME = "trunkname"

    def names(self):
        return [record["trunkname"] for record in self.sorted_records()]

    def sip_records(self):
        return [record for record in self.sorted_records() if is_sip(record)]

    def select_sip(self, selector):
        """SIP trunks named by a selector; a non-SIP name is as unknown as a missing one."""
        by_name = {record["trunkname"]: record for record in self.sip_records()}
        return [by_name[name] for name in select(selector, list(by_name), NO_SUCH_TRUNK)]

    def add_sip(self, body):
        name, _unused = require(body, "trunkname", "trunktype")
        settings = sip_settings(body)
        checked_name(name)
        if self.by_name(name) is not None:
            raise ApiError(TRUNK_NAME_TAKEN)
        trunk_id = self.allocate_id()
        self.records[trunk_id] = {"id": trunk_id, "trunkname": name, "type": SIP,
                                  "status": SIP_STATUS[settings["trunktype"]], **settings}

    def update_sip(self, body):
        """Replace the SIP trunk ``id`` with the body; returns (old name, new name)."""
        trunk_id, name, _unused = require(body, "id", "trunkname", "trunktype")
        current = self.records.get(trunk_id)
        if current is None or not is_sip(current):
            raise ApiError(NO_SUCH_TRUNK)
        settings = sip_settings(body)
        checked_name(name)
        other = self.by_name(name)
        if other is not None and other is not current:
            raise ApiError(TRUNK_NAME_TAKEN)
        self.records[trunk_id] = {"id": trunk_id, "trunkname": name, "type": SIP,
                                  "status": SIP_STATUS[settings["trunktype"]], **settings}
        return current["trunkname"], name

    def delete_sip(self, selector, names_in_use):
        doomed = self.select_sip(selector)
        if any(record["trunkname"] in names_in_use for record in doomed):
            # An outbound route would be left dialling through a trunk that is gone.
            raise ApiError(TRUNK_DELETE_FAILED)
        for record in doomed:
            del self.records[record["id"]]

    # -- state documents ------------------------------------------------------------

    def to_json(self):
        return [dict(record) for record in self.sorted_records()]

    @classmethod
    def from_json(cls, records):
        table = cls()
        loaded = load_records("trunks", records, "trunkname", ALL_FIELDS, extra_keys=("tech",))
        given_ids = [values["id"] for _name, values in loaded if "id" in values]
        for trunk_id in given_ids:
            if not (trunk_id.isdigit() and int(trunk_id) > 0 and str(int(trunk_id)) == trunk_id):
                raise StateError(f"trunks: id {trunk_id!r} is not a positive whole number")
        if len(set(given_ids)) != len(given_ids):
            raise StateError("trunks: ids must be unique")
        table.continue_ids_after(given_ids)
        for name, values in loaded:
            record = _stored_record(name, values)
            record["id"] = values.get("id") or table.allocate_id()
            table.records[record["id"]] = record
        return table


def _stored_record(name, values):
    """A full record from a state document; API rules apply to SIP settings."""
    kind = values.get("type", SIP)
    if values.get("tech", TECH) != TECH:
        raise StateError(f"trunk {name}: tech must be {TECH}")
    try:
        checked_name(name)
        if kind == SIP:
            require(values, "trunktype")
            if "port" in TYPE_FIELDS.get(values["trunktype"], ()):
                # The SIP default, which the API makes clients send but a state need not.
                values = {"port": DEFAULT_SIP_PORT, **values}
            record = {"trunkname": name, "type": SIP, **sip_settings(values)}
            record["status"] = values.get("status", SIP_STATUS[record["trunktype"]])
            extra = set(values) - set(record) - {"id", "tech"}
        else:
            record = _other_record(name, kind, values)
            extra = set(values) - set(record) - {"id"}
    except ApiError as exc:
        raise refused("trunk", name, exc) from exc
    if extra:
        raise StateError(f"trunk {name}: keys {sorted(extra)} do not apply to its type")
    statuses = PHYSICAL_STATUSES if kind in PHYSICAL_TYPES else VOIP_STATUSES
    if record["status"] not in statuses:
        raise StateError(f"trunk {name}: status must be one of {statuses}")
    return {"id": "", **record}


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
