# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A resource described as data, and the light reads that list other resources' keys."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.openvox.ucpbx.plugins.module_utils.resource_engine.model import (
    CHOICE,
    MASK,
    MASK_CHANGED,
    RENAME_FROM,
    STATES,
    ConfigError,
)
from ansible_collections.openvox.ucpbx.plugins.module_utils.errors import listed_records
from ansible_collections.openvox.ucpbx.plugins.module_utils.untrusted import one_line


class KeySource:
    """A light read that lists the keys (and optionally the kind) of existing objects.

    Used to check references between resources and to find objects the API lists but
    cannot configure. `kind` is the catalog kind whose objects it lists (what a run plans is
    looked up by it); `label` names them in messages (the kind's Resource.name). An `external`
    source lists objects no kind of the catalog manages, so nothing a run plans changes them.
    """

    def __init__(self, kind, endpoint, key_api, kind_api=None, label=None, external=False):
        self.kind = kind
        self.label = label or kind
        self.external = external
        self.endpoint = endpoint
        self.key_api = key_api
        self.kind_api = kind_api

    def read(self, client):
        endpoint = self.endpoint
        body = {endpoint.key: endpoint.all_value} if endpoint.key and endpoint.all_value else {}
        subject = "all %s" % self.label
        answer = client.call(endpoint.path, body, subject=subject)
        items = listed_records(answer, endpoint.path, endpoint.list_keys, key_field=self.key_api, subject=subject)
        return dict((str(item[self.key_api]), str(item.get(self.kind_api, "")) if self.kind_api else "")
                    for item in items)


class Reference:
    """The values of `field` must name existing objects.

    `targets` is a KeySource, or {value of the `selector` field: KeySource} when what the
    field names depends on another field (an inbound route's destination type). Deleting or
    renaming an object is refused while a field of another object names it (see in_use.py).
    """

    def __init__(self, field, targets, selector=None, follows_renames=False):
        self.field = field
        self.targets = targets
        self.selector = selector
        # The PBX rewrites this field itself when the object it names is renamed (a route's trunks).
        self.follows_renames = follows_renames

    def sources(self):
        return list(self.targets.values()) if isinstance(self.targets, dict) else [self.targets]

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
                 required_if=(), required_when=(), references=(), read_only=None, create_requires=(),
                 preflight=()):
        self.name = name
        # Checks against other PBX state, run before any write (and in check mode):
        # check(client, operations, actual, planned=None) -> list of problems, where `planned`
        # maps the catalog kinds the run reads to {key: record once the run is done} (deleted ones left out).
        self.preflight = tuple(preflight)
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
        """The object as messages name it; keys come from the PBX, so always on one line."""
        return "%s %s" % (self.name, one_line(key))

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
