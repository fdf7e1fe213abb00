# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_conference_member: invite / kick idempotently, mute / unmute always, one read per task."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from live_helpers import actions, conferences, endpoints, join_conference, sent
from resources_helpers import play, segments, summary

SEEDED = {
    "extensions": [{"number": n} for n in ("4001", "4002", "4003", "4004")],
    "trunks": [{"trunkname": "t1", "trunktype": "peer", "host": "10.0.0.1"}],
    "outbound_routes": [{"name": "external", "matchpattern": "0.", "trunks": "t1"}],
}
READ = "conference/query_in_session"
ADD, KICK, MUTE, UNMUTE = ("conference/add_member", "conference/kick_member", "conference/mute_member",
                           "conference/unmute_member")
EXPECTED = [
    ("invite_check", [READ]),
    ("invite", [READ, ADD]),
    ("invite_again", [READ]),
    ("mute_check", [READ]),
    ("mute", [READ, MUTE]),
    ("mute_missing", [READ]),
    ("unmute", [READ, UNMUTE]),
    ("kick_check", [READ]),
    ("kick", [READ, KICK]),
    ("kick_again", [READ]),
    ("invite_external", [READ, ADD]),
    ("missing_room", [READ]),
    ("empty_room_present", [READ, ADD]),
    ("empty_room_absent", [READ, KICK]),
]


def test_conference_members(emulator, run_playbook, tmp_path):
    emulator.put_state(SEEDED)
    join_conference(emulator, "6401", "4001", "Up")
    join_conference(emulator, "6401", "4002", "HOLD")
    emulator.clear_log()

    returncode, output, outcome = play(run_playbook, tmp_path, "live_conference_member", verbosity=1, diff=False)
    assert returncode == 0, output
    assert outcome is not None, output

    log = emulator.requests()
    tasks = segments(log, READ)
    assert [endpoints(task) for task in tasks] == [steps for _name, steps in EXPECTED], summary(log)
    task = dict(zip([name for name, _steps in EXPECTED], tasks))
    for name in ("invite_check", "invite_again", "mute_check", "mute_missing", "kick_check", "kick_again",
                 "missing_room"):
        assert actions(task[name]) == [], "%s: %s" % (name, summary(task[name]))
    assert task["invite"][0]["body"] == {"number": "6401"}
    assert task["missing_room"][0]["status"] == "Failed"

    for name, endpoint, body in (
            ("invite", ADD, {"number": "6401", "invitemember": "4003"}),
            ("mute", MUTE, {"number": "6401", "membernumber": "4001,4002"}),
            ("unmute", UNMUTE, {"number": "6401", "membernumber": "4001"}),
            ("kick", KICK, {"number": "6401", "membernumber": "4003"}),
            ("invite_external", ADD, {"number": "6401", "invitemember": "013800000000"})):
        assert sent(task[name]) == [(endpoint, body, "Success", None)], summary(task[name])
        assert outcome[name]["commands"] == [{"endpoint": endpoint, "body": body}]

    # The room after: 4001 unmuted, 4002 still waiting and muted, 4003 gone, the external number in;
    # room 6400 empty again.
    rooms = conferences(emulator)
    assert sorted(rooms) == ["6401"]
    assert [(m["number"], m["memberstatus"], m["muted"], m["external"]) for m in rooms["6401"]] == [
        ("4001", "Up", False, False), ("4002", "HOLD", True, False), ("013800000000", "Up", False, True)]
