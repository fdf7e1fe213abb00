# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Event data reaches Ansible as extra vars, which Ansible templates: reported text must not run as code."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import sys

from conftest import COLLECTIONS_PATH, tree_fact

if COLLECTIONS_PATH not in sys.path:
    sys.path.insert(0, COLLECTIONS_PATH)

from ansible_collections.openvox.ucpbx.plugins.module_utils.event_reports import normalise  # noqa: E402


def ring_from(caller):
    return {"action": "RING", "callid": "1.5", "ext": {"extid": "202"},
            "inbound": {"from": caller, "to": "88880000", "trunk": "sip-trunk-1", "inboundid": "1.3"}}


def test_a_caller_name_holding_a_template_runs_nothing(emulator, run_playbook, tmp_path):
    canary = tmp_path / "pwned"
    caller = "{{ lookup('ansible.builtin.pipe', 'touch %s') }}" % canary
    event = normalise(ring_from(caller))

    # The threat is real: the report as the PBX sent it, handed over as it is, runs the command.
    returncode, output = run_playbook("eda_event_vars", {"ansible_eda": {"event": {"pbx_event": {
        "caller": {"number": caller}}}}}, tree=tmp_path / "unsafe")
    assert returncode == 0, output
    assert canary.exists(), "the unprotected control run did not template the caller: " + output
    canary.unlink()

    returncode, output = run_playbook("eda_event_vars", {"ansible_eda": {"event": event}}, tree=tmp_path / "tree")
    assert returncode == 0, output
    assert not canary.exists()
    outcome = tree_fact(tmp_path / "tree", "outcome")
    assert outcome["caller_number"] == "{ { lookup('ansible.builtin.pipe', 'touch %s') }}" % canary
    assert json.loads(outcome["whole_event"])["had_template_markers"] is True
