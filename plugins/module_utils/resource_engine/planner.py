# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading a resource, and planning the operations that take the PBX to the desired state."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.openvox.ucpbx.plugins.module_utils.resource_engine.model import RENAME_FROM, RENAME_STATES, ConfigError
from ansible_collections.openvox.ucpbx.plugins.module_utils.resource_engine.resource import Snapshot
from ansible_collections.openvox.ucpbx.plugins.module_utils.errors import PbxAnswerError, listed_records, quoted


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
    subject = resource.label(",".join(keys)) if keys else "all %ss" % resource.name
    answer = client.call(query.path, body, subject=subject)
    handle_from = resource.update.key_from if resource.update is not None else None
    records = Snapshot()
    for position, item in enumerate(listed_records(answer, query.path, query.list_keys, subject=subject), 1):
        record = resource.from_api(_checked_values(resource, item, query.path, position, subject))
        key = record[resource.key]
        if not key.strip():
            raise PbxAnswerError(query.path, "record %d has no %s ('%s')" % (
                position, resource.key, "' or '".join(resource.key_field.read_names)), subject)
        if key in records:
            raise PbxAnswerError(query.path, "two records have the %s %s" % (resource.key, quoted(key)), subject)
        records[key] = record
        if handle_from:
            records.handles[key] = str(item.get(handle_from, ""))
    return records


def _checked_values(resource, item, endpoint, position, subject):
    """The record, once every field the resource reads is shown to hold text or a number."""
    for field in resource.fields.values():
        for name in field.read_names:
            value = item.get(name)
            if isinstance(value, (dict, list)):
                raise PbxAnswerError(endpoint, "'%s' of record %d is %s, not text" % (
                    name, position, "an object" if isinstance(value, dict) else "a list"), subject)
    return item


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

    Each referenced kind of object is read once, and only when a write refers to an object the run
    does not know of already: `planned` maps a catalog kind to the keys its objects have once the
    run's writes of that kind are done.
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
            known = set((planned or {}).get(target.kind, ()))
            names = [name for name in reference.names(operation.after) if name not in known]
            if names and target.kind not in listings:
                listings[target.kind] = set(target.read(client)) | known
            for name in names:
                if name not in listings[target.kind]:
                    problems.append("%s: %s %r does not exist on the PBX (no such %s)"
                                    % (resource.label(operation.key), reference.field, name, target.label))
    return problems


def differs(resource, name, wanted, actual_record, update_password):
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
    lost = ["%s: %s %s names no %s on the PBX" % (resource.label(key), RENAME_FROM, old, resource.name)
            for key, old in sorted(renames.items()) if key not in actual and old not in actual]
    if lost:
        raise ConfigError("invalid config, nothing was changed on the PBX: %s (an object renamed in an earlier run "
                          "is found by its new key; remove %s to create it)" % ("; ".join(lost), RENAME_FROM))
    renames = dict((key, old) for key, old in renames.items() if key not in actual)
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
                           if name != resource.key and differs(resource, name, value, have, update_password))
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
            problem = resource.fields[name].write_problem(value)
            if problem:
                problems.append("%s: %s %s" % (resource.label(operation.key), name, problem))
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
