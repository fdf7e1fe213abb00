# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_ivr: editing the IVRs the PBX has; no creation, no deletion.

playbooks/resources_ivr.yml runs once; each test checks one behaviour.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from resources_helpers import as_commands, by, check_task_writes, resource_scenario, summary, writes_of

# Invalid values and the refused states fail before contacting the PBX: no request at all.
# Reruns, check mode, a missing IVR and gathered send the query alone.
scenario, task, test_playbook_passes, test_quiet_tasks = resource_scenario(
    "resources_ivr", "ivr/query", verbosity=0, diff=False,
    silent=("invalid", "overridden", "deleted"),
    reads_only=("rerun", "rename_check", "missing_ivr", "gathered", "fed_back"))


def test_configured_sends_the_changed_fields(scenario, task):
    check_task_writes(scenario, task, "configured", [
        ("ivr/update", {"ivrid": "6500", "ivrname": "day-menu", "promptrepeat": "3"}, "Success"),
        ("ivr/update", {"ivrid": "6501", "responsetimeout": "6"}, "Success"),
    ])


@pytest.mark.parametrize("name", ["rename_real", "replaced"])
def test_commands_are_what_the_pbx_saw(scenario, task, name):
    assert scenario.outcome[name]["commands"] == as_commands(writes_of(task[name]))


def test_nothing_else_written(scenario):
    assert len(writes_of(scenario.log)) == 4, summary(writes_of(scenario.log))


def test_missing_ivr_is_named(scenario):
    assert "6599" in scenario.outcome["missing_ivr"]["msg"]


def test_pbx_holds_the_ivrs(scenario):
    ivrs = by(scenario.state["ivrs"], "ivrid")
    assert ivrs["6500"] == {"ivrid": "6500", "ivrname": "daytime", "prompt": "welcome1", "promptrepeat": "3",
                            "responsetimeout": "4"}
    assert ivrs["6501"] == {"ivrid": "6501", "ivrname": "night-menu", "prompt": "afterhours", "promptrepeat": "1",
                            "responsetimeout": "6"}


def test_gathered(scenario):
    assert scenario.outcome["gathered"]["gathered"] == [
        {"number": "6500", "name": "daytime", "prompt_repeat": 3, "response_timeout": 4},
        {"number": "6501", "name": "night-menu", "prompt_repeat": 1, "response_timeout": 6},
    ]
