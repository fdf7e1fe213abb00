# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: export_host_vars
short_description: Write what a PBX reported as host variables that Ansible never templates
version_added: 0.1.0
author:
  - openvox.ucpbx maintainers (@openvox-ucpbx)
description:
  - Turns the result of M(openvox.ucpbx.uc_pbx_info) with O(openvox.ucpbx.uc_pbx_info#module:gather_subset=all) into
    the text of C(host_vars/<pbx>/ucpbx.yml), a C(ucpbx_config) tree for the openvox.ucpbx.pbx_config role, and
    of C(vault_template.yml). P(openvox.ucpbx.pbx_config#role) applies the tree back without a change.
  - Everything a PBX reports is untrusted. Whoever can edit an object on the PBX (its web interface, anyone on
    the path of its plain-HTTP API, the PBX itself) chooses those strings. Every string from the PBX is
    therefore written with the YAML C(!unsafe) tag, so Ansible uses it as it is and never evaluates it as a
    template, and as a single YAML scalar, so it cannot add keys or variables. A string that YAML would read
    as a number, a boolean or null is written quoted instead (C(!unsafe) would turn C(2001) into a number);
    such a string holds nothing Ansible could evaluate.
  - The model and firmware version are named in the file's header comment in JSON notation (C(\n) for a line
    break, a four-digit C(\u) escape such as C(\u2028) for any other character outside printable ASCII), so
    no value can end the comment.
  - The vault placeholders of O(secrets=placeholder) are the collection's own and stay templates. Their names
    hold only lowercase letters, digits and underscores, whatever the PBX reported.
  - Kinds the PBX has none of are left out; an empty list would mean "delete every one" to C(overridden).
options:
  _input:
    description: The registered result of M(openvox.ucpbx.uc_pbx_info) with O(openvox.ucpbx.uc_pbx_info#module:gather_subset=all).
    type: dict
    required: true
  host:
    description: The PBX's inventory name, for the header comment and the vault variable names.
    type: str
    required: true
  secrets:
    description:
      - V(omit) leaves secret options out (a run of the role then leaves the PBX's secrets as they are).
      - V(placeholder) writes each secret option as C({{ vault_ucpbx_<pbx>_<kind>_<key>_<option> }}) and lists
        those variables in the C(vault_template) text.
    type: str
    choices: [omit, placeholder]
    default: omit
"""

EXAMPLES = r"""
- name: Read the whole PBX
  openvox.ucpbx.uc_pbx_info:
    gather_subset: all
  register: export_pbx

- name: Write host_vars/<pbx>/ucpbx.yml
  ansible.builtin.copy:
    dest: "host_vars/{{ inventory_hostname }}/ucpbx.yml"
    content: "{{ (export_pbx | openvox.ucpbx.export_host_vars(host=inventory_hostname)).config }}"
    mode: "0644"
"""

RETURN = r"""
_value:
  description: The texts of the two files.
  type: dict
  contains:
    config:
      description: The text of C(host_vars/<pbx>/ucpbx.yml), a YAML document with the one variable C(ucpbx_config).
      type: str
    vault_template:
      description:
        - The text of C(host_vars/<pbx>/vault_template.yml), one empty variable per placeholder.
        - Empty with O(secrets=omit), or when no object has a secret option.
      type: str
"""

import json
import re
from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.catalog import RESOURCES

try:
    import yaml
except ImportError:  # pragma: no cover - ansible-core depends on PyYAML
    yaml = None

try:
    from ansible.utils.unsafe_proxy import wrap_var
except ImportError:  # pragma: no cover
    wrap_var = None

STR_TAG = "tag:yaml.org,2002:str"
OPTION_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class _FromPbx(str):
    """A string the PBX reported."""


def _from_pbx(value, where):
    """The data (plain JSON types) with every string marked as reported by the PBX."""
    if isinstance(value, dict):
        for name in value:
            if not OPTION_NAME.match(name):
                raise AnsibleFilterError("openvox.ucpbx.export_host_vars: %s has an option named %s, which is not "
                                         "an option of the collection" % (where, json.dumps(name)))
        return dict((name, _from_pbx(item, where)) for name, item in value.items())
    if isinstance(value, list):
        return [_from_pbx(item, where) for item in value]
    return _FromPbx(value) if isinstance(value, str) else value


def _noted(value):
    """A value for a YAML comment: JSON with only printable ASCII, so no line break of any kind survives."""
    return json.dumps(str(value), ensure_ascii=True)


def _vault_name(*parts):
    return re.sub(r"[^a-z0-9]+", "_", "_".join(str(part) for part in parts).lower())


def _exported_tree(pbx, secret_options, host, secrets):
    """The ucpbx_config tree (PBX strings marked) and the vault variable names it refers to."""
    config, names = {}, []
    prefix = _vault_name("vault_ucpbx", host)
    for kind, resource in RESOURCES.items():
        records = pbx.get(kind) or []
        if not isinstance(records, list):
            raise AnsibleFilterError("openvox.ucpbx.export_host_vars: %s must be a list" % kind)
        if not records:
            continue
        items = []
        for index, record in enumerate(records):
            item = _from_pbx(record, "%s[%d]" % (kind, index))
            if not isinstance(item, dict):
                raise AnsibleFilterError("openvox.ucpbx.export_host_vars: %s[%d] is not an object" % (kind, index))
            if secrets == "placeholder":
                for option in secret_options.get(kind) or []:
                    field = resource.fields.get(option)
                    if field is None or not field.belongs_to(item):
                        continue
                    name = _vault_name(prefix, kind, item.get(resource.key, ""), option)
                    item[option] = "{{ %s }}" % name
                    names.append(name)
            items.append(item)
        config[kind] = items
    repeated = sorted(set(name for name in names if names.count(name) > 1))
    if repeated:
        # Keys that differ only in case or punctuation would share a vault variable.
        raise AnsibleFilterError("openvox.ucpbx.export_host_vars: two secrets map to the same vault variable "
                                 "name: %s" % ", ".join(repeated))
    return config, names


if yaml is not None:
    class _Dumper(yaml.SafeDumper):
        """PBX strings tagged !unsafe, the collection's own strings (placeholders) left plain."""

    def _represent_from_pbx(dumper, value):
        text = str.__str__(value)
        if dumper.resolve(yaml.ScalarNode, text, (True, False)) != STR_TAG:
            # Ansible 2.19 resolves an !unsafe scalar as if it were plain, so "2001" would load as
            # a number and "" as null; quoted and untagged it stays a string, and a string that
            # reads as a number, boolean or null holds no template.
            return dumper.represent_scalar(STR_TAG, text, style="'")
        return dumper.represent_scalar("!unsafe", text)

    _Dumper.add_representer(_FromPbx, _represent_from_pbx)


def _dump(data):
    return yaml.dump(data, Dumper=_Dumper, default_flow_style=False, sort_keys=False, allow_unicode=True,
                     indent=2, width=120)


def export_host_vars(result, host, secrets="omit"):
    if yaml is None:  # pragma: no cover
        raise AnsibleFilterError("openvox.ucpbx.export_host_vars needs PyYAML")
    if secrets not in ("omit", "placeholder"):
        raise AnsibleFilterError("openvox.ucpbx.export_host_vars: secrets must be omit or placeholder, not %s"
                                 % json.dumps(str(secrets)))
    if not isinstance(result, Mapping) or not isinstance(result.get("pbx"), Mapping):
        raise AnsibleFilterError("openvox.ucpbx.export_host_vars takes the registered result of "
                                 "openvox.ucpbx.uc_pbx_info (with gather_subset: all)")
    try:
        # Ansible's own string and number types (tagged, unsafe) become the plain ones YAML can write.
        pbx = json.loads(json.dumps(result["pbx"]))
    except (TypeError, ValueError) as exc:
        raise AnsibleFilterError("openvox.ucpbx.export_host_vars: the PBX result holds a value that is not JSON "
                                 "data: %s" % exc)
    device = pbx.get("device") or {}
    config, names = _exported_tree(pbx, result.get("secret_options") or {}, host, secrets)
    header = [
        "---",
        "# %s (model %s, firmware %s), written by playbooks/export.yml."
        % (_noted(host), _noted(device.get("model", "")), _noted(device.get("firmware_version", ""))),
        "# Options with their default value are left out, and so are kinds the PBX had none of.",
        "# Strings tagged !unsafe are as the PBX reported them; Ansible uses them as they are, never as templates.",
        "# Secrets refer to the variables in vault_template.yml." if secrets == "placeholder"
        else "# Secrets are left out: the PBX keeps its own.",
    ]
    texts = {"config": "\n".join(header) + "\n" + _dump({"ucpbx_config": config}), "vault_template": ""}
    if names:
        texts["vault_template"] = "\n".join(
            ["---", "# Fill in every secret of %s, then encrypt this file with ansible-vault encrypt." % _noted(host),
             "# Until then the empty values make the pbx_config role stop before anything is sent."]
            + ["%s:" % name for name in names]) + "\n"
    # Ansible before 2.19 would evaluate templates in a plain string held in a variable.
    return wrap_var(texts) if wrap_var is not None else texts


class FilterModule(object):
    """Host variables from what a PBX reported, safe to load."""

    def filters(self):
        return {"export_host_vars": export_host_vars}
