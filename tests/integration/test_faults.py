# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Transient faults are retried without applying a write twice; a hard failure midway says what was done."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections

from conftest import summary

FLAKY_EXTENSIONS = [{"number": str(8100 + n), "name": "Flaky %d" % n, "voicemail": n % 2 == 0} for n in range(20)]


def test_random_transient_faults_converge_without_duplicates(emulator, converge):
    # 20% of the requests fail, each rule with its own seeded RNG so the run replays exactly. The API
    # answers 10025 only to configuration requests, so the login meets the other kinds only.
    transient = ["reset", "reset_after", "http500", "errno:10025"]
    emulator.faults({"probability": 0.2, "seed": 11, "kinds": transient[:3], "endpoint": "login"})
    emulator.faults({"probability": 0.2, "seed": 12, "kinds": transient, "endpoint": "extension/query"})
    emulator.faults({"probability": 0.2, "seed": 13, "kinds": transient, "endpoint": "extension/add"})
    returncode, output, result = converge(FLAKY_EXTENSIONS, retries=6)
    assert returncode == 0, output
    assert result["changed"] is True

    log = emulator.requests()
    faults = collections.Counter(e["fault"] for e in log if e["fault"])
    # The run did meet faults (this is not a clean run in disguise), of several kinds.
    assert sum(faults.values()) >= 5, summary(log)
    assert len(faults) >= 3, faults
    assert any(e["fault"] == "reset_after" and e["endpoint"] == "extension/add" for e in log), summary(log)

    numbers = [ext["number"] for ext in FLAKY_EXTENSIONS]
    pbx = emulator.extensions()
    assert sorted(pbx) == numbers
    for ext in FLAKY_EXTENSIONS:
        assert pbx[ext["number"]]["username"] == ext["name"]
        assert pbx[ext["number"]]["hasvoicemail"] == ("on" if ext["voicemail"] else "off")
    # Each add took effect exactly once (a lost answer was checked, not blindly resent) ...
    applied = collections.Counter(e["body"]["number"] for e in log
                                  if e["endpoint"] == "extension/add" and e["status"] == "Success")
    assert applied == collections.Counter(numbers), summary(log)
    # ... and no add was refused as a duplicate.
    assert not [e for e in log if e["endpoint"] == "extension/add" and e["errno"] == "10017"], summary(log)
    # The result lists each add once.
    assert sorted(c["body"]["number"] for c in result["commands"]) == numbers

    emulator.clear_faults()
    emulator.clear_log()
    returncode, output, again = converge(FLAKY_EXTENSIONS, retries=6)
    assert returncode == 0, output
    assert again["changed"] is False
    assert emulator.writes() == []


def test_failure_midway_reports_what_was_applied(emulator, converge):
    # The first add passes (an instant "delay" fault just consumes it), the second is refused.
    emulator.faults({"count": 1, "kind": "delay", "delay_ms": 0, "endpoint": "extension/add"})
    emulator.faults({"count": 1, "kind": "errno", "errno": "10017", "endpoint": "extension/add"})
    extensions = [{"number": "8001", "name": "First"}, {"number": "8002", "name": "Second"},
                  {"number": "8003", "name": "Third"}]
    returncode, output, result = converge(extensions, expect_failed=True)
    assert returncode == 0, output
    assert result["failed"] is True
    msg = result["msg"]
    assert "10017" in msg and "8002" in msg, msg
    assert "1 request(s) had already been applied" in msg, msg
    assert result["changed"] is True
    assert result["commands"] == [{"endpoint": "extension/add", "body": {"number": "8001", "username": "First"}}]

    writes = emulator.writes()
    assert [(w["body"]["number"], w["status"], w["errno"]) for w in writes] == [
        ("8001", "Success", None), ("8002", "Failed", "10017")], summary(writes)
    assert sorted(emulator.extensions()) == ["8001"]

    # Rerun once the PBX is well again: only what is missing is sent.
    emulator.clear_log()
    returncode, output, result = converge(extensions)
    assert returncode == 0, output
    assert [(w["endpoint"], w["body"]["number"]) for w in emulator.writes()] == [
        ("extension/add", "8002"), ("extension/add", "8003")]
    assert sorted(emulator.extensions()) == ["8001", "8002", "8003"]
