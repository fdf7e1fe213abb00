# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Configuration runs never undo live operations: agent logins and do-not-disturb."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from live_helpers import set_presence
from resources_helpers import by, play, summary

QUEUE_PASSWORD = "2468"
QUEUE = {"queuenumber": "6700", "queuename": "sales", "password": QUEUE_PASSWORD, "ringstrategy": "Ring All",
         "agents": "4001", "dynamicagents": "", "agenttimeout": "30", "wrapuptime": "10", "retry": "10",
         "maxwaittime": "300", "joinempty": "on", "leavewhenempty": "off", "announcepos": "off",
         "announcefreq": "0", "announceholdtime": "off"}
SEEDED = {"extensions": [{"number": n} for n in ("4001", "4002", "4003", "4004")], "queues": [QUEUE]}


def test_logins_and_do_not_disturb_survive_configuration_runs(emulator, run_playbook, tmp_path):
    emulator.put_state(SEEDED)
    for number in ("4003", "4004"):
        set_presence(emulator, number, "Idle")

    returncode, output, outcome = play(run_playbook, tmp_path, "runtime_state_roundtrip",
                                       {"queue_password": QUEUE_PASSWORD}, diff=True)
    assert returncode == 0, output
    assert outcome is not None, output

    # The only writes are the live operations themselves, in playbook order.
    writes = [entry for entry in emulator.requests()
              if entry["endpoint"] not in (None, "login") and not entry["endpoint"].endswith(("query", "lists"))]
    assert [(e["endpoint"], e["body"].get("extid")) for e in writes] == [
        ("queue/add_dynamicagent", "4003"),
        ("queue/del_dynamicagent", "4003"),
        ("queue/add_dynamicagent", "4004"),
        ("extension/update", "4002"),
    ], summary(writes)
    assert writes[-1]["body"] == {"extid": "4002", "dnd": "on"}

    state = emulator.state()
    assert by(state["queues"], "queuenumber")["6700"]["dynamicagents"] == "4004"
    assert by(state["extensions"], "number")["4002"]["dnd"] == "on"
    gathered = by(outcome["queues"]["gathered"], "number")
    assert gathered["6700"]["static_agents"] == ["4001"] and "dynamic_agents" not in gathered["6700"]
    assert all("dnd" not in extension for extension in outcome["extensions"]["gathered"])
