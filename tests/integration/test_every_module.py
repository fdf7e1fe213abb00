# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check mode honesty and secret canaries over every module (cases in every_module.py).

Check mode: each case runs with --check and then for real from the same PBX state; the check sends
no write and predicts the real run's `changed` and `commands`.
Canaries: no secret value, API password, md5 of either or API token in stdout/stderr (at -vvv with
--diff), in the registered results, in Ansible's temporary files or in the token cache, whether
the runs succeed or fail (wrong password, injected faults).

Each scenario runs its generated playbooks once in a module-scoped fixture; each test checks one behaviour.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import stat

import pytest

from conftest import summary
from every_module import SEED, modes, other_cases, resource_cases, secrets_to_find, var_name, write_playbook
from resources_helpers import Steps, is_write


def private_temp(directory):
    """Ansible's local and remote temporary directories under the scenario's own directory."""
    local, remote = directory / "ansible-local-tmp", directory / "ansible-remote-tmp"
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


def run_cases(steps, resource, others, tag, check=True, env=None, **options):
    """The cases as one generated playbook, with Ansible's temporary files under the scenario's directory."""
    path = write_playbook(steps.workdir / ("every-module-%s.yml" % tag), resource, others, check)
    return steps.play(path, env=dict(private_temp(steps.workdir), **(env or {})), **options)


def tree_text(step):
    """The registered results as the tree callback saved them."""
    return (step.extra / "pbx").read_text()


def temp_texts(steps):
    return texts_under(steps.workdir / "ansible-local-tmp", steps.workdir / "ansible-remote-tmp")


def failed(result):
    return bool(result.get("failed"))


@pytest.fixture(scope="module")
def cases(emulator_process, ansible_env_base, tmp_path_factory):
    """Every case, check then real, at -vvv with --diff: (steps, resource cases, other cases, the run)."""
    steps = Steps(emulator_process, ansible_env_base, tmp_path_factory, "every-module", seed=SEED)
    resource, others = resource_cases(steps.path("uc-config")), other_cases(str(steps.workdir))
    return steps, resource, others, run_cases(steps, resource, others, "all", diff=True, verbosity=3)


def test_every_case_runs(cases):
    cases[3].check_passed()


def test_check_mode_predicts_the_real_run(cases):
    _steps, resource, others, run = cases
    dishonest = []
    for case_name, module, args in resource + others:
        if len(modes(args)) == 1:
            continue
        check, real = run.outcome[var_name(case_name, "check")], run.outcome[var_name(case_name, "real")]
        for key in ("failed", "changed", "commands", "gathered", "rendered"):
            left = failed(check) if key == "failed" else check.get(key)
            right = failed(real) if key == "failed" else real.get(key)
            if left != right:
                dishonest.append("%s (%s): %s check=%r real=%r; real msg=%r" % (
                    case_name, module, key, left, right, real.get("msg")))
    assert dishonest == [], "\n".join(dishonest)


def test_refused_cases_fail_alike_and_name_the_reason(cases):
    # No write either: the log's writes are exactly the real runs' commands (test below), and these have none.
    _steps, resource, _others, run = cases
    refused = [name for name, _m, _a in resource if name.startswith("refused: ")]
    assert len(refused) == 3
    for name in refused:
        check, real = run.outcome[var_name(name, "check")], run.outcome[var_name(name, "real")]
        assert failed(check) and failed(real), name
        assert check["msg"] == real["msg"] and "nothing was changed on the PBX" in real["msg"], real["msg"]
        assert not real.get("commands") and not real.get("changed"), name


def test_the_cases_change_things(cases):
    # This is not a run of no-ops.
    _steps, resource, others, run = cases
    assert sum(1 for name, _m, args in resource + others if "real" in modes(args)
               and run.outcome[var_name(name, "real")].get("changed")) >= 25


def marks(log):
    """Where the log is cut: before the other modules' checks, and before their real runs."""
    found = [i for i, entry in enumerate(log) if (entry["endpoint"] or "").startswith("mark/")]
    assert len(found) == 2, summary(log)
    return found


def test_resource_writes_are_exactly_the_real_runs_commands(cases):
    # Check runs sent no write: every write of the log is one the real runs list, in order.
    _steps, resource, _others, run = cases
    real_commands = [command for name, _m, args in resource if "real" in modes(args)
                     for command in run.outcome[var_name(name, "real")].get("commands", [])]
    first = marks(run.log)[0]
    assert [{"endpoint": e["endpoint"], "body": e["body"]} for e in run.log[:first] if is_write(e)] == real_commands


def test_other_modules_checks_send_no_action(cases):
    log = cases[3].log
    first, second = marks(log)
    assert [e for e in log[first:second] if is_write(e) or "/add_" in e["endpoint"] or
            e["endpoint"] in ("extension/dial_extension", "extension/playprompt", "conference/add_member",
                              "hotel/checkout", "wakeupcall/create")] == [], summary(log[first:second])


def test_secrets_reach_the_pbx(cases):
    ext = dict((record["number"], record) for record in cases[3].state["extensions"])["3810"]
    assert ext["registerpassword"] == "CanaryRegQx71w" and ext["vmsecret"] == "739105824"


def test_secrets_are_shown_nowhere(cases):
    steps, _resource, _others, run = cases
    secrets = secrets_to_find(cached_token(steps.token_cache_dir))
    places = [("output", run.output), ("registered results", tree_text(run))]
    places += temp_texts(steps)
    snapshots = texts_under(steps.path("uc-config"))
    assert snapshots, "uc_config kept no snapshot"
    places += snapshots
    assert leaks(places, secrets) == []


def test_token_cache_holds_the_token_and_nothing_else_secret(cases):
    secrets = secrets_to_find(cached_token(cases[0].token_cache_dir))
    secrets.pop("api token")
    assert leaks(texts_under(cases[0].token_cache_dir), secrets) == []


def test_diffs_are_shown_with_secrets_masked(cases):
    assert "******** (changed)" in cases[3].output


WRONG_PASSWORD = "CanaryWrongApiPw-Xq4"


@pytest.fixture(scope="module")
def failing(emulator_process, ansible_env_base, tmp_path_factory):
    """One case per resource module and every other module, for real: with a wrong API password, then with
    injected faults (lost answers, HTTP 500, 10025 and a refusal, with one retry): (steps, cases, runs)."""
    steps = Steps(emulator_process, ansible_env_base, tmp_path_factory, "every-module-failing", seed=SEED)
    firsts = []
    for case in resource_cases():
        if case[1] not in [module for _name, module, _args in firsts] and "real" in modes(case[2]):
            firsts.append(case)
    selected = firsts + other_cases(str(steps.workdir))
    runs = {"wrong password": run_cases(steps, [], selected, "wrong-password", check=False, verbosity=3, diff=True,
                                        env={"UCPBX_PASSWORD": WRONG_PASSWORD})}
    for n, kind in enumerate(["reset_after", "http500", "errno:10025", "errno:10019", "reset"]):
        steps.emulator.faults({"probability": 0.35, "seed": 40 + n, "kinds": [kind]})
    runs["faults"] = run_cases(steps, [], selected, "faults", check=False, verbosity=3, diff=True,
                               env={"UCPBX_RETRIES": "1"})
    return steps, selected, runs


def results(failing, name):
    _steps, selected, runs = failing
    return [runs[name].outcome[var_name(case_name, "real")] for case_name, _m, _a in selected]


def test_failing_runs_complete(failing):
    for run in failing[2].values():
        run.check_passed()


def test_a_wrong_password_fails_every_module_after_one_login(failing):
    assert all(failed(result) for result in results(failing, "wrong password")), [
        r.get("msg") for r in results(failing, "wrong password") if not failed(r)]
    assert len([e for e in failing[2]["wrong password"].log if e["endpoint"] == "login"]) == 1


def test_injected_faults_fail_modules_without_a_traceback(failing):
    found = results(failing, "faults")
    assert sum(1 for result in found if failed(result)) >= 5, [r.get("msg") for r in found]
    assert [r.get("msg") for r in found if "Traceback" in json.dumps(r)] == []


def test_failing_runs_leave_no_credential_in_the_token_cache(failing):
    secrets = secrets_to_find()
    secrets.update({"wrong api password": WRONG_PASSWORD})
    assert leaks(texts_under(failing[0].token_cache_dir), secrets) == []


def test_failing_runs_show_no_secret(failing):
    steps, _selected, runs = failing
    secrets = secrets_to_find(cached_token(steps.token_cache_dir))
    secrets.update({"wrong api password": WRONG_PASSWORD})
    places = []
    for name, run in runs.items():
        places += [("%s output" % name, run.output), ("%s results" % name, tree_text(run))]
    places += temp_texts(steps)
    assert leaks(places, secrets) == []
