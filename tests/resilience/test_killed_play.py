# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A play killed (SIGKILL) in the middle of a large apply, then run again.

Ansible's workers run in sessions of their own, so killing ansible-playbook alone leaves the
running task's worker alive; uc_config applies the whole tree in that worker, and it sends no
further request once ansible-playbook is gone. Two plays are killed whole (ansible-playbook and its
workers, as a container stop does) and one loses only ansible-playbook; all three PBXes are left
part-way. The rerun adds exactly what was missing, reuses the cached token (the cache is neither
corrupt nor locked), and a third run changes nothing. Another play, killed after 3 writes while a
second run with other values follows at once, shows that the orphaned worker never overwrites the
second run. The kills and the runs after them play once, in module-scoped fixtures; each test
checks one behaviour.
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
            # Writes that landed between the poll and the kill count as sent before it: on a busy
            # machine the play goes on writing for a while after it was seen to reach its mark.
            late = pbxes[host].requests(since[host])
            if late:
                since[host] = late[-1]["seq"]
                seen[host] += len([entry for entry in late if is_write(entry)])
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
    # The orphaned worker stops at its next request and ends; one that is still running is ended here.
    orphans_ended = ended_within(orphans, 20)
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


@pytest.mark.parametrize("host", sorted(KILL_AFTER))
def test_kill_came_before_the_last_add(killed, host):
    assert any(killed["missing"][host].values()), "%s: the kill came after the last add" % host


@pytest.mark.parametrize("host", KILL_MAIN_ONLY)
def test_orphaned_worker_stops_writing(killed, host):
    # At most the request on the wire when ansible-playbook died follows the kill.
    log = killed["killed_logs"][host]
    writes = [entry for entry in log if is_write(entry)]
    assert len(writes) <= killed["kills"][host][2] + 1, summary(log)
    assert killed["orphans_ended"], "the orphaned worker went on running"


def test_token_cache_survives_the_kills(killed):
    # One readable 0600 token file per PBX, nothing half-written.
    token_files, listing, temporary = killed["token_cache"]
    assert len(token_files) == len(KILL_AFTER), listing
    for mode, text in token_files.values():
        assert mode == 0o600
        assert json.loads(text)["token"]
    assert temporary == []


def test_rerun_passes_and_changes_every_pbx_left_part_way(killed):
    rerun = killed["rerun"]
    assert rerun.rc == 0, rerun.output
    assert all(rerun.recap(host)["changed"] > 0 for host in KILL_AFTER), rerun.output


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


# ---------------------------------------------------------------------------- a later run is not overwritten
OVERTAKEN = "pbx-overtaken"


@pytest.fixture(scope="module")
def overtaken(stages):
    """ansible-playbook alone killed after 3 writes of 60 extensions at 200 ms a request, and a second
    run with other names at once; then the first run's orphaned worker is waited for."""
    stage = stages("overtaken")
    first = office_tree(extensions=60)
    second = office_tree(extensions=60)
    for extension in second["extensions"]:
        extension["name"] = "Moved %s" % extension["number"]
    pbx = stage.start_emulator("--latency-ms", "200")
    group_vars = {"ucpbx_state": "overridden"}
    inventories = [write_inventory(stage.workdir / ("inventory-%d" % n), [OVERTAKEN], group_vars=group_vars,
                                   host_vars={OVERTAKEN: {"ucpbx_config": tree, "pbx_port": pbx.port}})
                   for n, tree in enumerate((first, second))]
    play = stage.ansible(SITE, inventories[0], pbx, wait=False)
    writes, since, deadline = 0, 0, time.monotonic() + 120
    while writes < 3 and play.poll() is None and time.monotonic() < deadline:
        entries = pbx.requests(since)
        if entries:
            since = entries[-1]["seq"]
            writes += len([entry for entry in entries if is_write(entry)])
        time.sleep(0.005)
    worker = descendants(play.pid)
    kill([play.pid])
    play.communicate()
    second_run = stage.ansible(SITE, inventories[1], pbx)
    # Without the stop, the orphan's remaining writes (about 57 at 200 ms) would take ~12 s.
    orphan_ended = ended_within(worker, 20)
    kill(worker)
    wait_gone(worker)
    return dict(writes_at_kill=writes, second=second, second_run=second_run, orphan_ended=orphan_ended,
                state=pbx.state())


def test_overtaken_play_was_killed_after_its_third_write(overtaken):
    assert overtaken["writes_at_kill"] >= 3


def test_the_run_after_a_killed_one_succeeds(overtaken):
    assert overtaken["second_run"].rc == 0, overtaken["second_run"].output


def test_the_killed_runs_worker_ends_without_writing_on(overtaken):
    assert overtaken["orphan_ended"]
    assert state_problems(overtaken["state"], overtaken["second"]) == []
