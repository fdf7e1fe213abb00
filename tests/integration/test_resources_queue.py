# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_queue: editing existing queues, agents as sets of extensions, values the API does not accept."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from conftest import API_PASSWORD
from resources_helpers import MASK, as_commands, by, check_secrets_absent, play, segments, summary, writes_of

SECRETS = {"queue_password": "80417263"}

QUEUE_6700 = {"queuenumber": "6700", "queuename": "sales", "password": "1357", "ringstrategy": "Ring All",
              "agents": "", "dynamicagents": "", "agenttimeout": "30", "wrapuptime": "10", "retry": "10",
              "maxwaittime": "300", "joinempty": "on", "leavewhenempty": "off", "announcepos": "off",
              "announcefreq": "0", "announceholdtime": "off"}
# 6701 holds an agent timeout of 15, which only the web interface can set.
QUEUE_6701 = dict(QUEUE_6700, queuenumber="6701", queuename="support", password="59302718", agents="4001",
                  agenttimeout="15", maxwaittime="600")

SEEDED = {
    "extensions": [{"number": n} for n in ("4001", "4002", "4003", "4004")],
    "queues": [QUEUE_6700, QUEUE_6701],
}


def test_queue_edits(emulator, run_playbook, tmp_path):
    emulator.put_state(SEEDED)

    returncode, output, outcome = play(run_playbook, tmp_path, "resources_queue", SECRETS)
    assert returncode == 0, output
    assert outcome is not None, output

    log = emulator.requests()
    tasks = segments(log, "queue/query")
    # overridden and deleted are refused by the argument spec: no request at all.
    names = ["configured", "rerun", "agents_check", "agents_real", "replaced", "bad_timeout", "missing_agent",
             "missing_queue", "gathered", "fed_back", "fed_back_replaced"]
    assert len(tasks) == len(names), summary(log)
    task = dict(zip(names, tasks))
    for name in ("rerun", "agents_check", "bad_timeout", "missing_agent", "missing_queue", "gathered", "fed_back",
                 "fed_back_replaced"):
        assert writes_of(task[name]) == [], "%s: %s" % (name, summary(task[name]))
    assert [e["endpoint"] for e in task["rerun"]] == ["queue/query"], summary(task["rerun"])
    # A value the API refuses is caught before even the extensions are read.
    assert [e["endpoint"] for e in task["bad_timeout"]] == ["queue/query"], summary(task["bad_timeout"])

    configured = writes_of(task["configured"])
    assert [(e["endpoint"], e["body"], e["status"]) for e in configured] == [
        ("queue/update", {"queueid": "6700", "queuename": "sales-team", "password": MASK,
                          "ringstrategy": "Least Recent", "agents": "4001,4002",
                          "agenttimeout": "20", "maxwaittime": "600", "announcepos": "on", "announcefreq": "45"},
         "Success")], summary(configured)
    assert outcome["configured"]["commands"] == as_commands(configured)

    agents = writes_of(task["agents_real"])
    assert [(e["endpoint"], e["body"], e["status"]) for e in agents] == [
        ("queue/update", {"queueid": "6700", "agents": "4001,4002,4004", "wrapuptime": "30"}, "Success")]
    assert outcome["agents_check"]["commands"] == outcome["agents_real"]["commands"] == as_commands(agents)
    assert [(e["endpoint"], e["body"]) for e in writes_of(task["replaced"])] == [
        ("queue/update", {"queueid": "6701", "queuename": "support-2"})]
    assert len(writes_of(log)) == 3, summary(writes_of(log))

    assert "agent_timeout" in outcome["bad_timeout"]["msg"] and "15" in outcome["bad_timeout"]["msg"]
    assert "4999" in outcome["missing_agent"]["msg"]
    assert "9999" in outcome["missing_queue"]["msg"]
    for refused in ("overridden", "deleted"):
        assert outcome[refused]["failed"] is True
        assert refused in outcome[refused]["msg"]

    queues = by(emulator.state()["queues"], "queuenumber")
    sales, support = queues["6700"], queues["6701"]
    assert sales["password"] == SECRETS["queue_password"]
    assert (sales["queuename"], sales["ringstrategy"], sales["agents"], sales["dynamicagents"]) == (
        "sales-team", "Least Recent", "4001,4002,4004", "")
    assert (sales["agenttimeout"], sales["wrapuptime"], sales["maxwaittime"]) == ("20", "30", "600")
    assert (sales["announcepos"], sales["announcefreq"]) == ("on", "45")
    assert support == dict(QUEUE_6701, queuename="support-2", agentannounce=support["agentannounce"],
                           musiconhold=support["musiconhold"])

    gathered = by(outcome["gathered"]["gathered"], "number")
    assert gathered["6701"]["agent_timeout"] == 15
    assert gathered["6701"]["static_agents"] == ["4001"]

    check_secrets_absent(output, dict(SECRETS, seeded_6701=QUEUE_6701["password"], api_password=API_PASSWORD))
