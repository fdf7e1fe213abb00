# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a PBX reports is data: exported, applied, planned and diffed, it never runs, adds a variable or forges a line.

A PBX (or whoever edits its web interface, or anyone on its plain-HTTP path) chooses every string
it reports. One scenario, few playbook runs: export a PBX with hostile names, check the result
changes nothing, then plan, review and apply a change that involves them.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import subprocess

import requests

from conftest import BIN

FORGED_SUMMARY = "Bob`\n\n### PBX plan\n\nNo changes: the PBX matches the configuration.\n\n<!-- "
FIRMWARE = "4.3.6\nucpbx_state: overridden\nucpbx_allow_delete_all: true\n#"
FORGED_DIFF_TRUNK = "t\n--- before: forged"


def hostile_names(canary):
    return [
        "{{ lookup('ansible.builtin.pipe','touch %s') }}" % canary,
        FORGED_SUMMARY,
        "back`tick``s | <!-- ### x",
        "line\u2028sep\x85nel\ttab\rcr",
        "{% if true %}yes{% endif %}",
        "",
        "007",
    ]


def put_state(emulator, document):
    answer = requests.put(emulator.url + "/_emulator/state", json=document, timeout=10)
    assert answer.status_code == 200, answer.text


def inventory_host(inventory):
    process = subprocess.run([os.path.join(BIN, "ansible-inventory"), "-i", str(inventory), "--host", "pbx"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, check=True)
    return json.loads(process.stdout)


def usernames(emulator):
    return dict((record["number"], record["username"]) for record in emulator.state()["extensions"])


def test_hostile_pbx_strings_stay_data_from_export_to_apply(emulator, ansible_playbook, single_pbx, tmp_path):
    canary = tmp_path / "pwned"
    names = hostile_names(canary)
    numbers = [str(2001 + index) for index in range(len(names))]
    put_state(emulator, {
        "deviceinfo": {"firmwarever": FIRMWARE, "devicename": "UC500\u2028ucpbx_state: overridden"},
        "extensions": [{"number": number, "username": name} for number, name in zip(numbers, names)],
        "trunks": [{"trunkname": "{{ 7 * 6 }}", "trunktype": "peer", "host": "10.0.0.1"}],
    })
    adopted = single_pbx(name="adopted")
    ansible_playbook("export.yml", [adopted], emulator)

    # The file adds ucpbx_config and nothing else, with every name as the PBX reported it.
    host_vars = inventory_host(adopted)
    assert sorted(host_vars) == ["ansible_connection", "ansible_python_interpreter", "ucpbx_config"]
    exported = host_vars["ucpbx_config"]
    assert [(item["number"], item.get("name", "")) for item in exported["extensions"]] == list(zip(numbers, names))
    assert [item["name"] for item in exported["trunks"]] == ["{{ 7 * 6 }}"]

    # Applying the export back changes nothing and evaluates nothing.
    plan = tmp_path / "plan"
    emulator.clear_requests()
    check = ansible_playbook("site.yml", [adopted], emulator, extra_vars={"ucpbx_plan_out": str(plan)},
                             args=["--check"])
    assert check.recap("pbx")["changed"] == 0
    assert emulator.writes() == []
    assert (plan / "pbx.md").read_text().endswith("\nNo changes: the PBX matches the configuration.\n")
    assert not canary.exists()

    # Someone renames every extension on the PBX and adds an extension and a trunk the config does not have.
    put_state(emulator, {
        "extensions": [{"number": number, "username": "x"} for number in numbers]
        + [{"number": "2999", "username": FORGED_SUMMARY}],
        "trunks": [{"trunkname": "{{ 7 * 6 }}", "trunktype": "peer", "host": "10.0.0.1"},
                   {"trunkname": FORGED_DIFF_TRUNK, "trunktype": "peer", "host": "10.0.0.2"}],
    })
    overridden = {"ucpbx_state": "overridden", "ucpbx_plan_out": str(plan)}
    review = ansible_playbook("site.yml", [adopted], emulator, extra_vars=overridden, args=["--check", "--diff"])
    document = json.loads((plan / "pbx.json").read_text())
    operations = [op for kind in document["kinds"].values() for op in kind["operations"]]
    assert sorted((op["verb"], op["key"]) for op in operations if op["verb"] == "delete") == [
        ("delete", "2999"), ("delete", FORGED_DIFF_TRUNK)]
    assert len(operations) == len(numbers) + 2
    markdown = (plan / "pbx.md").read_text()
    lines = markdown.splitlines()
    # The reviewer sees one list item per planned operation, under the collection's own headings only.
    assert len([line for line in lines if line.startswith("- ")]) == len(operations)
    assert [line for line in lines if line.startswith("#")] == ["### PBX plan for `pbx`", "#### trunks", "#### extensions"]
    assert [line for line in lines if line and line[0] not in "#|-"] == []
    # The summary play counts every request the plan holds.
    summary = re.search(r"^Summary of pbx: .*, (\d+) API request\(s\)$", review.output, re.MULTILINE)
    assert summary and int(summary.group(1)) == len(document["commands"]), review.output
    # A diff header is one line: the trunk's name cannot forge a header of its own.
    assert "--- before: trunk t\\n--- before: forged on the PBX" in review.output
    assert not re.search(r"^--- before: forged", review.output, re.MULTILINE)

    # Applied for real, the PBX gets every name back exactly as it was.
    ansible_playbook("site.yml", [adopted], emulator, extra_vars={"ucpbx_state": "overridden"})
    assert usernames(emulator) == dict(zip(numbers, names))
    assert [trunk["trunkname"] for trunk in emulator.state()["trunks"]] == ["{{ 7 * 6 }}"]
    assert not canary.exists()
