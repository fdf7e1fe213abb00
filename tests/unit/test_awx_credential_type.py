# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AWX credential type injects exactly the environment variables the connection options read."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

import yaml

from ansible.module_utils.basic import env_fallback

from ansible_collections.openvox.ucpbx.plugins.module_utils.connection import CONNECTION_ARGUMENT_SPEC

COLLECTION = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CREDENTIAL_TYPE = os.path.join(COLLECTION, "docs", "awx", "credential_type.yml")


def load():
    with open(CREDENTIAL_TYPE) as handle:
        return yaml.safe_load(handle)


def option_env_vars():
    """{option: environment variable} as connection.py declares them."""
    names = {}
    for option, spec in CONNECTION_ARGUMENT_SPEC.items():
        function, arguments = spec["fallback"]
        assert function is env_fallback
        names[option] = arguments[0]
    return names


def test_every_injected_variable_is_read_by_the_option_of_the_same_name():
    env = load()["injectors"]["env"]
    by_option = option_env_vars()
    fields = dict((field["id"], field) for field in load()["inputs"]["fields"])
    assert env, "the credential type injects nothing"
    for variable, template in env.items():
        match = re.match(r"^\{\{ (\w+) \}\}$", template)
        assert match, "%s: injector %r is not a plain input reference" % (variable, template)
        field = match.group(1)
        assert field in fields, "%s injects the undefined input %s" % (variable, field)
        assert by_option.get(field) == variable, (
            "input %s is injected as %s, but the %s option reads %s" % (field, variable, field, by_option.get(field)))


def test_the_connection_needs_nothing_but_the_credential():
    credential = load()
    injected = set(credential["injectors"]["env"].values())
    for option in ("host", "username", "password"):
        assert "{{ %s }}" % option in injected
        assert option in credential["inputs"]["required"]


def test_inputs_match_the_option_types_and_every_injected_input_has_a_value():
    credential = load()
    required = set(credential["inputs"]["required"])
    for field in credential["inputs"]["fields"]:
        spec = CONNECTION_ARGUMENT_SPEC[field["id"]]
        assert field["type"] == ("boolean" if spec["type"] == "bool" else "string"), field["id"]
        # AWX injects an empty string for an unset input without a default, which an int or bool
        # option would refuse.
        assert field["id"] in required or "default" in field, field["id"]
        if "default" in field and "default" in spec:
            assert str(field["default"]) == str(spec["default"]), field["id"]
        if "choices" in spec:
            assert field["choices"] == spec["choices"], field["id"]


def test_the_password_is_secret():
    fields = dict((field["id"], field) for field in load()["inputs"]["fields"])
    assert fields["password"]["secret"] is True
    assert [name for name, field in fields.items() if field.get("secret")] == ["password"]
