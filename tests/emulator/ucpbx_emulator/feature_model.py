"""Numbered call features: queues, IVRs, conference rooms and paging
groups (OpenVox UC API: Queues, IVR, Conference, Paging Group).

Queues, IVRs and conference rooms are made in the device's web UI, so the API can only
query and update them; the emulator seeds a few and a state document can replace them.
Paging groups can also be added and deleted.

Each table keeps records keyed by their number, listed in numeric order, under the
names the query endpoint reports.
"""

from .errors import (IVR_CONFIG_FAILED, MISSING_PARAMETER, NO_SUCH_EXTENSION, NO_SUCH_IVR, NO_SUCH_QUEUE,
                     NO_SUCH_RING_GROUP, NUMBER_NOT_FOUND, QUEUE_CONFIG_FAILED, ApiError)
from .records import NumberedTable, StateError, is_digits, is_number, member_list
from .registry import require, split_list

ON_OFF = ("on", "off")


def one_of(*choices):
    return lambda value: value in choices


def any_text(value):
    return True


# A default that is the record's own number (a name not set yet).
OWN_NUMBER = object()


class FeatureTable(NumberedTable):
    """Records keyed by a number; subclasses give their fields with defaults, and the rules."""

    # Record keys -> default, in the order the query endpoint reports them; the first is KEY.
    DEFAULTS = {}
    INVALID = ""             # errno for a value the update endpoint refuses
    # Update-time checks: key -> predicate. Keys absent here are read-only over the API.
    CHECKS = {}
    # Keys whose value is a comma list of extension numbers.
    EXTENSION_LISTS = ()
    EXTENSION_LIST_ERRNO = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.FIELDS = tuple(cls.DEFAULTS)
        cls.KEY = cls.FIELDS[0]

    def complete(self, values):
        number = values[self.KEY]
        defaults = {key: number if default is OWN_NUMBER else default
                    for key, default in self.DEFAULTS.items()}
        return {**defaults, **values}

    def checked_values(self, body, extensions):
        """The updatable keys of a request body, each checked; a bad one raises INVALID."""
        values = {}
        for key, check in self.CHECKS.items():
            if key not in body:
                continue
            if key in self.EXTENSION_LISTS:
                values[key] = member_list(body[key], extensions, self.EXTENSION_LIST_ERRNO,
                                          self.INVALID)
            elif not check(body[key]):
                raise ApiError(self.INVALID, f"{key} {body[key]!r}")
            else:
                values[key] = body[key]
        return values

    def update(self, number, body, extensions):
        """Partial update: keys not sent keep their value."""
        current = self.get(number)
        values = self.checked_values(body, extensions)
        self.check_record({**current, **values}, number)
        self.records[number] = {**current, **values}

    def check_record(self, record, number):
        """Rules spanning several records (unique names...); none by default."""

    def members_of(self, record):
        return {member for key in self.EXTENSION_LISTS for member in split_list(record[key])}

    def uses_extension(self, number):
        return any(number in self.members_of(record) for record in self.records.values())

    def broken_reference(self, record, state):
        missing = self.members_of(record) - set(state.extensions.records)
        return f"no extensions {sorted(missing)}" if missing else None

    def stored_record(self, key, values, rng):
        if not is_number(key):
            raise StateError(f"{self.NOUN} {key}: the number must be digits")
        record = self.complete(values)
        self.check_stored(record)
        for field in self.EXTENSION_LISTS:
            # Existence is checked with the whole state, once every part is loaded.
            record[field] = member_list(record[field], split_list(record[field]),
                                        self.EXTENSION_LIST_ERRNO, self.INVALID)
        self.check_record(record, key)
        return record

    def check_stored(self, record):
        """Per-record rules a stored record must meet; none by default."""


# -- queues --------------------------------------------------------------------------

RING_STRATEGIES = ("Ring All", "Least Recent", "Fewest Calls", "Random", "Rrmemory", "Linear")
QUEUE_TIMES = ("10", "20", "30", "40", "50")
MAX_WAIT_TIMES = ("300", "600", "900", "1200", "1800")
ANNOUNCE_FREQUENCIES = ("0", "15", "30", "45", "60", "120", "180", "240", "300", "600", "1200")


class QueueTable(FeatureTable):
    NOUN = "queue"
    DEFAULTS = {
        "queuenumber": OWN_NUMBER, "queuename": OWN_NUMBER, "password": "",
        "ringstrategy": "Ring All", "agents": "", "dynamicagents": "", "agenttimeout": "30",
        "agentannounce": "", "wrapuptime": "10", "retry": "10", "musiconhold": "Inherit",
        "maxwaittime": "300", "joinempty": "on", "leavewhenempty": "off", "announcepos": "off",
        "announcefreq": "0", "announceholdtime": "off",
    }
    NOT_FOUND = NO_SUCH_QUEUE
    INVALID = QUEUE_CONFIG_FAILED
    # agentannounce and musiconhold are query-only: update ignores them.
    CHECKS = {
        "queuename": lambda value: value != "",
        # Agents type the dynamic-agent password on a phone keypad.
        "password": is_digits,
        "ringstrategy": one_of(*RING_STRATEGIES),
        "agents": any_text,
        "dynamicagents": any_text,
        "agenttimeout": one_of(*QUEUE_TIMES),
        "wrapuptime": one_of(*QUEUE_TIMES),
        "retry": one_of(*QUEUE_TIMES),
        "maxwaittime": one_of(*MAX_WAIT_TIMES),
        "joinempty": one_of(*ON_OFF),
        "leavewhenempty": one_of(*ON_OFF),
        "announcepos": one_of(*ON_OFF),
        "announcefreq": one_of(*ANNOUNCE_FREQUENCIES),
        "announceholdtime": one_of(*ON_OFF),
    }
    EXTENSION_LISTS = ("agents", "dynamicagents")
    EXTENSION_LIST_ERRNO = QUEUE_CONFIG_FAILED
    # A fresh device has queues made in its web UI (the API cannot create them), but no
    # extensions yet, so no agents. Seeds give what differs from DEFAULTS.
    SEED = (
        {"queuenumber": "6700", "queuename": "sales", "password": "1357"},
        {"queuenumber": "6701", "queuename": "support", "password": "2468", "agenttimeout": "20",
         "maxwaittime": "600"},
    )


# -- IVRs ------------------------------------------------------------------------------

IVR_NAME_FORBIDDEN = set("!$()/#;,[]\"=<>&'`^%@{}| ")


def ivr_name(value):
    return 1 <= len(value) <= 31 and not IVR_NAME_FORBIDDEN.intersection(value)


class IvrTable(FeatureTable):
    NOUN = "IVR"
    DEFAULTS = {"ivrid": OWN_NUMBER, "ivrname": OWN_NUMBER, "prompt": "", "promptrepeat": "2",
                "responsetimeout": "4"}
    NOT_FOUND = NO_SUCH_IVR
    INVALID = IVR_CONFIG_FAILED
    # prompt is query-only: update ignores it.
    CHECKS = {
        "ivrname": ivr_name,
        "promptrepeat": one_of(*(str(n) for n in range(1, 6))),
        "responsetimeout": one_of(*(str(n) for n in range(1, 11))),
    }
    SEED = (
        {"ivrid": "6500", "ivrname": "daytime", "prompt": "welcome1"},
        {"ivrid": "6501", "ivrname": "night", "prompt": "afterhours", "promptrepeat": "1",
         "responsetimeout": "3"},
    )

    def select_by_number_or_name(self, selector):
        """ivr/query matches each item against the IVR number and the IVR name."""
        items = split_list(selector)
        matched = set()
        for item in items:
            hits = {r["ivrid"] for r in self.records.values() if item in (r["ivrid"], r["ivrname"])}
            if not hits:
                raise ApiError(NO_SUCH_IVR)
            matched |= hits
        return [record for record in self.sorted_records() if record["ivrid"] in matched]

    def check_stored(self, record):
        # The ivrname rule is the API's (ivr/update); a device may hold any name its web
        # interface stored, and a stored IVR needs only a name queries can match.
        if record["ivrname"] == "":
            raise ApiError(IVR_CONFIG_FAILED, "ivrname must not be empty")

    def check_record(self, record, number):
        # Queries match names as well as numbers, so two IVRs must not share a name.
        if any(other["ivrname"] == record["ivrname"] for key, other in self.records.items()
               if key != number):
            raise ApiError(IVR_CONFIG_FAILED, f"ivrname {record['ivrname']!r} is taken")


# -- conference rooms ------------------------------------------------------------------

CONFERENCE_NAME_FORBIDDEN = set("&'<>`|$]\\\"")
# The API has no conference error codes; see the README for why these two were chosen.
CONFERENCE_NOT_FOUND = NUMBER_NOT_FOUND
CONFERENCE_INVALID = MISSING_PARAMETER


def conference_name(value):
    return value != "" and not CONFERENCE_NAME_FORBIDDEN.intersection(value)


class ConferenceTable(FeatureTable):
    NOUN = "conference"
    DEFAULTS = {"number": OWN_NUMBER, "name": OWN_NUMBER, "participantepassword": "",
                "moderatorpassword": "", "waitformoderator": "no"}
    NOT_FOUND = CONFERENCE_NOT_FOUND
    INVALID = CONFERENCE_INVALID
    CHECKS = {
        "name": conference_name,
        "participantepassword": is_digits,
        "moderatorpassword": is_digits,
        "waitformoderator": one_of("yes", "no"),
    }
    SEED = (
        {"number": "6400", "name": "Sales", "participantepassword": "1234", "moderatorpassword": "9876"},
        {"number": "6401"},
    )

    def check_stored(self, record):
        # Rooms are created in the web UI ("Modify meeting room": "Changes a room created in the
        # web UI"), so a stored name is any text but empty; the API's name rule is conference/update's.
        for key, check in self.CHECKS.items():
            if not (record[key] != "" if key == "name" else check(record[key])):
                raise ApiError(self.INVALID, f"{key} {record[key]!r}")


# -- paging groups ---------------------------------------------------------------------

PAGING_TYPES = ("paging", "intercom")
# Like conference rooms, paging groups have no error codes of their own.
PAGING_NOT_FOUND = NUMBER_NOT_FOUND
PAGING_INVALID = MISSING_PARAMETER


class PagingGroupTable(FeatureTable):
    NOUN = "paging group"
    DEFAULTS = {"number": OWN_NUMBER, "name": OWN_NUMBER, "type": "paging", "member": ""}
    NOT_FOUND = PAGING_NOT_FOUND
    INVALID = PAGING_INVALID
    # An empty name or member list is refused like a missing one (add requires both).
    CHECKS = {
        "name": lambda value: value != "",
        "type": one_of(*PAGING_TYPES),
        "member": lambda value: split_list(value) != [],
    }
    EXTENSION_LISTS = ("member",)
    EXTENSION_LIST_ERRNO = NO_SUCH_EXTENSION

    def checked_values(self, body, extensions):
        if "member" in body and not split_list(body["member"]):
            raise ApiError(PAGING_INVALID, "member must not be empty")
        return super().checked_values(body, extensions)

    def add(self, body, state):
        number, _name, _kind, _member = require(body, "number", "name", "type", "member")
        if not is_number(number) or number in self.records:
            raise ApiError(PAGING_INVALID, f"number {number!r} is not a free number")
        values = self.checked_values(body, state.extensions.records)
        self.records[number] = {"number": number, **{key: values[key] for key in self.FIELDS[1:]}}

    def check_stored(self, record):
        if record["type"] not in PAGING_TYPES:
            raise ApiError(PAGING_INVALID, f"type {record['type']!r}")
        if record["name"] == "":
            raise ApiError(PAGING_INVALID, "name must not be empty")


# -- ring groups ---------------------------------------------------------------------------

class RingGroupTable(FeatureTable):
    """Ring groups are made in the web UI and the API has no endpoint to read or change
    them; they only exist here as the targets of ringgroup/dial_outbound (and of inbound
    routes). Members ring one at a time in the simulator (the first free one)."""

    NOUN = "ring group"
    DEFAULTS = {"number": OWN_NUMBER, "name": OWN_NUMBER, "members": ""}
    # "Ring group does not exist" (the error code table, ../shared/api/reference-part1.md:618).
    NOT_FOUND = NO_SUCH_RING_GROUP
    INVALID = MISSING_PARAMETER
    EXTENSION_LISTS = ("members",)
    EXTENSION_LIST_ERRNO = NO_SUCH_EXTENSION


def render_paging_list_entry(record):
    return {"number": record["number"], "name": record["name"]}
