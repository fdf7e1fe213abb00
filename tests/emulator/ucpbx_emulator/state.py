"""The PBX's data: device identity, extensions, trunks, routes, call features, and where
event reports should go.

The JSON form (``to_json`` / ``apply_json``) is the format of ``--state-file`` and of
``GET``/``PUT /_emulator/state``: one top-level key per resource, so more resources can
be added beside the existing ones.

References between resources (routes to trunks and destinations, queues and paging groups
to extensions) are kept intact: the API refuses writes that would break one, and a state
document that breaks one is refused as a whole.
"""

import copy
import time

from . import extension_model as model
from .errors import EXTENSION_CONFIG_FAILED, NO_SUCH_EXTENSION, ApiError
from .feature_model import (ConferenceTable, IvrTable, PagingGroupTable, QueueTable, RingGroupTable,
                            default_tables)
from .records import StateError, as_text
from .route_model import InboundRouteTable, OutboundRouteTable
from .trunk_model import TrunkTable

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun",
          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

DEFAULT_DEVICEINFO = {
    "devicename": "UC500",
    "sn": "a09805021987",
    "hardwarever": "3.1",
    "firmwarever": "4.3.6",
    "capacity": "300",
}
RECEIVER_KEYS = ("ipaddr", "port", "url", "urltag", "version")


def format_systemtime(epoch):
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(epoch))


def format_uptime(epoch):
    # The device writes its boot time with an English month abbreviation; spelt out
    # by hand so the host's locale cannot change it.
    t = time.localtime(epoch)
    return f"{t.tm_year:04d}-{MONTHS[t.tm_mon - 1]}-{t.tm_mday:02d}-" + time.strftime(
        "%H:%M:%S", t)


class DeviceInfo:
    """The static identity of the device; time and extension count are computed."""

    def __init__(self, values, boot_epoch):
        unknown = set(values) - set(DEFAULT_DEVICEINFO) - {"uptime"}
        if unknown:
            raise StateError(f"deviceinfo: unknown keys {sorted(unknown)}")
        merged = {**DEFAULT_DEVICEINFO, "uptime": format_uptime(boot_epoch)}
        for key, value in values.items():
            if value is None or isinstance(value, (dict, list)):
                raise StateError(f"deviceinfo: {key} must be a string")
            merged[key] = str(value)
        if not merged["capacity"].isdigit():
            raise StateError("deviceinfo: capacity must be a whole number")
        self.values = merged

    @property
    def capacity(self):
        return int(self.values["capacity"])

    def to_json(self):
        return dict(self.values)

    def render(self, now_epoch, extension_count):
        """The ``deviceinfo`` object of deviceinfo/query."""
        values = self.values
        return {
            "devicename": values["devicename"],
            "sn": values["sn"],
            "hardwarever": values["hardwarever"],
            "firmwarever": values["firmwarever"],
            "systemtime": format_systemtime(now_epoch),
            "uptime": values["uptime"],
            "extensionstatus": f"{extension_count}/{values['capacity']}",
        }


class ExtensionTable:
    """Extensions keyed by number. Every write validates fully before it changes
    anything, so a refused request leaves the table as it was."""

    def __init__(self):
        self.records = {}

    def __len__(self):
        return len(self.records)

    def sorted_records(self):
        return [self.records[n] for n in sorted(self.records, key=model.sort_key)]

    def select(self, numbers):
        """Records for the given numbers, in number order; any unknown one is an error."""
        missing = [number for number in numbers if number not in self.records]
        if missing:
            raise ApiError(NO_SUCH_EXTENSION)
        return [self.records[n] for n in sorted(set(numbers), key=model.sort_key)]

    def add(self, number, values, rng, capacity):
        # The device answers 10017 both for a taken number and for a full system.
        if number in self.records or len(self.records) >= capacity:
            raise ApiError(EXTENSION_CONFIG_FAILED)
        record = _checked(lambda: model.build_record(number, values, rng))
        self.records[number] = record

    def update(self, extid, values, new_number=None):
        current = self.records.get(extid)
        if current is None:
            raise ApiError(NO_SUCH_EXTENSION)
        number = extid if new_number is None else new_number
        if number != extid and number in self.records:
            raise ApiError(EXTENSION_CONFIG_FAILED)
        updated = {**current, **values, "number": number}

        def check():
            model.check_values({"number": number, **values})
            model.check_record(updated)

        _checked(check)
        del self.records[extid]
        self.records[number] = updated

    def delete(self, numbers):
        self.select(numbers)
        for number in numbers:
            self.records.pop(number, None)

    # -- state documents ------------------------------------------------------------

    def to_json(self):
        return [dict(record) for record in self.sorted_records()]

    @classmethod
    def from_json(cls, records, rng):
        """Load stored records; keys left out get the same defaults as extension/add,
        and device-owned keys (status, type, agentid) may be set here."""
        if not isinstance(records, list):
            raise StateError("extensions must be a list")
        table = cls()
        for record in records:
            if not isinstance(record, dict) or "number" not in record:
                raise StateError(f"extension record without number: {record!r}")
            # null means "not given", as in API bodies.
            values = {key: as_text(value) for key, value in record.items()
                      if value is not None}
            number = values.pop("number")
            unknown = set(values) - set(model.FIELDS_BY_NAME)
            if unknown:
                raise StateError(f"extension {number}: unknown keys {sorted(unknown)}")
            if number in table.records:
                raise StateError(f"extension {number} listed twice")
            try:
                table.records[number] = model.build_record(number, values, rng)
            except model.InvalidField as exc:
                raise StateError(f"extension {number}: {exc}") from exc
        return table


def _checked(action):
    """Run a validation step, turning a refused value into the device's 10017."""
    try:
        return action()
    except model.InvalidField as exc:
        raise ApiError(EXTENSION_CONFIG_FAILED) from exc


def _load_receiver(receiver):
    if receiver is None:
        return None
    if not isinstance(receiver, dict):
        raise StateError("event_receiver must be an object or null")
    unknown = set(receiver) - set(RECEIVER_KEYS)
    if unknown:
        raise StateError(f"event_receiver: unknown keys {sorted(unknown)}")
    return {key: as_text(receiver.get(key, "")) for key in RECEIVER_KEYS}


# State key -> loader of that part; each returns a new object and never touches the old one.
TABLE_LOADERS = {
    "trunks": TrunkTable.from_json,
    "inbound_routes": InboundRouteTable.from_json,
    "outbound_routes": OutboundRouteTable.from_json,
    "queues": QueueTable.from_json,
    "ivrs": IvrTable.from_json,
    "conferences": ConferenceTable.from_json,
    "paging_groups": PagingGroupTable.from_json,
    "ring_groups": RingGroupTable.from_json,
}
STATE_KEYS = ("deviceinfo", "extensions", "event_receiver", "trunks", "inbound_routes",
              "outbound_routes", "queues", "ivrs", "conferences", "paging_groups", "ring_groups")
# Tables whose ids keep counting up across a PUT, so an id is never handed out twice.
ID_TABLES = ("trunks", "outbound_routes")


class PbxState:
    def __init__(self, boot_epoch):
        self.boot_epoch = boot_epoch
        self.deviceinfo = DeviceInfo({}, boot_epoch)
        self.extensions = ExtensionTable()
        self.event_receiver = None
        # The token whose login/heartbeat set the receiver: reports stop when it dies.
        # None for a receiver from a state document (reports then always flow).
        self.receiver_token = None
        self.trunks = TrunkTable()
        self.inbound_routes = InboundRouteTable()
        self.outbound_routes = OutboundRouteTable()
        # A fresh device has queues, IVRs and rooms made in its web UI (the API cannot
        # create them), but no extensions yet, so no agents.
        self.queues, self.ivrs, self.conferences = default_tables()
        self.paging_groups = PagingGroupTable()
        self.ring_groups = RingGroupTable()

    def to_json(self):
        return {
            "deviceinfo": self.deviceinfo.to_json(),
            "extensions": self.extensions.to_json(),
            "event_receiver": None if self.event_receiver is None else dict(self.event_receiver),
            **{key: getattr(self, key).to_json() for key in TABLE_LOADERS},
        }

    # -- references between resources -------------------------------------------------

    def extension_in_use(self, number):
        """Whether an inbound route, queue, paging group or ring group points at the extension."""
        return (self.inbound_routes.uses(("extension", "voicemail"), number)
                or self.queues.uses_extension(number)
                or self.paging_groups.uses_extension(number)
                or self.ring_groups.uses_extension(number))

    def check_references(self):
        extensions = self.extensions.records
        self.inbound_routes.check_references(self)
        self.outbound_routes.check_references(self.trunks.names())
        self.queues.check_references(extensions)
        self.paging_groups.check_references(extensions)
        self.ring_groups.check_references(extensions)

    # -- state documents ----------------------------------------------------------------

    def apply_json(self, document, rng):
        """Replace each part named in ``document``; parts not named stay as they are.
        Nothing changes unless the whole document loads and every reference holds."""
        if not isinstance(document, dict):
            raise StateError("state must be a JSON object")
        unknown = set(document) - set(STATE_KEYS)
        if unknown:
            raise StateError(f"unknown state keys {sorted(unknown)}")
        candidate = copy.copy(self)
        if "deviceinfo" in document:
            if not isinstance(document["deviceinfo"], dict):
                raise StateError("deviceinfo must be an object")
            candidate.deviceinfo = DeviceInfo(document["deviceinfo"], self.boot_epoch)
        if "extensions" in document:
            candidate.extensions = ExtensionTable.from_json(document["extensions"], rng)
        if "event_receiver" in document:
            candidate.event_receiver = _load_receiver(document["event_receiver"])
            candidate.receiver_token = None
        for key, loader in TABLE_LOADERS.items():
            if key in document:
                setattr(candidate, key, loader(document[key]))
        for key in ID_TABLES:
            table = getattr(candidate, key)
            table.next_id = max(table.next_id, getattr(self, key).next_id)
        if len(candidate.extensions) > candidate.deviceinfo.capacity:
            raise StateError("more extensions than the device's capacity")
        candidate.check_references()
        self.__dict__.update(candidate.__dict__)
