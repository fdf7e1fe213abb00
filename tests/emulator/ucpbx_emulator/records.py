"""Helpers shared by the resource tables: selectors, value checks, state-document loading.

Tables keep plain dicts of strings under the names the API reports, so a record can be
rendered, stored in a state document and compared without translation.
"""

import re

from .errors import MISSING_PARAMETER, ApiError
from .registry import split_list

ALL = "all"
DIGITS = re.compile(r"[0-9]*")
NUMBER = re.compile(r"[0-9]{1,16}")


class StateError(ValueError):
    """A state document (state file or PUT body) that cannot be loaded."""


def as_text(value):
    """State documents may hold numbers and booleans; the device only knows strings."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value if isinstance(value, str) else str(value)


def is_digits(value):
    return DIGITS.fullmatch(value) is not None


def is_number(value):
    return NUMBER.fullmatch(value) is not None


def number_order(number):
    """Numeric order, text breaking ties (as for extension numbers)."""
    return (int(number), number) if number.isdigit() else (float("inf"), number)


def bad_list_name(name):
    # Names travel inside comma lists and beside the keyword "all": either would make a
    # selector ambiguous.
    return "," in name or name.strip() != name or name == ALL


def select(selector, keys, missing_errno, allow_all=True):
    """Keys picked by a selector (one, a comma list, or ``all``), in table order.

    ``keys`` is the table's keys in the order responses list them. Every item must name
    an existing key, otherwise nothing is selected and ``missing_errno`` is raised.
    """
    items = split_list(selector)
    if not items:
        raise ApiError(MISSING_PARAMETER)
    if allow_all and items == [ALL]:
        return list(keys)
    wanted = set(items)
    if wanted - set(keys):
        raise ApiError(missing_errno)
    return [key for key in keys if key in wanted]


def member_list(value, valid, missing_errno, repeated_errno):
    """Normalise a comma list of references ("201, 202" -> "201,202").

    An item not in ``valid`` raises ``missing_errno``; an item listed twice (a client
    bug worth showing rather than hiding) raises ``repeated_errno``.
    """
    items = split_list(value)
    if len(set(items)) != len(items):
        raise ApiError(repeated_errno, f"{value!r} lists an item twice")
    if not set(items) <= set(valid):
        raise ApiError(missing_errno, f"{value!r} names unknown items")
    return ",".join(items)


def load_records(kind, records, key, fields, extra_keys=()):
    """Check the outer shape of a list of stored records and turn their values into text.

    Returns ``[(key_value, values)]``; ``None`` values are dropped (they mean "not given",
    as in API bodies). ``extra_keys`` are accepted and left in ``values`` for the caller.
    """
    if not isinstance(records, list):
        raise StateError(f"{kind} must be a list")
    loaded = []
    seen = set()
    for record in records:
        if not isinstance(record, dict) or record.get(key) in (None, ""):
            raise StateError(f"{kind}: record without {key}: {record!r}")
        for name, value in record.items():
            if isinstance(value, (dict, list)):
                raise StateError(f"{kind}: {name} must be a string, got {value!r}")
        values = {name: as_text(value) for name, value in record.items() if value is not None}
        identity = values[key]
        unknown = set(values) - set(fields) - set(extra_keys)
        if unknown:
            raise StateError(f"{kind} {identity}: unknown keys {sorted(unknown)}")
        if identity in seen:
            raise StateError(f"{kind} {identity} listed twice")
        seen.add(identity)
        loaded.append((identity, values))
    return loaded


def refused(kind, identity, error):
    """A StateError for a stored record the API would have refused."""
    detail = f" ({error.detail})" if error.detail else ""
    return StateError(f"{kind} {identity}: refused with errno {error.errno}{detail}")


class IdTable:
    """Records the device addresses by an id it hands out (trunks, outbound routes): ids are
    numeric strings in increasing order, never reused while the emulator runs; listed in id
    order; found by the field `NAME`."""

    NAME = "name"

    def __init__(self):
        self.records = {}
        self.next_id = 1

    def __len__(self):
        return len(self.records)

    def sorted_records(self):
        return [self.records[key] for key in sorted(self.records, key=int)]

    def by_name(self, name):
        return next((r for r in self.records.values() if r[self.NAME] == name), None)

    def allocate_id(self):
        record_id = str(self.next_id)
        self.next_id += 1
        return record_id

    def continue_ids_after(self, given_ids):
        """After loading a state document: new ids come after every id it gave."""
        self.next_id = max((int(i) for i in given_ids), default=0) + 1
