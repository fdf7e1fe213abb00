# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: schema_errors
short_description: Validate data against a JSON Schema and list every error with its path
version_added: 0.1.0
author:
  - openvox.ucpbx maintainers (@openvox-ucpbx)
description:
  - "Validates the input against a JSON Schema and returns one C(path: message) string per problem, for
    example C($.extensions[2].max_registrations: 9 is greater than the maximum of 5). An empty list means the
    data is valid."
  - Every problem is reported, sorted by the position of the bad value in the data, so that one failed run
    lists everything to fix.
  - The value of a property marked C(writeOnly) in the schema (a password) is never shown in a message, at any
    depth; objects and arrays are described by their keys or length rather than quoted, since they may hold one.
  - The schema's C($schema) keyword selects the JSON Schema draft; without it, draft 2020-12 is used.
  - The openvox.ucpbx.pbx_config role uses it to check C(ucpbx_config) before anything is sent to a PBX.
requirements:
  - jsonschema (Python library, on the controller)
options:
  _input:
    description: The data to validate (dicts, lists, strings, numbers, booleans, null).
    type: raw
    required: true
  schema:
    description:
      - The JSON Schema, as a dictionary; for example a file read with the P(ansible.builtin.file#lookup) lookup and
        converted with the P(ansible.builtin.from_json#filter) filter.
    type: dict
    required: true
"""

EXAMPLES = r"""
- name: Check a configuration tree before using it
  vars:
    config_schema: "{{ lookup('ansible.builtin.file', 'ucpbx_config.schema.json') | ansible.builtin.from_json }}"
    config_errors: "{{ ucpbx_config | openvox.ucpbx.schema_errors(config_schema) }}"
  ansible.builtin.assert:
    that: config_errors | length == 0
    fail_msg: "{{ config_errors }}"
    quiet: true

# ['$.extensions[0].number: 2001 is not of type 'string'']
- name: An unquoted number
  ansible.builtin.debug:
    msg: "{{ {'extensions': [{'number': 2001}]} | openvox.ucpbx.schema_errors(config_schema) }}"
"""

RETURN = r"""
_value:
  description:
    - "One C(path: message) string per problem, the path in JSONPath notation starting at C($)."
    - Empty when the data is valid.
  type: list
  elements: str
"""

from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

try:
    from ansible.parsing.vault import EncryptedString
except ImportError:  # ansible-core before 2.19
    EncryptedString = None
try:
    from ansible.parsing.yaml.objects import AnsibleVaultEncryptedUnicode
except ImportError:  # removed from later ansible-core versions
    AnsibleVaultEncryptedUnicode = None

VAULTED = tuple(cls for cls in (EncryptedString, AnsibleVaultEncryptedUnicode) if cls is not None)

DEFAULT_DRAFT = "https://json-schema.org/draft/2020-12/schema"


def _plain(value):
    """The data as JSON types: inline-vaulted strings decrypted, Ansible's tagged types unwrapped.

    A vaulted string is not a `str`, so without this jsonschema would call a vaulted password
    "not of type 'string'".
    """
    if VAULTED and isinstance(value, VAULTED):
        return str(value)
    if isinstance(value, Mapping):
        return dict((key, _plain(item)) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, str):
        return str(value)
    # Anything else (a date PyYAML parsed, ...) is left for the schema to reject by type.
    return value


def _position(error):
    """Sort key: the data path, list indexes in numeric order."""
    return [(0, part, "") if isinstance(part, int) else (1, 0, str(part)) for part in error.absolute_path]


def _secret_names(schema):
    """Names of the properties the schema marks writeOnly, wherever they are (through $ref too)."""
    secret_defs = set()

    def is_secret(subschema):
        if not isinstance(subschema, Mapping):
            return False
        if subschema.get("writeOnly"):
            return True
        ref = subschema.get("$ref")
        return isinstance(ref, str) and ref.rsplit("/", 1)[-1] in secret_defs

    for key in ("$defs", "definitions"):
        for name, subschema in (schema.get(key) or {}).items():
            if isinstance(subschema, Mapping) and subschema.get("writeOnly"):
                secret_defs.add(name)

    return set(name for node in _mappings(schema) if isinstance(node.get("properties"), Mapping)
               for name, subschema in node["properties"].items() if is_secret(subschema))


def _secret_values(data, names):
    """The scalar values the data holds under secret property names, at any depth."""
    return set(value for node in _mappings(data) for key, value in node.items()
               if key in names and isinstance(value, str) and value)


def _mappings(node):
    """Every mapping in a tree of mappings and lists, the outermost first."""
    if isinstance(node, Mapping):
        yield node
        children = node.values()
    elif isinstance(node, list):
        children = node
    else:
        return
    for child in children:
        yield from _mappings(child)


def _described(instance):
    """Words for a container value: quoting it could quote a secret inside it."""
    if isinstance(instance, Mapping):
        keys = ", ".join(sorted(str(key) for key in instance))
        return "an object (keys: %s)" % keys if keys else "an empty object"
    return "an array of %d item(s)" % len(instance)


def _unquoted(message, instance, secrets):
    if isinstance(instance, (Mapping, list)):
        message = message.replace(repr(instance), _described(instance))
    for value in secrets:
        # A secret typed where another kind of value was expected is still a secret.
        message = message.replace(repr(value), "(a secret, not shown)")
    return message


def _message(error, secret_names, secrets):
    path = list(error.absolute_path)
    secret_here = (isinstance(error.schema, Mapping) and error.schema.get("writeOnly")) or (
        path and path[-1] in secret_names and not isinstance(error.instance, (Mapping, list)))
    if secret_here:
        value = error.validator_value
        if error.validator == "pattern":
            return "the value (a secret, not shown) does not match %r" % value
        if isinstance(value, (Mapping, list)):
            return "the value (a secret, not shown) fails the schema's %s check" % error.validator
        return "the value (a secret, not shown) fails the schema's %s %r check" % (error.validator, value)
    message = _unquoted(error.message, error.instance, secrets)
    if error.context and error.validator in ("anyOf", "oneOf"):
        # "is not valid under any of the given schemas" alone does not say what would be.
        message += " (%s)" % "; ".join(sorted(set(_unquoted(sub.message, sub.instance, secrets)
                                                  for sub in error.context)))
    return message


def schema_errors(data, schema):
    """Return a list of "path: message" strings, one per problem; empty when the data is valid."""
    try:
        import jsonschema
    except ImportError as exc:
        raise AnsibleFilterError(
            "the openvox.ucpbx.schema_errors filter needs the Python library jsonschema on the controller, in "
            "the Python that runs ansible-playbook (pip install jsonschema): %s" % exc)
    if not isinstance(schema, Mapping):
        raise AnsibleFilterError("openvox.ucpbx.schema_errors: the schema must be a dict, not %s" % type(schema).__name__)
    schema = _plain(schema)
    validator_class = jsonschema.validators.validator_for(
        schema, default=jsonschema.validators.validator_for({"$schema": DEFAULT_DRAFT}))
    try:
        validator_class.check_schema(schema)
    except jsonschema.exceptions.SchemaError as exc:
        raise AnsibleFilterError("openvox.ucpbx.schema_errors: the schema is not valid: %s at %s"
                                 % (exc.message, exc.json_path))
    validator = validator_class(schema)
    data = _plain(data)
    secret_names = _secret_names(schema)
    secrets = _secret_values(data, secret_names)
    errors = sorted(validator.iter_errors(data), key=_position)
    return ["%s: %s" % (error.json_path, _message(error, secret_names, secrets)) for error in errors]


class FilterModule(object):
    """JSON Schema validation with readable, path-named errors."""

    def filters(self):
        return {"schema_errors": schema_errors}
