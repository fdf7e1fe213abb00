# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_queue_agent: an agent's state as an idempotent resource, one read then only what differs.

playbooks/live_queue_agent.yml runs once (at -vvv); each test checks one behaviour.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from conftest import API_PASSWORD
from live_helpers import actions, sent, set_presence, tasks_by_steps
from resources_helpers import MASK, api_query, by, check_secrets_absent, summary

QUEUE_PASSWORD = "80417263"
QUEUE = {"ringstrategy": "Ring All", "agenttimeout": "30", "wrapuptime": "10", "retry": "10", "maxwaittime": "300",
         "joinempty": "on", "leavewhenempty": "off", "announcepos": "off", "announcefreq": "0",
         "announceholdtime": "off"}
SEEDED = {
    "extensions": [{"number": n} for n in ("4001", "4002", "4003", "4004")],
    "queues": [
        dict(QUEUE, queuenumber="6700", queuename="sales", password="", agents="", dynamicagents=""),
        dict(QUEUE, queuenumber="6701", queuename="support", password=QUEUE_PASSWORD, agents="4001",
             dynamicagents=""),
    ],
}
QS, QQ = "queuestatus/query", "queue/query"
ADD, DEL, PAUSE, UNPAUSE = ("queue/add_dynamicagent", "queue/del_dynamicagent", "queue/pause_agent",
                            "queue/unpause_agent")
# What each task that reached the PBX sent, by the name it registers (every task starts with queue status).
EXPECTED = {
    "login_check": [QS],
    "login": [QS, ADD],
    "login_again": [QS],
    "pause_check": [QS],
    "pause": [QS, PAUSE],
    "pause_again": [QS],
    "resume": [QS, UNPAUSE],
    "logout_no_password": [QS, QQ],
    "logout_wrong_password": [QS, QQ, DEL],
    "logout_check": [QS, QQ],
    "logout": [QS, QQ, DEL],
    "logout_again": [QS],
    "login_paused": [QS, ADD, PAUSE],
    "paused_logout": [QS, QQ, DEL],
    "static_logout": [QS, QQ],
    "static_pause": [QS, PAUSE],
    "no_password_login": [QS, ADD],
    "no_password_logout": [QS, QQ, DEL],
    "missing_queue": [QS],
    "missing_extension": [QS, ADD],
}


@pytest.fixture(scope="module")
def scenario(play_scenario):
    # `extra`: queue 6701's status as the PBX reports it right after the play.
    return play_scenario("live_queue_agent", {"queue_password": QUEUE_PASSWORD}, seed=SEEDED,
                         before=lambda emulator: set_presence(emulator, "4002", "Idle"),
                         after=lambda emulator: api_query(emulator, QS, {"queueid": "6701"})["queue"]["queuestatus"],
                         verbosity=3, diff=False)


@pytest.fixture(scope="module")
def task(scenario):
    return tasks_by_steps(scenario, EXPECTED)


KEY = {"queueid": "6701", "extid": "4002"}
KEY3 = {"queueid": "6701", "extid": "4003"}


def test_playbook_passes(scenario):
    scenario.check_passed()


def test_check_mode_and_reruns_only_read(task):
    for name in ("login_check", "login_again", "pause_check", "pause_again", "logout_check", "logout_again",
                 "logout_no_password", "static_logout"):
        assert actions(task[name]) == [], "%s: %s" % (name, summary(task[name]))


@pytest.mark.parametrize("name, requests", [
    ("login", [(ADD, KEY, "Success", None)]),
    ("pause", [(PAUSE, KEY, "Success", None)]),
    ("resume", [(UNPAUSE, KEY, "Success", None)]),
    ("logout_wrong_password", [(DEL, dict(KEY, password=MASK), "Failed", "10032")]),
    ("logout", [(DEL, dict(KEY, password=MASK), "Success", None)]),
    ("login_paused", [(ADD, dict(KEY3, password=MASK), "Success", None), (PAUSE, KEY3, "Success", None)]),
    ("paused_logout", [(DEL, dict(KEY3, password=MASK), "Success", None)]),
    ("static_pause", [(PAUSE, {"queueid": "6701", "extid": "4001"}, "Success", None)]),
    ("no_password_logout", [(DEL, {"queueid": "6700", "extid": "4004", "password": MASK}, "Success", None)]),
    ("missing_extension", [(ADD, {"queueid": "6701", "extid": "4999"}, "Failed", "10006")])])
def test_actions_sent(task, name, requests):
    assert sent(task[name]) == requests, summary(task[name])


def test_missing_queue_fails_at_the_status_read(task):
    assert task["missing_queue"][0]["errno"] == "10013"


def test_commands_are_what_the_pbx_saw(scenario, task):
    for name in ("login", "pause", "resume", "logout", "login_paused", "paused_logout", "static_pause"):
        assert scenario.outcome[name]["commands"] == [{"endpoint": e, "body": b}
                                                      for e, b, _s, _n in sent(task[name])], name


def test_pbx_after_nobody_logged_in_dynamically_static_agent_paused(scenario):
    queues = by(scenario.state["queues"], "queuenumber")
    assert (queues["6700"]["dynamicagents"], queues["6701"]["dynamicagents"]) == ("", "")
    assert queues["6701"]["agents"] == "4001"
    assert scenario.extra["members"] == [{"agent": "4001", "agentstatus": "9"}]


def test_queue_password_is_never_printed(scenario):
    check_secrets_absent(scenario.output, {"queue_password": QUEUE_PASSWORD, "api_password": API_PASSWORD})
