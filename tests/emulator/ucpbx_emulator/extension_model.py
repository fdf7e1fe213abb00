"""What an extension record holds, which values the device accepts, how
extension/query reports a record, and the table of extensions.

Records are stored under the names add/update use (``number``, ``mobile``,
``loginpassword``); the read-side names (``extnumber``, ``moblie``, ``userpassword``)
exist only in :func:`render_settings` and :func:`render_list_entry`.
"""

import re
import string
from dataclasses import dataclass
from typing import Callable, Optional, Union

from .errors import EXTENSION_CONFIG_FAILED, NO_SUCH_EXTENSION, ApiError
from .records import NumberedTable, StateError

ON_OFF = ("on", "off")
FORWARD_DESTINATIONS = ("Voicemail", "Extension", "Mobile Number", "Custom Number")
MONITOR_MODES = ("Disabled", "Disable", "Extensive", "Listen", "Whisper", "Barge-in")
RING_TIMEOUTS = ("15", "30", "60", "120", "300")
MAX_DURATION_WORDS = ("Follow System", "Unlimited")
EXTENSION_STATUSES = (
    "Unavailable", "Registered", "Ringing", "Busy", "Hold", "Malfunction", "Idle", "Fxsnoport",
)
REGISTER_PASSWORD_FORBIDDEN = set(";&\"'\\<>` ")
ALPHANUMERIC = string.ascii_letters + string.digits


class InvalidField(ValueError):
    """A value the device would refuse; ``field`` names the offending key."""

    def __init__(self, field, value, reason="invalid value"):
        super().__init__(f"{field}={value!r}: {reason}")
        self.field = field


# -- value checks ------------------------------------------------------------------

def any_text(value):
    return True


def one_of(*choices):
    return lambda value: value in choices


def one_of_ignoring_case(*choices):
    folded = {choice.lower() for choice in choices}
    return lambda value: value.lower() in folded


def digits(min_len, max_len):
    pattern = re.compile(r"[0-9]{%d,%d}" % (min_len, max_len))
    return lambda value: pattern.fullmatch(value) is not None


def int_between(low, high):
    return lambda value: value.isascii() and value.isdigit() and low <= int(value) <= high


def register_password(value):
    return 0 < len(value) <= 31 and not REGISTER_PASSWORD_FORBIDDEN.intersection(value)


def login_password(value):
    # Empty means "no portal password"; otherwise the user-portal length rule applies.
    return value == "" or 6 <= len(value) <= 63


def max_duration(value):
    return value in MAX_DURATION_WORDS or digits(1, 10)(value)


# -- defaults the device fills in ----------------------------------------------------

def random_text(alphabet, length):
    return lambda rng, number: "".join(rng.choice(alphabet) for _position in range(length))


def same_as_number(rng, number):
    return number


def report_monitor_mode(value):
    """The device reports its default mode as lowercase ``disable``; other modes keep
    their canonical spelling whatever case they were sent in."""
    folded = value.lower()
    if folded in ("disabled", "disable"):
        return "disable"
    for mode in MONITOR_MODES:
        if mode.lower() == folded:
            return mode
    return value


@dataclass(frozen=True)
class Field:
    name: str
    check: Callable[[str], bool]
    default: Union[str, Callable]
    # Key in the extension/query element; None when the device never reports it.
    reported_as: Optional[str] = None
    # The device leaves unset keys out of extension/query, except these.
    always_reported: bool = True
    # False for values the device owns (registration status...): add/update ignore them.
    settable: bool = True
    render: Callable[[str], str] = str

    def default_for(self, rng, number):
        return self.default(rng, number) if callable(self.default) else self.default


def _flag(name, default="off"):
    return Field(name, one_of(*ON_OFF), default, reported_as=name)


def _optional(name, check=any_text):
    """A key that is simply absent from extension/query while it is empty."""
    return Field(name, lambda value: value == "" or check(value), "", reported_as=name,
                 always_reported=False)


# Order = order of keys in an extension/query element.
FIELDS = (
    Field("number", digits(1, 7), "", reported_as="extnumber"),
    Field("username", any_text, "", reported_as="username"),
    Field("type", lambda value: value != "", "pjsip", reported_as="type", settable=False),
    Field("status", one_of(*EXTENSION_STATUSES), "Unavailable", reported_as="status",
          settable=False),
    Field("callerid", any_text, same_as_number, reported_as="callerid"),
    Field("registerpassword", register_password, random_text(ALPHANUMERIC, 12),
          reported_as="registerpassword"),
    Field("maxregistrations", int_between(1, 5), "1", reported_as="maxregistrations"),
    Field("loginpassword", login_password, random_text(ALPHANUMERIC, 8),
          reported_as="userpassword"),
    Field("email", any_text, "", reported_as="email"),
    Field("mobile", digits(0, 32), "", reported_as="moblie"),
    Field("language", any_text, "en", reported_as="language"),
    _flag("hasvoicemail", "on"),
    Field("vmsecret", digits(1, 32), random_text(string.digits, 4), reported_as="vmsecret"),
    _flag("enablevmtoemail"),
    _flag("noanswerforward"),
    _optional("ntransferto", one_of(*FORWARD_DESTINATIONS)),
    _optional("ntransferext"),
    _optional("ntransferprefix"),
    _optional("ntransfernum"),
    _flag("busyforward"),
    _optional("btransferto", one_of(*FORWARD_DESTINATIONS)),
    _optional("btransferext"),
    _optional("btransferprefix", digits(1, 7)),
    _optional("btransfernum", digits(1, 15)),
    _flag("enablemobile"),
    _flag("ringsimultaneous"),
    _optional("mobileprefix"),
    _flag("allowbeingmonitored"),
    Field("monitormode", one_of_ignoring_case(*MONITOR_MODES), "Disabled",
          reported_as="monitormode", render=report_monitor_mode),
    _optional("ringtimeout", one_of(*RING_TIMEOUTS)),
    Field("maxduration", max_duration, "Follow System", reported_as="maxduration"),
    _flag("dnd"),
    # Accepted by add (one version of the docs lists it) but absent from query output.
    Field("nat", one_of("yes", "no"), "no"),
    # Shown by extensionlist/query only; the device assigns it (call-centre agents).
    Field("agentid", any_text, "", settable=False),
)
FIELDS_BY_NAME = {field.name: field for field in FIELDS}
SETTABLE = tuple(field.name for field in FIELDS if field.settable and field.name != "number")


def pick_settable(body):
    """The add/update keys of a request body; unknown keys (Yeastar-only ones such as
    ``registername``) are dropped the way the device ignores them."""
    return {name: body[name] for name in SETTABLE if name in body}


def check_values(values):
    """Raise :class:`InvalidField` for the first value the device would refuse."""
    for name, value in values.items():
        field = FIELDS_BY_NAME[name]
        if not isinstance(value, str) or not field.check(value):
            raise InvalidField(name, value)


def check_record(record):
    """Rules that span several keys of the finished record."""
    if record["btransferto"] == "Custom Number" and not record["btransfernum"]:
        raise InvalidField("btransfernum", "", "required when btransferto is Custom Number")


def build_record(number, values, rng):
    """A complete record: the given values over the defaults the device would pick.

    Random defaults are drawn only for keys not given, so a seeded RNG makes the same
    sequence of requests produce the same records.
    """
    check_values({"number": number, **values})
    record = {}
    for field in FIELDS:
        if field.name == "number":
            record["number"] = number
        elif field.name in values:
            record[field.name] = values[field.name]
        else:
            record[field.name] = field.default_for(rng, number)
    check_record(record)
    return record


def render_settings(record):
    """One element of extension/query's ``extinfos``."""
    element = {}
    for field in FIELDS:
        if field.reported_as is None:
            continue
        value = record[field.name]
        if value == "" and not field.always_reported:
            continue
        element[field.reported_as] = field.render(value)
    return element


def render_list_entry(record):
    """One element of extensionlist/query's ``extlist``."""
    return {
        "extnumber": record["number"],
        "status": record["status"],
        "type": record["type"],
        "username": record["username"],
        "agentid": record["agentid"],
    }


def _checked(action):
    """Run a validation step, turning a refused value into the device's 10017."""
    try:
        return action()
    except InvalidField as exc:
        raise ApiError(EXTENSION_CONFIG_FAILED) from exc


class ExtensionTable(NumberedTable):
    """Extensions keyed by number. Every write validates fully before it changes
    anything, so a refused request leaves the table as it was."""

    NOUN = "extension"
    KEY = "number"
    FIELDS = tuple(FIELDS_BY_NAME)
    NOT_FOUND = NO_SUCH_EXTENSION
    # Refused rather than cascaded, so no route, queue or paging group dangles.
    IN_USE = EXTENSION_CONFIG_FAILED

    def add(self, number, values, rng, capacity):
        # The device answers 10017 both for a taken number and for a full system.
        if number in self.records or len(self.records) >= capacity:
            raise ApiError(EXTENSION_CONFIG_FAILED)
        self.records[number] = _checked(lambda: build_record(number, values, rng))

    def update(self, extid, values, new_number=None):
        current = self.get(extid)
        number = extid if new_number is None else new_number
        if number != extid and number in self.records:
            raise ApiError(EXTENSION_CONFIG_FAILED)
        updated = {**current, **values, "number": number}

        def check():
            check_values({"number": number, **values})
            check_record(updated)

        _checked(check)
        del self.records[extid]
        self.records[number] = updated

    def stored_record(self, key, values, rng):
        """Keys left out get the same defaults as extension/add, and device-owned keys
        (status, type, agentid) may be set here."""
        try:
            return build_record(key, {k: v for k, v in values.items() if k != "number"}, rng)
        except InvalidField as exc:
            raise StateError(f"extension {key}: {exc}") from exc
