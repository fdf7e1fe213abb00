# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A play killed (SIGKILL) in the middle of a large apply, then run again.

Ansible's workers run in sessions of their own, so killing ansible-playbook alone leaves the
running task's worker and module to finish that task. Two plays are killed whole (ansible-playbook,
its workers and their modules, as a container stop does); one loses only ansible-playbook, and its
rerun starts once the orphaned module has ended (the orphaned worker then waits forever for its
dead parent, and the test ends it). The
rerun adds exactly what was missing, reuses the cached token (the cache is neither corrupt nor
locked), and a third run changes nothing.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import json
import os
import signal
import stat
import time

from conftest import COLLECTION_ROOT, is_write, summary, write_inventory
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


def test_killed_play_converges_on_rerun(start_emulator, ansible, tmp_path, token_cache_dir):
    tree = office_tree(extensions=60)
    total_writes = sum(len(tree[kind]) for kind in CONFIG_KEYS) + len(tree["queues"])
    assert max(KILL_AFTER.values()) < total_writes
    # A little latency per request keeps the apply long enough to be cut where intended.
    pbxes = dict((host, start_emulator("--latency-ms", "4")) for host in KILL_AFTER)
    host_vars = dict((host, {"ucpbx_config": tree, "pbx_port": emulator.port}) for host, emulator in pbxes.items())
    group_vars = {"ucpbx_state": "overridden"}

    # The three plays run side by side, each on its own PBX, and each is killed at its own point.
    plays = {}
    for host in pbxes:
        inventory = write_inventory(tmp_path / ("inventory-" + host), [host], host_vars={host: host_vars[host]},
                                    group_vars=group_vars)
        plays[host] = ansible(SITE, inventory, pbxes[host], wait=False)
    deadline = time.monotonic() + 120
    orphans = []
    for host, process in plays.items():
        reached = wait_for_writes(pbxes[host], KILL_AFTER[host], process, deadline)
        tree_pids = descendants(process.pid)
        kill([process.pid] if host in KILL_MAIN_ONLY else [process.pid] + tree_pids)
        output = process.communicate()[0]
        assert reached, "%s: the play ended before %d writes:\n%s" % (host, KILL_AFTER[host], output)
        orphans.extend(tree_pids)
    wait_gone([pid for pid in orphans if is_module(pid)])
    kill(orphans)
    wait_gone(orphans)
    time.sleep(0.3)  # requests already on the wire are answered

    missing = {}
    for host, emulator in pbxes.items():
        log = emulator.requests()
        assert len([entry for entry in log if entry["endpoint"] == "login"]) == 1, summary(log)
        have = present(emulator.state())
        missing[host] = dict((kind, set(str(item[CONFIG_KEYS[kind]]) for item in tree[kind]) - have[kind])
                             for kind in CONFIG_KEYS)
        assert any(missing[host].values()), "%s: the kill came after the last add" % host
        emulator.clear_log()

    # The token cache survived the kills: one readable 0600 token file per PBX, nothing half-written.
    token_files = glob.glob(os.path.join(token_cache_dir, "*.token.json"))
    assert len(token_files) == len(pbxes), os.listdir(token_cache_dir)
    for path in token_files:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        with open(path) as handle:
            assert json.load(handle)["token"]
    assert glob.glob(os.path.join(token_cache_dir, ".tmp-*")) == []

    everything = write_inventory(tmp_path / "inventory", sorted(pbxes), host_vars=host_vars, group_vars=group_vars)
    rerun = ansible(SITE, everything, pbxes["pbx-kill-early"], args=["--forks", "3"])
    assert rerun.rc == 0, rerun.output
    for host, emulator in pbxes.items():
        assert rerun.recap(host)["changed"] > 0, rerun.output
        log = emulator.requests()
        # The cached token was used (no lock held by a dead process, no corrupt file) ...
        assert [entry for entry in log if entry["endpoint"] == "login"] == [], summary(log)
        # ... and exactly the objects the killed run had not created were added, once each.
        added = {}
        for entry in log:
            if entry["endpoint"] in ADD_ENDPOINTS:
                added.setdefault(ADD_ENDPOINTS[entry["endpoint"]], []).append(entry["body"][ADD_KEYS[entry["endpoint"]]])
        for kind in CONFIG_KEYS:
            assert sorted(added.get(kind, [])) == sorted(missing[host][kind]), (host, kind, summary(log))
        assert all(entry["status"] == "Success" for entry in log), summary(log)
        assert state_problems(emulator.state(), tree) == [], host
        emulator.clear_log()

    print("objects missing after each kill: %s" % dict(
        (host, sum(len(keys) for keys in kinds.values())) for host, kinds in missing.items()))
    final = ansible(SITE, everything, pbxes["pbx-kill-early"], args=["--forks", "3"])
    assert final.rc == 0, final.output
    for host, emulator in pbxes.items():
        assert final.recap(host)["changed"] == 0, final.output
        assert [entry for entry in emulator.requests() if is_write(entry)] == [], host
