# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The vocabulary of resource descriptions: field kinds, states, endpoints and fields."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

STR = "str"
INT = "int"
BOOL = "bool"
CHOICE = "choice"
LIST = "list"

MASK = "********"
MASK_CHANGED = "******** (changed)"

STATES = ("merged", "replaced", "overridden", "deleted", "gathered", "rendered")
RENAME_STATES = ("merged", "replaced", "overridden")

# The per-object option that names the key an object had before (renamed in place).
RENAME_FROM = "rename_from"
WRITE_STATES = ("merged", "replaced", "overridden", "deleted")

# Deleting accepts a comma list; keep each request to a size any firmware accepts.
DELETE_BATCH = 100

# Names the API passes in comma lists beside the word "all" (routes, trunks): (pattern, hint).
LISTED_NAME = (r"^(?!all$)[^,\s](?:[^,]*[^,\s])?$", "no comma, no leading or trailing blank, and not 'all'")

# The longest text written to the PBX. The reference gives no length for most texts; a value far
# beyond what the web interface's forms take (a pasted file) is refused before any write instead
# of failing midway, or being stored cut.
MAX_TEXT = 255


class ConfigError(Exception):
    """The desired state is invalid; raised before anything is sent to the PBX."""


class Endpoint:
    """One API call of a resource: its path and the name its key travels under.

    `key=None` on a query means "omit the key to read every object"; `all_value` is
    the literal some queries want instead (for example "all"). `key_from` names the field of
    the query answer whose value addresses the object on this call (an `id` the PBX assigns).
    `rename_as` names the field an update takes a new key under, on endpoints addressed by
    the key itself (an extension's `extnumber`); endpoints addressed by a handle rename
    through the key field.
    """

    def __init__(self, path, key=None, list_keys=(), all_value=None, batch=False, not_found=(), key_from=None,
                 rename_as=None):
        self.path = path
        self.rename_as = rename_as
        self.key = key
        self.key_from = key_from
        self.list_keys = tuple(list_keys)
        self.all_value = all_value
        self.batch = batch
        self.not_found = tuple(not_found)


class Field:
    """One module option and the API field behind it.

    kind            STR, INT, BOOL (the PBX says on/off), CHOICE (option word <-> PBX word),
                    or LIST (a comma-joined string on the wire).
    api             the name add/update take.
    reported_as     other names the query answer may use for it (misspellings included).
    choices         the values the option takes. CHOICE: {option value: PBX value};
                    INT: a list of numbers.
    reported_values CHOICE: extra PBX spellings (any case) of an option value.
    pattern         STR: the whole format; CHOICE: values accepted besides `choices`.
    between         INT: (lowest, highest) accepted.
    writable        values the API accepts when the field is written. Objects may hold other
                    values (set in the web interface); those read back and compare as they are.
    default         what `replaced`/`overridden` set when the option is left out; None means
                    "leave as it is" (for values the PBX generates, and for secrets).
    secret          never shown; compared according to update_password.
    ordered         LIST: the order means something (priority) and is compared.
    words           BOOL: how the PBX spells true and false for this field.
    runtime         also changed while the PBX runs (a phone's feature code): written only when
                    a task names it, never set back to a default, never in `gathered`.
    only_for        (selector option, values): the field belongs to objects whose selector has
                    one of these values (a trunk type's own fields); it is refused on the others
                    and never sent for them.
    sent_blank      with `only_for`: the API wants the field on every add and update, so objects
                    it does not belong to send it empty.
    written         STR: (pattern, hint) a value must match when the run writes it. Unlike
                    `pattern`, a value read from the PBX and left as it is is not held to it
                    (the web interface stores texts the API refuses).
    unique          no two objects may hold the same value (the PBX refuses the second).
    Every STR value written is at most MAX_TEXT characters.

    Contradictory arguments (a CHOICE without choices, `ordered` on a field that is not a list,
    a default that the field itself would refuse, ...) raise ValueError when the resource
    modules are imported, so a resource description cannot be half right.
    """

    def __init__(self, api, description, kind=STR, reported_as=(), choices=None, reported_values=None,
                 pattern=None, hint=None, default=None, secret=False, ordered=False, between=None,
                 words=("on", "off"), writable=None, runtime=False, only_for=None, sent_blank=False,
                 written=None, unique=False):
        self.api = api
        self.written = (re.compile(written[0], re.ASCII), written[1]) if written else None
        self.unique = unique
        self.runtime = runtime
        self.only_for = (only_for[0], tuple(only_for[1])) if only_for else None
        self.sent_blank = sent_blank
        self.writable = writable
        self.words = words
        self.description = description
        self.kind = kind
        self.read_names = tuple(reported_as) + (api,)
        self.choices = choices
        self.reported_values = dict((k.lower(), v) for k, v in (reported_values or {}).items())
        # Digits and words in ASCII only: Python matches \d against any script's digits, and the PBX does not.
        self.pattern = re.compile(pattern, re.ASCII) if pattern else None
        self.hint = hint
        self.default = default
        self.secret = secret
        self.ordered = ordered
        self.between = between
        self.name = None  # set by Resource
        for problem in self._contradictions():
            raise ValueError("Field %r: %s" % (api, problem))
        if kind == CHOICE:
            for option_value, api_value in choices.items():
                self.reported_values.setdefault(api_value.lower(), option_value)

    def _contradictions(self):
        kind = self.kind
        if kind not in (STR, INT, BOOL, CHOICE, LIST):
            yield "unknown kind %r" % kind
        if kind == CHOICE and not isinstance(self.choices, dict):
            yield "a CHOICE needs choices as {option value: PBX value}"
        if kind == INT and self.choices is not None and not all(isinstance(v, int) for v in self.choices):
            yield "the choices of an INT are numbers"
        if kind not in (CHOICE, INT) and self.choices is not None:
            yield "choices belong to CHOICE and INT fields"
        if self.reported_values and kind != CHOICE:
            yield "reported_values belong to CHOICE fields"
        if self.pattern is not None and kind not in (STR, CHOICE):
            yield "a pattern belongs to STR and CHOICE fields"
        if self.between is not None and kind != INT:
            yield "between belongs to INT fields"
        if self.ordered and kind != LIST:
            yield "only a LIST can be ordered"
        if self.words != ("on", "off") and kind != BOOL:
            yield "words belong to BOOL fields"
        if self.secret and self.default is not None:
            yield "a secret has no default (replaced leaves it as it is)"
        if self.runtime and self.default is not None:
            yield "a runtime field has no default (replaced never sets it back)"
        if self.sent_blank and self.only_for is None:
            yield "sent_blank needs only_for"
        if self.written is not None and kind != STR:
            yield "written belongs to STR fields"
        if self.default is not None and kind != LIST and self.check(self.default):
            yield "its default is refused by its own checks: %s" % self.check(self.default)
        for value in self.writable or ():
            if kind != LIST and self.check(value):
                yield "writable value %r is refused by its own checks" % (value,)

    # ---------------------------------------------------------------- wire format
    def to_api(self, value):
        if self.kind == BOOL:
            return self.words[0] if value else self.words[1]
        if self.kind == CHOICE:
            return self.choices.get(value, value)
        if self.kind == LIST:
            return ",".join(value)
        return str(value)

    def from_api(self, record):
        """The option value of this field in a PBX record (absent means unset)."""
        raw = None
        for name in self.read_names:
            if record.get(name) is not None:
                raw = record[name]
                break
        if raw is None:
            return {BOOL: False, STR: "", LIST: []}.get(self.kind)
        if self.kind == STR:
            # Text is compared exactly as the PBX stores it; blanks may be meaningful.
            return str(raw)
        raw = str(raw).strip()
        if self.kind == BOOL:
            return raw.lower() in (self.words[0], "on", "yes", "1", "true")
        if self.kind == INT:
            return int(raw) if raw.isdigit() else None
        if self.kind == CHOICE:
            if raw == "":
                return None
            return self.reported_values.get(raw.lower(), raw)
        if self.kind == LIST:
            return self.normalise([item.strip() for item in raw.split(",") if item.strip()])
        return raw

    # ---------------------------------------------------------------- desired values
    def normalise(self, value):
        if self.kind == LIST and not self.ordered:
            return sorted(set(value))
        if self.kind == LIST:
            return list(value)
        if self.kind == STR:
            return str(value)
        return value

    def check(self, value):
        """Return why a desired value is invalid, or None."""
        if self.kind == CHOICE and value not in self.choices:
            if not (self.pattern and self.pattern.fullmatch(str(value))):
                return "%r is not one of %s%s" % (value, ", ".join(sorted(self.choices)),
                                                  " or %s" % self.hint if self.hint else "")
        if self.kind == STR and self.pattern and not self.pattern.fullmatch(value):
            return "%s is not valid: %s" % ("the value" if self.secret else repr(value), self.hint)
        if self.kind == LIST and self.ordered:
            repeated = sorted(set(item for item in value if list(value).count(item) > 1))
            if repeated:
                return "lists %s more than once" % ", ".join(repr(item) for item in repeated)
        if self.kind == INT and self.between and not self.between[0] <= value <= self.between[1]:
            return "%r is out of range %d-%d" % (value, self.between[0], self.between[1])
        return None

    def write_problem(self, value):
        """Why the PBX would refuse `value` in an add or update, or None."""
        shown = "the value" if self.secret else repr(value)
        if self.writable and value not in self.writable:
            return "%s is not one of %s" % (shown, ", ".join(str(v) for v in self.writable))
        if self.kind != STR:
            return None
        if len(value) > MAX_TEXT:
            return "is %d characters long; the PBX takes at most %d" % (len(value), MAX_TEXT)
        if self.written is not None and not self.written[0].fullmatch(value):
            return "%s is not valid: %s" % (shown if len(value) <= 64 else "the value", self.written[1])
        return None

    def belongs_to(self, record):
        """Whether the field is part of an object like `record` (see `only_for`)."""
        if self.only_for is None:
            return True
        return record.get(self.only_for[0]) in self.only_for[1]

    def blank(self):
        """The value an unset field reads as."""
        return self.from_api({})

    def argument_spec(self):
        spec = {"type": {CHOICE: "str", LIST: "list"}.get(self.kind, self.kind)}
        if self.kind == LIST:
            spec["elements"] = "str"
        if self.kind == CHOICE and not self.pattern:
            spec["choices"] = sorted(self.choices)
        if self.kind == INT and self.choices:
            spec["choices"] = list(self.choices)
        if self.secret:
            spec["no_log"] = True
        return spec
