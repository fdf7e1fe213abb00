# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pbx_config role applies a whole office to an empty PBX while 20% of the requests fail.

Faults: connection reset before and after the PBX acted, HTTP 500, an answer later than the
client's timeout, and errno 10025 ("applied too often"), each endpoint with its own seeded
random generator so a run can be replayed. A run either converges or fails saying what it had
applied; one rerun converges; nothing is ever created twice; a run without faults then only reads.
Each scenario's runs play once, in a module-scoped fixture; each test checks one behaviour.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import os
import re

import pytest

from conftest import COLLECTION_ROOT, check_nothing_changed, is_write, summary, write_inventory
from tree import applied_adds, office_tree, state_problems

SITE = os.path.join(COLLECTION_ROOT, "playbooks", "site.yml")
# The module timeout (UCPBX_TIMEOUT, whole seconds) and an answer later than that. The late write
# took effect when it arrived, so the client's read-back finds it and the add is not sent again
# (a late write landing after the read-back is tested in tests/integration/test_fault_replays.py).
TIMEOUT = 1
LATE_MS = 1100
CONFIG_ENDPOINTS = ["siptrunk/query", "siptrunk/add", "siptrunk/update", "siptrunk/delete",
                    "extension/query", "extension/add", "extension/update", "extension/delete",
                    "queue/query", "queue/update",
                    "paginggroup/query", "paginggroup/add", "paginggroup/update", "paginggroup/delete",
                    "inroute/query", "inroute/add", "inroute/update", "inroute/delete",
                    "outroute/query", "outroute/add", "outroute/update", "outroute/delete"]
TRANSIENT = ["reset", "reset_after", "http500", "delay_after:%d" % LATE_MS, "errno:10025"]


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
HOSTS = ["pbx-seed%d" % seed for seed in SEEDS]
# Its first paging-group add fails more times than the client retries (3), so its first run
# fails part-way whatever the random faults do, and the rerun has something left to apply.
FAILS_FIRST = "pbx-seed3"
FIRST_RUN_BREAKER = {"count": 4, "kind": "http500", "endpoint": "paginggroup/add"}


# A fleet of three PBXes under faults: the play, one rerun of the failed ones, then a run without faults ----

@pytest.fixture(scope="module")
def fleet(stages):
    # One PBX per seed, applied by one play with a fork each (as a fleet would be).
    stage = stages("fleet")
    tree = office_tree()
    pbxes = dict(("pbx-seed%d" % seed, stage.start_emulator()) for seed in SEEDS)
    inventory = write_inventory(stage.workdir / "inventory", sorted(pbxes),
                                host_vars=dict((host, {"ucpbx_config": tree, "pbx_port": emulator.port})
                                               for host, emulator in pbxes.items()),
                                group_vars={"ucpbx_state": "overridden"})
    env = {"UCPBX_TIMEOUT": TIMEOUT}
    pbxes[FAILS_FIRST].faults(FIRST_RUN_BREAKER)
    for seed in SEEDS:
        inject_faults(pbxes["pbx-seed%d" % seed], seed)
    any_emulator = pbxes["pbx-seed1"]

    first = stage.ansible(SITE, inventory, any_emulator, env=env, args=["--forks", str(len(SEEDS))])
    failed = sorted(host for host in pbxes if first.recap(host)["failed"])
    # One rerun of the PBXes that failed, still under faults, finishes the job.
    again = stage.ansible(SITE, inventory, any_emulator, env=env, args=["--limit", ",".join(failed)])
    logs, states = {}, {}
    for host, emulator in sorted(pbxes.items()):
        logs[host], states[host] = emulator.requests(), emulator.state()
        emulator.clear_faults()
        emulator.clear_log()
    # Without faults, every PBX already matches: nothing changes and nothing is written.
    clean = stage.ansible(SITE, inventory, any_emulator, env=env, args=["--forks", str(len(SEEDS))])
    clean_logs = dict((host, emulator.requests()) for host, emulator in pbxes.items())
    return dict(tree=tree, first=first, failed=failed, again=again, logs=logs, states=states, clean=clean,
                clean_logs=clean_logs)


def faults_met(log):
    return collections.Counter(entry["fault"] for entry in log if entry["fault"])


def test_first_run_fails_for_the_pbxes_it_reports(fleet):
    first = fleet["first"]
    assert FAILS_FIRST in fleet["failed"], first.output
    assert first.rc == 2, first.output


def test_failed_pbxes_say_what_they_had_applied(fleet):
    # The others may fail too, when the random faults hit one request more often than it is retried.
    for host in fleet["failed"]:
        check_failure_says_what_was_applied([result for name, result in fleet["first"].failures() if name == host],
                                            fleet["first"].output)


def test_failure_part_way_names_what_it_had_applied(fleet):
    # Trunks and extensions come before paging groups, so all of them were in.
    [result] = [result for name, result in fleet["first"].failures() if name == FAILS_FIRST]
    msg, tree = result["msg"], fleet["tree"]
    assert msg.startswith("paging_groups: paginggroup/add for paging group "), msg
    assert "applied before the failure: trunks %d added; extensions %d added" % (
        len(tree["trunks"]), len(tree["extensions"])) in msg, msg


def test_one_rerun_of_the_failed_pbxes_converges(fleet):
    assert fleet["again"].rc == 0, "no convergence after one rerun:\n%s" % fleet["again"].output


@pytest.mark.parametrize("host", HOSTS)
def test_pbx_met_faults_of_several_kinds(fleet, host):
    # This is not a clean run in disguise.
    faults = faults_met(fleet["logs"][host])
    assert sum(faults.values()) >= 5 and len(faults) >= 3, (host, faults)


@pytest.mark.parametrize("host", HOSTS)
def test_pbx_holds_the_tree(fleet, host):
    problems = state_problems(fleet["states"][host], fleet["tree"])
    assert problems == [], (host, problems)


@pytest.mark.parametrize("host", HOSTS)
def test_every_object_created_exactly_once(fleet, host):
    log = fleet["logs"][host]
    applied = applied_adds(log)
    assert [key for key, count in applied.items() if count > 1] == [], summary(log)
    assert len(applied) == sum(len(fleet["tree"][kind]) for kind in ("trunks", "extensions", "paging_groups",
                                                                     "inbound_routes", "outbound_routes"))


@pytest.mark.parametrize("host", HOSTS)
def test_no_add_refused_as_already_there(fleet, host):
    log = fleet["logs"][host]
    assert [entry for entry in log if entry["errno"] == "10017"] == [], summary(log)


def test_every_kind_of_fault_met_across_the_pbxes(fleet):
    # Lost write answers included.
    kinds_met = set()
    for log in fleet["logs"].values():
        kinds_met.update(faults_met(log))
        kinds_met.update("lost write answer" for entry in log if entry["fault"] == "reset_after" and is_write(entry))
    assert kinds_met == {"reset", "reset_after", "http500", "delay_after", "errno", "lost write answer"}, kinds_met
    print("requests, faults injected, failed first run per PBX: %s" % dict(
        (host, (len(log), sum(faults_met(log).values()), host in fleet["failed"]))
        for host, log in sorted(fleet["logs"].items())))


def test_run_without_faults_changes_and_writes_nothing(fleet):
    check_nothing_changed(fleet["clean"], fleet["clean_logs"])


# One PBX without retries, then a rerun with them -----------------------------------------------------------

@pytest.fixture(scope="module")
def without_retries(stages):
    # No retries: the first fault on a write stops the run, which must say what it had applied.
    stage = stages("without-retries")
    emulator = stage.start_emulator()
    tree = office_tree()
    inventory = write_inventory(stage.workdir / "inventory", ["pbx"], host_vars={"pbx": {"ucpbx_config": tree}},
                                group_vars={"ucpbx_state": "overridden"})
    emulator.faults({"probability": 0.3, "seed": 7, "kinds": ["reset_after", "http500"], "endpoint": "extension/add"})
    first = stage.ansible(SITE, inventory, emulator, env={"UCPBX_TIMEOUT": TIMEOUT, "UCPBX_RETRIES": 0})
    # One rerun, still under faults but with the default retries.
    again = stage.ansible(SITE, inventory, emulator, env={"UCPBX_TIMEOUT": TIMEOUT})
    return tree, first, again, emulator.requests(), emulator.state()


def test_role_without_retries_fails_saying_what_it_applied(without_retries):
    first = without_retries[1]
    assert first.rc == 2, first.output
    check_failure_says_what_was_applied([result for _host, result in first.failures()], first.output)


def test_rerun_with_retries_converges_without_duplicates(without_retries):
    tree, _first, again, log, state = without_retries
    assert again.rc == 0, again.output
    assert state_problems(state, tree) == []
    assert [key for key, count in applied_adds(log).items() if count > 1] == [], summary(log)
