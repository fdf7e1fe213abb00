# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for the release tests: the tarball, a fresh install of it, PBX emulators.

`make package-test` builds the tarball and passes it with --tarball. Nothing here uses the
checkout's copy of the collection: Ansible is pointed at the installed tarball only.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import subprocess
import sys

import pytest
import requests
from ucpbx_emulator.process import EmulatorProcess

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = os.path.dirname(sys.executable)
USERNAME = "api"
PASSWORD = "Release-Test-9"


def pytest_addoption(parser):
    parser.addoption("--tarball", required=True, help="the collection tarball `make release` built")
    parser.addoption("--emulator-wheel", help="the emulator wheel `make emulator-dist` built")


@pytest.fixture(scope="session")
def tarball(request):
    path = os.path.abspath(request.config.getoption("--tarball"))
    assert os.path.isfile(path), "no tarball at %s; run `make release`" % path
    return path


@pytest.fixture(scope="session")
def installed(tarball, tmp_path_factory):
    """A fresh collections path holding only the installed tarball."""
    path = tmp_path_factory.mktemp("collections")
    subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection", "install", "--offline", tarball, "-p", str(path)],
                   check=True, capture_output=True, text=True, env=ansible_env(path))
    assert (path / "ansible_collections" / "openvox" / "ucpbx" / "MANIFEST.json").is_file()
    return path


def ansible_env(collections_path, **extra):
    env = dict(os.environ)
    env.update({
        "ANSIBLE_COLLECTIONS_PATH": str(collections_path),
        "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false",
        "ANSIBLE_NOCOLOR": "1",
    })
    # The user's shell has no UCPBX_* variables unless a test sets them.
    for name in list(env):
        if name.startswith("UCPBX_"):
            del env[name]
    env.update(extra)
    return env


class Emulator(EmulatorProcess):
    def __init__(self, workdir):
        super(Emulator, self).__init__(workdir, "--username", USERNAME, "--password", PASSWORD)

    def state(self):
        return requests.get(self.url + "/_emulator/state", timeout=10).json()

    def endpoints(self):
        return [entry["endpoint"] for entry in
                requests.get(self.url + "/_emulator/requests", timeout=10).json()["requests"]]


@pytest.fixture
def emulator(tmp_path):
    workdir = tmp_path / "emulator"
    workdir.mkdir()
    pbx = Emulator(str(workdir))
    yield pbx
    pbx.stop()
