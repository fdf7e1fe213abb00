# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Lost answers on add, update and delete for every resource that has them: each is verified by
reading back (each resource's own not-found errno counts as "not there") and replayed only when
it did not take effect; an add refused as existing after a late answer is counted as done."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from conftest import summary
from one_resource import run_resource

# resource: (API prefix, seeded state, state key of the records, record key, add config, update config)
CASES = {
    "extension": ("extension", {}, "extensions", "number",
                  {"number": "8500", "name": "Before"}, {"number": "8500", "name": "After"}),
    "trunk": ("siptrunk", {}, "trunks", "trunkname",
              {"name": "prov", "trunk_type": "peer", "host": "sip1.example", "port": 5060},
              {"name": "prov", "trunk_type": "peer", "host": "sip2.example", "port": 5060}),
    "inbound_route": ("inroute", {"extensions": [{"number": "3001"}]}, "inbound_routes", "name",
                      {"name": "main", "destination_type": "extension", "destination": "3001"},
                      {"name": "main", "did": "5551234", "destination_type": "extension", "destination": "3001"}),
    "outbound_route": ("outroute", {"trunks": [{"trunkname": "t1", "trunktype": "peer", "host": "10.0.0.1"}]},
                       "outbound_routes", "name",
                       {"name": "national", "match_pattern": "0XXXX.", "trunks": ["t1"]},
                       {"name": "national", "match_pattern": "0XXXX.", "prepend": "9", "trunks": ["t1"]}),
    "paging_group": ("paginggroup", {"extensions": [{"number": "3001"}, {"number": "3002"}]}, "paging_groups",
                     "number", {"number": "6300", "name": "Floor", "type": "paging", "members": ["3001"]},
                     {"number": "6300", "name": "Floor", "type": "paging", "members": ["3001", "3002"]}),
}


def records(emulator, kind, key):
    return dict((record[key], record) for record in emulator.state()[kind])


def writes(emulator, prefix):
    return [(e["endpoint"].split("/")[-1], e["status"], e["errno"], e["fault"]) for e in emulator.writes()
            if e["endpoint"].startswith(prefix + "/")]


@pytest.mark.parametrize("resource", sorted(CASES))
def test_lost_answers_on_add_update_delete_are_verified_then_replayed(emulator, run_playbook, tmp_path, resource):
    prefix, seeded, kind, key, add, update = CASES[resource]
    name = str(add[{"extension": "number", "paging_group": "number"}.get(resource, "name")])
    emulator.put_state(seeded)

    def run(config, state="merged"):
        returncode, output, result = run_resource(run_playbook, tmp_path, resource, [config], state=state)
        assert returncode == 0, output
        assert result["failed"] is False, result
        assert result["changed"] is True, result
        return result

    # Add dropped before the PBX acted: the read-back says "not found" (this resource's errno), so it is sent again.
    emulator.faults({"count": 1, "kind": "reset", "endpoint": prefix + "/add"})
    run(add)
    assert writes(emulator, prefix) == [("add", None, None, "reset"), ("add", "Success", None, None)], \
        summary(emulator.requests())
    assert name in records(emulator, kind, key)

    # Update applied but its answer lost: sent again (an update is the same whichever time it lands).
    emulator.clear_log()
    emulator.faults({"count": 1, "kind": "reset_after", "endpoint": prefix + "/update"})
    run(update)
    assert [w[:2] for w in writes(emulator, prefix)] == [("update", "Success"), ("update", "Success")], \
        summary(emulator.requests())

    # Delete applied but its answer lost: the read-back's "not found" proves it, nothing is sent again.
    emulator.clear_log()
    emulator.faults({"count": 1, "kind": "reset_after", "endpoint": prefix + "/delete"})
    result = run({key_option(resource): add[key_option(resource)]}, state="deleted")
    assert writes(emulator, prefix) == [("delete", "Success", None, "reset_after")], summary(emulator.requests())
    assert name not in records(emulator, kind, key)
    assert len(result["commands"]) == 1


def key_option(resource):
    return "number" if resource in ("extension", "paging_group") else "name"


def test_paging_group_add_applied_without_answer_is_not_sent_twice(emulator, run_playbook, tmp_path):
    _prefix, seeded, _kind, _key, add, _update = CASES["paging_group"]
    emulator.put_state(seeded)
    emulator.faults({"count": 1, "kind": "reset_after", "endpoint": "paginggroup/add"})
    returncode, output, result = run_resource(run_playbook, tmp_path, "paging_group", [add])
    assert returncode == 0, output
    assert result["changed"] is True and result["failed"] is False, result
    assert writes(emulator, "paginggroup") == [("add", "Success", None, "reset_after")]
    assert records(emulator, "paging_groups", "number")["6300"]["member"] == "3001"


def test_add_answered_after_the_timeout_then_refused_as_existing_counts_as_done(emulator, converge):
    # The first add is held 5 s (past a 3 s timeout): the read-back finds nothing yet, so it is
    # replayed; the replay is held 2.5 s, so the first one lands before it and the PBX refuses the
    # replay as a duplicate (10017). The object now is exactly what was asked for: done.
    emulator.faults({"count": 1, "kind": "delay", "delay_ms": 5000, "endpoint": "extension/add"})
    emulator.faults({"count": 1, "kind": "delay", "delay_ms": 2500, "endpoint": "extension/add"})
    extensions = [{"number": "8601", "name": "Late"}, {"number": "8602", "name": "Next"}]
    returncode, output, result = converge(extensions, env={"UCPBX_TIMEOUT": "3"})
    assert returncode == 0, output
    assert result["failed"] is False, result
    assert result["changed"] is True
    log = emulator.requests()
    adds = [(e["body"]["number"], e["status"], e["errno"]) for e in log if e["endpoint"] == "extension/add"]
    assert sorted(adds) == [("8601", "Failed", "10017"), ("8601", "Success", None), ("8602", "Success", None)], \
        summary(log)
    assert [c["body"]["number"] for c in result["commands"]] == ["8601", "8602"]
    pbx = emulator.extensions()
    assert sorted(pbx) == ["8601", "8602"] and pbx["8601"]["username"] == "Late"


def test_add_refused_because_an_earlier_run_created_it_differently_says_what_differs(emulator, run_playbook,
                                                                                     tmp_path):
    # Run A's add is held 8 s and A gives up after 1 s, as a killed run's worker would keep writing.
    # Run B reads the PBX before A's add lands, then its own add (held 6 s) lands after A's and is
    # refused: B reads the group back and says how it differs instead of a bare errno.
    emulator.put_state(CASES["paging_group"][1])
    wanted = dict(CASES["paging_group"][4])
    emulator.faults({"count": 1, "kind": "delay", "delay_ms": 8000, "endpoint": "paginggroup/add"})
    emulator.faults({"count": 1, "kind": "delay", "delay_ms": 6000, "endpoint": "paginggroup/add"})
    returncode, output, result = run_resource(run_playbook, tmp_path, "paging_group", [dict(wanted, members=["3002"])],
                                              expect_failed=True, env={"UCPBX_TIMEOUT": "1"}, retries=0)
    assert returncode == 0, output
    assert result["failed"] is True and "no answer" in result["msg"], result
    returncode, output, result = run_resource(run_playbook, tmp_path, "paging_group", [wanted], expect_failed=True,
                                              env={"UCPBX_TIMEOUT": "10"})
    assert returncode == 0, output
    msg = result["msg"]
    assert result["failed"] is True, result
    assert "paging group 6300 exists on the PBX now" in msg and "differs in members" in msg, msg
    assert "0 request(s) had already been applied" in msg, msg
    assert records(emulator, "paging_groups", "number")["6300"]["member"] == "3002"

    # The rerun sees the group and updates it.
    returncode, output, result = run_resource(run_playbook, tmp_path, "paging_group", [wanted])
    assert returncode == 0, output
    assert [c["endpoint"] for c in result["commands"]] == ["paginggroup/update"]
    assert records(emulator, "paging_groups", "number")["6300"]["member"] == "3001"
