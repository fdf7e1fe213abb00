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

    kind        STR, INT, BOOL (the PBX says on/off), CHOICE (option word <-> PBX word),
                or LIST (a comma-joined string on the wire).
    api         the name add/update take.
    read_as     other names the query answer may use for it (misspellings included).
    choices     CHOICE: {option value: PBX value}; INT: the allowed numbers.
    read_aliases CHOICE: extra PBX spellings (any case) that mean an option value.
    pattern     values that are valid besides `choices` (CHOICE), or the whole format (STR).
    default     what `replaced`/`overridden` set when the option is left out; None means
                "leave as it is" (for values the PBX generates, and for secrets).
    secret      never shown; compared according to update_password.
    ordered     LIST: the order means something (priority) and is compared.
    words       BOOL: how the PBX spells true and false for this field.
    allowed     values the API accepts when the field is written. Objects may hold other
                values (set in the web interface); those read back and compare as they are.
    runtime     also changed while the PBX runs (a phone's feature code): written only when a
                task names it, never set back to a default, never in `gathered`.
    only_for    (selector option, values): the field belongs to objects whose selector has one
                of these values (a trunk type's own fields); it is refused on the others and
                never sent for them.
    sent_blank  with `only_for`: the API wants the field on every add and update, so objects
                it does not belong to send it empty.
    """

    def __init__(self, api, description, kind=STR, read_as=(), choices=None, read_aliases=None,
                 pattern=None, hint=None, default=None, secret=False, ordered=False, limits=None,
                 words=("on", "off"), allowed=None, runtime=False, only_for=None, sent_blank=False):
        self.api = api
        self.runtime = runtime
        self.only_for = (only_for[0], tuple(only_for[1])) if only_for else None
        self.sent_blank = sent_blank
        self.allowed = allowed
        self.words = words
        self.description = description
        self.kind = kind
        self.read_names = tuple(read_as) + (api,)
        self.choices = choices
        self.read_aliases = dict((k.lower(), v) for k, v in (read_aliases or {}).items())
        # Digits and words in ASCII only: Python matches \d against any script's digits, and the PBX does not.
        self.pattern = re.compile(pattern, re.ASCII) if pattern else None
        self.hint = hint
        self.default = default
        self.secret = secret
        self.ordered = ordered
        self.limits = limits
        self.name = None  # set by Resource
        if kind == CHOICE:
            for option_value, api_value in choices.items():
                self.read_aliases.setdefault(api_value.lower(), option_value)

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
            return self.read_aliases.get(raw.lower(), raw)
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
        if self.kind == INT and self.limits and not self.limits[0] <= value <= self.limits[1]:
            return "%r is out of range %d-%d" % (value, self.limits[0], self.limits[1])
        return None

    def belongs_to(self, record):
        """Whether the field is part of an object like `record` (see `only_for`)."""
        if self.only_for is None:
            return True
        selector, values = self.only_for
        return record.get(selector) in values

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

    @property
    def key_field(self):
        return self.fields[self.key]

    @property
    def edit_only(self):
        return self.add is None

    @property
    def secret_fields(self):
        return [name for name, field in self.fields.items() if field.secret]

    def label(self, key):
        return "%s %s" % (self.name, key)

    def states(self):
        if self.edit_only:
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
        selector, values = field.only_for
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


def missing_references(client, resource, operations):
    """Names that the records about to be written refer to but the PBX does not have.

    Each referenced kind of object is read once, and only when a write refers to it.
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
                listings[target.label] = target.read(client)
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
        if missing and resource.edit_only:
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
            allowed = resource.fields[name].allowed
            if allowed and value not in allowed:
                problems.append("%s: %s %r is not one of %s" % (resource.label(operation.key), name, value,
                                                                ", ".join(str(v) for v in allowed)))
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


def apply(client, resource, operations):
    """Send the requests; on failure raise ApplyError listing what was already applied."""
    done = []
    for endpoint, body, ops, subject in requests_for(resource, operations):
        verify = None
        if ops[0].verb in ("add", "delete"):
            verify = _exists_check(client, resource, [op.key for op in ops], ops[0].verb == "add")
        elif ops[0].renamed_from:
            # Replaying a rename that took effect would address an object that is gone.
            verify = _exists_check(client, resource, [ops[0].key], True)
        try:
            client.call(endpoint.path, body, subject=subject, verify=verify)
        except Exception as exc:
            raise ApplyError(str(exc), done)
        done.append(command(resource, endpoint, body))
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
    before, after = {}, {}
    for operation in operations:
        secret_changes = set(name for name in operation.fields if resource.fields[name].secret)
        if operation.before is not None:
            before[operation.renamed_from or operation.key] = resource.masked(operation.before)
        if operation.after is not None:
            after[operation.key] = resource.masked(operation.after, secret_changes)
    renames = ["%s -> %s" % (op.renamed_from, op.key) for op in operations if op.renamed_from]
    after_header = "%ss wanted" % resource.name
    if renames:
        after_header += " (renamed: %s)" % ", ".join(renames)
    return {"before": before, "after": after,
            "before_header": "%ss on the PBX" % resource.name, "after_header": after_header}


def rendered(resource, desired, state):
    """The add requests the desired records translate to, without contacting the PBX."""
    endpoint = resource.add or resource.update
    records = desired if state == "merged" else [resource.with_defaults(r) for r in desired]
    return [mask_body(resource, resource.to_api(r, endpoint, r[resource.key])) for r in records]
