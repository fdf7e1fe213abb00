"""The tables of the PBX's objects (:class:`Table` and its keying schemes) and the helpers
they share: selectors, value checks, state-document loading.

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


def refused(kind, identity, error):
    """A StateError for a stored record the API would have refused."""
    detail = f" ({error.detail})" if error.detail else ""
    return StateError(f"{kind} {identity}: refused with errno {error.errno}{detail}")


class Table:
    """A table of the PBX's objects: plain records keyed by ``KEY``, listed in the order
    ``order`` gives, selected by ``SELECT_BY``, dumped to and loaded from a state document.

    A resource is a subclass that names its fields and errnos and, where it has them, its
    rules: ``stored_record`` (what a state document may hold), ``broken_reference`` (what
    another table must hold) and ``uses_extension`` (what an extension may not lose).
    """

    NOUN = ""                # what one record is called in messages
    KEY = ""                 # record key the table is keyed by
    SELECT_BY = ""           # record key selectors name (KEY when empty)
    FIELDS = ()              # record keys, in the order the query endpoint reports them
    EXTRA_KEYS = ()          # keys a state document may hold besides FIELDS
    NOT_FOUND = ""           # errno for a selector naming an unknown record
    IN_USE = ""              # errno for deleting a record something still points at
    SEED = ()                # records of a fresh device (made in its web UI)

    def __init__(self):
        self.records = {}

    @classmethod
    def initial(cls):
        """The table of a fresh device."""
        table = cls()
        for values in cls.SEED:
            record = table.complete(values)
            table.records[record[cls.KEY]] = record
        return table

    def complete(self, values):
        return dict(values)

    def __len__(self):
        return len(self.records)

    def order(self, keys):
        """The keys in the order responses list records: the order they were made."""
        return list(keys)

    def sorted_records(self):
        return [self.records[key] for key in self.order(self.records)]

    @classmethod
    def name_key(cls):
        """The record key selectors and messages name a record by."""
        return cls.SELECT_BY or cls.KEY

    def selectable(self):
        """The records a selector may name, under the names it uses, in listing order."""
        return {record[self.name_key()]: record for record in self.sorted_records()}

    def select(self, selector, allow_all=True):
        by_name = self.selectable()
        return [by_name[name] for name in select(selector, list(by_name), self.NOT_FOUND, allow_all)]

    def get(self, key):
        record = self.records.get(key)
        if record is None:
            raise ApiError(self.NOT_FOUND)
        return record

    def delete(self, selector, in_use=None, allow_all=True):
        """Delete every selected record, or none if ``in_use`` holds for one of them: a
        route, queue... must not be left pointing at a record that is gone."""
        doomed = self.select(selector, allow_all)
        if in_use is not None and any(in_use(record) for record in doomed):
            raise ApiError(self.IN_USE)
        for record in doomed:
            del self.records[record[self.KEY]]

    # -- references to other tables ----------------------------------------------------

    def uses_extension(self, number):
        return False

    def broken_reference(self, record, state):
        """What a record points at that ``state`` lacks, as a message; None if nothing."""
        return None

    def check_references(self, state):
        for record in self.records.values():
            broken = self.broken_reference(record, state)
            if broken:
                raise StateError(f"{self.NOUN} {record[self.name_key()]}: {broken}")

    # -- state documents ------------------------------------------------------------

    def to_json(self):
        return [dict(record) for record in self.sorted_records()]

    @classmethod
    def from_json(cls, records, rng):
        """A new table from stored records. Values are held to the rules that keep a record
        usable, not always to the API's (a device may hold values its API would refuse);
        ``rng`` draws the defaults a device would pick at random."""
        table = cls()
        loaded = cls.stored_values(records)
        table.before_load(loaded)
        for name, values in loaded:
            try:
                record = table.stored_record(name, values, rng)
            except ApiError as exc:
                raise refused(cls.NOUN, name, exc) from exc
            table.store(record, values)
        return table

    @classmethod
    def stored_values(cls, records):
        """Check the outer shape of a list of stored records and turn their values into text.

        Returns ``[(name, values)]``, ``name`` being the value under ``name_key()``;
        ``None`` values are dropped (they mean "not given", as in API bodies).
        """
        if not isinstance(records, list):
            raise StateError(f"{cls.NOUN} records must be a list")
        by = cls.name_key()
        loaded = []
        seen = set()
        for record in records:
            if not isinstance(record, dict) or record.get(by) in (None, ""):
                raise StateError(f"{cls.NOUN} record without {by}: {record!r}")
            values = {key: as_text(value) for key, value in record.items() if value is not None}
            name = values[by]
            for key, value in record.items():
                if isinstance(value, (dict, list)):
                    raise StateError(f"{cls.NOUN} {name}: {key} must be a string, got {value!r}")
            unknown = set(values) - set(cls.FIELDS) - set(cls.EXTRA_KEYS)
            if unknown:
                raise StateError(f"{cls.NOUN} {name}: unknown keys {sorted(unknown)}")
            if name in seen:
                raise StateError(f"{cls.NOUN} {name} listed twice")
            seen.add(name)
            loaded.append((name, values))
        return loaded

    def before_load(self, loaded):
        """Checks across the loaded ``[(name, values)]`` before any record is stored."""

    def stored_record(self, key, values, rng):
        """The full record for the stored ``values``; an ApiError refuses it."""
        raise NotImplementedError

    def store(self, record, values):
        self.records[record[self.KEY]] = record

    def carry_over(self, previous):
        """Keep what must outlive a replaced table (ids never handed out twice)."""


class NumberedTable(Table):
    """Records keyed by a number (extensions, queues...), listed in numeric order."""

    def order(self, keys):
        return sorted(keys, key=number_order)


class IdTable(Table):
    """Records the device addresses by an id it hands out (trunks, outbound routes): ids are
    numeric strings in increasing order, never reused while the emulator runs; listed in id
    order; selected by name (``SELECT_BY``)."""

    KEY = "id"
    SELECT_BY = "name"
    NAME_TAKEN = ""          # errno for a name another record has

    def __init__(self):
        super().__init__()
        self.next_id = 1

    def order(self, keys):
        return sorted(keys, key=int)

    def by_name(self, name):
        return next((r for r in self.records.values() if r[self.SELECT_BY] == name), None)

    def checked_name(self, name, current=None):
        """Refuse a name another record (than ``current``) has."""
        other = self.by_name(name)
        if other is not None and other is not current:
            raise ApiError(self.NAME_TAKEN)

    def allocate_id(self):
        record_id = str(self.next_id)
        self.next_id += 1
        return record_id

    def before_load(self, loaded):
        given_ids = [values["id"] for _name, values in loaded if "id" in values]
        for record_id in given_ids:
            if not (record_id.isdigit() and int(record_id) > 0 and str(int(record_id)) == record_id):
                raise StateError(f"{self.NOUN} id {record_id!r} is not a positive whole number")
        if len(set(given_ids)) != len(given_ids):
            raise StateError(f"{self.NOUN} ids must be unique")
        # New ids come after every id the document gave.
        self.next_id = max((int(i) for i in given_ids), default=0) + 1

    def store(self, record, values):
        record = {"id": values.get("id") or self.allocate_id(), **record}
        self.records[record["id"]] = record

    def carry_over(self, previous):
        self.next_id = max(self.next_id, previous.next_id)
