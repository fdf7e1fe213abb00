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

from .extension_model import ExtensionTable
from .feature_model import ConferenceTable, IvrTable, PagingGroupTable, QueueTable, RingGroupTable
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


def _load_receiver(receiver):
    if receiver is None:
        return None
    if not isinstance(receiver, dict):
        raise StateError("event_receiver must be an object or null")
    unknown = set(receiver) - set(RECEIVER_KEYS)
    if unknown:
        raise StateError(f"event_receiver: unknown keys {sorted(unknown)}")
    return {key: as_text(receiver.get(key, "")) for key in RECEIVER_KEYS}


# State key -> table; the document lists them in this order after deviceinfo and
# event_receiver. A new resource is its table class, listed here.
TABLES = {
    "extensions": ExtensionTable,
    "trunks": TrunkTable,
    "inbound_routes": InboundRouteTable,
    "outbound_routes": OutboundRouteTable,
    "queues": QueueTable,
    "ivrs": IvrTable,
    "conferences": ConferenceTable,
    "paging_groups": PagingGroupTable,
    "ring_groups": RingGroupTable,
}
STATE_KEYS = ("deviceinfo", "event_receiver", *TABLES)


class PbxState:
    def __init__(self, boot_epoch):
        self.boot_epoch = boot_epoch
        self.deviceinfo = DeviceInfo({}, boot_epoch)
        self.event_receiver = None
        # The token whose login/heartbeat set the receiver: reports stop when it dies.
        # None for a receiver from a state document (reports then always flow).
        self.receiver_token = None
        for key, table in TABLES.items():
            setattr(self, key, table.initial())

    def tables(self):
        return [getattr(self, key) for key in TABLES]

    def to_json(self):
        return {
            "deviceinfo": self.deviceinfo.to_json(),
            "event_receiver": None if self.event_receiver is None else dict(self.event_receiver),
            **{key: getattr(self, key).to_json() for key in TABLES},
        }

    # -- references between resources -------------------------------------------------

    def extension_in_use(self, number):
        """Whether an inbound route, queue, paging group or ring group points at the extension."""
        return any(table.uses_extension(number) for table in self.tables())

    def check_references(self):
        for table in self.tables():
            table.check_references(self)

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
        if "event_receiver" in document:
            candidate.event_receiver = _load_receiver(document["event_receiver"])
            candidate.receiver_token = None
        for key, table in TABLES.items():
            if key in document:
                loaded = table.from_json(document[key], rng)
                loaded.carry_over(getattr(self, key))
                setattr(candidate, key, loaded)
        if len(candidate.extensions) > candidate.deviceinfo.capacity:
            raise StateError("more extensions than the device's capacity")
        candidate.check_references()
        self.__dict__.update(candidate.__dict__)
