# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers of the test_live_*.py tests: the emulator's live control API (presence, calls, conference
members, prompts) and cutting the request log into what each module task sent; and `runs_fixture`, for
scenarios of several playbook runs in a row (a rerun, a fix, a second state).

The live modules read first and then act, so "action requests" are the requests to any endpoint
that is not a read (`.../query`, `query_in_session`) nor the login.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import itertools

import pytest

from conftest import Scenario, playbook_runner, result_of, tree_fact
from one_resource import run_resource
from resources_helpers import summary

READ_ENDPOINTS = ("login", "conference/query_in_session")


def is_action(entry):
    endpoint = entry["endpoint"] or ""
    return endpoint not in READ_ENDPOINTS and not endpoint.endswith("/query")


def actions(entries):
    return [entry for entry in entries if is_action(entry)]


def endpoints(entries, with_login=False):
    return [entry["endpoint"] for entry in entries if with_login or entry["endpoint"] != "login"]


def sent(entries):
    """(endpoint, body, status, errno) of the action requests among the entries."""
    return [(entry["endpoint"], entry["body"], entry["status"], entry["errno"]) for entry in actions(entries)]


def tasks_by_steps(scenario, expected):
    """{task name: the requests of the task that registers it} (Scenario.step), checking each task sent
    exactly its endpoints; `expected`: {name: endpoints}."""
    task = dict((name, scenario.step(name)) for name in expected)
    assert dict((name, endpoints(requests)) for name, requests in task.items()) == expected, summary(scenario.log)
    return task


def set_presence(emulator, number, status="Idle"):
    return emulator._control("PUT", "extensions/%s/status" % number, {"status": status})


def create_call(emulator, **body):
    return emulator._control("POST", "calls", body)


def live_calls(emulator):
    return emulator._control("GET", "calls")["calls"]


def join_conference(emulator, room, number, memberstatus="Up"):
    return emulator._control("POST", "conferences/%s/members" % room, {"number": number, "memberstatus": memberstatus})


def conferences(emulator):
    return emulator._control("GET", "conferences")["conferences"]


class Runs:
    """Playbook runs in a row against the session's emulator, reset (and seeded) once before the first.

    Each run clears the request log first and returns a conftest.Scenario captured right after it: its
    own requests, the PBX state, and `after(emulator)` as `extra` (`before` is always None). Faults and
    other emulator setup between runs go through `emulator`; they are not logged.
    """

    def __init__(self, emulator, env_base, workdir, seed=None):
        emulator.reset()
        assert emulator.requests() == []
        if seed is not None:
            emulator.put_state(seed)
        self.emulator = emulator
        self.workdir = workdir
        self.token_cache_dir = str(workdir / "token-cache")
        self.run_playbook = playbook_runner(emulator, self.token_cache_dir, env_base, workdir)
        self.last_tree = None
        self._trees = itertools.count(1)

    def capture(self, run, after=None):
        """run() -> (returncode, output, outcome), captured as a Scenario."""
        self.emulator.clear_log()
        returncode, output, outcome = run()
        return Scenario(returncode, output, outcome, self.emulator.requests(), self.emulator.state(), None,
                        after(self.emulator) if after is not None else None)

    def play(self, name, extra_vars=None, fact="outcome", after=None, **options):
        """playbooks/<name>.yml (or a path) with run_playbook's options; the outcome is the fact `fact`
        of its last task (the tree callback's file is `last_tree`), none when `fact` is None."""
        tree = self.workdir / ("runs-tree-%d" % next(self._trees)) if fact else None
        self.last_tree = tree

        def run():
            returncode, output = self.run_playbook(name, extra_vars, tree=tree, **options)
            return returncode, output, tree_fact(tree, fact) if fact else None

        return self.capture(run, after)

    def converge(self, extensions=None, env=None, **extra_vars):
        """playbooks/converge.yml as the `converge` fixture runs it; the outcome is the module result."""
        if extensions is not None:
            extra_vars["extensions"] = extensions
        scenario = self.play("converge", extra_vars, fact="ext_outcome", env=env)
        return scenario._replace(outcome_fact=result_of(scenario.outcome_fact))

    def resource(self, *args, **kwargs):
        """one_resource.run_resource's task; the outcome is the module result."""
        return self.capture(lambda: run_resource(self.run_playbook, self.workdir, *args, **kwargs))


def runs_fixture(params=None, seed=None):
    """Decorator: a module-scoped fixture, named after the function, returning script(runs) (script(runs,
    param) for each of `params`), `runs` a Runs of its own seeded with `seed`. The script plays the whole
    scenario, so each test only reads what it captured."""

    def wrap(script):
        @pytest.fixture(scope="module", name=script.__name__, params=params)
        def fixture(request, emulator_process, ansible_env_base, tmp_path_factory):
            runs = Runs(emulator_process, ansible_env_base, tmp_path_factory.mktemp(script.__name__), seed)
            return script(runs, request.param) if params else script(runs)

        return fixture

    return wrap


def extensions_of(scenario):
    """The PBX's extension records by number right after the scenario's run."""
    return dict((record["number"], record) for record in scenario.state["extensions"])


__all__ = ["Runs", "runs_fixture", "extensions_of", "is_action", "actions", "endpoints", "sent", "tasks_by_steps",
           "set_presence", "create_call", "live_calls", "join_conference", "conferences"]
