"""Inbound and outbound routes (OpenVox UC API: Inbound Route, Outbound Route).

Inbound routes are keyed by name and have no id (query reports ``"id": ""``). Outbound
routes get numeric string ids, increasing and never reused while the emulator runs; they
are selected by name except in update, which takes the id and may rename.

Both tables check references through the ``state`` they are handed: an inbound route's
destination must exist, an outbound route's trunks must exist.
"""

import re

from .errors import (INROUTE_DEST_INVALID, INROUTE_DESTTYPE_INVALID, INROUTE_EXISTS,
                     INROUTE_NAME_INVALID, MISSING_PARAMETER, NO_SUCH_INROUTE, NO_SUCH_OUTROUTE,
                     OUTROUTE_EXISTS, OUTROUTE_NAME_INVALID, OUTROUTE_PATTERN_INVALID,
                     OUTROUTE_PREPEND_INVALID, OUTROUTE_TRUNK_INVALID, ApiError)
from .records import IdTable, StateError, Table, bad_list_name, is_digits
from .registry import require, split_list

DESTTYPES = ("hangup", "extension", "voicemail", "ivr", "ringgroup", "queue", "conference",
             "disa", "callback")
# The emulator has no ring groups, DISA or callback objects: any non-empty dest is taken.
UNCHECKED_DESTTYPES = ("ringgroup", "disa", "callback")
OUTROUTE_OPTIONAL = ("prepend", "prefix", "callerid")
# Asterisk dial patterns (OpenVox UC API: Outbound Route, "Asterisk-style pattern"). INFERRED:
# the letters in either case, as Asterisk's own pattern matching reads x/X, z/Z and n/N alike.
PATTERN = re.compile(r"[0-9XZNxzn.\[\]\-!*#+]+")


# -- inbound routes ------------------------------------------------------------------

def destination_exists(state, desttype, dest):
    if desttype in ("extension", "voicemail"):
        return dest in state.extensions.records
    if desttype == "ivr":
        return dest in state.ivrs.records
    if desttype == "queue":
        return dest in state.queues.records
    if desttype == "conference":
        return dest in state.conferences.records
    return True


def _require_destination(values):
    """desttype always; dest unless the call is simply hung up."""
    desttype = require(values, "desttype")
    if desttype != "hangup":
        require(values, "dest")


def _check_destination(state, desttype, dest):
    if desttype not in DESTTYPES:
        raise ApiError(INROUTE_DESTTYPE_INVALID, f"desttype {desttype!r}")
    if not destination_exists(state, desttype, dest):
        raise ApiError(INROUTE_DEST_INVALID, f"no {desttype} {dest!r}")


def render_inroute(record):
    # Inbound routes are known by name only; the device reports an empty id.
    return {"id": "", **record}


class InboundRouteTable(Table):
    """Inbound routes keyed by name, listed in the order they were made."""

    NOUN = "inbound route"
    KEY = "name"
    FIELDS = ("name", "did", "caller_id", "desttype", "dest")
    # Queries report an empty id, so a state document may hold one.
    EXTRA_KEYS = ("id",)
    NOT_FOUND = NO_SUCH_INROUTE

    def add(self, body, state):
        name = require(body, "name")
        _require_destination(body)
        if bad_list_name(name):
            raise ApiError(INROUTE_NAME_INVALID)
        if name in self.records:
            raise ApiError(INROUTE_EXISTS)
        record = {"name": name, "did": body.get("did", ""), "caller_id": body.get("caller_id", ""),
                  "desttype": body["desttype"], "dest": body.get("dest", "")}
        _check_destination(state, record["desttype"], record["dest"])
        self.records[name] = record

    def update(self, body, state):
        name = require(body, "name")
        _require_destination(body)
        current = self.get(name)
        # Optional keys left out keep their value; "" clears them.
        updated = {**current, "desttype": body["desttype"], "dest": body.get("dest", "")}
        for key in ("did", "caller_id"):
            if key in body:
                updated[key] = body[key]
        _check_destination(state, updated["desttype"], updated["dest"])
        self.records[name] = updated

    def uses_extension(self, number):
        return any(r["desttype"] in ("extension", "voicemail") and r["dest"] == number
                   for r in self.records.values())

    def broken_reference(self, record, state):
        if not destination_exists(state, record["desttype"], record["dest"]):
            return f"no {record['desttype']} {record['dest']!r}"
        return None

    def stored_record(self, key, values, rng):
        if values.pop("id", "") != "":
            raise StateError(f"inbound route {key}: inbound routes have no id")
        _require_destination(values)
        if bad_list_name(key):
            raise ApiError(INROUTE_NAME_INVALID)
        if values["desttype"] not in DESTTYPES:
            raise ApiError(INROUTE_DESTTYPE_INVALID)
        return {field: values.get(field, "") for field in self.FIELDS}


# -- outbound routes -----------------------------------------------------------------

def _checked_route_values(values, trunk_names):
    """Validate the pattern fields and trunk list of an outbound route; returns the
    normalised trunk list (comma-joined, order kept: it is the dialling priority)."""
    if not is_digits(values.get("prefix", "")):
        raise ApiError(OUTROUTE_PATTERN_INVALID, "prefix must be digits")
    if PATTERN.fullmatch(values["matchpattern"]) is None:
        raise ApiError(OUTROUTE_PATTERN_INVALID, f"matchpattern {values['matchpattern']!r}")
    # "digits added in front of the number sent to the trunk" (../shared/api/reference-part1.md:544;
    # errno 10077 for a bad prepend, :576).
    if not is_digits(values.get("prepend", "")):
        raise ApiError(OUTROUTE_PREPEND_INVALID, "prepend must be digits")
    trunks = split_list(values["trunks"])
    if not trunks:
        raise ApiError(MISSING_PARAMETER)
    if len(set(trunks)) != len(trunks) or not set(trunks) <= set(trunk_names):
        raise ApiError(OUTROUTE_TRUNK_INVALID, f"trunks {values['trunks']!r}")
    return ",".join(trunks)


class OutboundRouteTable(IdTable):
    """Outbound routes keyed by id, listed in id order, selected by name."""

    NOUN = "outbound route"
    FIELDS = ("id", "name", "prepend", "prefix", "matchpattern", "callerid", "trunks")
    NOT_FOUND = NO_SUCH_OUTROUTE
    NAME_TAKEN = OUTROUTE_EXISTS

    def add(self, body, state):
        name, _pattern, _trunks = require(body, "name", "matchpattern", "trunks")
        if bad_list_name(name):
            raise ApiError(OUTROUTE_NAME_INVALID)
        self.checked_name(name)
        trunks = _checked_route_values(body, state.trunks.names())
        route_id = self.allocate_id()
        self.records[route_id] = {
            "id": route_id, "name": name, "prepend": body.get("prepend", ""),
            "prefix": body.get("prefix", ""), "matchpattern": body["matchpattern"],
            "callerid": body.get("callerid", ""), "trunks": trunks}

    def update(self, body, state):
        route_id, name, _pattern, _trunks = require(body, "id", "name", "matchpattern", "trunks")
        current = self.get(route_id)
        if bad_list_name(name):
            raise ApiError(OUTROUTE_NAME_INVALID)
        self.checked_name(name, current)
        # Optional keys left out keep their value; "" clears them.
        merged = {**current, **{key: body[key] for key in OUTROUTE_OPTIONAL if key in body}}
        merged.update(name=name, matchpattern=body["matchpattern"])
        merged["trunks"] = _checked_route_values({**merged, "trunks": body["trunks"]},
                                                 state.trunks.names())
        self.records[route_id] = merged

    def trunks_in_use(self):
        return {name for record in self.records.values() for name in split_list(record["trunks"])}

    def rename_trunk(self, old, new):
        for record in self.records.values():
            record["trunks"] = ",".join(new if name == old else name
                                        for name in split_list(record["trunks"]))

    def broken_reference(self, record, state):
        missing = set(split_list(record["trunks"])) - set(state.trunks.names())
        return f"no trunks {sorted(missing)}" if missing else None

    def stored_record(self, key, values, rng):
        require(values, "matchpattern", "trunks")
        if bad_list_name(key):
            raise ApiError(OUTROUTE_NAME_INVALID)
        # Trunk existence is checked with the whole state, once every part is loaded.
        trunks = _checked_route_values(values, split_list(values["trunks"]))
        return {**{field: values.get(field, "") for field in self.FIELDS[1:]}, "trunks": trunks}
