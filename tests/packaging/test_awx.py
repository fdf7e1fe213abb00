# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/site.yml as AWX runs it: ansible-runner, what the credential type injects, a throwaway home.

Each job gets a private data directory and a home of its own, as in an AWX execution environment;
only the directories the credential names (state_dir, snapshot_dir) outlive it, as a mounted path would.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib.util
import os
import re
import shutil
import subprocess

import pytest
import requests
import yaml
from ucpbx_emulator.certs import self_signed
from ucpbx_emulator.process import EmulatorProcess

from conftest import BIN, PASSWORD, REPO, USERNAME, ansible_env

# How AWX renders a credential (the file the unit tests of the credential type use).
_spec = importlib.util.spec_from_file_location("awx", os.path.join(REPO, "tests", "unit", "awx.py"))
awx = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(awx)


class TlsEmulator(EmulatorProcess):
    """A PBX that serves HTTPS with a certificate only its own CA file vouches for."""

    def __init__(self, workdir):
        cert, key = self_signed(workdir)
        super(TlsEmulator, self).__init__(workdir, "--username", USERNAME, "--password", PASSWORD,
                                          "--tls-cert", cert, "--tls-key", key)
        self.cert = str(cert)
        self.url = "https://127.0.0.1:%d" % self.port

    def get(self, path):
        return requests.get(self.url + "/_emulator/" + path, verify=self.cert, timeout=10).json()


@pytest.fixture
def tls_emulator(tmp_path):
    workdir = tmp_path / "emulator"
    workdir.mkdir()
    pbx = TlsEmulator(workdir)
    yield pbx
    pbx.stop()


def run_job(installed, job, inputs):
    """One AWX job of site.yml on pbx-paris, in the fresh directory `job`; (status, output, artifacts)."""
    collection = installed / "ansible_collections" / "openvox" / "ucpbx"
    private = job / "runner"
    shutil.copytree(str(collection / "playbooks"), str(private / "project"))
    shutil.copytree(str(collection / "playbooks" / "inventory" / "fleet"), str(private / "inventory"))
    # In a fleet the inventory names each PBX; the credential carries no address.
    (private / "inventory" / "host_vars" / "pbx-paris" / "address.yml").write_text("pbx_host: 127.0.0.1\n")
    credential = awx.load()
    env = awx.inject(credential, awx.saved_inputs(credential, **inputs), private)
    (private / "env" / "envvars").write_text(yaml.safe_dump(dict(env, ANSIBLE_COLLECTIONS_PATH=str(installed))))
    home = job / "home"
    home.mkdir()
    run_env = ansible_env(installed, HOME=str(home))
    run_env.pop("XDG_CACHE_HOME", None)
    result = subprocess.run([os.path.join(BIN, "ansible-runner"), "run", str(private), "-p", "site.yml",
                             "--limit", "pbx-paris", "--ident", "site"],
                            env=run_env, capture_output=True, text=True, check=False)
    artifacts = private / "artifacts" / "site"
    return (artifacts / "status").read_text(), result.stdout + result.stderr, artifacts


def credential_inputs(emulator, persistent, **inputs):
    with open(emulator.cert) as handle:
        ca = handle.read()
    values = dict(port=str(emulator.port), username=USERNAME, password=PASSWORD, use_ssl=True, validate_certs=True,
                  ca=ca, state_dir=str(persistent / "state"), snapshot_dir=str(persistent / "snapshots"))
    values.update(inputs)
    return values


def test_ansible_runner_applies_site_yml_with_the_credential(installed, tls_emulator, tmp_path):
    persistent = tmp_path / "mounted"
    status, output, artifacts = run_job(installed, tmp_path / "job", credential_inputs(tls_emulator, persistent))
    # HTTPS verified against the CA the credential wrote to a file.
    assert status == "successful", output
    assert re.search(r"pbx-paris\s*: ok=\d+\s+changed=[1-9]\d*\s+unreachable=0\s+failed=0", output), output

    state = tls_emulator.get("state")
    with open(os.path.join(REPO, "playbooks", "inventory", "fleet", "host_vars", "pbx-paris", "ucpbx.yml")) as handle:
        wanted = yaml.safe_load(handle)["ucpbx_config"]
    assert sorted(e["number"] for e in state["extensions"]) == sorted(e["number"] for e in wanted["extensions"])
    assert sorted(t["trunkname"] for t in state["trunks"]) == sorted(t["name"] for t in wanted["trunks"])
    # The snapshot for playbooks/rollback.yml is in the persistent directory, not the job's project.
    assert (persistent / "snapshots" / "pbx-paris-latest.json").is_file()
    assert not (tmp_path / "job" / "runner" / "project" / "snapshots").exists()
    # The API password came from the credential's environment and is in no job output.
    for path in [artifacts / "stdout"] + sorted((artifacts / "job_events").glob("*.json")):
        assert PASSWORD not in path.read_text(), path


def test_a_wrong_password_knocks_once_for_all_jobs_that_share_the_state_dir(installed, tls_emulator, tmp_path):
    # Without state_dir each job's throwaway home forgets the refusal: every job knocks once, and the PBX
    # locks the controller's address at the sixth.
    persistent = tmp_path / "mounted"
    inputs = credential_inputs(tls_emulator, persistent, password="not-the-password")
    outputs = []
    for job in range(2):
        status, output, dummy = run_job(installed, tmp_path / ("job-%d" % job), inputs)
        assert status == "failed", output
        outputs.append(output)
    assert "not attempted" in outputs[1] and str(persistent / "state") in outputs[1], outputs[1]
    logins = [entry for entry in tls_emulator.get("requests")["requests"] if entry["endpoint"] == "login"]
    assert [entry["errno"] for entry in logins] == ["20003"], logins
