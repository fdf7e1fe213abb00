# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ten hosts, forks 10, one PBX: one login per token expiry, one login for a wrong password.

The single-host cases (a 100-item loop with a wrong password, one expiry between two tasks) are in
tests/integration/test_connection.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from conftest import API_PASSWORD, is_write, summary, write_inventory

HOSTS = ["host%d" % n for n in range(10)]
EXPIRIES = 2


def fleet(tmp_path, token_cache_dir):
    # The token cache directory does not exist yet: ten forks create it at once, as in a fresh container.
    assert not os.path.exists(token_cache_dir)
    return write_inventory(tmp_path / "inventory", HOSTS)


def test_token_expiry_costs_one_login_per_expiry(start_emulator, ansible, tmp_path, token_cache_dir):
    # With --single-token every login invalidates the tokens given before: a second login from
    # another fork would knock out the first fork's fresh token and cascade.
    emulator = start_emulator("--single-token")
    run = ansible("expiry_fleet.yml", fleet(tmp_path, token_cache_dir), emulator, args=["--forks", "10"])
    assert run.rc == 0, run.output
    log = emulator.requests()
    logins = [entry for entry in log if entry["endpoint"] == "login"]
    assert len(logins) == 1 + EXPIRIES, summary(log)
    assert all(entry["status"] == "Success" for entry in logins), summary(logins)
    stale = [entry for entry in log if entry["errno"] == "20004"]
    # Each expiry was met by at least one fork and by none twice (a replay carried the new token);
    # forks that asked for the token after the new login got it from the cache.
    assert EXPIRIES <= len(stale) <= len(HOSTS) * EXPIRIES, summary(log)
    assert [entry for entry in log if entry["status"] != "Success" and entry["errno"] != "20004"] == [], summary(log)
    adds = sorted(entry["body"]["number"] for entry in log if entry["endpoint"] == "extension/add")
    expected = sorted(str(5000 + n * 10 + task) for n in range(len(HOSTS)) for task in (1, 2, 3))
    assert adds == expected
    assert sorted(emulator.extensions()) == expected


def test_wrong_password_on_ten_hosts_makes_one_login(start_emulator, ansible, tmp_path, token_cache_dir):
    # A lockout threshold of 2 would show a second refused login as a 20002 lockout.
    emulator = start_emulator("--lockout-threshold", "2")
    inventory = fleet(tmp_path, token_cache_dir)
    run = ansible("wrong_password_fleet.yml", inventory, emulator, env={"UCPBX_PASSWORD": "Not-" + API_PASSWORD},
                  args=["--forks", "10"])
    assert run.rc == 0, run.output
    log = emulator.requests()
    assert [(entry["endpoint"], entry["status"], entry["errno"]) for entry in log] == [
        ("login", "Failed", "20003")], summary(log)

    # The PBX did not lock the controller out: the right password logs in at once.
    emulator.clear_log()
    run = ansible("expiry_fleet.yml", inventory, emulator, args=["--forks", "10", "--limit", "host1"])
    assert run.rc == 0, run.output
    logins = [entry for entry in emulator.requests() if entry["endpoint"] == "login"]
    assert [(entry["status"], entry["errno"]) for entry in logins][0] == ("Success", None), summary(logins)
    assert [entry for entry in emulator.requests() if is_write(entry)], "the right password wrote nothing"
