# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_paging_group: CRUD by number, members as a set of existing extensions."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from resources_helpers import as_commands, by, play, segments, summary, writes_of

SEEDED = {
    "extensions": [{"number": "3001"}, {"number": "3002"}, {"number": "3003"}],
    "paging_groups": [
        {"number": "6601", "name": "Old", "type": "paging", "member": "3001"},
        # Members listed by the PBX out of order: still the same set.
        {"number": "6602", "name": "Older", "type": "intercom", "member": "3002,3001"},
    ],
}


def test_paging_group_lifecycle(emulator, run_playbook, tmp_path):
    emulator.put_state(SEEDED)

    returncode, output, outcome = play(run_playbook, tmp_path, "resources_paging_group", verbosity=0, diff=False)
    assert returncode == 0, output
    assert outcome is not None, output

    log = emulator.requests()
    tasks = segments(log, "paginggroup/query")
    names = ["created", "rerun", "member_check", "member_real", "replaced", "missing_member", "gathered", "fed_back",
             "overridden", "deleted", "deleted_again"]
    assert len(tasks) == len(names), summary(log)
    task = dict(zip(names, tasks))
    for name in ("rerun", "member_check", "missing_member", "gathered", "fed_back", "deleted_again"):
        assert writes_of(task[name]) == [], "%s: %s" % (name, summary(task[name]))
    assert [e["endpoint"] for e in task["rerun"]] == ["paginggroup/query"], summary(task["rerun"])

    created = writes_of(task["created"])
    assert [(e["endpoint"], e["body"], e["status"]) for e in created] == [
        ("paginggroup/add", {"number": "6300", "name": "Floor", "type": "paging", "member": "3001,3002"}, "Success"),
        ("paginggroup/add", {"number": "6301", "name": "Desk", "type": "intercom", "member": "3003"}, "Success"),
    ], summary(created)
    assert outcome["created"]["commands"] == as_commands(created)

    update = writes_of(task["member_real"])
    assert [(e["endpoint"], e["body"], e["status"]) for e in update] == [
        ("paginggroup/update", {"number": "6300", "name": "Floor", "type": "paging", "member": "3001,3002,3003"},
         "Success")], summary(update)
    assert outcome["member_check"]["commands"] == outcome["member_real"]["commands"] == as_commands(update)

    assert [(e["endpoint"], e["body"]) for e in writes_of(task["replaced"])] == [
        ("paginggroup/update", {"number": "6301", "name": "Desk", "type": "paging", "member": "3001"})]
    msg = outcome["missing_member"]["msg"]
    assert "6302" in msg and "3999" in msg, msg

    assert [(e["endpoint"], e["body"], e["status"]) for e in writes_of(task["overridden"])] == [
        ("paginggroup/delete", {"number": "6601,6602"}, "Success")], summary(task["overridden"])
    assert [(e["endpoint"], e["body"], e["status"]) for e in writes_of(task["deleted"])] == [
        ("paginggroup/delete", {"number": "6301"}, "Success")], summary(task["deleted"])
    assert len(writes_of(log)) == 2 + 1 + 1 + 1 + 1, summary(writes_of(log))

    gathered = by(outcome["gathered"]["gathered"], "number")
    assert gathered["6602"] == {"number": "6602", "name": "Older", "type": "intercom", "members": ["3001", "3002"]}
    assert emulator.state()["paging_groups"] == [
        {"number": "6300", "name": "Floor", "type": "paging", "member": "3001,3002,3003"}]
