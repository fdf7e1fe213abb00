# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers of the test_resources_*.py tests (one playbook per resource module).

Each playbooks/resources_<module>.yml runs many tasks of one module, asserts on their results
with ansible.builtin.assert and ends with a set_fact `outcome` holding the registered results;
`play()` runs it (at -vvv with --diff unless told otherwise) and returns that outcome too, so the
test can compare the module results with the emulator's request log and state.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import itertools
import json
import os

import pytest
import requests

from conftest import API_PASSWORD, API_USERNAME, WRITE_VERBS, Scenario, md5_hex, playbook_runner, result_of, \
    summary, tree_fact

MASK = "********"

_counter = itertools.count(1)


def play(run_playbook, tmp_path, name, extra_vars=None, verbosity=3, diff=True, check=False):
    """Run playbooks/<name>.yml; return (returncode, output, the `outcome` fact or None)."""
    tree = tmp_path / ("resources-tree-%d" % next(_counter))
    returncode, output = run_playbook(name, extra_vars, check=check, diff=diff, verbosity=verbosity, tree=tree)
    return returncode, output, tree_fact(tree, "outcome")


class Steps:
    """Several playbook runs in a row for a module-scoped scenario fixture, each captured as a Scenario.

    Starts from the session's emulator freshly reset (and `seed` put); the runs share one working
    directory (`workdir`) and token cache (`token_cache_dir`), so a later run reuses the token of an
    earlier one as a second ansible-playbook invocation would. The fixture may change the emulator
    between runs (faults, state) through `emulator`. Each run empties the request log first, so a
    Scenario's log holds that run's requests only.
    """

    def __init__(self, emulator_process, ansible_env_base, tmp_path_factory, name, seed=None):
        self.emulator = emulator_process
        self.emulator.reset()
        assert self.emulator.requests() == []
        if seed is not None:
            self.emulator.put_state(seed)
        self.workdir = tmp_path_factory.mktemp(name)
        self.token_cache_dir = str(self.workdir / "token-cache")
        self.run_playbook = playbook_runner(self.emulator, self.token_cache_dir, ansible_env_base, self.workdir)

    def play(self, name, extra_vars=None, fact="outcome", **options):
        """Run playbooks/<name>.yml (or a playbook at an absolute path): its Scenario, `fact` as its outcome
        (`extra` holds the run's tree directory)."""
        self.emulator.clear_log()
        tree = self.workdir / ("tree-%d" % next(_counter))
        returncode, output = self.run_playbook(name, extra_vars, tree=tree, **options)
        return Scenario(returncode, output, tree_fact(tree, fact), self.emulator.requests(), self.emulator.state(),
                        None, tree)

    def converge(self, extensions, check=False, **extra_vars):
        """playbooks/converge.yml (see the converge fixture): outcome is the module result plus `failed`."""
        step = self.play("converge", dict(extra_vars, extensions=extensions), fact="ext_outcome", check=check)
        return step._replace(outcome_fact=result_of(step.outcome_fact))

    def path(self, *parts):
        return os.path.join(str(self.workdir), *parts)


def is_write(entry):
    return (entry["endpoint"] or "").rsplit("/", 1)[-1] in WRITE_VERBS


def calls(entries):
    """(endpoint, body) of log entries, the shape of a module's `commands`."""
    return [(entry["endpoint"], entry["body"]) for entry in entries]


def as_commands(entries):
    return [{"endpoint": entry["endpoint"], "body": entry["body"]} for entry in entries]


def writes_of(entries):
    return [entry for entry in entries if is_write(entry)]


def written(entries, with_status=True):
    """(endpoint, body, status) of the writes among the entries; (endpoint, body) without status."""
    if with_status:
        return [(entry["endpoint"], entry["body"], entry["status"]) for entry in writes_of(entries)]
    return calls(writes_of(entries))


class StepRequests:
    """task[name]: the requests of the task that registers `name` (Scenario.step)."""

    def __init__(self, scenario):
        self.scenario = scenario

    def __getitem__(self, name):
        return self.scenario.step(name)


def resource_scenario(playbook, query_endpoint, silent=(), no_writes=(), reads_only=(), **play_options):
    """What every test_resources_* module starts with: (scenario, task, test_playbook_passes, test_quiet_tasks).

    scenario: module-scoped fixture, playbooks/<playbook>.yml run once by play_scenario(playbook,
    **play_options); task: the requests of each task by the name it registers (StepRequests); the two
    tests check that the play passed and that the tasks `silent` sent no request at all (refused before
    contacting the PBX), the tasks `no_writes` wrote nothing and the tasks `reads_only` sent their query
    alone. A module assigns the four to those names (pytest collects fixtures and tests by the names they
    are assigned to).
    """

    @pytest.fixture(scope="module")
    def scenario(play_scenario):
        return play_scenario(playbook, **play_options)

    @pytest.fixture(scope="module")
    def task(scenario):  # pylint: disable=redefined-outer-name
        return StepRequests(scenario)

    def test_playbook_passes(scenario):  # pylint: disable=redefined-outer-name
        scenario.check_passed()

    def test_quiet_tasks(task):  # pylint: disable=redefined-outer-name
        check_reads_only(task, silent, [])
        check_no_writes(task, no_writes)
        check_reads_only(task, reads_only, [query_endpoint])

    return scenario, task, test_playbook_passes, test_quiet_tasks


def check_task_writes(scenario, task, name, expected, with_status=True, commands=True, predicted_by=None):
    """Task `name` wrote exactly `expected` (see written); with `commands`, its result's commands are
    those requests; `predicted_by`: the check-mode task that announced the same commands."""
    writes = writes_of(task[name])
    assert written(writes, with_status) == expected, summary(writes)
    if commands:
        assert scenario.outcome[name]["commands"] == as_commands(writes)
    if predicted_by:
        assert scenario.outcome[predicted_by]["commands"] == as_commands(writes)
    return writes


def check_removals(scenario, task, endpoint, key, removed, total_writes):
    """Each task of `removed` ({task: names joined by commas}) deleted its objects in one request, and
    the whole play wrote `total_writes` requests."""
    for name, names in removed.items():
        check_task_writes(scenario, task, name, [(endpoint, {key: names}, "Success")], commands=False)
    assert len(writes_of(scenario.log)) == total_writes, summary(writes_of(scenario.log))


def check_no_writes(task, names):
    for name in names:
        assert writes_of(task[name]) == [], "%s: %s" % (name, summary(task[name]))


def check_reads_only(task, names, endpoints):
    """Each named task sent exactly `endpoints` (its reads), nothing else."""
    for name in names:
        assert [entry["endpoint"] for entry in task[name]] == list(endpoints), "%s: %s" % (name, summary(task[name]))


def leaked(output, secrets):
    """Names of the secret values found in the output."""
    return sorted(name for name, value in secrets.items() if value in output)


def check_secrets_absent(output, secrets):
    found = leaked(output, secrets)
    assert found == [], "secrets in the output: %s" % found


def api_query(emulator, endpoint, body=None):
    """Ask the emulated PBX's API directly (a login and one request, both logged): the answer."""
    base = "%s/api/v0.0.1/" % emulator.url
    credentials = {"username": API_USERNAME, "password": md5_hex(API_PASSWORD)}
    login = requests.post(base + "login", data=json.dumps(credentials), timeout=10).json()
    answer = requests.post(base + endpoint, params={"token": login["token"]}, data=json.dumps(body or {}),
                           timeout=10).json()
    assert answer.get("status") == "Success", answer
    return answer


def by(records, key):
    return dict((record[key], record) for record in records)


__all__ = ["MASK", "play", "Steps", "is_write", "calls", "as_commands", "writes_of", "written", "StepRequests",
           "resource_scenario", "check_task_writes", "check_removals", "check_no_writes", "check_reads_only", "leaked",
           "check_secrets_absent", "api_query", "by", "summary"]
