# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/site.yml as AWX runs it: ansible-runner, the credential type's environment, no password in files."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re
import shutil
import subprocess

import jinja2
import yaml

from conftest import BIN, PASSWORD, REPO, USERNAME, ansible_env


def credential_environment(inputs):
    """The environment AWX gives a job from a credential of the shipped type."""
    with open(os.path.join(REPO, "docs", "awx", "credential_type.yml")) as handle:
        credential = yaml.safe_load(handle)
    values = dict((field["id"], field["default"]) for field in credential["inputs"]["fields"] if "default" in field)
    values.update(inputs)
    assert set(credential["inputs"]["required"]) <= set(values)
    return dict((name, jinja2.Template(template).render(values))
                for name, template in credential["injectors"]["env"].items())


def test_ansible_runner_applies_site_yml_with_the_credential(installed, emulator, tmp_path):
    collection = installed / "ansible_collections" / "openvox" / "ucpbx"
    private = tmp_path / "runner"
    # The project is the installed collection's playbooks directory; its example fleet inventory reads
    # the PBX address and account from the UCPBX_* variables, as a credential provides them.
    shutil.copytree(str(collection / "playbooks"), str(private / "project"))
    shutil.copytree(str(collection / "playbooks" / "inventory" / "fleet"), str(private / "inventory"))
    env = credential_environment({"host": "127.0.0.1", "port": str(emulator.port), "username": USERNAME,
                                  "password": PASSWORD})
    (private / "env").mkdir()
    (private / "env" / "envvars").write_text(yaml.safe_dump(dict(
        env, ANSIBLE_COLLECTIONS_PATH=str(installed), UCPBX_TOKEN_CACHE_DIR=str(tmp_path / "tokens"))))

    result = subprocess.run([os.path.join(BIN, "ansible-runner"), "run", str(private), "-p", "site.yml",
                             "--limit", "pbx-paris", "--ident", "site"],
                            env=ansible_env(installed), capture_output=True, text=True, check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    artifacts = private / "artifacts" / "site"
    assert (artifacts / "status").read_text() == "successful"
    assert re.search(r"pbx-paris\s*: ok=\d+\s+changed=[1-9]\d*\s+unreachable=0\s+failed=0", output), output

    state = emulator.state()
    with open(str(collection / "playbooks" / "inventory" / "fleet" / "host_vars" / "pbx-paris" / "ucpbx.yml")) as handle:
        wanted = yaml.safe_load(handle)["ucpbx_config"]
    assert sorted(e["number"] for e in state["extensions"]) == sorted(e["number"] for e in wanted["extensions"])
    assert sorted(t["trunkname"] for t in state["trunks"]) == sorted(t["name"] for t in wanted["trunks"])
    # The API password came from the credential's environment and is in no job output.
    for path in [artifacts / "stdout"] + sorted((artifacts / "job_events").glob("*.json")):
        assert PASSWORD not in path.read_text(), path
