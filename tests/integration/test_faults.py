# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Transient faults are retried without applying a write twice; a hard failure midway says what was done.

Each scenario (a faulty run and its rerun) plays once in a module-scoped fixture; each test checks one
behaviour of what the emulator saw and held after each run.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections

from conftest import summary
from live_helpers import extensions_of, runs_fixture
from resources_helpers import writes_of

FLAKY_EXTENSIONS = [{"number": str(8100 + n), "name": "Flaky %d" % n, "voicemail": n % 2 == 0} for n in range(20)]
NUMBERS = [ext["number"] for ext in FLAKY_EXTENSIONS]
MIDWAY_EXTENSIONS = [{"number": "8001", "name": "First"}, {"number": "8002", "name": "Second"},
                     {"number": "8003", "name": "Third"}]


# Random transient faults, then a rerun without them --------------------------------------------------

@runs_fixture()
def transient(runs):
    # 20% of the requests fail, each rule with its own seeded RNG so the run replays exactly. The API
    # answers 10025 only to configuration requests, so the login meets the other kinds only.
    kinds = ["reset", "reset_after", "http500", "errno:10025"]
    runs.emulator.faults({"probability": 0.2, "seed": 11, "kinds": kinds[:3], "endpoint": "login"})
    runs.emulator.faults({"probability": 0.2, "seed": 12, "kinds": kinds, "endpoint": "extension/query"})
    runs.emulator.faults({"probability": 0.2, "seed": 13, "kinds": kinds, "endpoint": "extension/add"})
    first = runs.converge(FLAKY_EXTENSIONS, retries=6)
    runs.emulator.clear_faults()
    return first, runs.converge(FLAKY_EXTENSIONS, retries=6)


def test_transient_faults_run_converges(transient):
    first = transient[0]
    assert first.returncode == 0, first.output
    assert first.outcome["changed"] is True


def test_transient_faults_were_met_of_several_kinds(transient):
    log = transient[0].log
    faults = collections.Counter(e["fault"] for e in log if e["fault"])
    # The run did meet faults (this is not a clean run in disguise), of several kinds.
    assert sum(faults.values()) >= 5, summary(log)
    assert len(faults) >= 3, faults
    assert any(e["fault"] == "reset_after" and e["endpoint"] == "extension/add" for e in log), summary(log)


def test_transient_faults_pbx_holds_every_extension(transient):
    pbx = extensions_of(transient[0])
    assert sorted(pbx) == NUMBERS
    for ext in FLAKY_EXTENSIONS:
        assert pbx[ext["number"]]["username"] == ext["name"]
        assert pbx[ext["number"]]["hasvoicemail"] == ("on" if ext["voicemail"] else "off")


def test_transient_faults_each_add_applied_once(transient):
    # A lost answer was checked, not blindly resent.
    log = transient[0].log
    applied = collections.Counter(e["body"]["number"] for e in log
                                  if e["endpoint"] == "extension/add" and e["status"] == "Success")
    assert applied == collections.Counter(NUMBERS), summary(log)


def test_transient_faults_no_add_refused_as_duplicate(transient):
    log = transient[0].log
    assert not [e for e in log if e["endpoint"] == "extension/add" and e["errno"] == "10017"], summary(log)


def test_transient_faults_result_lists_each_add_once(transient):
    assert sorted(c["body"]["number"] for c in transient[0].outcome["commands"]) == NUMBERS


def test_transient_faults_rerun_without_faults_changes_nothing(transient):
    again = transient[1]
    assert again.returncode == 0, again.output
    assert again.outcome["changed"] is False
    assert writes_of(again.log) == []


# A hard failure midway, then a rerun once the PBX is well again ---------------------------------------

@runs_fixture()
def midway(runs):
    # The first add passes (an instant "delay" fault just consumes it), the second is refused.
    runs.emulator.faults({"count": 1, "kind": "delay", "delay_ms": 0, "endpoint": "extension/add"})
    runs.emulator.faults({"count": 1, "kind": "errno", "errno": "10017", "endpoint": "extension/add"})
    return runs.converge(MIDWAY_EXTENSIONS, expect_failed=True), runs.converge(MIDWAY_EXTENSIONS)


def test_midway_failure_names_the_refused_extension(midway):
    failed = midway[0]
    assert failed.returncode == 0, failed.output
    assert failed.outcome["failed"] is True
    msg = failed.outcome["msg"]
    assert "10017" in msg and "8002" in msg, msg


def test_midway_failure_reports_what_was_applied(midway):
    result = midway[0].outcome
    assert "1 request(s) had already been applied" in result["msg"], result["msg"]
    assert result["changed"] is True
    assert result["commands"] == [{"endpoint": "extension/add", "body": {"number": "8001", "username": "First"}}]


def test_midway_pbx_applied_the_first_add_only(midway):
    failed = midway[0]
    writes = writes_of(failed.log)
    assert [(w["body"]["number"], w["status"], w["errno"]) for w in writes] == [
        ("8001", "Success", None), ("8002", "Failed", "10017")], summary(writes)
    assert sorted(extensions_of(failed)) == ["8001"]


def test_midway_rerun_sends_only_what_is_missing(midway):
    rerun = midway[1]
    assert rerun.returncode == 0, rerun.output
    assert [(w["endpoint"], w["body"]["number"]) for w in writes_of(rerun.log)] == [
        ("extension/add", "8002"), ("extension/add", "8003")]
    assert sorted(extensions_of(rerun)) == ["8001", "8002", "8003"]
