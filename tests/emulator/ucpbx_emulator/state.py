"""The PBX's data: device identity, extensions, and where event reports should go.

The JSON form (``to_json`` / ``apply_json``) is the format of ``--state-file`` and of
``GET``/``PUT /_emulator/state``: one top-level key per resource, so more resources can
be added beside the existing ones.
"""

import time

from . import extension_model as model
from .errors import EXTENSION_CONFIG_FAILED, NO_SUCH_EXTENSION, ApiError

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


class StateError(ValueError):
    """A state document (state file or PUT body) that cannot be loaded."""


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
            values = {key: _as_text(value) for key, value in record.items()
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


def _as_text(value):
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value if isinstance(value, str) else str(value)


def _load_receiver(receiver):
    if receiver is None:
        return None
    if not isinstance(receiver, dict):
        raise StateError("event_receiver must be an object or null")
    unknown = set(receiver) - set(RECEIVER_KEYS)
    if unknown:
        raise StateError(f"event_receiver: unknown keys {sorted(unknown)}")
    return {key: _as_text(receiver.get(key, "")) for key in RECEIVER_KEYS}


class PbxState:
    def __init__(self, boot_epoch):
        self.boot_epoch = boot_epoch
        self.deviceinfo = DeviceInfo({}, boot_epoch)
        self.extensions = ExtensionTable()
        self.event_receiver = None

    def to_json(self):
        return {
            "deviceinfo": self.deviceinfo.to_json(),
            "extensions": self.extensions.to_json(),
            "event_receiver": None if self.event_receiver is None else dict(self.event_receiver),
        }

    def apply_json(self, document, rng):
        """Replace each part named in ``document``; parts not named stay as they are.
        Nothing changes unless the whole document loads."""
        if not isinstance(document, dict):
            raise StateError("state must be a JSON object")
        unknown = set(document) - {"deviceinfo", "extensions", "event_receiver"}
        if unknown:
            raise StateError(f"unknown state keys {sorted(unknown)}")
        deviceinfo = self.deviceinfo
        if "deviceinfo" in document:
            if not isinstance(document["deviceinfo"], dict):
                raise StateError("deviceinfo must be an object")
            deviceinfo = DeviceInfo(document["deviceinfo"], self.boot_epoch)
        extensions = self.extensions
        if "extensions" in document:
            extensions = ExtensionTable.from_json(document["extensions"], rng)
        receiver = self.event_receiver
        if "event_receiver" in document:
            receiver = _load_receiver(document["event_receiver"])
        if len(extensions) > deviceinfo.capacity:
            raise StateError("more extensions than the device's capacity")
        self.deviceinfo, self.extensions, self.event_receiver = deviceinfo, extensions, receiver
