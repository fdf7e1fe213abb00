# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A play killed (SIGKILL) in the middle of a large apply, then run again.

Ansible's workers run in sessions of their own, so killing ansible-playbook alone leaves the
running task's worker and module to finish that task. Two plays are killed whole (ansible-playbook,
its workers and their modules, as a container stop does); one loses only ansible-playbook, and its
rerun starts once the orphaned module has ended (the orphaned worker then waits forever for its
dead parent, and the fixture ends it). The
rerun adds exactly what was missing, reuses the cached token (the cache is neither corrupt nor
locked), and a third run changes nothing. The kills and the runs after them play once, in a
module-scoped fixture; each test checks one behaviour.
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
# among the routes at the end.
KILL_AFTER = {"pbx-kill-early": 1, "pbx-kill-middle": 30, "pbx-kill-late": 66}
KILL_MAIN_ONLY = ("pbx-kill-late",)


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


def is_module(pid):
    try:
        with open("/proc/%d/cmdline" % pid) as handle:
            return "AnsiballZ_" in handle.read()
    except (IOError, OSError):
        return False


def wait_gone(pids, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not [pid for pid in pids if alive(pid)]:
            return
        time.sleep(0.05)
    raise AssertionError("processes still running: %s" % pids)


def wait_for_writes(emulator, count, process, deadline):
    seen = 0
    since = 0
    while time.monotonic() < deadline and process.poll() is None:
        entries = emulator.requests(since)
        if entries:
            since = entries[-1]["seq"]
            seen += len([entry for entry in entries if is_write(entry)])
        if seen >= count:
            return True
        time.sleep(0.005)
    return False


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
    deadline = time.monotonic() + 120
    orphans = []
    kills = {}
    for host, process in plays.items():
        reached = wait_for_writes(pbxes[host], KILL_AFTER[host], process, deadline)
        tree_pids = descendants(process.pid)
        kill([process.pid] if host in KILL_MAIN_ONLY else [process.pid] + tree_pids)
        kills[host] = (reached, process.communicate()[0])
        orphans.extend(tree_pids)
    wait_gone([pid for pid in orphans if is_module(pid)])
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
    return dict(tree=tree, kills=kills, killed_logs=killed_logs,
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
    reached, output = killed["kills"][host]
    assert reached, "%s: the play ended before %d writes:\n%s" % (host, KILL_AFTER[host], output)


@pytest.mark.parametrize("host", sorted(KILL_AFTER))
def test_killed_play_logged_in_once(killed, host):
    log = killed["killed_logs"][host]
    assert len([entry for entry in log if entry["endpoint"] == "login"]) == 1, summary(log)


@pytest.mark.parametrize("host", sorted(KILL_AFTER))
def test_kill_came_before_the_last_add(killed, host):
    assert any(killed["missing"][host].values()), "%s: the kill came after the last add" % host


def test_token_cache_survives_the_kills(killed):
    # One readable 0600 token file per PBX, nothing half-written.
    token_files, listing, temporary = killed["token_cache"]
    assert len(token_files) == len(KILL_AFTER), listing
    for mode, text in token_files.values():
        assert mode == 0o600
        assert json.loads(text)["token"]
    assert temporary == []


def test_rerun_passes_and_changes_every_pbx(killed):
    rerun = killed["rerun"]
    assert rerun.rc == 0, rerun.output
    for host in KILL_AFTER:
        assert rerun.recap(host)["changed"] > 0, rerun.output


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
