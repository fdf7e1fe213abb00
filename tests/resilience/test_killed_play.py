# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A play killed (SIGKILL) in the middle of a large apply, then run again.

Ansible's workers run in sessions of their own, so killing ansible-playbook alone leaves the
running task's worker to finish that task: uc_config applies the whole tree in the worker, so the
PBX still gets all of it. Two plays are killed whole (ansible-playbook and its workers, as a
container stop does) and their PBXes are left part-way; one loses only ansible-playbook, and its
rerun starts once the orphaned worker has ended. The rerun adds exactly what was missing, reuses
the cached token (the cache is neither corrupt nor locked), and a third run changes nothing. The
kills and the runs after them play once, in a module-scoped fixture; each test checks one behaviour.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import json
import os
import signal
import stat
import time

import pytest

from conftest import COLLECTION_ROOT, check_nothing_changed, is_write, summary, write_inventory
from tree import ADD_ENDPOINTS, ADD_KEYS, CONFIG_KEYS, STATE_KEYS, office_tree, state_problems

SITE = os.path.join(COLLECTION_ROOT, "playbooks", "site.yml")
# Writes seen by the PBX before the kill: during the trunks, in the middle of the extensions,
# and (ansible-playbook only) with most of the extensions still to come.
KILL_AFTER = {"pbx-kill-early": 1, "pbx-kill-middle": 30, "pbx-kill-main-only": 20}
KILL_MAIN_ONLY = ("pbx-kill-main-only",)
KILLED_WHOLE = sorted(set(KILL_AFTER) - set(KILL_MAIN_ONLY))


def descendants(pid):
    """Every process below `pid` (by parent id), children first found first."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open("/proc/%s/stat" % entry) as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except (IOError, OSError, IndexError):
                continue
            parents.setdefault(int(fields[1]), []).append(int(entry))
    found, queue = [], [pid]
    while queue:
        children = parents.get(queue.pop(0), [])
        found.extend(children)
        queue.extend(children)
    return found


def kill(pids):
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def alive(pid):
    """Running, not a zombie waiting for a parent that is gone."""
    try:
        with open("/proc/%d/stat" % pid) as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (IOError, OSError):
        return False


def ended_within(pids, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not [pid for pid in pids if alive(pid)]:
            return True
        time.sleep(0.05)
    return False


def wait_gone(pids, timeout=60):
    if not ended_within(pids, timeout):
        raise AssertionError("processes still running: %s" % pids)


def kill_after_writes(plays, pbxes, deadline):
    """Kill each play as soon as its PBX has seen KILL_AFTER[host] writes, watching all of them at
    once so that a slow machine does not let one play run on while another is watched.
    Returns ({host: (reached, output, writes seen before the kill)}, the worker pids left running by a
    kill of the main process only)."""
    seen = dict((host, 0) for host in plays)
    since = dict((host, 0) for host in plays)
    kills, orphans = {}, []
    while len(kills) < len(plays):
        for host, process in plays.items():
            if host in kills:
                continue
            entries = pbxes[host].requests(since[host])
            if entries:
                since[host] = entries[-1]["seq"]
                seen[host] += len([entry for entry in entries if is_write(entry)])
            reached = seen[host] >= KILL_AFTER[host]
            if not (reached or process.poll() is not None or time.monotonic() > deadline):
                continue
            workers = descendants(process.pid)
            kill([process.pid] if host in KILL_MAIN_ONLY else [process.pid] + workers)
            kills[host] = (reached, process.communicate()[0], seen[host])
            orphans.extend(workers if host in KILL_MAIN_ONLY else [])
        time.sleep(0.005)
    return kills, orphans


def present(state):
    return dict((kind, set(record[key] for record in state[kind])) for kind, key in STATE_KEYS.items())


def missing_after_kill(tree, state):
    """{kind: keys of the tree's objects the PBX did not hold after the kill}."""
    have = present(state)
    return dict((kind, set(str(item[CONFIG_KEYS[kind]]) for item in tree[kind]) - have[kind]) for kind in CONFIG_KEYS)


def host_logs(pbxes):
    """{host: its PBX's request log}, each log cleared after it is read."""
    logs = {}
    for host, emulator in pbxes.items():
        logs[host] = emulator.requests()
        emulator.clear_log()
    return logs


@pytest.fixture(scope="module")
def killed(stages):
    """The three plays killed, the token cache right after, the rerun of all three and a third run."""
    stage = stages("killed")
    tree = office_tree(extensions=60)
    # A little latency per request keeps the apply long enough to be cut where intended.
    pbxes = dict((host, stage.start_emulator("--latency-ms", "4")) for host in KILL_AFTER)
    host_vars = dict((host, {"ucpbx_config": tree, "pbx_port": emulator.port}) for host, emulator in pbxes.items())
    group_vars = {"ucpbx_state": "overridden"}

    # The three plays run side by side, each on its own PBX, and each is killed at its own point.
    plays = {}
    for host in pbxes:
        inventory = write_inventory(stage.workdir / ("inventory-" + host), [host], host_vars={host: host_vars[host]},
                                    group_vars=group_vars)
        plays[host] = stage.ansible(SITE, inventory, pbxes[host], wait=False)
    kills, orphans = kill_after_writes(plays, pbxes, time.monotonic() + 120)
    # The orphaned worker finishes its task and ends; one that waits on for its dead parent after
    # that is ended here.
    orphans_ended = ended_within(orphans, 60)
    kill(orphans)
    wait_gone(orphans)
    time.sleep(0.3)  # requests already on the wire are answered
    states = dict((host, emulator.state()) for host, emulator in pbxes.items())
    killed_logs = host_logs(pbxes)

    token_files = dict((path, (stat.S_IMODE(os.stat(path).st_mode), read_text(path)))
                       for path in glob.glob(os.path.join(stage.token_cache_dir, "*.token.json")))
    token_cache = (token_files, os.listdir(stage.token_cache_dir),
                   glob.glob(os.path.join(stage.token_cache_dir, ".tmp-*")))

    everything = write_inventory(stage.workdir / "inventory", sorted(pbxes), host_vars=host_vars,
                                 group_vars=group_vars)
    rerun = stage.ansible(SITE, everything, pbxes["pbx-kill-early"], args=["--forks", "3"])
    rerun_states = dict((host, emulator.state()) for host, emulator in pbxes.items())
    rerun_logs = host_logs(pbxes)
    final = stage.ansible(SITE, everything, pbxes["pbx-kill-early"], args=["--forks", "3"])
    return dict(tree=tree, kills=kills, killed_logs=killed_logs, orphans_ended=orphans_ended,
                missing=dict((host, missing_after_kill(tree, state)) for host, state in states.items()),
                token_cache=token_cache, rerun=rerun, rerun_logs=rerun_logs, rerun_states=rerun_states,
                final=final, final_logs=host_logs(pbxes))


def read_text(path):
    with open(path) as handle:
        return handle.read()


def test_the_tree_needs_more_writes_than_the_latest_kill():
    tree = office_tree(extensions=60)
    total_writes = sum(len(tree[kind]) for kind in CONFIG_KEYS) + len(tree["queues"])
    assert max(KILL_AFTER.values()) < total_writes


@pytest.mark.parametrize("host", sorted(KILL_AFTER))
def test_play_was_killed_after_its_writes(killed, host):
    reached, output, _seen = killed["kills"][host]
    assert reached, "%s: the play ended before %d writes:\n%s" % (host, KILL_AFTER[host], output)


@pytest.mark.parametrize("host", sorted(KILL_AFTER))
def test_killed_play_logged_in_once(killed, host):
    log = killed["killed_logs"][host]
    assert len([entry for entry in log if entry["endpoint"] == "login"]) == 1, summary(log)


@pytest.mark.parametrize("host", KILLED_WHOLE)
def test_kill_came_before_the_last_add(killed, host):
    assert any(killed["missing"][host].values()), "%s: the kill came after the last add" % host


@pytest.mark.parametrize("host", KILL_MAIN_ONLY)
def test_orphaned_worker_finishes_its_task(killed, host):
    # Every object of the tree was added, most of them after ansible-playbook had died.
    log = killed["killed_logs"][host]
    adds = [entry for entry in log if entry["endpoint"] in ADD_ENDPOINTS and entry["status"] == "Success"]
    assert killed["missing"][host] == dict((kind, set()) for kind in CONFIG_KEYS), summary(log)
    assert len(adds) == sum(len(killed["tree"][kind]) for kind in CONFIG_KEYS), summary(log)
    writes_seen_at_the_kill = killed["kills"][host][2]
    assert writes_seen_at_the_kill < len(adds) / 2, writes_seen_at_the_kill
    print("the orphaned worker ended on its own: %s" % killed["orphans_ended"])


def test_token_cache_survives_the_kills(killed):
    # One readable 0600 token file per PBX, nothing half-written.
    token_files, listing, temporary = killed["token_cache"]
    assert len(token_files) == len(KILL_AFTER), listing
    for mode, text in token_files.values():
        assert mode == 0o600
        assert json.loads(text)["token"]
    assert temporary == []


def test_rerun_passes_and_changes_only_the_pbxes_left_part_way(killed):
    rerun = killed["rerun"]
    assert rerun.rc == 0, rerun.output
    assert dict((host, rerun.recap(host)["changed"] > 0) for host in KILL_AFTER) == dict(
        (host, host in KILLED_WHOLE) for host in KILL_AFTER), rerun.output


@pytest.mark.parametrize("host", sorted(KILL_AFTER))
def test_rerun_uses_the_cached_token(killed, host):
    # No lock held by a dead process, no corrupt file.
    log = killed["rerun_logs"][host]
    assert [entry for entry in log if entry["endpoint"] == "login"] == [], summary(log)


@pytest.mark.parametrize("host", sorted(KILL_AFTER))
def test_rerun_adds_exactly_what_the_killed_play_had_not(killed, host):
    # Once each.
    log = killed["rerun_logs"][host]
    added = {}
    for entry in log:
        if entry["endpoint"] in ADD_ENDPOINTS:
            added.setdefault(ADD_ENDPOINTS[entry["endpoint"]], []).append(entry["body"][ADD_KEYS[entry["endpoint"]]])
    for kind in CONFIG_KEYS:
        assert sorted(added.get(kind, [])) == sorted(killed["missing"][host][kind]), (host, kind, summary(log))
    print("objects missing after the kill of %s: %d" % (host, sum(len(keys) for keys in killed["missing"][host].values())))


@pytest.mark.parametrize("host", sorted(KILL_AFTER))
def test_rerun_requests_all_succeed(killed, host):
    log = killed["rerun_logs"][host]
    assert all(entry["status"] == "Success" for entry in log), summary(log)


@pytest.mark.parametrize("host", sorted(KILL_AFTER))
def test_rerun_leaves_the_pbx_as_the_tree_says(killed, host):
    assert state_problems(killed["rerun_states"][host], killed["tree"]) == [], host


def test_third_run_changes_nothing(killed):
    check_nothing_changed(killed["final"], killed["final_logs"])
