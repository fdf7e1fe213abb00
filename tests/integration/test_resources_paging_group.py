# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_paging_group: CRUD by number, members as a set of existing extensions.

playbooks/resources_paging_group.yml runs once; each test checks one behaviour.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from resources_helpers import as_commands, by, by_task, check_no_writes, check_reads_only, summary, writes_of, \
    written

SEEDED = {
    "extensions": [{"number": "3001"}, {"number": "3002"}, {"number": "3003"}],
    "paging_groups": [
        {"number": "6601", "name": "Old", "type": "paging", "member": "3001"},
        # Members listed by the PBX out of order: still the same set.
        {"number": "6602", "name": "Older", "type": "intercom", "member": "3002,3001"},
    ],
}
TASKS = ["created", "rerun", "member_check", "member_real", "replaced", "missing_member", "gathered", "fed_back",
         "overridden", "deleted", "deleted_again"]


@pytest.fixture(scope="module")
def scenario(play_scenario):
    return play_scenario("resources_paging_group", seed=SEEDED, verbosity=0, diff=False)


@pytest.fixture(scope="module")
def task(scenario):
    return by_task(scenario.log, "paginggroup/query", TASKS)


def test_playbook_passes(scenario):
    scenario.check_passed()


def test_reruns_check_mode_and_refusals_write_nothing(task):
    check_no_writes(task, ("rerun", "member_check", "missing_member", "gathered", "fed_back", "deleted_again"))
    check_reads_only(task, ("rerun",), ["paginggroup/query"])


def test_created_groups(scenario, task):
    created = writes_of(task["created"])
    assert written(created) == [
        ("paginggroup/add", {"number": "6300", "name": "Floor", "type": "paging", "member": "3001,3002"}, "Success"),
        ("paginggroup/add", {"number": "6301", "name": "Desk", "type": "intercom", "member": "3003"}, "Success"),
    ], summary(created)
    assert scenario.outcome["created"]["commands"] == as_commands(created)


def test_member_change_check_mode_predicts_the_real_run(scenario, task):
    update = writes_of(task["member_real"])
    assert written(update) == [
        ("paginggroup/update", {"number": "6300", "name": "Floor", "type": "paging", "member": "3001,3002,3003"},
         "Success")], summary(update)
    assert scenario.outcome["member_check"]["commands"] == scenario.outcome["member_real"]["commands"] == \
        as_commands(update)


def test_replaced_sends_the_whole_group(task):
    assert written(task["replaced"], with_status=False) == [
        ("paginggroup/update", {"number": "6301", "name": "Desk", "type": "paging", "member": "3001"})]


def test_missing_member_is_named(scenario):
    msg = scenario.outcome["missing_member"]["msg"]
    assert "6302" in msg and "3999" in msg, msg


def test_overridden_and_deleted_remove_in_one_request(scenario, task):
    assert written(task["overridden"]) == [
        ("paginggroup/delete", {"number": "6601,6602"}, "Success")], summary(task["overridden"])
    assert written(task["deleted"]) == [
        ("paginggroup/delete", {"number": "6301"}, "Success")], summary(task["deleted"])
    assert len(writes_of(scenario.log)) == 2 + 1 + 1 + 1 + 1, summary(writes_of(scenario.log))


def test_gathered_members_as_a_sorted_set(scenario):
    gathered = by(scenario.outcome["gathered"]["gathered"], "number")
    assert gathered["6602"] == {"number": "6602", "name": "Older", "type": "intercom", "members": ["3001", "3002"]}


def test_pbx_holds_the_group_left(scenario):
    assert scenario.state["paging_groups"] == [
        {"number": "6300", "name": "Floor", "type": "paging", "member": "3001,3002,3003"}]
