# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection errors a new user meets: each fails in bounded time and says what was tried and what to check."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import socket
import time

import pytest

from conftest import summary


@pytest.fixture
def closed_port():
    """A loopback port nothing listens on (bound, then released)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


@pytest.fixture
def silent_port():
    """A port that accepts connections (the kernel completes the handshake) and never answers."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    yield listener.getsockname()[1]
    listener.close()


def timed(run, *args, **kwargs):
    started = time.monotonic()
    outcome = run(*args, **kwargs)
    return outcome + (time.monotonic() - started,)


def test_refused_connection_fails_at_once_and_says_what_to_check(emulator, converge, closed_port):
    returncode, output, result, seconds = timed(converge, [{"number": "7200"}], env={"UCPBX_PORT": closed_port},
                                                expect_failed=True, retries=6)
    assert returncode == 0, output
    msg = result["msg"]
    assert "connection to http://127.0.0.1:%d refused, so nothing was sent" % closed_port in msg, msg
    assert "is the PBX API enabled" in msg and "9011" in msg and "allow this controller's address" in msg, msg
    # No retry loop (6 retries with back-off would take about 30 s) and no raw urllib3 text.
    assert "giving up" not in msg and "HTTPConnectionPool" not in msg and "Max retries" not in msg, msg
    assert "may have" not in msg, msg
    assert seconds < 15, seconds
    assert emulator.requests() == []


def test_unknown_host_name_fails_at_once(emulator, converge):
    returncode, output, result, seconds = timed(converge, [{"number": "7201"}], env={"UCPBX_HOST": "pbx.invalid"},
                                                expect_failed=True, retries=6)
    assert returncode == 0, output
    msg = result["msg"]
    assert "cannot resolve the PBX host name 'pbx.invalid', so nothing was sent: check host" in msg, msg
    assert "giving up" not in msg and "NameResolutionError" not in msg, msg
    assert seconds < 15, seconds


def test_pbx_that_never_answers_fails_within_the_documented_bound(emulator, converge, silent_port):
    env = {"UCPBX_PORT": silent_port, "UCPBX_TIMEOUT": "1"}
    returncode, output, result, seconds = timed(converge, [{"number": "7204"}], env=env, expect_failed=True,
                                                retries=1)
    assert returncode == 0, output
    msg = result["msg"]
    assert "no answer from http://127.0.0.1:%d within 1 s (timeout)" % silent_port in msg, msg
    assert "giving up after 2 attempt(s)" in msg, msg
    assert "the connection was accepted but the API did not answer" in msg and "raise timeout" in msg, msg
    # 2 attempts x 1 s plus one back-off pause (at most 0.5 s) plus the playbook itself.
    assert seconds < 12, seconds


def test_timeouts_below_one_second_are_refused(emulator, converge):
    returncode, output, result = converge([{"number": "7205"}], env={"UCPBX_CONNECT_TIMEOUT": "0"},
                                          expect_failed=True)
    assert returncode == 0, output
    assert "connect_timeout must be at least 1" in result["msg"], result["msg"]
    assert emulator.requests() == []


def test_parallel_forks_create_a_missing_cache_directory_together(emulator, run_playbook, tmp_path):
    # Fresh execution environments start without the cache directory; every fork creates it at once.
    for attempt in range(3):
        emulator.reset()
        cache = tmp_path / ("fresh-%d" % attempt) / "nested" / "cache"
        returncode, output = run_playbook("forks", limit="fleet", forks=8, env={"UCPBX_TOKEN_CACHE_DIR": cache})
        assert returncode == 0, output
        assert "File exists" not in output
        assert len(emulator.logins()) == 1, summary(emulator.requests())
        assert oct(os.stat(str(cache)).st_mode & 0o777) == oct(0o700)


def test_lockout_guard_in_state_dir_outlives_a_throwaway_cache(emulator, converge, tmp_path):
    state_dir = tmp_path / "mounted-state"
    wrong = {"UCPBX_PASSWORD": "not-the-password", "UCPBX_STATE_DIR": state_dir}
    for run in range(3):
        # Each run gets a brand-new token cache, as in a fresh AWX job container.
        env = dict(wrong, UCPBX_TOKEN_CACHE_DIR=tmp_path / ("home-%d" % run) / "cache")
        returncode, output, result = converge([{"number": "7300"}], env=env, expect_failed=True)
        assert returncode == 0, output
        assert result["failed"] is True
        if run == 0:
            assert "refused: errno 20003" in result["msg"], result["msg"]
        else:
            assert "not attempted" in result["msg"] and str(state_dir) in result["msg"], result["msg"]
    # Only the first run knocked; the PBX is nowhere near its lockout.
    logins = emulator.logins()
    assert [(e["status"], e["errno"]) for e in logins] == [("Failed", "20003")], summary(logins)


def test_without_a_shared_guard_the_lockout_message_claims_no_protection(emulator, converge, tmp_path):
    # Throwaway caches and no state_dir: every run tries once, and the PBX locks the address at run 6.
    messages = []
    for run in range(6):
        env = {"UCPBX_PASSWORD": "not-the-password", "UCPBX_TOKEN_CACHE_DIR": tmp_path / ("home-%d" % run)}
        returncode, output, result = converge([{"number": "7301"}], env=env, expect_failed=True)
        assert returncode == 0, output
        messages.append(result["msg"])
    errnos = [e["errno"] for e in emulator.logins()]
    assert errnos == ["20003"] * 5 + ["20002"], errnos
    assert "a run that does not share it" in messages[0] and "would try again" in messages[0], messages[0]
    locked = messages[-1]
    assert "has locked this controller's address" in locked, locked
    assert "so the PBX does not lock this address" not in locked, locked
    assert "protect" not in locked, locked
