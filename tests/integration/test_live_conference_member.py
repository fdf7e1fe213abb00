# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_conference_member: invite / kick idempotently, mute / unmute always, one read per task.

playbooks/live_conference_member.yml runs once; each test checks one behaviour.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from live_helpers import actions, conferences, join_conference, sent, tasks_by_steps
from resources_helpers import summary

SEEDED = {
    "extensions": [{"number": n} for n in ("4001", "4002", "4003", "4004")],
    "trunks": [{"trunkname": "t1", "trunktype": "peer", "host": "10.0.0.1"}],
    "outbound_routes": [{"name": "external", "matchpattern": "0.", "trunks": "t1"}],
}
READ = "conference/query_in_session"
ADD, KICK, MUTE, UNMUTE = ("conference/add_member", "conference/kick_member", "conference/mute_member",
                           "conference/unmute_member")
EXPECTED = {
    "invite_check": [READ],
    "invite": [READ, ADD],
    "invite_again": [READ],
    "mute_check": [READ],
    "mute": [READ, MUTE],
    "mute_missing": [READ],
    "unmute": [READ, UNMUTE],
    "kick_check": [READ],
    "kick": [READ, KICK],
    "kick_again": [READ],
    "invite_external": [READ, ADD],
    "missing_room": [READ],
    "empty_room_present": [READ, ADD],
    "empty_room_absent": [READ, KICK],
}


def _members_in_room(emulator):
    join_conference(emulator, "6401", "4001", "Up")
    join_conference(emulator, "6401", "4002", "HOLD")
    emulator.clear_log()


@pytest.fixture(scope="module")
def scenario(play_scenario):
    # `extra`: the rooms in session right after the play.
    return play_scenario("live_conference_member", seed=SEEDED, before=_members_in_room, after=conferences,
                         verbosity=1, diff=False)


@pytest.fixture(scope="module")
def task(scenario):
    return tasks_by_steps(scenario, EXPECTED)


def test_playbook_passes(scenario):
    scenario.check_passed()


def test_check_mode_reruns_and_missing_room_send_no_action(task):
    for name in ("invite_check", "invite_again", "mute_check", "mute_missing", "kick_check", "kick_again",
                 "missing_room"):
        assert actions(task[name]) == [], "%s: %s" % (name, summary(task[name]))
    assert task["invite"][0]["body"] == {"number": "6401"}
    assert task["missing_room"][0]["status"] == "Failed"


@pytest.mark.parametrize("name, endpoint, body", [
    ("invite", ADD, {"number": "6401", "invitemember": "4003"}),
    ("mute", MUTE, {"number": "6401", "membernumber": "4001,4002"}),
    ("unmute", UNMUTE, {"number": "6401", "membernumber": "4001"}),
    ("kick", KICK, {"number": "6401", "membernumber": "4003"}),
    ("invite_external", ADD, {"number": "6401", "invitemember": "013800000000"})])
def test_each_action_is_one_request_and_its_command(scenario, task, name, endpoint, body):
    assert sent(task[name]) == [(endpoint, body, "Success", None)], summary(task[name])
    assert scenario.outcome[name]["commands"] == [{"endpoint": endpoint, "body": body}]


def test_room_after_the_play(scenario):
    # 4001 unmuted, 4002 still waiting and muted, 4003 gone, the external number in; room 6400 empty again.
    rooms = scenario.extra
    assert sorted(rooms) == ["6401"]
    assert [(m["number"], m["memberstatus"], m["muted"], m["external"]) for m in rooms["6401"]] == [
        ("4001", "Up", False, False), ("4002", "HOLD", True, False), ("013800000000", "Up", False, True)]
