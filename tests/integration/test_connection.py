# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Logins, the token cache, the refused-login guard, forks, module_defaults and api_version."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from conftest import API_PASSWORD, API_USERNAME, summary


def test_wrong_password_is_tried_once_then_right_password_works(emulator, run_playbook, converge):
    returncode, output = run_playbook("wrong_password", env={"UCPBX_PASSWORD": "not-the-password"})
    assert returncode == 0, output
    log = emulator.requests()
    # One refused login and nothing else: the 99 other items did not knock on the door.
    assert [(e["endpoint"], e["status"], e["errno"]) for e in log] == [("login", "Failed", "20003")], summary(log)
    assert emulator.extensions() == {}

    # The guard keys on the credentials: the right password is not held back by it.
    emulator.clear_log()
    returncode, output, result = converge([{"number": "7000", "name": "Finally"}])
    assert returncode == 0, output
    assert result["changed"] is True
    logins = emulator.logins()
    assert [(e["status"], e["errno"]) for e in logins] == [("Success", None)], summary(logins)
    assert sorted(emulator.extensions()) == ["7000"]


def test_expired_token_is_replaced_by_one_login(emulator, run_playbook):
    returncode, output = run_playbook("token_expiry")
    assert returncode == 0, output
    log = emulator.requests()
    assert sorted(emulator.extensions()) == ["4001", "4002"]
    logins = [i for i, e in enumerate(log) if e["endpoint"] == "login"]
    stale = [i for i, e in enumerate(log) if e["errno"] == "20004"]
    assert len(logins) == 2, summary(log)
    assert len(stale) == 1, summary(log)
    # The first task logged in; the second one's first request met the expired token,
    # then came exactly one login and the same request again, answered this time.
    assert logins[0] == 0
    i = stale[0]
    assert log[i]["endpoint"] == "extension/query" and log[i]["token_present"], summary(log)
    assert log[i + 1]["endpoint"] == "login" and log[i + 1]["status"] == "Success", summary(log)
    assert log[i + 2]["endpoint"] == log[i]["endpoint"] and log[i + 2]["status"] == "Success", summary(log)
    assert log[i + 2]["body"] == log[i]["body"]
    assert [(e["endpoint"], e["body"].get("number"), e["status"]) for e in log[i + 3:]] == [
        ("deviceinfo/query", None, "Success"), ("extension/add", "4002", "Success")], summary(log)
    assert all(e["status"] == "Success" for e in log if e is not log[i])


def test_parallel_forks_share_one_login(emulator, run_playbook):
    returncode, output = run_playbook("forks", limit="fleet", forks=8)
    assert returncode == 0, output
    numbers = ["61%02d" % n for n in range(1, 9)]
    assert sorted(emulator.extensions()) == numbers
    logins = emulator.logins()
    assert len(logins) == 1, summary(emulator.requests())
    assert logins[0]["status"] == "Success"
    adds = emulator.endpoint_calls("extension/add")
    assert sorted(e["body"]["number"] for e in adds) == numbers
    assert len(emulator.endpoint_calls("extension/query")) == 8
    assert all(e["status"] == "Success" for e in emulator.requests())


def test_module_defaults_group_without_environment(emulator, run_playbook, token_cache_dir):
    no_env = dict((name, None) for name in ("UCPBX_HOST", "UCPBX_PORT", "UCPBX_USERNAME", "UCPBX_PASSWORD",
                                            "UCPBX_TOKEN_CACHE_DIR"))
    returncode, output = run_playbook("module_defaults", {
        "pbx_host": emulator.host, "pbx_port": emulator.port, "pbx_username": API_USERNAME,
        "pbx_password": API_PASSWORD, "pbx_token_cache_dir": token_cache_dir,
    }, env=no_env)
    assert returncode == 0, output
    assert sorted(emulator.extensions()) == ["4501", "4503"]
    log = emulator.requests()
    # One login for every task (token_cache_dir came from module_defaults too, then from the task
    # environment); the task without options sent nothing.
    assert [e["endpoint"] for e in log] == ["login", "extension/query", "deviceinfo/query", "extension/add",
                                            "extension/query", "extension/query", "extension/query",
                                            "extension/query", "deviceinfo/query", "extension/add"], summary(log)


def test_api_version_alias_path(emulator, converge):
    returncode, output, result = converge([{"number": "4601", "name": "Alias"}], api_version="v1.1.0")
    assert returncode == 0, output
    assert result["changed"] is True
    log = emulator.requests()
    assert [e["endpoint"] for e in log] == ["login", "extension/query", "deviceinfo/query", "extension/add"], summary(log)
    assert set(e["base"] for e in log) == {"/api/v1.1.0"}, summary(log)
    assert all(e["path"].startswith("/api/v1.1.0/") for e in log)

    # The same through UCPBX_API_VERSION (same base path: the cached token is reused).
    emulator.clear_log()
    returncode, output, result = converge([{"number": "4602", "name": "Alias env"}],
                                          env={"UCPBX_API_VERSION": "v1.1.0"})
    assert returncode == 0, output
    log = emulator.requests()
    assert set(e["base"] for e in log) == {"/api/v1.1.0"}, summary(log)
    assert [e["endpoint"] for e in log] == ["extension/query", "deviceinfo/query", "extension/add"], summary(log)

    # And the default is the OpenVox path (another base path, so another token).
    emulator.clear_log()
    returncode, output, result = converge([{"number": "4603"}])
    assert returncode == 0, output
    log = emulator.requests()
    assert set(e["base"] for e in log) == {"/api/v0.0.1"}, summary(log)
    assert [e["endpoint"] for e in log] == ["login", "extension/query", "deviceinfo/query", "extension/add"], summary(log)
    assert sorted(emulator.extensions()) == ["4601", "4602", "4603"]


def test_without_token_cache_each_task_logs_in_and_out(emulator, converge, token_cache_dir):
    env = {"UCPBX_TOKEN_CACHE": "false"}
    returncode, output, result = converge([{"number": "4701"}], env=env)
    assert returncode == 0, output
    returncode, output, result = converge([{"number": "4701"}], env=env)
    assert returncode == 0, output
    assert result["changed"] is False
    log = emulator.requests()
    assert [e["endpoint"] for e in log] == ["login", "extension/query", "deviceinfo/query", "extension/add", "logout",
                                            "login", "extension/query", "logout"], summary(log)
    assert all(e["status"] == "Success" for e in log)
    assert not [name for name in os.listdir(token_cache_dir) if name.endswith(".token.json")]
