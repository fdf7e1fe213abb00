# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The openvox.ucpbx.export_host_vars filter: what a PBX reports is loaded back as data, never as a template."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
import yaml

from ansible.errors import AnsibleFilterError
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

from ansible_collections.openvox.ucpbx.plugins.filter.export_host_vars import FilterModule, export_host_vars
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.catalog import RESOURCES

# Values a compromised PBX (or whoever edits its web interface) could report.
HOSTILE_NAMES = [
    "{{ lookup('ansible.builtin.pipe', 'touch %s') }}",
    "{% if true %}x{% endif %}{# c #}",
    "Bob\nucpbx_state: overridden\nucpbx_allow_delete_all: true\n#",
    "line\u2028sep\u2029par\x85nel\rcr\ttab\x00nul",
    "`tick` | pipe <!-- ### heading",
    "!unsafe '{{ x }}'", "- a", "key: value", "&anchor", "*alias", "'quoted'", '"quoted"', "  spaced  ",
    "\ufeffbom", "Müller",
]
# Strings YAML would read as something else when plain: they must load back as these very strings.
LOOKALIKES = ["", "2001", "007", "0x1f", "1e3", "1.5", ".inf", "yes", "Off", "null", "~", "=", "<<",
              "2026-01-01", "12:30:00"]
FIRMWARE = "4.3.6\nucpbx_state: overridden\nucpbx_allow_delete_all: true\n#"


def pbx_result(names, firmware=FIRMWARE):
    extensions = [{"number": str(2000 + index), "name": name, "caller_id": name}
                  for index, name in enumerate(names)]
    return {
        "pbx": {
            "device": {"model": "UC500\u2028ucpbx_model: 1", "firmware_version": firmware},
            "extensions": extensions,
            "trunks": [
                {"name": "{{ 7 * 6 }}", "trunk_type": "register", "host": "{{ 6 * 7 }}", "username": "u"},
                {"name": "peer`\n# x", "trunk_type": "peer", "host": "10.0.0.1"},
            ],
            "outbound_routes": [{"name": "out", "match_pattern": "X.", "trunks": ["{{ 7 * 6 }}", "peer`\n# x"]}],
            "queues": [],
        },
        "secret_options": dict((kind, resource.secret_fields) for kind, resource in RESOURCES.items()),
    }


def loaded(text, tmp_path):
    """The file as the inventory loads host_vars: trusted as a template except what is tagged !unsafe."""
    path = tmp_path / "ucpbx.yml"
    path.write_text(text)
    try:
        return DataLoader().load_from_file(str(path), trusted_as_template=True)
    except TypeError:  # ansible-core before 2.19 trusts every string that is not !unsafe
        return DataLoader().load_from_file(str(path))


def templated(data, variables=None):
    return Templar(loader=DataLoader(), variables=variables or {}).template(data)


def test_pbx_strings_load_back_literally_and_are_never_templated(tmp_path):
    canary = tmp_path / "pwned"
    names = [name.replace("%s", str(canary)) for name in HOSTILE_NAMES] + LOOKALIKES
    result = pbx_result(names)
    text = export_host_vars(result, host="pbx")["config"]

    document = loaded(text, tmp_path)
    # One variable, whatever the names and the firmware string hold.
    assert list(document) == ["ucpbx_config"]
    config = templated(document["ucpbx_config"])
    assert not canary.exists()
    assert [item["name"] for item in config["extensions"]] == names
    assert [item["caller_id"] for item in config["extensions"]] == names
    assert all(isinstance(item["number"], str) for item in config["extensions"])
    assert config["trunks"] == result["pbx"]["trunks"]
    assert config["outbound_routes"] == result["pbx"]["outbound_routes"]
    # A kind the PBX has none of is not managed (an empty list would delete every one).
    assert list(config) == ["trunks", "extensions", "outbound_routes"]


def test_header_comment_cannot_be_left():
    text = export_host_vars(pbx_result(["Alice"]), host="pbx")["config"]
    header = text.split("ucpbx_config:")[0]
    assert all(line == "---" or line.startswith("# ") for line in header.splitlines())
    assert header.isascii()
    assert '"4.3.6\\nucpbx_state: overridden\\nucpbx_allow_delete_all: true\\n#"' in header
    assert '"UC500\\u2028ucpbx_model: 1"' in header
    # YAML (1.1) also ends a line at U+2028, U+2029, U+0085 and CR: none may reach the file outside a quoted scalar.
    for line_break in ("\u2028", "\u2029", "\x85", "\r"):
        assert line_break not in text


def test_placeholders_stay_templates_and_name_only_safe_variables(tmp_path):
    result = pbx_result(["Alice"])
    result["pbx"]["extensions"][0]["number"] = "2001"
    files = export_host_vars(result, host="PBX-Paris", secrets="placeholder")
    document = loaded(files["config"], tmp_path)
    alice = document["ucpbx_config"]["extensions"][0]
    register = "vault_ucpbx_pbx_paris_extensions_2001_register_password"
    assert alice["register_password"] == "{{ %s }}" % register
    trunk_password = "vault_ucpbx_pbx_paris_trunks_7_6_password"
    assert document["ucpbx_config"]["trunks"][0]["password"] == "{{ %s }}" % trunk_password
    # A peer trunk has no password.
    assert "password" not in document["ucpbx_config"]["trunks"][1]

    variables = yaml.safe_load(files["vault_template"])
    assert set(variables.values()) == set([None])
    assert register in variables and trunk_password in variables
    filled = dict((name, "secret-%d" % index) for index, name in enumerate(variables))
    config = templated(document["ucpbx_config"], filled)
    assert config["extensions"][0]["register_password"] == filled[register]
    assert config["trunks"][0]["password"] == filled[trunk_password]
    assert config["trunks"][0]["name"] == "{{ 7 * 6 }}"


def test_no_placeholders_and_no_template_when_secrets_are_omitted():
    files = export_host_vars(pbx_result(["Alice"]), host="pbx")
    assert files["vault_template"] == ""
    assert "vault_" not in files["config"]
    assert "Secrets are left out" in files["config"]


def test_keys_that_share_a_vault_variable_are_refused():
    result = pbx_result([])
    result["pbx"]["trunks"] = [{"name": "a-b", "trunk_type": "account"}, {"name": "A_B", "trunk_type": "account"}]
    with pytest.raises(AnsibleFilterError, match="vault_ucpbx_pbx_trunks_a_b_password"):
        export_host_vars(result, host="pbx", secrets="placeholder")


@pytest.mark.parametrize("record", [{"name\n: x": "a"}, {"{{ x }}": "a"}, {"Name": "a"}])
def test_an_option_name_that_is_not_the_collections_is_refused(record):
    result = pbx_result([])
    result["pbx"]["extensions"] = [dict(record, number="2001")]
    with pytest.raises(AnsibleFilterError, match="not an option of the collection"):
        export_host_vars(result, host="pbx")


def test_bad_input_is_refused():
    with pytest.raises(AnsibleFilterError, match="registered result"):
        export_host_vars({"changed": False}, host="pbx")
    with pytest.raises(AnsibleFilterError, match="omit or placeholder"):
        export_host_vars(pbx_result([]), host="pbx", secrets="plain")
    assert FilterModule().filters() == {"export_host_vars": export_host_vars}
