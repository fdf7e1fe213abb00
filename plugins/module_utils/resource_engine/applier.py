# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Turning operations into API requests, sending them, and reporting what they did."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.openvox.ucpbx.plugins.module_utils.resource_engine.model import DELETE_BATCH, MASK
from ansible_collections.openvox.ucpbx.plugins.module_utils.resource_engine.planner import differs, natural_key, read_all
from ansible_collections.openvox.ucpbx.plugins.module_utils.errors import BUSY_ERRNO, PbxApiError
from ansible_collections.openvox.ucpbx.plugins.module_utils.untrusted import one_line


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
        found = _read_found(client, resource, keys)
        present = [key for key in keys if key in found]
        return len(present) == len(keys) if want_present else not present
    return check


class ApplyError(Exception):
    """A write failed; `done` holds the commands applied before it. `refused`: the PBX answered the
    request with an error (a value or state it does not take), so sending it again fails again; otherwise
    the request got no answer, or the PBX was busy, and running the task again converges."""

    def __init__(self, message, done, refused=False):
        super(ApplyError, self).__init__(message)
        self.done = done
        self.refused = refused


def refusal(exc):
    return isinstance(exc, PbxApiError) and exc.errno != BUSY_ERRNO


def retry_advice(refused, pinned=False):
    """What a failed apply's message tells the user to do next."""
    if pinned:
        return "the PBX no longer matches the plan: make a new plan, review it and apply that"
    if refused:
        return "the PBX refused a request, so running the task again fails the same way until the config changes"
    return "running the task again converges"


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
            raise ApplyError(str(exc), done, refused=refusal(exc))
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
    try:
        client.call(endpoint.path, body, subject=subject, verify=verify)
    except PbxApiError as exc:
        if ops[0].verb == "delete" and exc.errno in endpoint.not_found and _all_gone(client, resource, ops):
            # "No such object": an earlier attempt whose answer was lost (or another run) deleted it.
            # The PBX holds the intended state.
            return command(resource, endpoint, body)
        if ops[0].verb != "add":
            raise
        differences = _added_meanwhile(client, resource, ops[0])
        if differences is None:
            raise
        if differences:
            raise AddConflict("%s; %s exists on the PBX now (created by another run or by a first attempt whose "
                              "answer was lost) but differs in %s: rerun to update it"
                              % (exc, resource.label(ops[0].key), ", ".join(differences)))
        # Refused as a duplicate of what this very add wanted: an earlier attempt (answer lost,
        # or a killed run's worker) created it. The PBX holds the intended state.
    return command(resource, endpoint, body)


class AddConflict(Exception):
    """An add refused because the object exists, and it is not what the add wanted."""


def _added_meanwhile(client, resource, operation):
    """After a refused add: None if the object is still missing, else the options that differ from it."""
    try:
        found = _read_found(client, resource, [operation.key])
    except Exception:
        return None
    record = found.get(operation.key)
    if record is None:
        return None
    return sorted(name for name, value in operation.fields.items()
                  if name != resource.key and differs(resource, name, value, record, "always"))


def _all_gone(client, resource, ops):
    try:
        return not _read_found(client, resource, [op.key for op in ops])
    except Exception:
        return False


def _read_found(client, resource, keys):
    try:
        return read_all(client, resource, keys)
    except PbxApiError as exc:
        if exc.errno not in resource.query.not_found:
            raise
        return {}


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
                    failures.append(exc)
                    continue
                if on_done:
                    on_done(request[2])
    if failures:
        more = " (and %d more failure(s))" % (len(failures) - 1) if len(failures) > 1 else ""
        raise ApplyError(str(failures[0]) + more, done, refused=any(refusal(exc) for exc in failures))
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
    Keys come from the PBX: a header is one line whatever they hold, so none can forge another.
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
                after_header += " (renamed from %s)" % one_line(operation.renamed_from)
        diffs.append({"before": before, "after": after, "before_header": before_header, "after_header": after_header})
    return diffs


def rendered(resource, desired, state):
    """The add requests the desired records translate to, without contacting the PBX."""
    endpoint = resource.add or resource.update
    records = desired if state == "merged" else [resource.with_defaults(r) for r in desired]
    return [mask_body(resource, resource.to_api(r, endpoint, r[resource.key])) for r in records]
