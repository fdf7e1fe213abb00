# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The declarative engine shared by every resource module.

A resource is described as data (`Resource`, `Field`, `Endpoint`). The engine turns PBX
records into option-shaped records, compares them with the desired state, plans the
add/update/delete calls and applies them. Nothing here knows about a particular resource.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.openvox.ucpbx.plugins.module_utils.errors import PbxApiError

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

    Contradictory arguments (a CHOICE without choices, `ordered` on a field that is not a list,
    a default that the field itself would refuse, ...) raise ValueError when the resource
    modules are imported, so a resource description cannot be half right.
    """

    def __init__(self, api, description, kind=STR, reported_as=(), choices=None, reported_values=None,
                 pattern=None, hint=None, default=None, secret=False, ordered=False, between=None,
                 words=("on", "off"), writable=None, runtime=False, only_for=None, sent_blank=False):
        self.api = api
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
        self.pattern = re.compile(pattern) if pattern else None
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
        if self.kind == INT and self.between and not self.between[0] <= value <= self.between[1]:
            return "%r is out of range %d-%d" % (value, self.between[0], self.between[1])
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


class KeySource:
    """A light read that lists the keys (and optionally the kind) of existing objects.

    Used to check references between resources and to find objects the API lists but
    cannot configure.
    """

    def __init__(self, label, endpoint, key_api, kind_api=None):
        self.label = label
        self.endpoint = endpoint
        self.key_api = key_api
        self.kind_api = kind_api

    def read(self, client):
        endpoint = self.endpoint
        body = {endpoint.key: endpoint.all_value} if endpoint.key and endpoint.all_value else {}
        answer = client.call(endpoint.path, body, subject="all %s" % self.label)
        for list_key in endpoint.list_keys:
            if isinstance(answer.get(list_key), list):
                return dict((str(item.get(self.key_api, "")), str(item.get(self.kind_api, "")) if self.kind_api else "")
                            for item in answer[list_key] if isinstance(item, dict))
        return {}


class Reference:
    """The values of `field` must name existing objects.

    `targets` is a KeySource, or {value of the `selector` field: KeySource} when what the
    field names depends on another field (an inbound route's destination type).
    """

    def __init__(self, field, targets, selector=None):
        self.field = field
        self.targets = targets
        self.selector = selector

    def target_for(self, record):
        if self.selector is None:
            return self.targets
        return self.targets.get(record.get(self.selector))

    def names(self, record):
        value = record.get(self.field)
        if value in (None, "", []):
            return []
        return list(value) if isinstance(value, list) else [value]


class ReadOnlyKinds:
    """Objects the PBX lists (through `source`) but whose kind the API cannot configure.

    `kinds` maps the PBX's word for such a kind to the value of `field` that represents it
    in gathered output; config entries with that value are accepted (so gathered output can
    be fed back) and only checked to exist.
    """

    def __init__(self, source, field, kinds):
        self.source = source
        self.field = field
        self.kinds = dict((k.lower(), v) for k, v in kinds.items())

    def option_kind(self, pbx_kind):
        return self.kinds.get(pbx_kind.lower())


class Snapshot(dict):
    """Records by key, plus the PBX-assigned handles (ids) some endpoints are addressed by."""

    def __init__(self, *args, **kwargs):
        super(Snapshot, self).__init__(*args, **kwargs)
        self.handles = {}


class Resource:
    """A PBX resource described as data; see plugins/module_utils/resources/."""

    def __init__(self, name, key, fields, query, add=None, update=None, delete=None, full_update=False,
                 required_if=(), required_when=(), references=(), read_only=None, create_requires=()):
        self.name = name
        self.create_requires = tuple(create_requires)
        self.required_if = tuple(required_if)
        self.required_when = tuple(required_when)
        self.references = tuple(references)
        self.read_only = read_only
        self.key = key
        self.fields = fields
        for option_name, field in fields.items():
            field.name = option_name
        self.query = query
        self.add = add
        self.update = update
        self.delete = delete
        self.full_update = full_update
        for problem in self._contradictions():
            raise ValueError("Resource %r: %s" % (name, problem))

    def _contradictions(self):
        fields = self.fields
        if self.key not in fields:
            yield "key %r is not a field" % self.key
        if self.add is not None and (self.delete is None or self.update is None):
            yield "a resource the API creates also needs update and delete endpoints"
        if self.add is None and self.delete is not None:
            yield "a delete endpoint without an add endpoint"
        if self.full_update and self.update is None:
            yield "full_update without an update endpoint"
        if self.update is not None and self.update.rename_as and self.update.key_from:
            yield "an update addressed by a handle renames through the key field, not rename_as"
        named = [rule[0] for rule in self.required_if] + [rule[0] for rule in self.required_when]
        named += [name for rule in tuple(self.required_if) + tuple(self.required_when) for name in rule[2]]
        named += list(self.create_requires) + [reference.field for reference in self.references]
        named += [reference.selector for reference in self.references if reference.selector]
        if self.read_only is not None:
            named.append(self.read_only.field)
        for name in named:
            if name not in fields:
                yield "%r is named in a rule but is not a field" % name
        for name, field in fields.items():
            if field.only_for is None:
                continue
            selector, values = field.only_for[0], field.only_for[1]
            if selector not in fields or fields[selector].kind != CHOICE:
                yield "%s: only_for needs a CHOICE field, not %r" % (name, selector)
            elif set(values) - set(fields[selector].choices):
                yield "%s: only_for names values %s has not" % (name, selector)
        if fields[self.key].secret if self.key in fields else False:
            yield "the key cannot be a secret"

    @property
    def key_field(self):
        return self.fields[self.key]

    @property
    def creatable(self):
        """Whether the API creates and deletes these objects (others are made in the web interface)."""
        return self.add is not None

    @property
    def secret_fields(self):
        return [name for name, field in self.fields.items() if field.secret]

    def label(self, key):
        return "%s %s" % (self.name, key)

    def states(self):
        if not self.creatable:
            return ("merged", "replaced", "gathered", "rendered")
        return STATES

    # ---------------------------------------------------------------- records
    def from_api(self, item):
        record = {}
        for name, field in self.fields.items():
            value = field.from_api(item)
            if value is not None:
                record[name] = value
        record[self.key] = str(record.get(self.key, ""))
        return record

    def to_api(self, record, endpoint, key, whole=None, renamed_to=None):
        """The request body for `endpoint` carrying `record` (option names -> API names).

        `key` is the object's key, or its handle on endpoints addressed by one; the key then
        travels as an ordinary field. `whole` is the complete object when `record` holds only
        some of its fields: it decides which type-specific fields belong. `renamed_to` is the
        object's new key on an update that renames it.
        """
        whole = record if whole is None else whole
        body = {endpoint.key: key} if endpoint.key else {}
        for name, field in self.fields.items():
            if field.only_for and not field.belongs_to(whole):
                if field.sent_blank:
                    body[field.api] = ""
                continue
            value = record.get(name)
            if value is None:
                continue
            if name == self.key and not endpoint.key_from:
                continue
            body[field.api] = field.to_api(value)
        if renamed_to is not None and endpoint.rename_as:
            body[endpoint.rename_as] = renamed_to
        return body

    def with_defaults(self, record):
        full = dict((name, field.default) for name, field in self.fields.items() if field.default is not None)
        full.update(record)
        return dict((name, value) for name, value in full.items()
                    if name in record or self.fields[name].belongs_to(full))

    def without_foreign_fields(self, record):
        """`record` with the fields that do not belong to its type blanked (after a type change)."""
        return dict((name, value if self.fields[name].belongs_to(record) else self.fields[name].blank())
                    for name, value in record.items())

    def misplaced(self, name, value, record):
        """Why `name` cannot be set on an object like `record` (a field of another type), or None."""
        field = self.fields[name]
        if field.only_for is None or value in (None, "", []):
            return None
        selector, values = field.only_for[0], field.only_for[1]
        if selector not in record or field.belongs_to(record):
            return None
        return "is not used when %s is %s (only with %s)" % (selector, record[selector], ", ".join(values))

    @property
    def renamable(self):
        update = self.update
        return update is not None and bool(update.key_from or update.rename_as)

    def gathered_view(self, record):
        """Option-format record as a user would write it: no secrets, no defaults, no blanks.

        Leaving out a value equal to the default, or a blank value of an option without a
        default, loses nothing: `replaced` puts the default back and leaves the other alone.
        """
        view = {}
        for name, value in record.items():
            field = self.fields[name]
            if field.secret or field.runtime or value is None or not field.belongs_to(record):
                continue
            if name != self.key:
                if field.default is not None and value == field.default:
                    continue
                if field.default is None and value in ("", []):
                    continue
            view[name] = value
        return view

    def masked(self, record, changed=()):
        view = dict(record)
        for name in self.secret_fields:
            if view.get(name) not in (None, ""):
                view[name] = MASK_CHANGED if name in changed else MASK
        return view

    # ---------------------------------------------------------------- desired state
    def desired(self, config):
        """Validate and normalise the `config` list; every problem is reported at once."""
        problems = []
        records = []
        seen = set()
        renamed = {}
        for index, item in enumerate(config or []):
            item = dict((k, v) for k, v in (item or {}).items() if v is not None)
            old_key = item.pop(RENAME_FROM, None)
            key = item.get(self.key)
            where = "config[%d]" % index
            if key in (None, ""):
                problems.append("%s: %s is required" % (where, self.key))
                continue
            key = str(key)
            where = "%s (%s)" % (where, self.label(key))
            if key in seen:
                problems.append("%s: %s %s appears more than once" % (where, self.key, key))
            seen.add(key)
            record = {}
            for name, value in item.items():
                field = self.fields[name]
                if name == self.key:
                    value = key
                problem = field.check(value) or self.misplaced(name, value, item)
                if problem:
                    problems.append("%s: %s %s" % (where, name, problem))
                    continue
                record[name] = field.normalise(value)
            if old_key not in (None, ""):
                old_key = str(old_key)
                problem = self.key_field.check(old_key) if self.renamable else "is not supported: the PBX API cannot rename a %s" % self.name
                if problem is None and old_key == key:
                    problem = "is the same as %s" % self.key
                if problem is None and old_key in renamed:
                    problem = "%s is already renamed by config entry %s" % (old_key, renamed[old_key])
                if problem:
                    problems.append("%s: %s %s" % (where, RENAME_FROM, problem))
                else:
                    renamed[old_key] = key
                    record[RENAME_FROM] = old_key
            records.append(record)
        for record in records:
            if record.get(RENAME_FROM) in seen:
                problems.append("%s: %s %s is also an object of this config; an object cannot be both kept and renamed"
                                % (self.label(record[self.key]), RENAME_FROM, record[RENAME_FROM]))
        if problems:
            raise ConfigError("invalid config, nothing was changed on the PBX: " + "; ".join(problems))
        return records


class Operation:
    """One add, update or delete of one object; an update with `renamed_from` also renames it."""

    def __init__(self, verb, key, fields, before, after, handle=None, renamed_from=None):
        self.handle = handle
        self.renamed_from = renamed_from
        self.verb = verb
        self.key = key
        self.fields = fields
        self.before = before
        self.after = after


def read_all(client, resource, keys=None):
    """Objects of the resource in one request, as option-shaped records by key.

    Without `keys` every object is read (the query endpoints return all of them).
    """
    query = resource.query
    if keys and query.key:
        body = {query.key: ",".join(keys)}
    else:
        body = {query.key: query.all_value} if query.key and query.all_value else {}
    answer = client.call(query.path, body, subject=resource.label(",".join(keys)) if keys else "all %ss" % resource.name)
    items = []
    for list_key in query.list_keys:
        if isinstance(answer.get(list_key), list):
            items = answer[list_key]
            break
    handle_from = resource.update.key_from if resource.update is not None else None
    records = Snapshot()
    for item in items:
        if isinstance(item, dict):
            record = resource.from_api(item)
            records[record[resource.key]] = record
            if handle_from:
                records.handles[record[resource.key]] = str(item.get(handle_from, ""))
    return records


def split_read_only(client, resource, desired, actual, list_all=False):
    """Separate config entries that stand for objects the API cannot configure.

    Returns the entries to plan with, and the read-only objects found (option-shaped). The
    listing is read only when it can matter: when asked to, when the config holds read-only
    entries, or when it names objects the resource's own query did not return.
    """
    read_only = resource.read_only
    if read_only is None:
        return desired, {}
    kinds = set(read_only.kinds.values())
    echoes = [record for record in desired if record.get(read_only.field) in kinds]
    echo_keys = set(record[resource.key] for record in echoes)
    unknown = [record for record in desired if record[resource.key] not in echo_keys and record[resource.key] not in actual]
    if not (list_all or echoes or unknown):
        return desired, {}
    listing = read_only.source.read(client)
    found = {}
    for name, pbx_kind in listing.items():
        option_kind = read_only.option_kind(pbx_kind)
        if option_kind:
            found[name] = {resource.key: name, read_only.field: option_kind}
    problems = []
    for record in echoes:
        key = record[resource.key]
        if found.get(key) != {resource.key: key, read_only.field: record[read_only.field]}:
            problems.append("%s: no %s %s %s on the PBX (%s=%s objects cannot be created through the API)"
                            % (resource.label(key), record[read_only.field], resource.name, key,
                               read_only.field, record[read_only.field]))
        extra = sorted(set(record) - set([resource.key, read_only.field]))
        if extra:
            problems.append("%s: %s cannot be set on a %s %s through the API"
                            % (resource.label(key), ", ".join(extra), record[read_only.field], resource.name))
    for record in unknown:
        key = record[resource.key]
        if key in found:
            problems.append("%s is a %s %s, which the API cannot configure"
                            % (resource.label(key), found[key][read_only.field], resource.name))
    if problems:
        raise ConfigError("invalid config, nothing was changed on the PBX: " + "; ".join(problems))
    return [record for record in desired if record[resource.key] not in echo_keys], found


def missing_references(client, resource, operations, planned=None):
    """Names that the records about to be written refer to but the PBX does not have.

    Each referenced kind of object is read once, and only when a write refers to it. `planned`
    maps a kind's label to the keys an earlier step of the same run creates.
    """
    listings = {}
    problems = []
    for operation in operations:
        if operation.after is None:
            continue
        for reference in resource.references:
            touched = set([reference.field, reference.selector]) & set(operation.fields)
            target = reference.target_for(operation.after)
            if not touched or target is None:
                continue
            if target.label not in listings:
                listings[target.label] = set(target.read(client)) | set((planned or {}).get(target.label, ()))
            for name in reference.names(operation.after):
                if name not in listings[target.label]:
                    problems.append("%s: %s %r does not exist on the PBX (no such %s)"
                                    % (resource.label(operation.key), reference.field, name, target.label))
    return problems


def _differs(resource, name, wanted, actual_record, update_password):
    field = resource.fields[name]
    if field.secret and update_password == "on_create":
        return False
    return actual_record.get(name, field.from_api({})) != wanted


def plan(resource, desired, actual, state, update_password="always", allow_delete_all=False):
    """The operations that take the PBX from `actual` to `desired` under `state`."""
    operations = []
    handles = getattr(actual, "handles", {})
    wanted_keys = [record[resource.key] for record in desired]
    renames = dict((record[resource.key], record[RENAME_FROM]) for record in desired if RENAME_FROM in record)
    if renames and state not in RENAME_STATES:
        raise ConfigError("%s is used with state %s, not %s; nothing was changed"
                          % (RENAME_FROM, ", ".join(RENAME_STATES), state))
    # A rename whose new key exists has been done (an earlier run); only a pending one renames.
    renames = dict((key, old) for key, old in renames.items() if key not in actual and old in actual)
    if state in ("merged", "replaced", "overridden"):
        missing = [key for key in wanted_keys if key not in actual and key not in renames]
        if missing and not resource.creatable:
            raise ConfigError(
                "%s cannot be created through the PBX API and do not exist: %s; nothing was changed"
                % (resource.name + "s", ", ".join(missing)))
        for record in desired:
            key = record[resource.key]
            record = dict((name, value) for name, value in record.items() if name != RENAME_FROM)
            target = record if state == "merged" else resource.with_defaults(record)
            old_key = renames.get(key)
            have = actual.get(old_key or key)
            if have is None:
                operations.append(Operation("add", key, target, None, dict(target)))
                continue
            changes = dict((name, value) for name, value in target.items()
                           if name != resource.key and _differs(resource, name, value, have, update_password))
            if changes or old_key:
                after = dict(have)
                after.update(changes)
                after[resource.key] = key
                after = resource.without_foreign_fields(after)
                if old_key:
                    changes[resource.key] = key
                operations.append(Operation("update", key, changes, have, after,
                                            handle=handles.get(old_key or key), renamed_from=old_key))
    renamed_away = set(renames.values())
    if state == "overridden":
        if not desired and actual and not allow_delete_all:
            raise ConfigError("state=overridden with an empty config would delete every %s; "
                              "set allow_delete_all=true to do that" % resource.name)
        wanted = set(wanted_keys)
        doomed = [key for key in actual if key not in wanted and key not in renamed_away]
    elif state == "deleted":
        if not desired and not allow_delete_all:
            raise ConfigError("state=deleted without config deletes every %s; set allow_delete_all=true "
                              "to do that, or list the objects to delete" % resource.name)
        doomed = [key for key in wanted_keys if key in actual] if desired else list(actual)
    else:
        doomed = []
    for key in sorted(doomed, key=natural_key):
        operations.append(Operation("delete", key, {}, actual[key], None, handle=handles.get(key)))
    check_required_when(resource, operations)
    return operations


def check_required_when(resource, operations):
    """Conditional requirements and accepted values of what each add/update writes."""
    problems = []
    for operation in operations:
        if operation.after is None:
            continue
        if operation.verb == "add":
            missing = [name for name in resource.create_requires if operation.after.get(name) in (None, "", [])]
            if missing:
                problems.append("%s does not exist and creating it needs %s" % (resource.label(operation.key), ", ".join(missing)))
        for name, value in operation.fields.items():
            problem = resource.misplaced(name, value, operation.after)
            if problem:
                problems.append("%s: %s %s" % (resource.label(operation.key), name, problem))
            writable = resource.fields[name].writable
            if writable and value not in writable:
                problems.append("%s: %s %r is not one of %s" % (resource.label(operation.key), name, value,
                                                                ", ".join(str(v) for v in writable)))
        for field, value, needed in resource.required_when:
            if operation.after.get(field) != value:
                continue
            missing = [name for name in needed if operation.after.get(name) in (None, "", [])]
            if missing:
                problems.append("%s: %s=%s needs %s" % (resource.label(operation.key), field, value, ", ".join(missing)))
    if problems:
        raise ConfigError("invalid config, nothing was changed on the PBX: " + "; ".join(problems))


def natural_key(key):
    return (0, int(key), "") if key.isdigit() else (1, 0, key)


def requests_for(resource, operations):
    """Group operations into API requests: (endpoint, body, operations, subject)."""
    batch = []
    for operation in operations:
        if operation.verb == "add":
            body = resource.to_api(operation.fields, resource.add, operation.key, whole=operation.after)
            yield resource.add, body, [operation], resource.label(operation.key)
        elif operation.verb == "update":
            record = dict(operation.after) if resource.full_update else operation.fields
            address = operation.handle if resource.update.key_from else (operation.renamed_from or operation.key)
            body = resource.to_api(record, resource.update, address, whole=operation.after,
                                   renamed_to=operation.key if operation.renamed_from else None)
            yield resource.update, body, [operation], subject_of(resource, operation)
        else:
            batch.append(operation)
    endpoint = resource.delete
    step = DELETE_BATCH if endpoint is not None and endpoint.batch else 1
    for start in range(0, len(batch), step):
        chunk = batch[start:start + step]
        keys = ",".join(operation.key for operation in chunk)
        yield endpoint, {endpoint.key: keys}, chunk, resource.label(keys)


def subject_of(resource, operation):
    if operation.renamed_from:
        return "%s (renamed from %s)" % (resource.label(operation.key), operation.renamed_from)
    return resource.label(operation.key)


def mask_body(resource, body):
    secret_api_names = set(resource.fields[name].api for name in resource.secret_fields)
    return dict((k, MASK if k in secret_api_names and v not in ("", None) else v) for k, v in body.items())


def _exists_check(client, resource, keys, want_present):
    """Called before replaying a write whose answer was lost: did it take effect?"""

    def check():
        try:
            found = read_all(client, resource, keys)
        except PbxApiError as exc:
            if exc.errno not in resource.query.not_found:
                raise
            found = {}
        present = [key for key in keys if key in found]
        return len(present) == len(keys) if want_present else not present
    return check


class ApplyError(Exception):
    def __init__(self, message, done):
        super(ApplyError, self).__init__(message)
        self.done = done


def apply(client, resource, operations, parallel=1, on_done=None):
    """Send the requests; on failure raise ApplyError listing what was already applied.

    With `parallel` > 1, up to that many requests are in flight at once. The requests of one
    call are independent of each other (one object each, or one batch of deletes), so their
    order does not matter; a failure stops new requests and waits for those in flight.
    """
    requests = list(requests_for(resource, operations))
    if parallel > 1 and len(requests) > 1:
        return _apply_parallel(client, resource, requests, parallel, on_done)
    done = []
    for request in requests:
        try:
            done.append(_send(client, resource, request))
        except Exception as exc:
            raise ApplyError(str(exc), done)
        if on_done:
            on_done(request[2])
    return done


def _send(client, resource, request):
    endpoint, body, ops, subject = request
    verify = None
    if ops[0].verb in ("add", "delete"):
        verify = _exists_check(client, resource, [op.key for op in ops], ops[0].verb == "add")
    elif ops[0].renamed_from:
        # Replaying a rename that took effect would address an object that is gone.
        verify = _exists_check(client, resource, [ops[0].key], True)
    client.call(endpoint.path, body, subject=subject, verify=verify)
    return command(resource, endpoint, body)


def _apply_parallel(client, resource, requests, parallel, on_done):
    from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait

    done = []
    failures = []
    pending = list(reversed(requests))
    with ThreadPoolExecutor(max_workers=parallel) as pool:
        running = {}
        while pending or running:
            while pending and len(running) < parallel and not failures:
                request = pending.pop()
                running[pool.submit(_send, client, resource, request)] = request
            if not running:
                break
            finished, _others = wait(list(running), return_when=FIRST_COMPLETED)
            for future in finished:
                request = running.pop(future)
                try:
                    done.append(future.result())
                except Exception as exc:
                    failures.append(str(exc))
                    continue
                if on_done:
                    on_done(request[2])
    if failures:
        more = " (and %d more failure(s))" % (len(failures) - 1) if len(failures) > 1 else ""
        raise ApplyError(failures[0] + more, done)
    return done


def command(resource, endpoint, body):
    return {"endpoint": endpoint.path, "body": mask_body(resource, body)}


def planned_commands(resource, operations):
    return [command(resource, endpoint, body) for endpoint, body, _ops, _subject
            in requests_for(resource, operations)]


def changed_objects(resource, operations):
    """`before` and `after` lists of the objects the operations change, secrets masked.

    Only changed objects are listed: on a PBX with thousands of extensions, echoing every
    object in every task result costs more memory and time than the task itself.
    """
    order = sorted(operations, key=lambda operation: natural_key(operation.key))
    before = [resource.masked(op.before) for op in order if op.before is not None]
    after = [resource.masked(op.after) for op in order if op.after is not None]
    return before, after


def as_list(resource, records):
    return [resource.masked(records[key]) for key in sorted(records, key=natural_key)]


def diff_of(resource, operations):
    """One diff per changed object, in key order, each headed by the object it shows.

    Ansible prints a list of diffs one after the other, so a reviewer of a `--check --diff`
    run sees which object every changed line belongs to. The side where the object does not
    exist (before an add, after a delete) is an empty string, which prints as nothing.
    """
    diffs = []
    for operation in sorted(operations, key=lambda op: natural_key(op.key)):
        label = resource.label(operation.key)
        secret_changes = set(name for name in operation.fields if resource.fields[name].secret)
        before, after = "", ""
        before_header = "%s (absent)" % label
        after_header = "%s (deleted)" % label
        if operation.before is not None:
            before = resource.masked(operation.before)
            before_header = "%s on the PBX" % resource.label(operation.renamed_from or operation.key)
        if operation.after is not None:
            after = resource.masked(operation.after, secret_changes)
            after_header = "%s wanted" % label
            if operation.renamed_from:
                after_header += " (renamed from %s)" % operation.renamed_from
        diffs.append({"before": before, "after": after, "before_header": before_header, "after_header": after_header})
    return diffs


def rendered(resource, desired, state):
    """The add requests the desired records translate to, without contacting the PBX."""
    endpoint = resource.add or resource.update
    records = desired if state == "merged" else [resource.with_defaults(r) for r in desired]
    return [mask_body(resource, resource.to_api(r, endpoint, r[resource.key])) for r in records]
