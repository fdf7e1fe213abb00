# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_conference: editing the rooms the PBX has; PINs are secrets.

playbooks/resources_conference.yml runs once (at -vvv with --diff); each test checks one behaviour.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from conftest import API_PASSWORD
from resources_helpers import MASK, by, check_secrets_absent, check_task_writes, \
    resource_scenario, summary, writes_of

SECRETS = {
    "participant_pin": "73915824",
    "moderator_pin": "86240571",
    "board_pin": "51928374",
    "bad_pin": "98a76b54",
}
# The non-digit PIN and the refused states fail before contacting the PBX: no request at all.
# Reruns, check mode, a missing room and gathered send the query alone.
scenario, task, test_playbook_passes, test_quiet_tasks = resource_scenario(
    "resources_conference", "conference/query", extra_vars=SECRETS,
    silent=("bad_pin_result", "overridden", "deleted"),
    reads_only=("rerun", "pin_check", "missing_room", "gathered", "fed_back"))


def test_configured_sends_masked_pins_and_changed_fields(scenario, task):
    check_task_writes(scenario, task, "configured", [
        ("conference/update", {"number": "6400", "participantepassword": MASK, "moderatorpassword": MASK,
                               "waitformoderator": "yes"}, "Success"),
        ("conference/update", {"number": "6401", "name": "Board"}, "Success"),
    ])


def test_pin_change_check_mode_predicts_the_real_run(scenario, task):
    check_task_writes(scenario, task, "pin_real", [("conference/update", {"number": "6401", "participantepassword": MASK})],
                      with_status=False, predicted_by="pin_check")
    assert scenario.outcome["pin_real"]["diff"][0]["after"]["participant_password"] == "******** (changed)"


def test_replaced_sends_the_changed_name(scenario, task):
    check_task_writes(scenario, task, "replaced", [("conference/update", {"number": "6400", "name": "Sales Team"})],
                      with_status=False, commands=False)


def test_nothing_else_written(scenario):
    assert len(writes_of(scenario.log)) == 4, summary(writes_of(scenario.log))


def test_bad_pin_and_missing_room_messages(scenario):
    # A bad PIN is reported without quoting it; a missing room is named.
    assert "moderator_password" in scenario.outcome["bad_pin_result"]["msg"]
    assert "6499" in scenario.outcome["missing_room"]["msg"]


def test_pbx_holds_the_rooms(scenario):
    rooms = by(scenario.state["conferences"], "number")
    assert rooms["6400"] == {"number": "6400", "name": "Sales Team", "participantepassword": SECRETS["participant_pin"],
                             "moderatorpassword": SECRETS["moderator_pin"], "waitformoderator": "yes"}
    assert rooms["6401"] == {"number": "6401", "name": "Board", "participantepassword": SECRETS["board_pin"],
                             "moderatorpassword": "", "waitformoderator": "no"}


def test_gathered_leaves_pins_out(scenario):
    assert scenario.outcome["gathered"]["gathered"] == [
        {"number": "6400", "name": "Sales Team", "wait_for_moderator": True},
        {"number": "6401", "name": "Board", "wait_for_moderator": False},
    ]


def test_pins_are_never_printed(scenario):
    check_secrets_absent(scenario.output, dict(SECRETS, api_password=API_PASSWORD))
    assert "invocation" in scenario.output
