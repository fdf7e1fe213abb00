# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_conference: editing the rooms the PBX has; PINs are secrets."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from conftest import API_PASSWORD
from resources_helpers import MASK, as_commands, by, check_secrets_absent, play, segments, summary, writes_of

SECRETS = {
    "participant_pin": "73915824",
    "moderator_pin": "86240571",
    "board_pin": "51928374",
    "bad_pin": "98a76b54",
}


def test_conference_edits(emulator, run_playbook, tmp_path):
    returncode, output, outcome = play(run_playbook, tmp_path, "resources_conference", SECRETS)
    assert returncode == 0, output
    assert outcome is not None, output

    log = emulator.requests()
    tasks = segments(log, "conference/query")
    # The non-digit PIN and the refused states fail before contacting the PBX: no request at all.
    names = ["configured", "rerun", "pin_check", "pin_real", "replaced", "missing_room", "gathered", "fed_back"]
    assert len(tasks) == len(names), summary(log)
    task = dict(zip(names, tasks))
    for name in ("rerun", "pin_check", "missing_room", "gathered", "fed_back"):
        assert [e["endpoint"] for e in task[name]] == ["conference/query"], "%s: %s" % (name, summary(task[name]))

    configured = writes_of(task["configured"])
    assert [(e["endpoint"], e["body"], e["status"]) for e in configured] == [
        ("conference/update", {"number": "6400", "participantepassword": MASK, "moderatorpassword": MASK,
                               "waitformoderator": "yes"}, "Success"),
        ("conference/update", {"number": "6401", "name": "Board"}, "Success"),
    ], summary(configured)
    assert outcome["configured"]["commands"] == as_commands(configured)
    pin = writes_of(task["pin_real"])
    assert [(e["endpoint"], e["body"]) for e in pin] == [
        ("conference/update", {"number": "6401", "participantepassword": MASK})]
    assert outcome["pin_check"]["commands"] == outcome["pin_real"]["commands"] == as_commands(pin)
    assert outcome["pin_real"]["diff"][0]["after"]["participant_password"] == "******** (changed)"
    assert [(e["endpoint"], e["body"]) for e in writes_of(task["replaced"])] == [
        ("conference/update", {"number": "6400", "name": "Sales Team"})]
    assert len(writes_of(log)) == 4, summary(writes_of(log))

    # A bad PIN is reported without quoting it; a missing room is named.
    assert "moderator_password" in outcome["bad_pin_result"]["msg"]
    assert "6499" in outcome["missing_room"]["msg"]

    rooms = by(emulator.state()["conferences"], "number")
    assert rooms["6400"] == {"number": "6400", "name": "Sales Team", "participantepassword": SECRETS["participant_pin"],
                             "moderatorpassword": SECRETS["moderator_pin"], "waitformoderator": "yes"}
    assert rooms["6401"] == {"number": "6401", "name": "Board", "participantepassword": SECRETS["board_pin"],
                             "moderatorpassword": "", "waitformoderator": "no"}
    assert outcome["gathered"]["gathered"] == [
        {"number": "6400", "name": "Sales Team", "wait_for_moderator": True},
        {"number": "6401", "name": "Board", "wait_for_moderator": False},
    ]

    check_secrets_absent(output, dict(SECRETS, api_password=API_PASSWORD))
    assert "invocation" in output
