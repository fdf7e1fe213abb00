# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AWX credential type, rendered as AWX renders it, sets the options the modules read."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re
import stat

import pytest

from ansible.module_utils.basic import env_fallback
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.openvox.ucpbx.plugins.module_utils.connection import (
    CONNECTION_ARGUMENT_SPEC, client_from_params, connection_problem)
from ansible_collections.openvox.ucpbx.tests.unit.awx import COLLECTION_ROOT, inject, load, saved_inputs, validate

CA = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n"
# Inputs that are not a connection option of their own: the CA text goes to a file, whose path is
# ca_path; the snapshot directory is read by the playbooks.
NOT_OPTIONS = {"ca": "UCPBX_CA_PATH", "snapshot_dir": "UCPBX_SNAPSHOT_DIR"}


def option_env_vars():
    """{option: environment variable} as connection.py declares them."""
    names = {}
    for option, spec in CONNECTION_ARGUMENT_SPEC.items():
        function, arguments = spec["fallback"]
        assert function is env_fallback
        names[option] = arguments[0]
    return names


@pytest.fixture
def module_params(monkeypatch, tmp_path):
    """The connection options a module resolves in a job with this environment (and nothing set in the task)."""
    def resolve(env):
        for name in list(os.environ):
            if name.startswith("UCPBX_"):
                monkeypatch.delenv(name)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("UCPBX_TOKEN_CACHE_DIR", str(tmp_path / "home" / "cache"))
        result = ArgumentSpecValidator(CONNECTION_ARGUMENT_SPEC).validate({})
        assert not result.error_messages, result.error_messages
        return result.validated_parameters
    return resolve


def test_awx_accepts_the_type():
    validate(load())


def test_every_input_is_injected_as_the_variable_its_option_reads():
    credential = load()
    by_option = option_env_vars()
    env = credential["injectors"]["env"]
    injected = {}
    for variable, template in env.items():
        match = re.match(r"^\{\{ tower\.filename\.(\w+)", template) or re.match(r"^\{\{ (\w+) \}\}$", template)
        assert match, "%s: injector %r names no input" % (variable, template)
        injected[match.group(1)] = variable
    for field in credential["inputs"]["fields"]:
        name = field["id"]
        wanted = NOT_OPTIONS.get(name) or by_option.get(name)
        assert injected.get(name) == wanted, "input %s is injected as %s, but is read from %s" % (
            name, injected.get(name), wanted)
    assert credential["injectors"]["file"] == {"template.ca": "{{ ca }}"}
    for playbook in ("site.yml", "rollback.yml"):
        with open(os.path.join(COLLECTION_ROOT, "playbooks", playbook)) as handle:
            assert "lookup('ansible.builtin.env', 'UCPBX_SNAPSHOT_DIR')" in handle.read(), playbook


def test_a_full_credential_sets_every_option_it_offers(module_params, tmp_path):
    credential = load()
    inputs = saved_inputs(credential, host="pbx.example.com", port="9443", username="api", password="s3cret",
                          use_ssl=True, validate_certs=True, ca=CA, api_version="v1.1.0",
                          state_dir="/var/lib/ucpbx/state", snapshot_dir="/var/lib/ucpbx/snapshots")
    env = inject(credential, inputs, tmp_path / "private")
    params = module_params(env)
    names = ("host", "port", "username", "password", "use_ssl", "validate_certs", "api_version", "state_dir")
    assert dict((name, params[name]) for name in names) == {
        "host": "pbx.example.com", "port": 9443, "username": "api", "password": "s3cret", "use_ssl": True,
        "validate_certs": True, "api_version": "v1.1.0", "state_dir": "/var/lib/ucpbx/state"}
    # The CA is a file of the job's private data directory, readable only by the job's user.
    assert os.path.dirname(params["ca_path"]) == str(tmp_path / "private" / "env")
    with open(params["ca_path"]) as handle:
        assert handle.read() == CA
    assert stat.S_IMODE(os.stat(params["ca_path"]).st_mode) == 0o600
    assert env["UCPBX_SNAPSHOT_DIR"] == "/var/lib/ucpbx/snapshots"

    client = client_from_params(params)
    assert client._verify == params["ca_path"]
    assert client._store.guard_directory == "/var/lib/ucpbx/state"


def test_inputs_left_empty_leave_their_options_unset(module_params, tmp_path):
    # A fleet credential: the account only, HTTPS with a certificate the system trusts.
    credential = load()
    env = inject(credential, saved_inputs(credential, username="api", password="s3cret", use_ssl=True),
                 tmp_path / "private")
    params = module_params(env)
    assert connection_problem(params) == "missing connection options: host (or the UCPBX_HOST environment variables)"
    # The inventory names the PBX (module_defaults from pbx_host, as playbooks/site.yml sets them).
    params["host"] = "10.1.0.10"
    assert connection_problem(params) is None
    client = client_from_params(params)
    # AWX wrote an empty CA file; the system's CA bundle is still what verifies the PBX.
    assert client._verify is True
    assert client._store.guard_directory == str(tmp_path / "home" / "cache")
    assert env["UCPBX_SNAPSHOT_DIR"] == ""


def test_inputs_match_the_option_types_and_numbers_and_booleans_always_have_a_value():
    credential = load()
    required = set(credential["inputs"]["required"])
    assert required == set(["port", "username", "password"])
    for field in credential["inputs"]["fields"]:
        if field["id"] in NOT_OPTIONS:
            assert field["type"] == "string", field["id"]
            continue
        spec = CONNECTION_ARGUMENT_SPEC[field["id"]]
        assert field["type"] == ("boolean" if spec["type"] == "bool" else "string"), field["id"]
        # AWX injects '' for an empty input, which an int option refuses, and False for a missing boolean.
        if spec["type"] in ("int", "bool"):
            assert "default" in field and str(field["default"]) == str(spec["default"]), field["id"]
        if spec["type"] == "int":
            assert field["id"] in required, field["id"]
        if "choices" in spec:
            assert field["choices"] == spec["choices"], field["id"]


def test_the_password_is_secret():
    fields = dict((field["id"], field) for field in load()["inputs"]["fields"])
    assert [name for name, field in fields.items() if field.get("secret")] == ["password"]
