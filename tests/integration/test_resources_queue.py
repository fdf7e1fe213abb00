# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_queue: editing existing queues, agents as sets of extensions, values the API does not accept.

playbooks/resources_queue.yml runs once (at -vvv with --diff); each test checks one behaviour.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from conftest import API_PASSWORD
from resources_helpers import MASK, by, check_secrets_absent, check_task_writes, \
    resource_scenario, summary, writes_of

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


# overridden and deleted are refused by the argument spec: no request at all.
# Reruns, check mode and refusals write nothing; a value the API refuses is caught before even the
# extensions are read.
scenario, task, test_playbook_passes, test_quiet_tasks = resource_scenario(
    "resources_queue", "queue/query", extra_vars=SECRETS, seed=SEEDED,
    silent=("dynamic_option", "overridden", "deleted"),
    no_writes=("rerun", "agents_check", "bad_timeout", "missing_agent", "missing_queue", "gathered", "fed_back",
               "fed_back_replaced"),
    reads_only=("rerun", "bad_timeout"))


def test_configured_sends_the_changed_fields_password_masked(scenario, task):
    check_task_writes(scenario, task, "configured", [
        ("queue/update", {"queueid": "6700", "queuename": "sales-team", "password": MASK,
                          "ringstrategy": "Least Recent", "agents": "4001,4002",
                          "agenttimeout": "20", "maxwaittime": "600", "announcepos": "on", "announcefreq": "45"},
         "Success")])


def test_agents_change_check_mode_predicts_the_real_run(scenario, task):
    check_task_writes(scenario, task, "agents_real", [
        ("queue/update", {"queueid": "6700", "agents": "4001,4002,4004", "wrapuptime": "30"}, "Success")],
        predicted_by="agents_check")


def test_replaced_sends_the_changed_name(scenario, task):
    check_task_writes(scenario, task, "replaced", [("queue/update", {"queueid": "6701", "queuename": "support-2"})],
                      with_status=False, commands=False)
    assert len(writes_of(scenario.log)) == 3, summary(writes_of(scenario.log))


def test_refusals_name_the_value(scenario):
    outcome = scenario.outcome
    assert "agent_timeout" in outcome["bad_timeout"]["msg"] and "15" in outcome["bad_timeout"]["msg"]
    assert "4999" in outcome["missing_agent"]["msg"]
    assert "9999" in outcome["missing_queue"]["msg"]
    for refused in ("overridden", "deleted"):
        assert outcome[refused]["failed"] is True
        assert refused in outcome[refused]["msg"]


def test_pbx_holds_the_queues(scenario):
    queues = by(scenario.state["queues"], "queuenumber")
    sales, support = queues["6700"], queues["6701"]
    assert sales["password"] == SECRETS["queue_password"]
    assert (sales["queuename"], sales["ringstrategy"], sales["agents"], sales["dynamicagents"]) == (
        "sales-team", "Least Recent", "4001,4002,4004", "")
    assert (sales["agenttimeout"], sales["wrapuptime"], sales["maxwaittime"]) == ("20", "30", "600")
    assert (sales["announcepos"], sales["announcefreq"]) == ("on", "45")
    assert support == dict(QUEUE_6701, queuename="support-2", agentannounce=support["agentannounce"],
                           musiconhold=support["musiconhold"])


def test_gathered_keeps_values_only_the_web_interface_sets(scenario):
    gathered = by(scenario.outcome["gathered"]["gathered"], "number")
    assert gathered["6701"]["agent_timeout"] == 15
    assert gathered["6701"]["static_agents"] == ["4001"]


def test_passwords_are_never_printed(scenario):
    check_secrets_absent(scenario.output, dict(SECRETS, seeded_6701=QUEUE_6701["password"], api_password=API_PASSWORD))
