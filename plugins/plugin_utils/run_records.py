# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs, kept beside their snapshots on the controller.

Each ansible-playbook run that changes a PBX gets a run id, `<UTC time of its first snapshot>-<token>`,
and a record `runs/<run id>.json` in the snapshot directory: which PBXes it changed, each one's
snapshot file, when, and how it ended (applying, applied, failed, rolled back). A rollback reads
them to undo a run on exactly the PBXes it changed.

The token names the ansible-playbook process: every worker of one run inherits the same local
temporary directory (created, under a random name, when ansible-playbook starts), and no other run
has it. The PBXes of a run are written to its record under a lock, one worker at a time.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import fcntl
import glob
import hashlib
import json
import os
import tempfile
import time
from contextlib import contextmanager

from ansible import constants as C

RUNS = "runs"
VERSION = 1


def run_token():
    seed = "%s|%d" % (C.DEFAULT_LOCAL_TMP, os.getppid())
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()[:8]


def write_text(directory, name, text):
    """`text` as `directory`/`name`, mode 0600: written beside and renamed, so a reader never
    sees half a file."""
    directory = os.path.abspath(os.path.expanduser(directory))
    os.makedirs(directory, 0o700, exist_ok=True)
    path = os.path.join(directory, name)
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".%s." % name)
    with os.fdopen(handle, "w") as stream:
        stream.write(text)
    os.chmod(temporary, 0o600)
    os.rename(temporary, path)
    return path


def _runs_dir(snapshot_dir):
    return os.path.join(os.path.abspath(os.path.expanduser(snapshot_dir)), RUNS)


@contextmanager
def _locked(snapshot_dir):
    directory = _runs_dir(snapshot_dir)
    os.makedirs(directory, 0o700, exist_ok=True)
    with open(os.path.join(directory, ".lock"), "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield directory
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _now():
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def _save(directory, record):
    write_text(directory, "%s.json" % record["run"], json.dumps(record, indent=1, sort_keys=True) + "\n")


def record_snapshot(snapshot_dir, host, stamp, snapshot_name):
    """Adds `host` and its snapshot to this run's record (created by the first PBX); returns the run id."""
    token = run_token()
    with _locked(snapshot_dir) as directory:
        found = sorted(glob.glob(os.path.join(directory, "*-%s.json" % token)))
        if found:
            record = load(snapshot_dir, os.path.basename(found[-1])[:-len(".json")])
        else:
            record = {"version": VERSION, "run": "%s-%s" % (stamp, token), "started": _now(), "pbxes": {}}
        record["pbxes"][host] = {"snapshot": snapshot_name, "state": "applying", "time": _now()}
        _save(directory, record)
    return record["run"]


def set_state(snapshot_dir, run_id, host, state):
    with _locked(snapshot_dir) as directory:
        record = load(snapshot_dir, run_id)
        if host in record["pbxes"]:
            record["pbxes"][host].update(state=state, time=_now())
            _save(directory, record)


def run_ids(snapshot_dir):
    """Every recorded run, oldest first (ids start with their UTC time)."""
    names = glob.glob(os.path.join(_runs_dir(snapshot_dir), "*.json"))
    return sorted(os.path.basename(name)[:-len(".json")] for name in names)


def load(snapshot_dir, run_id):
    with open(os.path.join(_runs_dir(snapshot_dir), "%s.json" % run_id)) as handle:
        record = json.load(handle)
    if not isinstance(record, dict) or record.get("version") != VERSION or not isinstance(record.get("pbxes"), dict):
        raise ValueError("%s is not a run record of this collection" % run_id)
    return record


class RunNotFound(Exception):
    pass


def chosen(snapshot_dir, run):
    """The id of the run named `run`: `last`, an id, or the start of exactly one id."""
    ids = run_ids(snapshot_dir)
    if not ids:
        raise RunNotFound("no run is recorded in %s" % _runs_dir(snapshot_dir))
    if run in (None, "", "last"):
        return ids[-1]
    matches = [run_id for run_id in ids if run_id == run] or [run_id for run_id in ids if run_id.startswith(run)]
    if len(matches) != 1:
        raise RunNotFound("%s run recorded in %s is named %s (recorded: %s)" % (
            "no" if not matches else "more than one", _runs_dir(snapshot_dir), run, ", ".join(ids[-10:])))
    return matches[0]


def chain(snapshot_dir, run_id, host):
    """(run id, snapshot path) of the runs from `run_id` on that changed `host`, oldest first:
    going back to before `run_id` undoes them all."""
    found = []
    for later in run_ids(snapshot_dir):
        if later < run_id:
            continue
        entry = load(snapshot_dir, later)["pbxes"].get(host)
        if entry:
            found.append((later, os.path.join(os.path.abspath(os.path.expanduser(snapshot_dir)), entry["snapshot"])))
    return found
