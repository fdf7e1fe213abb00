# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check mode honesty and secret canaries over every module (cases in every_module.py).

Check mode: each case runs with --check and then for real from the same PBX state; the check sends
no write and predicts the real run's `changed` and `commands`.
Canaries: no secret value, API password, md5 of either or API token in stdout/stderr (at -vvv with
--diff), in the registered results, in Ansible's temporary files or in the token cache, whether
the runs succeed or fail (wrong password, injected faults).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import stat

from conftest import summary
from every_module import SEED, modes, other_cases, resource_cases, secrets_to_find, var_name, write_playbook
from resources_helpers import is_write


def private_temp(tmp_path):
    """Ansible's local and remote temporary directories under the test's own directory."""
    local, remote = tmp_path / "ansible-local-tmp", tmp_path / "ansible-remote-tmp"
    return {"ANSIBLE_LOCAL_TEMP": str(local), "ANSIBLE_REMOTE_TMP": str(remote), "ANSIBLE_KEEP_REMOTE_FILES": "0"}


def texts_under(*directories):
    """(path, text) of every file below the directories."""
    found = []
    for directory in directories:
        for root, _dirs, files in os.walk(str(directory)):
            for name in files:
                path = os.path.join(root, name)
                with open(path, "rb") as handle:
                    found.append((path, handle.read().decode("utf-8", "replace")))
    return found


def cached_token(token_cache_dir):
    """The token cache: one 0600 token file in a 0700 directory holding the token and no credential."""
    assert stat.S_IMODE(os.stat(token_cache_dir).st_mode) == 0o700
    tokens = []
    for name in os.listdir(token_cache_dir):
        path = os.path.join(token_cache_dir, name)
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, name
        if name.endswith(".token.json"):
            with open(path) as handle:
                entry = json.load(handle)
            assert sorted(entry) == ["fingerprint", "last_used", "token"], entry
            tokens.append(entry["token"])
    assert len(tokens) == 1, os.listdir(token_cache_dir)
    return tokens[0]


def leaks(places, secrets):
    """["<secret name> in <place>"] for every secret value found in any of the places."""
    return ["%s in %s" % (name, place) for place, text in places for name, value in sorted(secrets.items())
            if value in text]


def run_cases(run_playbook, tmp_path, resource, others, tag, check=True, **kwargs):
    path = write_playbook(tmp_path / ("every-module-%s.yml" % tag), resource, others, check)
    tree = tmp_path / ("tree-%s" % tag)
    env = dict(private_temp(tmp_path), **kwargs.pop("env", {}))
    returncode, output = run_playbook(path, tree=tree, env=env, **kwargs)
    assert returncode == 0, output
    tree_text = (tree / "pbx").read_text()
    outcome = json.loads(tree_text)["ansible_facts"]["outcome"]
    return output, tree_text, outcome


def failed(result):
    return bool(result.get("failed"))


def test_check_mode_predicts_the_real_run_and_secrets_stay_hidden(emulator, run_playbook, tmp_path,
                                                                  token_cache_dir):
    emulator.put_state(SEED)
    resource, others = resource_cases(str(tmp_path / "uc-config")), other_cases(str(tmp_path))
    output, tree_text, outcome = run_cases(run_playbook, tmp_path, resource, others, "all", diff=True, verbosity=3)
    log = emulator.requests()

    dishonest = []
    for case_name, module, args in resource + others:
        if len(modes(args)) == 1:
            continue
        check, real = outcome[var_name(case_name, "check")], outcome[var_name(case_name, "real")]
        for key in ("failed", "changed", "commands", "gathered", "rendered"):
            left = failed(check) if key == "failed" else check.get(key)
            right = failed(real) if key == "failed" else real.get(key)
            if left != right:
                dishonest.append("%s (%s): %s check=%r real=%r; real msg=%r" % (
                    case_name, module, key, left, right, real.get("msg")))
    assert dishonest == [], "\n".join(dishonest)
    # The cases did change things (this is not a run of no-ops).
    assert sum(1 for name, _m, args in resource + others if "real" in modes(args)
               and outcome[var_name(name, "real")].get("changed")) >= 25

    # Check runs sent no write: every write of the log is one the real runs list, in order.
    marks = [i for i, entry in enumerate(log) if (entry["endpoint"] or "").startswith("mark/")]
    assert len(marks) == 2, summary(log)
    real_commands = [command for name, _m, args in resource if "real" in modes(args)
                     for command in outcome[var_name(name, "real")].get("commands", [])]
    assert [{"endpoint": e["endpoint"], "body": e["body"]} for e in log[:marks[0]] if is_write(e)] == real_commands
    assert [e for e in log[marks[0]:marks[1]] if is_write(e) or "/add_" in e["endpoint"] or
            e["endpoint"] in ("extension/dial_extension", "extension/playprompt", "conference/add_member",
                              "hotel/checkout", "wakeupcall/create")] == [], summary(log[marks[0]:marks[1]])

    # Secrets: reached the PBX, shown nowhere.
    state = emulator.state()
    ext = dict((record["number"], record) for record in state["extensions"])["3810"]
    assert ext["registerpassword"] == "CanaryRegQx71w" and ext["vmsecret"] == "739105824"
    token = cached_token(token_cache_dir)
    secrets = secrets_to_find(token)
    places = [("output", output), ("registered results", tree_text)]
    places += texts_under(tmp_path / "ansible-local-tmp", tmp_path / "ansible-remote-tmp")
    snapshots = texts_under(tmp_path / "uc-config")
    assert snapshots, "uc_config kept no snapshot"
    places += snapshots
    assert leaks(places, secrets) == []
    # The cache holds the token and nothing else secret.
    secrets.pop("api token")
    assert leaks(texts_under(token_cache_dir), secrets) == []
    assert "******** (changed)" in output  # the diffs were shown and masked secrets in them


def test_failing_runs_keep_secrets_hidden(emulator, run_playbook, tmp_path, token_cache_dir):
    emulator.put_state(SEED)
    # One case per resource module and every other module, for real.
    firsts = []
    for case in resource_cases():
        if case[1] not in [module for _name, module, _args in firsts] and "real" in modes(case[2]):
            firsts.append(case)
    others = other_cases(str(tmp_path))
    wrong = "CanaryWrongApiPw-Xq4"
    output, tree_text, outcome = run_cases(run_playbook, tmp_path, [], firsts + others, "wrong-password", check=False,
                                           verbosity=3, diff=True, env={"UCPBX_PASSWORD": wrong})
    results = [outcome[var_name(name, "real")] for name, _m, _a in firsts + others]
    assert all(failed(result) for result in results), [r.get("msg") for r in results if not failed(r)]
    assert len(emulator.logins()) == 1
    secrets = secrets_to_find()
    secrets.update({"wrong api password": wrong})
    places = [("wrong-password output", output), ("wrong-password results", tree_text)]

    # Injected faults: lost answers, HTTP 500, 10025 and a refusal, with one retry.
    emulator.clear_log()
    for n, kind in enumerate(["reset_after", "http500", "errno:10025", "errno:10019", "reset"]):
        emulator.faults({"probability": 0.35, "seed": 40 + n, "kinds": [kind]})
    output, tree_text, outcome = run_cases(run_playbook, tmp_path, [], firsts + others, "faults", check=False, verbosity=3,
                                           diff=True, env={"UCPBX_RETRIES": "1"})
    results = [outcome[var_name(name, "real")] for name, _m, _a in firsts + others]
    assert sum(1 for result in results if failed(result)) >= 5, [r.get("msg") for r in results]
    assert [r.get("msg") for r in results if "Traceback" in json.dumps(r)] == []
    places += [("faults output", output), ("faults results", tree_text)]
    places += texts_under(tmp_path / "ansible-local-tmp", tmp_path / "ansible-remote-tmp")
    assert leaks(texts_under(token_cache_dir), secrets) == []
    secrets["api token"] = cached_token(token_cache_dir)
    assert leaks(places, secrets) == []
