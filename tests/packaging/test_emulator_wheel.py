# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator wheel as a user's CI gets it: installed alone into a fresh venv, started with its
console script, and the GitHub Actions example (docs/examples/ci-with-emulator/) run step by step
against it with the collection from the release tarball.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import pytest
import requests
import yaml

from conftest import BIN, REPO, ansible_env

EXAMPLE = os.path.join(REPO, "docs", "examples", "ci-with-emulator")
WORKFLOW_STEPS = ("Start the PBX emulator", "Check run", "Apply", "Nothing left to change", "Stop the PBX emulator")


@pytest.fixture(scope="session")
def wheel(request):
    path = request.config.getoption("--emulator-wheel")
    assert path, "pass --emulator-wheel (make package-test builds it with make emulator-dist)"
    assert os.path.isfile(path), "no wheel at %s; run `make emulator-dist`" % path
    return os.path.abspath(path)


@pytest.fixture(scope="session")
def wheel_bin(wheel, tmp_path_factory):
    """The bin directory of a fresh venv holding the wheel and what it pulls in, at the pinned versions."""
    venv = tmp_path_factory.mktemp("emulator-venv")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    subprocess.run([python, "-m", "pip", "install", "--quiet", "-c", os.path.join(REPO, "requirements-dev.txt"), wheel],
                   check=True, capture_output=True, text=True)
    return str(venv / "bin")


def pyproject_version():
    with open(os.path.join(REPO, "tests", "emulator", "pyproject.toml")) as handle:
        return re.search(r'^version = "([^"]+)"', handle.read(), re.M).group(1)


def test_wheel_is_named_for_any_python_3(wheel):
    assert os.path.basename(wheel) == "ucpbx_emulator-%s-py3-none-any.whl" % pyproject_version()


def test_only_aiohttp_is_pulled_in(wheel_bin):
    # The collection's own dependencies (ansible-core, requests) stay out of the user's emulator venv.
    listed = subprocess.run([os.path.join(wheel_bin, "python"), "-m", "pip", "list", "--format", "json"],
                            check=True, capture_output=True, text=True).stdout
    names = set(package["name"].lower() for package in json.loads(listed))
    assert {"ucpbx-emulator", "aiohttp"} <= names
    assert not names & {"ansible-core", "requests", "jsonschema", "pytest"}, names
    requires = subprocess.run([os.path.join(wheel_bin, "python"), "-c",
                               "import importlib.metadata as m, json; print(json.dumps(m.requires('ucpbx-emulator')))"],
                              check=True, capture_output=True, text=True).stdout
    assert [r for r in json.loads(requires) if "extra ==" not in r] == ["aiohttp>=3.9"]


def test_console_script_serves_the_api(wheel_bin, tmp_path):
    port_file = tmp_path / "port"
    process = subprocess.Popen(  # pylint: disable=consider-using-with
        [os.path.join(wheel_bin, "ucpbx-emulator"), "--port", "0", "--port-file", str(port_file),
         "--username", "api", "--password", "Wheel-Test-1"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 20
        while not (port_file.exists() and port_file.stat().st_size):
            assert process.poll() is None and time.monotonic() < deadline, "the emulator did not start"
            time.sleep(0.05)
        api = "http://127.0.0.1:%s/api/v0.0.1/" % port_file.read_text().strip()
        login = requests.post(api + "login", timeout=10, json={
            "username": "api", "password": hashlib.md5(b"Wheel-Test-1").hexdigest()}).json()
        assert login["status"] == "Success", login
        answer = requests.post(api + "deviceinfo/query", params={"token": login["token"]}, json={}, timeout=10).json()
        assert answer["status"] == "Success", answer
        assert answer["deviceinfo"]["devicename"], answer
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=20)[0]
    assert process.returncode == 0, output
    assert "ucpbx-emulator listening on http://127.0.0.1:" in output
    assert not port_file.exists(), "the emulator left its port file behind"


def workflow_steps():
    with open(os.path.join(EXAMPLE, ".github", "workflows", "fleet.yml")) as handle:
        workflow = yaml.safe_load(handle)
    steps = dict((step.get("name"), step["run"]) for step in workflow["jobs"]["emulated-pbx"]["steps"] if "run" in step)
    return [(name, steps[name]) for name in WORKFLOW_STEPS]


def test_ci_example_checks_applies_and_then_finds_nothing_to_change(wheel_bin, installed, tmp_path):
    repo = tmp_path / "fleet"
    shutil.copytree(EXAMPLE, str(repo))
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir()
    github_env = tmp_path / "github-env"
    github_env.write_text("")
    env = ansible_env(installed, RUNNER_TEMP=str(runner_temp), GITHUB_ENV=str(github_env),
                      ANSIBLE_HOME=str(tmp_path / "ansible-home"), ANSIBLE_LOCAL_TEMP=str(tmp_path / "ansible-tmp"),
                      PATH=os.pathsep.join([wheel_bin, BIN, os.environ["PATH"]]))
    outputs = {}
    try:
        for name, script in workflow_steps()[:-1]:
            # As the runner does: what a step appends to $GITHUB_ENV is set for the steps after it.
            env.update(line.split("=", 1) for line in github_env.read_text().splitlines() if "=" in line)
            step = subprocess.run(["bash", "-e", "-c", script], cwd=str(repo), env=env, capture_output=True,
                                  text=True, timeout=300, check=False)
            outputs[name] = step.stdout + step.stderr
            assert step.returncode == 0, "step %r failed:\n%s" % (name, outputs[name])
        port = env["UCPBX_EMULATOR_PORT"]
        state = requests.get("http://127.0.0.1:%s/_emulator/state" % port, timeout=10).json()
    finally:
        subprocess.run(["bash", "-c", workflow_steps()[-1][1]], cwd=str(repo), env=env, capture_output=True,
                       timeout=60, check=False)
    assert re.search(r"pbx-office +: .* changed=1 ", outputs["Check run"]), outputs["Check run"]
    assert "2009" in outputs["Check run"], "the check run shows the extension it would delete"
    assert [(e["number"], e["username"]) for e in state["extensions"]] == [("2001", "Alice Martin"), ("2002", "Bob Chen")]
    assert [t["trunkname"] for t in state["trunks"]] == ["provider"]
    assert [r["name"] for r in state["inbound_routes"]] == ["main-number"]
    assert [r["name"] for r in state["outbound_routes"]] == ["national"]
