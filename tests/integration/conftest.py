# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Integration tests: real ansible-playbook runs against a real PBX emulator process.

`make integration` copies the collection under .build/collections/ansible_collections/
openvox/ucpbx and runs pytest there. The emulator is started once per session; each test
resets it and gets its own token cache directory, so tests do not depend on each other.

Fixtures:
  emulator       the emulator's control API (reset before the test): requests(), writes(),
                 logins(), queries(), state(), put_state(), faults(), clear_faults(),
                 advance_clock(), clear_log()
  run_playbook   run_playbook(name, extra_vars=None, check=False, diff=False, env=None,
                 limit=None, forks=None, verbosity=0, tree=None) -> (returncode, stdout+stderr)
                 with the default stdout callback and UCPBX_* pointing at the emulator
                 (env={"UCPBX_X": None} removes one)
  converge       runs playbooks/converge.yml (one uc_extension task) and returns
                 (returncode, output, the registered module result plus `failed`)
  play_scenario  (module scope) play_scenario(name, extra_vars, seed=, before=, after=, ...) -> Scenario:
                 one playbook run from a freshly reset emulator, with what the emulator saw and held
                 right after it; a test module wraps it in a module-scoped fixture and checks each
                 behaviour in its own test, so one failing check does not hide the others

Playbooks assert on module results with ansible.builtin.assert; the tests assert on what
the emulator saw (request log) and holds (state).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import contextlib
import hashlib
import itertools
import json
import os
import shutil
import subprocess
import sys

import pytest
import requests
from ucpbx_emulator.process import EmulatorProcess

HERE = os.path.dirname(os.path.abspath(__file__))
CALLBACK_PLUGINS = os.path.join(HERE, "callback_plugins")
PLAYBOOKS = os.path.join(HERE, "playbooks")
INVENTORY = os.path.join(HERE, "inventory.yml")
COLLECTION_ROOT = os.path.dirname(os.path.dirname(HERE))
ANSIBLE_COLLECTIONS_DIR = os.path.dirname(os.path.dirname(COLLECTION_ROOT))
COLLECTIONS_PATH = os.path.dirname(ANSIBLE_COLLECTIONS_DIR)

API_USERNAME = "api"
API_PASSWORD = "Integr4tion-Api-Pw"
WRITE_VERBS = ("add", "update", "delete")
PLAYBOOK_TIMEOUT = 300


def md5_hex(text):
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def _executable(name):
    """A console script of the running interpreter's environment (the venv), else PATH."""
    candidate = os.path.join(os.path.dirname(sys.executable), name)
    if os.access(candidate, os.X_OK):
        return candidate
    found = shutil.which(name)
    if not found:
        pytest.fail("%s not found beside %s nor on PATH" % (name, sys.executable))
    return found


class Emulator:
    """Client of the emulator's control API (never in its request log)."""

    def __init__(self, port):
        self.host = "127.0.0.1"
        self.port = port
        self.url = "http://%s:%d" % (self.host, port)

    def _control(self, method, path, body=None, expect=200):
        response = requests.request(method, self.url + "/_emulator/" + path,
                                    data=None if body is None else json.dumps(body), timeout=10)
        assert response.status_code == expect, "%s %s -> %d %s" % (method, path, response.status_code,
                                                                   response.text)
        return response.json()

    def health(self):
        return self._control("GET", "health")

    def reset(self):
        return self._control("POST", "reset")

    def clear_log(self):
        return self._control("DELETE", "requests")

    def steps(self):
        """The named steps of the request log ({name, after}, see playbook_runner's `steps`)."""
        return self._control("GET", "steps")["steps"]

    def requests(self, since=0):
        return self._control("GET", "requests?since=%d" % since)["requests"]

    def endpoint_calls(self, endpoint, since=0):
        return [entry for entry in self.requests(since) if entry["endpoint"] == endpoint]

    def writes(self, since=0):
        """Requests whose endpoint is an add, update or delete (answered or not)."""
        return [entry for entry in self.requests(since)
                if (entry["endpoint"] or "").rsplit("/", 1)[-1] in WRITE_VERBS]

    def logins(self, since=0):
        return self.endpoint_calls("login", since)

    def queries(self, since=0):
        return [entry for entry in self.requests(since) if (entry["endpoint"] or "").endswith("/query")]

    def state(self):
        return self._control("GET", "state")

    def extensions(self):
        """The PBX's extension records by number (add/update key names)."""
        return dict((record["number"], record) for record in self.state()["extensions"])

    def put_state(self, document):
        return self._control("PUT", "state", document)

    def put_extensions(self, records):
        return self.put_state({"extensions": records})

    def faults(self, spec=None):
        """Add a fault rule (count/kind or probability/seed/kinds); without spec, show the plan."""
        if spec is None:
            return self._control("GET", "faults")
        return self._control("POST", "faults", spec)

    def clear_faults(self):
        return self._control("DELETE", "faults")

    def limits(self, **limits):
        """Change latency_ms / max_concurrent while running (the per-test reset restores them)."""
        return self._control("PUT", "limits", limits)

    def advance_clock(self, seconds):
        return self._control("POST", "clock", {"advance_seconds": seconds})


def summary(entries):
    """A short, readable rendering of log entries for assertion messages."""
    return "\n".join("%(seq)s %(endpoint)s status=%(status)s errno=%(errno)s fault=%(fault)s body=%(body)s" % entry
                     for entry in entries)


@pytest.fixture(scope="session")
def ansible_env_base(tmp_path_factory):
    """Environment shared by every ansible-playbook run (UCPBX_* added per test)."""
    if os.path.basename(ANSIBLE_COLLECTIONS_DIR) != "ansible_collections":
        pytest.fail("the integration tests must run from a collection tree "
                    "(.../ansible_collections/openvox/ucpbx); use `make integration` (found %s)" % COLLECTION_ROOT)
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith("UCPBX_"))
    scratch = tmp_path_factory.mktemp("ansible")
    env.update({
        # The copy these tests live in is the collection under test.
        "ANSIBLE_COLLECTIONS_PATH": COLLECTIONS_PATH,
        "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false",
        "ANSIBLE_STDOUT_CALLBACK": "default",
        "ANSIBLE_CALLBACK_RESULT_FORMAT": "yaml",
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_FORCE_COLOR": "0",
        "ANSIBLE_RETRY_FILES_ENABLED": "false",
        "ANSIBLE_DEPRECATION_WARNINGS": "false",
        "ANSIBLE_INVENTORY_UNPARSED_WARNING": "false",
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    env.setdefault("ANSIBLE_LOCAL_TEMP", str(scratch / "tmp"))
    env.setdefault("ANSIBLE_HOME", str(scratch / "home"))
    # No ansible.cfg from the working directory or the user's home.
    config = scratch / "ansible.cfg"
    config.write_text("[defaults]\n")
    env["ANSIBLE_CONFIG"] = str(config)
    return env


@contextlib.contextmanager
def started_emulator(workdir, *arguments):
    """A ucpbx-emulator process on a free loopback port: yields the port, then stops it and
    checks it exited cleanly and removed its port file."""
    try:
        process = EmulatorProcess(workdir, *arguments)
    except RuntimeError as exc:
        pytest.fail(str(exc))
    try:
        yield process.port
    finally:
        returncode = process.stop()
    assert returncode == 0, "emulator exit status %s: %s" % (returncode, process.log())
    assert not os.path.exists(process.port_file), "the emulator left its port file behind"


@pytest.fixture(scope="session")
def emulator_process(tmp_path_factory):
    """One ucpbx-emulator for the whole session, on a free loopback port."""
    with started_emulator(tmp_path_factory.mktemp("emulator"), "--username", API_USERNAME,
                          "--password", API_PASSWORD) as port:
        emulator = Emulator(port)
        assert emulator.health() == {"status": "ok"}
        yield emulator


@pytest.fixture
def emulator(emulator_process):
    """The emulator, reset to its initial state (log, tokens, faults, clock included)."""
    emulator_process.reset()
    assert emulator_process.requests() == []
    return emulator_process


@pytest.fixture
def token_cache_dir(tmp_path):
    return str(tmp_path / "token-cache")


def ucpbx_env(base, emulator, token_cache_dir, overrides=None):
    """`base` plus UCPBX_* pointing at `emulator`; `overrides` set variables (None removes one)."""
    env = dict(base)
    env.update({
        "UCPBX_HOST": emulator.host,
        "UCPBX_PORT": str(emulator.port),
        "UCPBX_USERNAME": API_USERNAME,
        "UCPBX_PASSWORD": API_PASSWORD,
        "UCPBX_TOKEN_CACHE_DIR": token_cache_dir,
        "UCPBX_EMULATOR_URL": emulator.url,
    })
    for key, value in (overrides or {}).items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = str(value)
    return env


def tree_fact(tree, fact):
    """The fact `fact` of the last task the tree callback saved for host pbx in `tree`, or None."""
    result_file = tree / "pbx"
    if not result_file.exists():
        return None
    return json.loads(result_file.read_text()).get("ansible_facts", {}).get(fact)


def result_of(outcome):
    """A fact {result, failed} set by a playbook's last task: the module result plus `failed`
    (the tree callback itself leaves `failed` out); None if the task did not run."""
    if outcome is None:
        return None
    result = dict(outcome["result"])
    result["failed"] = outcome["failed"] in (True, "True", "true")
    return result


def playbook_runner(emulator, token_cache_dir, env_base, workdir):
    """run(name, ...) -> (returncode, output): one playbook of playbooks/ against `emulator`, from `workdir`."""
    counter = itertools.count(1)

    def run(name, extra_vars=None, check=False, diff=False, env=None, limit=None, forks=None, verbosity=0,
            tree=None, steps=False):
        overrides = {}
        callbacks = []
        if tree:
            # The built-in tree callback saves each host's latest task result as JSON in `tree`.
            callbacks.append("ansible.builtin.tree")
            overrides["ANSIBLE_CALLBACK_TREE_DIR"] = str(tree)
        if steps:
            # Each task a named step of the request log (callback_plugins/emulator_steps.py).
            callbacks.append("emulator_steps")
            overrides["ANSIBLE_CALLBACK_PLUGINS"] = CALLBACK_PLUGINS
        if callbacks:
            overrides["ANSIBLE_CALLBACKS_ENABLED"] = ",".join(callbacks)
        overrides.update(env or {})
        full_env = ucpbx_env(env_base, emulator, token_cache_dir, overrides)
        playbook = os.path.join(PLAYBOOKS, name if name.endswith(".yml") else name + ".yml")
        command = [_executable("ansible-playbook"), "-i", INVENTORY, playbook]
        if extra_vars:
            vars_file = workdir / ("extra-vars-%d.json" % next(counter))
            vars_file.write_text(json.dumps(extra_vars))
            command += ["-e", "@%s" % vars_file]
        if check:
            command.append("--check")
        if diff:
            command.append("--diff")
        if limit:
            command += ["--limit", limit]
        if forks:
            command += ["--forks", str(forks)]
        if verbosity:
            command.append("-" + "v" * verbosity)
        completed = subprocess.run(command, env=full_env, cwd=str(workdir), stdout=subprocess.PIPE, check=False,
                                   stderr=subprocess.STDOUT, universal_newlines=True, timeout=PLAYBOOK_TIMEOUT)
        return completed.returncode, completed.stdout

    return run


@pytest.fixture
def run_playbook(emulator, token_cache_dir, ansible_env_base, tmp_path):
    """Run one playbook of playbooks/ against the emulator; return (returncode, output)."""
    return playbook_runner(emulator, token_cache_dir, ansible_env_base, tmp_path)


@pytest.fixture
def converge(run_playbook, tmp_path):
    """Run playbooks/converge.yml: one uc_extension task, its result saved by the tree callback.

    Keyword arguments other than check/diff/env/verbosity become extra vars (ext_state,
    allow_delete_all, update_password, api_version, retries, expect_failed). Returns
    (returncode, output, the module result or None if the task did not run).
    """
    counter = itertools.count(1)

    def run(extensions=None, check=False, diff=False, env=None, verbosity=0, **extra_vars):
        if extensions is not None:
            extra_vars["extensions"] = extensions
        tree = tmp_path / ("results-%d" % next(counter))
        returncode, output = run_playbook("converge", extra_vars, check=check, diff=diff, env=env,
                                          verbosity=verbosity, tree=tree)
        # The last task sets a fact holding the module result plus whether it failed.
        return returncode, output, result_of(tree_fact(tree, "ext_outcome"))

    return run


class Scenario(collections.namedtuple("Scenario", "returncode output outcome_fact log state before extra steps",
                                      defaults=(None,))):
    """One playbook run and what the emulator saw and held right after it.

    returncode, output; outcome_fact: the `outcome` fact of the play's last task, None if it did
    not run (`.outcome` then fails with the output); log: the request log; state: the PBX state;
    before / extra: what the scenario's `before(emulator)` returned before the run and its
    `after(emulator)` read right after it; steps: the play's tasks as named steps of the log
    (see `step`).
    """

    def step(self, name):
        """The requests task `name` sent: the task that registers `name`, found by that name."""
        # A mark the emulator refused (a register name used twice) leaves a callback warning.
        assert "v2_playbook_on_task_start" not in self.output, "a task was not marked as a step:\n%s" % self.output
        marks = [mark["after"] for mark in self.steps or ()] + [float("inf")]
        for index, mark in enumerate(self.steps or ()):
            if mark["name"] == name:
                return [entry for entry in self.log if marks[index] < entry["seq"] <= marks[index + 1]]
        raise AssertionError("no task registers %r: %s" % (name, [mark["name"] for mark in self.steps or ()]))

    @property
    def outcome(self):
        assert self.outcome_fact is not None, "the play did not reach its last task:\n%s" % self.output
        return self.outcome_fact

    def check_passed(self):
        assert self.returncode == 0, self.output
        assert self.outcome_fact is not None, self.output


@pytest.fixture(scope="module")
def play_scenario(emulator_process, ansible_env_base, tmp_path_factory):
    """For module-scoped scenario fixtures: play_scenario(name, extra_vars=None, seed=None, before=None,
    after=None, verbosity=3, diff=True, check=False) -> Scenario.

    Resets the emulator, puts `seed` (a state document) and calls `before(emulator)` (`extra_vars`
    may be a function of what it returns), runs
    playbooks/<name>.yml once with a token cache and working directory of its own, then captures the
    outcome, request log, its named steps and state (and `after(emulator)`) before anything else can touch the
    emulator.
    The emulator process is the session's: tests of the same module that use `emulator` reset it
    again, which cannot change a Scenario already captured.
    """

    def play(name, extra_vars=None, seed=None, before=None, after=None, verbosity=3, diff=True, check=False):
        emulator = emulator_process
        emulator.reset()
        assert emulator.requests() == []
        if seed is not None:
            emulator.put_state(seed)
        prepared = before(emulator) if before is not None else None
        workdir = tmp_path_factory.mktemp(name)
        run = playbook_runner(emulator, str(workdir / "token-cache"), ansible_env_base, workdir)
        tree = workdir / "tree"
        if callable(extra_vars):
            extra_vars = extra_vars(prepared)
        returncode, output = run(name, extra_vars, check=check, diff=diff, verbosity=verbosity, tree=tree, steps=True)
        return Scenario(returncode, output, tree_fact(tree, "outcome"), emulator.requests(), emulator.state(), prepared,
                        after(emulator) if after is not None else None, emulator.steps())

    return play
