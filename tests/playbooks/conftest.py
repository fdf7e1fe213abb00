# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for the playbook tests: PBX emulators and real ansible-playbook runs.

The tests run from the installed copy of the collection (`make playbooks`), so the role and the
playbooks they exercise are the ones Ansible loads.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import subprocess
import sys

import pytest
import requests
import yaml
from ucpbx_emulator.process import EmulatorProcess

COLLECTION = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
USERNAME = "api"
PASSWORD = "playbook-tests"

# Endpoints that change the PBX; everything else only reads.
WRITE = re.compile(r"/(add|update|delete)$")


class ExportLoader(yaml.SafeLoader):
    """Reads the host_vars export.yml writes: a string tagged !unsafe is the string itself."""


ExportLoader.add_constructor("!unsafe", lambda loader, node: loader.construct_scalar(node))


@pytest.fixture
def load_exported():
    """Factory: the data of a host_vars file export.yml wrote."""
    return lambda text: yaml.load(text, Loader=ExportLoader)  # nosec B506 - a SafeLoader with one more tag


class Emulator(EmulatorProcess):
    """One running ucpbx-emulator and its control API."""

    def __init__(self, workdir):
        super(Emulator, self).__init__(workdir, "--username", USERNAME, "--password", PASSWORD)

    def requests(self):
        """The API requests since the last clear: [{endpoint, body, status, errno, ...}]."""
        return requests.get(self.url + "/_emulator/requests", timeout=10).json()["requests"]

    def endpoints(self):
        return [entry["endpoint"] for entry in self.requests()]

    def writes(self):
        return [endpoint for endpoint in self.endpoints() if WRITE.search(endpoint)]

    def clear_requests(self):
        requests.delete(self.url + "/_emulator/requests", timeout=10).raise_for_status()

    def state(self):
        return requests.get(self.url + "/_emulator/state", timeout=10).json()


@pytest.fixture
def start_emulator(tmp_path):
    """Factory: a fresh PBX emulator on a free port, stopped after the test."""
    started = []

    def start():
        workdir = tmp_path / ("emulator-%d" % len(started))
        workdir.mkdir()
        emulator = Emulator(str(workdir))
        started.append(emulator)
        return emulator

    yield start
    for emulator in started:
        emulator.stop()


@pytest.fixture
def emulator(start_emulator):
    return start_emulator()


class Run:
    """The outcome of one ansible-playbook run."""

    def __init__(self, process):
        self.rc = process.returncode
        self.output = process.stdout

    def recap(self, host):
        """{ok, changed, failed, ...} of `host` in the PLAY RECAP."""
        # The PLAY RECAP line, not a progress line that also starts with the host's name.
        match = re.search(r"^%s\s*:\s*(ok=.*)$" % re.escape(host), self.output, re.MULTILINE)
        assert match, "no recap for %s in:\n%s" % (host, self.output)
        return dict((key, int(value)) for key, value in re.findall(r"(\w+)=(\d+)", match.group(1)))


@pytest.fixture
def ansible_playbook(tmp_path):
    """Run a playbook of the collection; returns a Run. Connection settings come from `emulator`."""

    def run(playbook, inventories, emulator=None, extra_vars=None, args=(), expect_rc=0):
        env = dict(os.environ)
        env.update(
            ANSIBLE_COLLECTIONS_PATH=os.path.dirname(os.path.dirname(os.path.dirname(COLLECTION))),
            ANSIBLE_NOCOLOR="1",
            ANSIBLE_FORCE_COLOR="0",
            ANSIBLE_LOCAL_TEMP=str(tmp_path / "ansible-tmp"),
            UCPBX_USERNAME=USERNAME,
            UCPBX_PASSWORD=PASSWORD,
            UCPBX_TOKEN_CACHE_DIR=str(tmp_path / "token-cache"),
        )
        if emulator is not None:
            env.update(UCPBX_HOST="127.0.0.1", UCPBX_PORT=str(emulator.port))
        command = [os.path.join(BIN, "ansible-playbook"), os.path.join(COLLECTION, "playbooks", playbook)]
        for inventory in inventories:
            command += ["-i", str(inventory)]
        if extra_vars:
            command += ["-e", json.dumps(extra_vars)]
        command += list(args)
        # In the test's directory: site.yml keeps its snapshots under the current one.
        process = subprocess.run(command, cwd=str(tmp_path), env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                 universal_newlines=True, check=False)
        result = Run(process)
        assert result.rc == expect_rc, "ansible-playbook exited with %d, expected %d:\n%s" % (
            result.rc, expect_rc, result.output)
        return result

    return run


@pytest.fixture
def single_pbx(tmp_path):
    """Factory: an inventory directory with one PBX, `pbx`, and its host_vars/pbx/ucpbx.yml.

    Connection options come from the UCPBX_* environment variables ansible_playbook sets.
    Returns the directory. Files are written as JSON, which is YAML.
    """

    def write(ucpbx_vars=None, name="inventory"):
        directory = tmp_path / name
        (directory / "host_vars" / "pbx").mkdir(parents=True, exist_ok=True)
        hosts = {"pbxes": {"hosts": {"pbx": {}}, "vars": {
            "ansible_connection": "local", "ansible_python_interpreter": "{{ ansible_playbook_python }}"}}}
        (directory / "hosts.yml").write_text(json.dumps(hosts, indent=2))
        if ucpbx_vars is not None:
            (directory / "host_vars" / "pbx" / "ucpbx.yml").write_text(json.dumps(ucpbx_vars, indent=2))
        return directory

    return write
