# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_queue_agent: an agent's state as an idempotent resource, one read then only what differs."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from conftest import API_PASSWORD
from live_helpers import actions, endpoints, sent, set_presence
from resources_helpers import MASK, api_query, by, check_secrets_absent, play, segments, summary

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
# What each task that reached the PBX sent, in playbook order (every task starts with queue status).
EXPECTED = [
    ("login_check", [QS]),
    ("login", [QS, ADD]),
    ("login_again", [QS]),
    ("pause_check", [QS]),
    ("pause", [QS, PAUSE]),
    ("pause_again", [QS]),
    ("resume", [QS, UNPAUSE]),
    ("logout_no_password", [QS, QQ]),
    ("logout_wrong_password", [QS, QQ, DEL]),
    ("logout_check", [QS, QQ]),
    ("logout", [QS, QQ, DEL]),
    ("logout_again", [QS]),
    ("login_paused", [QS, ADD, PAUSE]),
    ("paused_logout", [QS, QQ, DEL]),
    ("static_logout", [QS, QQ]),
    ("static_pause", [QS, PAUSE]),
    ("no_password_login", [QS, ADD]),
    ("no_password_logout", [QS, QQ, DEL]),
    ("missing_queue", [QS]),
    ("missing_extension", [QS, ADD]),
]


def test_queue_agent_states(emulator, run_playbook, tmp_path):
    emulator.put_state(SEEDED)
    set_presence(emulator, "4002", "Idle")

    returncode, output, outcome = play(run_playbook, tmp_path, "live_queue_agent",
                                       {"queue_password": QUEUE_PASSWORD}, verbosity=3, diff=False)
    assert returncode == 0, output
    assert outcome is not None, output

    log = emulator.requests()
    tasks = segments(log, QS)
    assert [endpoints(task) for task in tasks] == [steps for _name, steps in EXPECTED], summary(log)
    task = dict(zip([name for name, _steps in EXPECTED], tasks))

    # Check mode and reruns: reads only.
    for name in ("login_check", "login_again", "pause_check", "pause_again", "logout_check", "logout_again",
                 "logout_no_password", "static_logout"):
        assert actions(task[name]) == [], "%s: %s" % (name, summary(task[name]))

    key = {"queueid": "6701", "extid": "4002"}
    assert sent(task["login"]) == [(ADD, key, "Success", None)]
    assert sent(task["pause"]) == [(PAUSE, key, "Success", None)]
    assert sent(task["resume"]) == [(UNPAUSE, key, "Success", None)]
    assert sent(task["logout_wrong_password"]) == [(DEL, dict(key, password=MASK), "Failed", "10032")]
    assert sent(task["logout"]) == [(DEL, dict(key, password=MASK), "Success", None)]
    key3 = {"queueid": "6701", "extid": "4003"}
    assert sent(task["login_paused"]) == [(ADD, dict(key3, password=MASK), "Success", None),
                                          (PAUSE, key3, "Success", None)]
    assert sent(task["paused_logout"]) == [(DEL, dict(key3, password=MASK), "Success", None)]
    assert sent(task["static_pause"]) == [(PAUSE, {"queueid": "6701", "extid": "4001"}, "Success", None)]
    assert sent(task["no_password_logout"]) == [(DEL, {"queueid": "6700", "extid": "4004", "password": MASK},
                                                 "Success", None)]
    assert task["missing_queue"][0]["errno"] == "10013"
    assert sent(task["missing_extension"]) == [(ADD, {"queueid": "6701", "extid": "4999"}, "Failed", "10006")]
    # The module's commands are what the PBX saw.
    for name in ("login", "pause", "resume", "logout", "login_paused", "paused_logout", "static_pause"):
        assert outcome[name]["commands"] == [{"endpoint": e, "body": b} for e, b, _s, _n in sent(task[name])], name

    # The PBX after: nobody logged in dynamically, the static agent paused.
    queues = by(emulator.state()["queues"], "queuenumber")
    assert (queues["6700"]["dynamicagents"], queues["6701"]["dynamicagents"]) == ("", "")
    assert queues["6701"]["agents"] == "4001"
    status = api_query(emulator, QS, {"queueid": "6701"})["queue"]["queuestatus"]
    assert status["members"] == [{"agent": "4001", "agentstatus": "9"}]

    check_secrets_absent(output, {"queue_password": QUEUE_PASSWORD, "api_password": API_PASSWORD})
