# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Resilience tests: the pbx_config role and the modules under faults, kills, token expiry and refused logins.

`make resilience` runs them from the installed copy of the collection, like `make integration`.
Each test (or module-scoped scenario fixture) starts the emulators it needs (some need options such
as --single-token or a request latency), so they never share a PBX. The emulator's control client and the Ansible environment
come from tests/integration/conftest.py.

Fixtures:
  start_emulator  start_emulator(*extra_cli_args) -> an Emulator (tests/integration/conftest.py),
                  stopped after the test
  ansible         ansible(playbook, inventory, emulator, extra_vars=None, env=None, args=(), timeout=...)
                  -> Run, with UCPBX_* pointing at `emulator` and results printed as one-line JSON
  token_cache_dir this test's token cache directory
  stages          (module scope) stages(name) -> Stage(start_emulator, ansible, workdir, token_cache_dir)
                  for a scenario played once in a module-scoped fixture and checked by several tests
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import contextlib
import importlib.util
import json
import os
import re
import subprocess
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
COLLECTION_ROOT = os.path.dirname(os.path.dirname(HERE))
PLAYBOOKS = os.path.join(HERE, "playbooks")


def _load_integration_support():
    """tests/integration/conftest.py under another name (pytest already owns the name `conftest`)."""
    path = os.path.join(COLLECTION_ROOT, "tests", "integration", "conftest.py")
    spec = importlib.util.spec_from_file_location("ucpbx_integration_support", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


support = _load_integration_support()
Emulator = support.Emulator
API_USERNAME = support.API_USERNAME
API_PASSWORD = support.API_PASSWORD
WRITE_VERBS = support.WRITE_VERBS
md5_hex = support.md5_hex
summary = support.summary
ansible_env_base = support.ansible_env_base  # the session fixture, shared as is

PLAYBOOK_TIMEOUT = 300


def is_write(entry):
    return (entry["endpoint"] or "").rsplit("/", 1)[-1] in WRITE_VERBS


def check_nothing_changed(run, logs):
    """The Run passed, changing nothing on any host of `logs` ({host: its PBX's request log}) and writing nothing."""
    assert run.rc == 0, run.output
    for host, log in logs.items():
        assert run.recap(host)["changed"] == 0, run.output
        assert [entry for entry in log if is_write(entry)] == [], host


@contextlib.contextmanager
def emulator_starter(directory):
    """start(*extra_cli_args) -> a fresh ucpbx-emulator (working files under `directory`), every one
    stopped on leaving the context."""
    started = []

    def start(*extra_args):
        workdir = directory / ("emulator-%d" % len(started))
        workdir.mkdir()
        port_file = workdir / "port"
        log = open(str(workdir / "emulator.log"), "w")  # pylint: disable=consider-using-with
        process = subprocess.Popen(  # pylint: disable=consider-using-with
            [support._executable("ucpbx-emulator"), "--host", "127.0.0.1", "--port", "0",
             "--port-file", str(port_file), "--username", API_USERNAME, "--password", API_PASSWORD]
            + [str(arg) for arg in extra_args],
            stdout=log, stderr=subprocess.STDOUT)
        started.append((process, log))
        deadline = time.monotonic() + 20
        while not (port_file.exists() and port_file.read_text().strip()):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the emulator did not start: %s" % (workdir / "emulator.log").read_text())
            time.sleep(0.02)
        emulator = Emulator(int(port_file.read_text()))
        assert emulator.health() == {"status": "ok"}
        return emulator

    try:
        yield start
    finally:
        for process, log in started:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()


@pytest.fixture
def start_emulator(tmp_path):
    """Factory: a fresh ucpbx-emulator with extra command line options, stopped after the test."""
    with emulator_starter(tmp_path) as start:
        yield start


@pytest.fixture
def token_cache_dir(tmp_path):
    return str(tmp_path / "token-cache")


class Run:
    """One ansible-playbook run: return code, output, recap and the results of failed tasks."""

    def __init__(self, returncode, output):
        self.rc = returncode
        self.output = output

    def recap(self, host):
        # The PLAY RECAP line, not a progress line that also starts with the host's name.
        match = re.search(r"^%s\s*:\s*(ok=.*)$" % re.escape(host), self.output, re.MULTILINE)
        assert match, "no recap for %s in:\n%s" % (host, self.output)
        return dict((key, int(value)) for key, value in re.findall(r"(\w+)=(\d+)", match.group(1)))

    def failures(self):
        """(host, result) of every failed task that was not ignored."""
        found = []
        for host, text in re.findall(r"^fatal: \[([^\]]+)\]: FAILED! => (\{.*\})$", self.output, re.MULTILINE):
            found.append((host, json.loads(text)))
        return found


def playbook_runner(env_base, token_cache_dir, workdir):
    """run(playbook, inventory, emulator, extra_vars=None, env=None, args=(), wait=True) -> Run (a Popen
    with wait=False): a playbook (a path, or a name under tests/resilience/playbooks), run from `workdir`."""

    def run(playbook, inventory, emulator, extra_vars=None, env=None, args=(), wait=True):
        # One line of JSON per result, so failures can be read back exactly.
        overrides = {"ANSIBLE_CALLBACK_RESULT_FORMAT": "json", "ANSIBLE_CALLBACK_FORMAT_PRETTY": "false"}
        overrides.update(env or {})
        full_env = support.ucpbx_env(env_base, emulator, token_cache_dir, overrides)
        if not os.path.isabs(playbook):
            playbook = os.path.join(PLAYBOOKS, playbook)
        command = [support._executable("ansible-playbook"), "-i", str(inventory), playbook]
        if extra_vars:
            command += ["-e", json.dumps(extra_vars)]
        command += list(args)
        if not wait:
            # Its own process group, so a test can kill the play with every worker it forked.
            return subprocess.Popen(command, env=full_env, cwd=str(workdir), stdout=subprocess.PIPE,  # pylint: disable=consider-using-with
                                    stderr=subprocess.STDOUT, universal_newlines=True, start_new_session=True)
        completed = subprocess.run(command, env=full_env, cwd=str(workdir), stdout=subprocess.PIPE, check=False,
                                   stderr=subprocess.STDOUT, universal_newlines=True, timeout=PLAYBOOK_TIMEOUT)
        return Run(completed.returncode, completed.stdout)

    return run


@pytest.fixture
def ansible(ansible_env_base, token_cache_dir, tmp_path):
    """Run a playbook (a path, or a name under tests/resilience/playbooks) against an emulator."""
    return playbook_runner(ansible_env_base, token_cache_dir, tmp_path)


Stage = collections.namedtuple("Stage", "start_emulator ansible workdir token_cache_dir")


@pytest.fixture(scope="module")
def stages(ansible_env_base, tmp_path_factory):
    """For module-scoped scenario fixtures: stages(name) -> a Stage of its own (working directory, token
    cache, emulators stopped at the end of the module, a playbook runner as `ansible` is)."""
    with contextlib.ExitStack() as stack:

        def stage(name):
            workdir = tmp_path_factory.mktemp(name)
            token_cache_dir = str(workdir / "token-cache")
            start = stack.enter_context(emulator_starter(workdir))
            return Stage(start, playbook_runner(ansible_env_base, token_cache_dir, workdir), workdir, token_cache_dir)

        yield stage


def write_inventory(directory, hosts, host_vars=None, group_vars=None):
    """An inventory directory whose hosts run locally; host_vars/group_vars as dicts (written as JSON)."""
    directory.mkdir(parents=True, exist_ok=True)
    group = {"hosts": dict((host, {}) for host in hosts),
             "vars": dict({"ansible_connection": "local",
                           "ansible_python_interpreter": "{{ ansible_playbook_python }}"}, **(group_vars or {}))}
    (directory / "hosts.yml").write_text(json.dumps({"pbxes": group}, indent=1))
    for host, variables in (host_vars or {}).items():
        (directory / "host_vars").mkdir(exist_ok=True)
        (directory / "host_vars" / ("%s.yml" % host)).write_text(json.dumps(variables, indent=1))
    return directory
