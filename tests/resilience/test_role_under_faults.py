# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pbx_config role applies a whole office to an empty PBX while 20% of the requests fail.

Faults: connection reset before and after the PBX acted, HTTP 500, an answer later than the
client's timeout, and errno 10025 ("applied too often"), each endpoint with its own seeded
random generator so a run can be replayed. A run either converges or fails saying what it had
applied; one rerun converges; nothing is ever created twice; a run without faults then only reads.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import os
import re

from conftest import COLLECTION_ROOT, is_write, summary, write_inventory
from tree import applied_adds, office_tree, state_problems

SITE = os.path.join(COLLECTION_ROOT, "playbooks", "site.yml")
# The module timeout (UCPBX_TIMEOUT, whole seconds) and a delay past it. The late write lands
# before the client reads the object back (the back-off before a replay is at least 0.25 s), so the
# read-back finds it and the add is not sent again.
TIMEOUT = 1
LATE_MS = 1100
CONFIG_ENDPOINTS = ["siptrunk/query", "siptrunk/add", "siptrunk/update", "siptrunk/delete",
                    "extension/query", "extension/add", "extension/update", "extension/delete",
                    "queue/query", "queue/update",
                    "paginggroup/query", "paginggroup/add", "paginggroup/update", "paginggroup/delete",
                    "inroute/query", "inroute/add", "inroute/update", "inroute/delete",
                    "outroute/query", "outroute/add", "outroute/update", "outroute/delete"]
TRANSIENT = ["reset", "reset_after", "http500", "delay:%d" % LATE_MS, "errno:10025"]


def inject_faults(emulator, seed, probability=0.2):
    # The PBX answers 10025 only to configuration requests; the login meets the other kinds.
    emulator.faults({"probability": probability, "seed": seed * 1000, "kinds": TRANSIENT[:4], "endpoint": "login"})
    for n, endpoint in enumerate(CONFIG_ENDPOINTS, 1):
        emulator.faults({"probability": probability, "seed": seed * 1000 + n, "kinds": TRANSIENT,
                         "endpoint": endpoint})


def check_failure_says_what_was_applied(failures, output):
    assert failures, "a PBX failed without a failed task:\n%s" % output
    for result in failures:
        msg = result.get("msg", "")
        assert "Traceback" not in msg and "MODULE FAILURE" not in msg, msg
        if "had already been applied" in msg:
            # The count in the message matches the commands the result lists.
            assert "%d request(s) had already been applied" % len(result.get("commands", [])) in msg, msg
        elif "applied before the failure:" in msg:
            # One task for the whole tree: what it applied, per kind, and that the rest was not sent.
            assert re.search(r"applied before the failure: (nothing|\w+ \d+ (added|updated|deleted))", msg), msg
            assert "the rest was not sent" in msg, msg
        else:
            # A failed read or login: that task had sent no write.
            assert "giving up after" in msg and ("/query" in msg or msg.startswith("login")), msg
            assert not result.get("commands"), result


SEEDS = (1, 2, 3)


def test_role_converges_under_faults_without_duplicates(start_emulator, ansible, tmp_path):
    # One PBX per seed, applied by one play with a fork each (as a fleet would be).
    tree = office_tree()
    pbxes = dict(("pbx-seed%d" % seed, start_emulator()) for seed in SEEDS)
    inventory = write_inventory(tmp_path / "inventory", sorted(pbxes),
                                host_vars=dict((host, {"ucpbx_config": tree, "pbx_port": emulator.port})
                                               for host, emulator in pbxes.items()),
                                group_vars={"ucpbx_state": "overridden"})
    env = {"UCPBX_TIMEOUT": TIMEOUT}
    for seed in SEEDS:
        inject_faults(pbxes["pbx-seed%d" % seed], seed)
    any_emulator = pbxes["pbx-seed1"]

    first = ansible(SITE, inventory, any_emulator, env=env, args=["--forks", str(len(SEEDS))])
    failed = sorted(host for host in pbxes if first.recap(host)["failed"])
    assert first.rc == (2 if failed else 0), first.output
    failures = dict((host, []) for host in pbxes)
    for host, result in first.failures():
        failures[host].append(result)
    for host in failed:
        check_failure_says_what_was_applied(failures[host], first.output)
    if failed:
        # One rerun of the PBXes that failed, still under faults, finishes the job.
        again = ansible(SITE, inventory, any_emulator, env=env, args=["--limit", ",".join(failed)])
        assert again.rc == 0, "no convergence after one rerun:\n%s" % again.output

    figures = {}
    kinds_met = set()
    for host, emulator in sorted(pbxes.items()):
        log = emulator.requests()
        faults = collections.Counter(entry["fault"] for entry in log if entry["fault"])
        figures[host] = (len(log), sum(faults.values()), host in failed)
        kinds_met.update(faults)
        kinds_met.update("lost write answer" for entry in log if entry["fault"] == "reset_after" and is_write(entry))
        # Each PBX met faults of several kinds (this is not a clean run in disguise).
        assert sum(faults.values()) >= 5 and len(faults) >= 3, (host, faults)
        problems = state_problems(emulator.state(), tree)
        assert problems == [], (host, problems)
        # Every object was created exactly once, and no add was refused as already there.
        applied = applied_adds(log)
        assert [key for key, count in applied.items() if count > 1] == [], summary(log)
        assert len(applied) == sum(len(tree[kind]) for kind in ("trunks", "extensions", "paging_groups",
                                                                "inbound_routes", "outbound_routes"))
        assert [entry for entry in log if entry["errno"] == "10017"] == [], summary(log)
        emulator.clear_faults()
        emulator.clear_log()
    # Across the PBXes, every kind of fault was met, lost write answers included.
    assert kinds_met == {"reset", "reset_after", "http500", "delay", "errno", "lost write answer"}, kinds_met

    # Without faults, every PBX already matches: nothing changes and nothing is written.
    clean = ansible(SITE, inventory, any_emulator, env=env, args=["--forks", str(len(SEEDS))])
    assert clean.rc == 0, clean.output
    for host, emulator in pbxes.items():
        assert clean.recap(host)["changed"] == 0, clean.output
        assert [entry for entry in emulator.requests() if is_write(entry)] == [], host
    print("requests, faults injected, failed first run per PBX: %s" % figures)


def test_role_without_retries_fails_saying_what_it_applied_then_a_rerun_converges(start_emulator, ansible, tmp_path):
    # No retries: the first fault on a write stops the run, which must say what it had applied.
    emulator = start_emulator()
    tree = office_tree()
    inventory = write_inventory(tmp_path / "inventory", ["pbx"], host_vars={"pbx": {"ucpbx_config": tree}},
                                group_vars={"ucpbx_state": "overridden"})
    emulator.faults({"probability": 0.3, "seed": 7, "kinds": ["reset_after", "http500"], "endpoint": "extension/add"})
    first = ansible(SITE, inventory, emulator, env={"UCPBX_TIMEOUT": TIMEOUT, "UCPBX_RETRIES": 0})
    assert first.rc == 2, first.output
    check_failure_says_what_was_applied([result for _host, result in first.failures()], first.output)
    # One rerun, still under faults but with the default retries, converges.
    again = ansible(SITE, inventory, emulator, env={"UCPBX_TIMEOUT": TIMEOUT})
    assert again.rc == 0, again.output
    log = emulator.requests()
    assert state_problems(emulator.state(), tree) == []
    assert [key for key, count in applied_adds(log).items() if count > 1] == [], summary(log)
