#!/usr/bin/env python
"""Print the JSON Schema of the pbx_config role's `ucpbx_config` from the resource descriptions.

Usage (from the source tree, no `make collection` needed):
    python tests/tools/render_schema.py > roles/pbx_config/files/ucpbx_config.schema.json

The schema checks what the modules' argument specs and config validation check before the PBX
is contacted: types, choices, patterns, ranges, the key option and unknown options. It does not
check the values the API accepts on writes (`writable`), because gathered output may hold values
set in the web interface, nor conditions that depend on the PBX (create_requires,
required_when), nor that keys are unique (the modules report that with the object's name).
tests/unit/test_schema_matches_resources.py fails when the committed schema differs from this
output, so the two cannot drift apart.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import sys
from collections import OrderedDict

# render_options makes the collection importable from a source tree when nothing installed provides it.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import render_options  # noqa: E402,F401 pylint: disable=unused-import,wrong-import-position

from ansible_collections.openvox.ucpbx.plugins.module_utils import engine  # noqa: E402
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.catalog import MODULES, RESOURCES  # noqa: E402


# Ansible documentation markup: O(config[].name), V(value), C(code), RV(gathered). One level of
# balanced parentheses is allowed inside, because a few descriptions list characters like "( )".
MARKUP = re.compile(r"\b(?:O|V|C|RV)\(((?:[^()]|\([^()]*\))*)\)")


def plain(text):
    """Documentation text without Ansible markup, for editors that show schema descriptions."""
    return MARKUP.sub(lambda match: match.group(1).replace("config[].", ""), text)


def title_of(description):
    """The first sentence of a description."""
    first = re.split(r"(?<=\.)\s", description, maxsplit=1)[0]
    return first.rstrip(".")


def anchored(pattern):
    """The resource patterns are matched whole (fullmatch); JSON Schema patterns search."""
    if pattern.startswith("^") and pattern.endswith("$") and not pattern.endswith("\\$"):
        return pattern
    return "^(?:%s)$" % pattern


def property_schema(resource, name, field):
    description = plain(field.description)
    schema = OrderedDict([("title", title_of(description)), ("description", description)])
    if field.kind == engine.BOOL:
        schema["type"] = "boolean"
    elif field.kind == engine.INT:
        schema["type"] = "integer"
        if field.choices:
            schema["enum"] = list(field.choices)
        if field.between:
            schema["minimum"], schema["maximum"] = field.between
    elif field.kind == engine.LIST:
        schema["type"] = "array"
        schema["items"] = {"type": "string"}
    elif field.kind == engine.CHOICE:
        schema["type"] = "string"
        choices = list(field.choices)
        if field.pattern:
            # Words such as follow_system, or any value matching the pattern (a number of seconds).
            schema["anyOf"] = [{"enum": choices}, {"pattern": anchored(field.pattern.pattern)}]
        else:
            schema["enum"] = choices
    else:
        schema["type"] = "string"
        if field.pattern:
            schema["pattern"] = anchored(field.pattern.pattern)
    if field.secret:
        # writeOnly: sent to the PBX, never read back. The schema_errors filter does not show the
        # value of a writeOnly property in its messages.
        schema["writeOnly"] = True
        schema["description"] += " A secret: never shown, and left as it is when not given."
    if name == resource.key:
        schema["description"] += " Required."
    return schema


def rename_schema(resource):
    text = RENAME_DESCRIPTION % dict(name=resource.name, key=resource.key)
    schema = OrderedDict([("title", title_of(text)), ("description", text), ("type", "string")])
    if resource.key_field.pattern:
        schema["pattern"] = anchored(resource.key_field.pattern.pattern)
    return schema


# What a rename does, in the words of the modules' documentation (tests/tools/render_options.py).
RENAME_DESCRIPTION = ("The %(key)s the %(name)s has on the PBX before this run, to rename it in place. Ignored once "
                      "the %(name)s has the new %(key)s, so a second run changes nothing.")


# The marker of plugins/module_utils/layers.py, in the words of docs/layers.md.
ABSENT_DESCRIPTION = ("With only the %(key)s, takes the %(name)s that an earlier layer (a ucpbx_config__* variable of "
                      "an earlier name) brought out of the merged tree.")


def item_schema(kind, resource):
    module = MODULES[kind]
    description = "One %s, in the format of the config option of openvox.ucpbx.%s." % (resource.name, module)
    if not resource.creatable:
        description += (" %ss are created in the PBX web interface; the API can only change existing ones."
                        % (resource.name[0].upper() + resource.name[1:]))
    properties = OrderedDict((name, property_schema(resource, name, field))
                             for name, field in resource.fields.items())
    if resource.renamable:
        properties[engine.RENAME_FROM] = rename_schema(resource)
    properties["state"] = OrderedDict([
        ("title", "Take the %s out of the tree" % resource.name),
        ("description", ABSENT_DESCRIPTION % dict(name=resource.name, key=resource.key)),
        ("const", "absent")])
    schema = OrderedDict([
        ("title", resource.name),
        ("description", description),
        ("type", "object"),
        ("required", [resource.key]),
        ("additionalProperties", False),
        ("properties", properties),
    ])
    if resource.required_if:
        # The modules' argument specs enforce these whatever the state, so the schema does too.
        schema["allOf"] = [
            OrderedDict([
                ("if", OrderedDict([("properties", {option: {"const": value}}), ("required", [option])])),
                ("then", {"required": list(needed)}),
            ])
            for option, value, needed in resource.required_if
        ]
    return schema


def render():
    kinds = OrderedDict()
    definitions = OrderedDict()
    for kind, resource in RESOURCES.items():
        definitions[kind] = item_schema(kind, resource)
        description = "The %ss of the PBX, applied with openvox.ucpbx.%s. Left out: not managed." % (
            resource.name, MODULES[kind])
        if not resource.creatable:
            description += " They cannot be created or deleted through the API."
        else:
            description += (" With ucpbx_state=overridden, %ss not listed are deleted; an empty list deletes "
                            "every one and needs ucpbx_allow_delete_all." % resource.name)
        kinds[kind] = OrderedDict([
            ("title", kind),
            ("description", description),
            ("type", "array"),
            ("items", {"$ref": "#/$defs/%s" % kind}),
        ])
    return OrderedDict([
        ("$schema", "https://json-schema.org/draft/2020-12/schema"),
        ("title", "ucpbx_config"),
        ("description", "A whole OpenVox UC Series PBX for the openvox.ucpbx.pbx_config role. Each kind of "
                        "object is a list in the format of its module's config option. Generated by "
                        "tests/tools/render_schema.py from plugins/module_utils/resources/; do not edit."),
        ("type", "object"),
        ("additionalProperties", False),
        ("properties", kinds),
        ("$defs", definitions),
    ])


def dumps(schema):
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def main():
    sys.stdout.write(dumps(render()))


if __name__ == "__main__":
    main()
