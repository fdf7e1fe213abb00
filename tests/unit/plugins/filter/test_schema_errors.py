# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The openvox.ucpbx.schema_errors filter."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import builtins
import json
import os

import pytest
import yaml

from ansible.errors import AnsibleFilterError

from ansible_collections.openvox.ucpbx.plugins.filter.schema_errors import FilterModule, schema_errors

# tests/unit/plugins/filter/<this file> -> the collection root
COLLECTION = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "..", ".."))

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "string"},
                    "size": {"type": "integer", "maximum": 5},
                    "secret": {"type": "string", "pattern": "^[0-9]+$", "writeOnly": True},
                    "mode": {"type": "string", "anyOf": [{"enum": ["auto"]}, {"pattern": "^[0-9]+$"}]},
                },
            },
        },
    },
}


def test_valid_data_has_no_errors():
    assert schema_errors({"items": [{"id": "a", "size": 5, "secret": "123", "mode": "auto"}]}, SCHEMA) == []


def test_every_error_with_its_json_path_in_data_order():
    data = {"items": [{"id": "a"}] * 2 + [{"id": "c", "size": 9}] + [{"id": "d"}] * 7 + [{"size": "x"}], "other": 1}
    assert schema_errors(data, SCHEMA) == [
        "$: Additional properties are not allowed ('other' was unexpected)",
        "$.items[2].size: 9 is greater than the maximum of 5",
        "$.items[10]: 'id' is a required property",
        "$.items[10].size: 'x' is not of type 'integer'",
    ]


def test_secret_values_are_never_shown():
    errors = schema_errors({"items": [{"id": "a", "secret": "hunter2"}, {"id": "b", "secret": 42}]}, SCHEMA)
    assert errors == [
        "$.items[0].secret: the value (a secret, not shown) does not match '^[0-9]+$'",
        "$.items[1].secret: the value (a secret, not shown) fails the schema's type 'string' check",
    ]
    assert "hunter2" not in " ".join(errors)


def test_any_of_says_what_would_be_valid():
    errors = schema_errors({"items": [{"id": "a", "mode": "manual"}]}, SCHEMA)
    assert len(errors) == 1
    assert errors[0].startswith("$.items[0].mode: 'manual' is not valid under any of the given schemas (")
    assert "'manual' is not one of ['auto']" in errors[0]
    assert "does not match '^[0-9]+$'" in errors[0]


def test_tuples_and_subclasses_validate_as_json_types():
    class TaggedStr(str):
        pass

    assert schema_errors({"items": ({"id": TaggedStr("a")},)}, SCHEMA) == []


def test_an_invalid_schema_is_reported():
    with pytest.raises(AnsibleFilterError, match="the schema is not valid"):
        schema_errors({}, {"type": "no-such-type"})
    with pytest.raises(AnsibleFilterError, match="must be a dict"):
        schema_errors({}, ["not", "a", "schema"])


def test_missing_jsonschema_is_a_clear_error(monkeypatch):
    real_import = builtins.__import__

    def without_jsonschema(name, *args, **kwargs):
        if name == "jsonschema":
            raise ImportError("No module named 'jsonschema'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", without_jsonschema)
    with pytest.raises(AnsibleFilterError, match="needs the Python library jsonschema"):
        schema_errors({}, SCHEMA)


def test_the_role_schema_accepts_the_example_fleet():
    with open(os.path.join(COLLECTION, "roles", "pbx_config", "files", "ucpbx_config.schema.json")) as handle:
        schema = json.load(handle)
    for host in ("pbx-paris", "pbx-berlin"):
        path = os.path.join(COLLECTION, "playbooks", "inventory", "fleet", "host_vars", host, "ucpbx.yml")
        with open(path) as handle:
            assert schema_errors(yaml.safe_load(handle)["ucpbx_config"], schema) == [], host


def test_filter_is_registered():
    assert FilterModule().filters() == {"schema_errors": schema_errors}


ROLE_SCHEMA_PATH = os.path.join(COLLECTION, "roles", "pbx_config", "files", "ucpbx_config.schema.json")
CANARY = "Canary-Trunk-Pw-4711"


def role_schema():
    with open(ROLE_SCHEMA_PATH) as handle:
        return json.load(handle)


@pytest.mark.parametrize("data", [
    # A whole kind written as a mapping instead of a list.
    {"trunks": {"name": "sip1", "trunk_type": "peer", "host": "sip.example", "port": 5060, "password": CANARY}},
    # A list where an object was expected, an object nested where a string was expected.
    {"trunks": [[{"name": "sip1", "password": CANARY}]]},
    {"trunks": [{"name": {"nested": {"password": CANARY}}, "password": CANARY}]},
    {"extensions": [{"number": "200", "voicemail_pin": CANARY, "name": ["x", {"password": CANARY}]}]},
    # The secret itself of the wrong kind, and a secret-named key under an unknown key.
    {"trunks": [{"name": "sip1", "trunk_type": "peer", "password": [CANARY]}]},
    {"queues": [{"number": "6700", "password": {"pw": CANARY}}]},
    {"extensions": {"200": {"voicemail_pin": CANARY}}},
    {"bogus": {"password": CANARY}, "trunks": [{"name": "x", "password": CANARY, "unknown": CANARY}]},
])
def test_no_message_quotes_a_secret_at_any_depth(data):
    errors = schema_errors(data, role_schema())
    assert errors, "the data should be invalid"
    assert CANARY not in " ".join(errors), errors


def test_a_kind_written_as_a_mapping_is_described_by_its_keys():
    errors = schema_errors({"trunks": {"name": "sip1", "password": CANARY}}, role_schema())
    assert errors == ["$.trunks: an object (keys: name, password) is not of type 'array'"]


def test_secret_property_names_found_through_refs():
    schema = {
        "$defs": {"pin": {"type": "string", "pattern": "^[0-9]+$", "writeOnly": True}},
        "type": "object",
        "properties": {"user": {"type": "object", "properties": {
            "pin": {"$ref": "#/$defs/pin"},
            "name": {"type": "string"},
        }}},
    }
    errors = schema_errors({"user": {"pin": "abc-secret", "name": ["abc-secret-2"]}}, schema)
    text = " ".join(errors)
    assert "abc-secret" not in text
    assert "$.user.pin: the value (a secret, not shown) does not match '^[0-9]+$'" in errors
