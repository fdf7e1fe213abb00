# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The pbx_config role's JSON Schema is generated from the resource descriptions and must stay so."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib.util
import json
import os

import jsonschema

from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.catalog import RESOURCES

COLLECTION = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCHEMA_FILE = os.path.join(COLLECTION, "roles", "pbx_config", "files", "ucpbx_config.schema.json")
GENERATOR = os.path.join(COLLECTION, "tests", "tools", "render_schema.py")


def load_generator():
    spec = importlib.util.spec_from_file_location("render_schema", GENERATOR)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def committed():
    with open(SCHEMA_FILE) as handle:
        return handle.read()


def test_committed_schema_is_the_generated_one():
    generated = load_generator()
    assert committed() == generated.dumps(generated.render()), (
        "roles/pbx_config/files/ucpbx_config.schema.json is out of date; regenerate it with "
        "python tests/tools/render_schema.py > roles/pbx_config/files/ucpbx_config.schema.json")


def test_schema_is_valid_draft_2020_12():
    schema = json.loads(committed())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_every_kind_and_option_is_described():
    schema = json.loads(committed())
    assert list(schema["properties"]) == list(RESOURCES)
    for kind, resource in RESOURCES.items():
        item = schema["$defs"][kind]
        assert item["required"] == [resource.key]
        assert item["additionalProperties"] is False
        assert list(item["properties"]) == list(resource.fields) + (["rename_from"] if resource.renamable else []) + [
            "state"]
        for name, field in resource.fields.items():
            prop = item["properties"][name]
            assert prop["title"] and prop["description"], (kind, name)
            assert "O(" not in prop["description"] and "V(" not in prop["description"], (kind, name)
            assert prop.get("writeOnly", False) is field.secret, (kind, name)


def test_allowed_values_are_not_enforced():
    """Gathered output may hold values set in the web interface; only writes are limited."""
    validator = jsonschema.Draft202012Validator(json.loads(committed()))
    assert list(validator.iter_errors({"queues": [{"number": "6700", "agent_timeout": 25}]})) == []


def test_ranges_choices_and_patterns_come_from_the_fields():
    validator = jsonschema.Draft202012Validator(json.loads(committed()))

    def messages(config):
        return sorted(error.message for error in validator.iter_errors(config))

    assert messages({"extensions": [{"number": "2001", "max_registrations": 6}]}) == ["6 is greater than the maximum of 5"]
    assert messages({"extensions": [{"number": "2001", "ring_timeout": 45}]}) == [
        "45 is not one of [15, 30, 60, 120, 300]"]
    assert messages({"extensions": [{"number": "12345678"}]}) == ["'12345678' does not match '^\\\\d{1,7}$'"]
    assert messages({"trunks": [{"name": "t", "port": 0}]}) == ["0 is less than the minimum of 1"]
    assert messages({"extensions": [{"number": "2001", "max_call_duration": "600"},
                                    {"number": "2002", "max_call_duration": "unlimited"}]}) == []
    assert len(messages({"extensions": [{"number": "2001", "max_call_duration": "forever"}]})) == 1
    assert messages({"extensions": [{"number": "2001", "busy_forward_to": "extension"}]}) == [
        "'busy_forward_extension' is a required property"]
    assert messages({"outbound_routes": [{"name": "r", "trunks": ["a", "b"]}]}) == []
    assert messages({"inbound_routes": [{"did": "1"}]}) == ["'name' is a required property"]


def test_every_reference_names_a_kind_of_the_catalog():
    # What a run plans is looked up by catalog kind (objects created in the same run count as existing,
    # and deleting an object something refers to is refused): a target outside the catalog would be
    # silently unchecked, unless it is marked external (objects no kind manages).
    checked = 0
    for resource in RESOURCES.values():
        for reference in resource.references:
            for target in reference.sources():
                where = (resource.name, reference.field, target.kind)
                if target.external:
                    assert target.kind not in RESOURCES, where
                    continue
                assert target.kind in RESOURCES, where
                assert target.label == RESOURCES[target.kind].name, where
                checked += 1
    assert checked >= 9
