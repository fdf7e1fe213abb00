# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_ivr: editing the IVRs the PBX has; no creation, no deletion."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from resources_helpers import as_commands, by, play, segments, summary, writes_of


def test_ivr_edits(emulator, run_playbook, tmp_path):
    returncode, output, outcome = play(run_playbook, tmp_path, "resources_ivr", verbosity=0, diff=False)
    assert returncode == 0, output
    assert outcome is not None, output

    log = emulator.requests()
    tasks = segments(log, "ivr/query")
    # Invalid values and the refused states fail before contacting the PBX: no request at all.
    names = ["configured", "rerun", "rename_check", "rename_real", "replaced", "missing_ivr", "gathered", "fed_back"]
    assert len(tasks) == len(names), summary(log)
    task = dict(zip(names, tasks))
    for name in ("rerun", "rename_check", "missing_ivr", "gathered", "fed_back"):
        assert [e["endpoint"] for e in task[name]] == ["ivr/query"], "%s: %s" % (name, summary(task[name]))

    configured = writes_of(task["configured"])
    assert [(e["endpoint"], e["body"], e["status"]) for e in configured] == [
        ("ivr/update", {"ivrid": "6500", "ivrname": "day-menu", "promptrepeat": "3"}, "Success"),
        ("ivr/update", {"ivrid": "6501", "responsetimeout": "6"}, "Success"),
    ], summary(configured)
    assert outcome["configured"]["commands"] == as_commands(configured)
    assert outcome["rename_real"]["commands"] == as_commands(writes_of(task["rename_real"]))
    assert outcome["replaced"]["commands"] == as_commands(writes_of(task["replaced"]))
    assert len(writes_of(log)) == 4, summary(writes_of(log))
    assert "6599" in outcome["missing_ivr"]["msg"]

    ivrs = by(emulator.state()["ivrs"], "ivrid")
    assert ivrs["6500"] == {"ivrid": "6500", "ivrname": "daytime", "prompt": "welcome1", "promptrepeat": "3",
                            "responsetimeout": "4"}
    assert ivrs["6501"] == {"ivrid": "6501", "ivrname": "night-menu", "prompt": "afterhours", "promptrepeat": "1",
                            "responsetimeout": "6"}
    assert outcome["gathered"]["gathered"] == [
        {"number": "6500", "name": "daytime", "prompt_repeat": 3, "response_timeout": 4},
        {"number": "6501", "name": "night-menu", "prompt_repeat": 1, "response_timeout": 6},
    ]
