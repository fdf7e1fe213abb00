# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_paging_group: CRUD by number, members as a set of existing extensions.

playbooks/resources_paging_group.yml runs once; each test checks one behaviour.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from resources_helpers import by, check_removals, check_task_writes, \
    resource_scenario
SEEDED = {
    "extensions": [{"number": "3001"}, {"number": "3002"}, {"number": "3003"}],
    "paging_groups": [
        {"number": "6601", "name": "Old", "type": "paging", "member": "3001"},
        # Members listed by the PBX out of order: still the same set.
        {"number": "6602", "name": "Older", "type": "intercom", "member": "3002,3001"},
    ],
}
# Reruns, check mode and refusals write nothing; a rerun sends the query alone.
scenario, task, test_playbook_passes, test_quiet_tasks = resource_scenario(
    "resources_paging_group", "paginggroup/query", seed=SEEDED, verbosity=0, diff=False,
    no_writes=("rerun", "member_check", "missing_member", "gathered", "fed_back", "deleted_again"),
    reads_only=("rerun",))


def test_created_groups(scenario, task):
    check_task_writes(scenario, task, "created", [
        ("paginggroup/add", {"number": "6300", "name": "Floor", "type": "paging", "member": "3001,3002"}, "Success"),
        ("paginggroup/add", {"number": "6301", "name": "Desk", "type": "intercom", "member": "3003"}, "Success"),
    ])


def test_member_change_check_mode_predicts_the_real_run(scenario, task):
    check_task_writes(scenario, task, "member_real", [
        ("paginggroup/update", {"number": "6300", "name": "Floor", "type": "paging", "member": "3001,3002,3003"},
         "Success")], predicted_by="member_check")


def test_replaced_sends_the_whole_group(scenario, task):
    check_task_writes(scenario, task, "replaced", [
        ("paginggroup/update", {"number": "6301", "name": "Desk", "type": "paging", "member": "3001"})],
        with_status=False, commands=False)


def test_missing_member_is_named(scenario):
    msg = scenario.outcome["missing_member"]["msg"]
    assert "6302" in msg and "3999" in msg, msg


def test_removals_in_one_request_and_nothing_else_written(scenario, task):
    check_removals(scenario, task, "paginggroup/delete", "number", {"overridden": "6601,6602", "deleted": "6301"},
                   2 + 1 + 1 + 1 + 1)


def test_gathered_members_as_a_sorted_set(scenario):
    gathered = by(scenario.outcome["gathered"]["gathered"], "number")
    assert gathered["6602"] == {"number": "6602", "name": "Older", "type": "intercom", "members": ["3001", "3002"]}


def test_pbx_holds_the_group_left(scenario):
    assert scenario.state["paging_groups"] == [
        {"number": "6300", "name": "Floor", "type": "paging", "member": "3001,3002,3003"}]
