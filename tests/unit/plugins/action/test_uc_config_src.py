# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A src file of plain JSON or YAML is read without Ansible's loader; a vault or a tag goes to the loader."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.openvox.ucpbx.plugins.action import uc_config

TREE = {"ucpbx_config": {"extensions": [{"number": "2001", "name": "Alice", "dnd": True}]}}


@pytest.mark.parametrize("text", [
    '{"ucpbx_config": {"extensions": [{"number": "2001", "name": "Alice", "dnd": true}]}}',
    "ucpbx_config:\n  extensions:\n    - number: '2001'\n      name: Alice\n      dnd: yes\n",
])
def test_plain_json_and_yaml_are_read_as_they_are(tmp_path, text):
    path = tmp_path / "tree"
    path.write_text(text)
    assert uc_config._plain_data(str(path)) == TREE


@pytest.mark.parametrize("text", [
    "$ANSIBLE_VAULT;1.1;AES256\n6162\n",
    "ucpbx_config:\n  trunks:\n    - name: t\n      password: !vault |\n        $ANSIBLE_VAULT;1.1;AES256\n        6162\n",
    "ucpbx_config:\n  extensions:\n    - number: '2001'\n      name: !unsafe '{{ x }}'\n",
])
def test_a_vault_or_a_tag_is_left_to_ansible_s_loader(tmp_path, text):
    path = tmp_path / "tree.yml"
    path.write_text(text)
    assert uc_config._plain_data(str(path)) is uc_config._NOT_PLAIN
