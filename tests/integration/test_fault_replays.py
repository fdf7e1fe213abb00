# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Lost answers on add, update and delete for every resource that has them: each is verified by
reading back (each resource's own not-found errno counts as "not there") and replayed only when
it did not take effect; an add refused as existing after a late answer is counted as done.

Each scenario (its runs in a row, with the faults set between them) plays once in a module-scoped
fixture; each test checks one behaviour of one run.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from conftest import summary
from live_helpers import extensions_of, runs_fixture
from one_resource import run_resource
from resources_helpers import writes_of

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


def records_of(scenario, kind, key):
    return dict((record[key], record) for record in scenario.state[kind])


def writes(log, prefix):
    return [(e["endpoint"].split("/")[-1], e["status"], e["errno"], e["fault"]) for e in writes_of(log)
            if e["endpoint"].startswith(prefix + "/")]


def check_changed(scenario):
    assert scenario.returncode == 0, scenario.output
    assert scenario.outcome["failed"] is False, scenario.outcome
    assert scenario.outcome["changed"] is True, scenario.outcome


def key_option(resource):
    return "number" if resource in ("extension", "paging_group") else "name"


def object_name(resource):
    return str(CASES[resource][4][key_option(resource)])


# Add, update and delete with a lost answer, per resource (three runs each) ----------------------------

@runs_fixture(params=sorted(CASES))
def lost(runs, resource):
    prefix, seeded, _kind, _key, add, update = CASES[resource]
    runs.emulator.put_state(seeded)
    steps = {}
    # Add dropped before the PBX acted.
    runs.emulator.faults({"count": 1, "kind": "reset", "endpoint": prefix + "/add"})
    steps["add"] = runs.resource(resource, [add])
    # Update applied but its answer lost.
    runs.emulator.faults({"count": 1, "kind": "reset_after", "endpoint": prefix + "/update"})
    steps["update"] = runs.resource(resource, [update])
    # Delete applied but its answer lost.
    runs.emulator.faults({"count": 1, "kind": "reset_after", "endpoint": prefix + "/delete"})
    steps["delete"] = runs.resource(resource, [{key_option(resource): add[key_option(resource)]}], state="deleted")
    return resource, steps


def test_add_dropped_before_the_pbx_acted_is_sent_again(lost):
    # The read-back says "not found" (this resource's errno), so it is sent again.
    resource, steps = lost
    prefix, _seeded, kind, key, _add, _update = CASES[resource]
    check_changed(steps["add"])
    assert writes(steps["add"].log, prefix) == [("add", None, None, "reset"), ("add", "Success", None, None)], \
        summary(steps["add"].log)
    assert object_name(resource) in records_of(steps["add"], kind, key)


def test_update_whose_answer_was_lost_is_sent_again(lost):
    # An update is the same whichever time it lands.
    resource, steps = lost
    check_changed(steps["update"])
    assert [w[:2] for w in writes(steps["update"].log, CASES[resource][0])] == [
        ("update", "Success"), ("update", "Success")], summary(steps["update"].log)


def test_delete_whose_answer_was_lost_is_not_sent_again(lost):
    # The read-back's "not found" proves it took effect.
    resource, steps = lost
    prefix, _seeded, kind, key, _add, _update = CASES[resource]
    deleted = steps["delete"]
    check_changed(deleted)
    assert writes(deleted.log, prefix) == [("delete", "Success", None, "reset_after")], summary(deleted.log)
    assert object_name(resource) not in records_of(deleted, kind, key)
    assert len(deleted.outcome["commands"]) == 1


def test_paging_group_add_applied_without_answer_is_not_sent_twice(emulator, run_playbook, tmp_path):
    _prefix, seeded, _kind, _key, add, _update = CASES["paging_group"]
    emulator.put_state(seeded)
    emulator.faults({"count": 1, "kind": "reset_after", "endpoint": "paginggroup/add"})
    returncode, output, result = run_resource(run_playbook, tmp_path, "paging_group", [add])
    assert returncode == 0, output
    assert result["changed"] is True and result["failed"] is False, result
    assert writes(emulator.requests(), "paginggroup") == [("add", "Success", None, "reset_after")]
    assert records(emulator, "paging_groups", "number")["6300"]["member"] == "3001"


# An add answered after the client's timeout ------------------------------------------------------------

@runs_fixture()
def late_add(runs):
    # The first add is held past the client's 3 s timeout: the read-back finds nothing yet, so it
    # is replayed; the replay's arrival lets the first one land before it, and the PBX refuses the
    # replay as a duplicate (10017). The object now is exactly what was asked for: done.
    runs.emulator.faults({"count": 1, "kind": "hold", "endpoint": "extension/add"})
    return runs.converge([{"number": "8601", "name": "Late"}, {"number": "8602", "name": "Next"}],
                         env={"UCPBX_TIMEOUT": "3"})


def test_late_add_then_refused_as_existing_counts_as_done(late_add):
    check_changed(late_add)


def test_late_add_was_replayed_once_and_refused(late_add):
    log = late_add.log
    adds = [(e["body"]["number"], e["status"], e["errno"]) for e in log if e["endpoint"] == "extension/add"]
    assert sorted(adds) == [("8601", "Failed", "10017"), ("8601", "Success", None), ("8602", "Success", None)], \
        summary(log)


def test_late_add_result_lists_each_add_once(late_add):
    assert [c["body"]["number"] for c in late_add.outcome["commands"]] == ["8601", "8602"]


def test_late_add_pbx_holds_what_was_asked(late_add):
    pbx = extensions_of(late_add)
    assert sorted(pbx) == ["8601", "8602"] and pbx["8601"]["username"] == "Late"


# A delete that lands after its client gave up ----------------------------------------------------------

@runs_fixture(seed={"extensions": [{"number": "8701", "username": "Gone"}, {"number": "8702", "username": "Too"},
                                   {"number": "8703", "username": "Stays"}]})
def late_delete(runs):
    # The batch delete is held past the client's 3 s timeout: the read-back still finds both
    # extensions, so it is replayed; the replay lets the first one land before it, and the PBX
    # answers the replay "no such extension" (10006). Both are gone, as asked: done.
    runs.emulator.faults({"count": 1, "kind": "hold", "endpoint": "extension/delete"})
    return runs.converge([{"number": "8701"}, {"number": "8702"}], ext_state="deleted", env={"UCPBX_TIMEOUT": "3"})


def test_late_delete_then_not_found_counts_as_done(late_delete):
    check_changed(late_delete)


def test_late_delete_was_replayed_once_and_answered_not_found(late_delete):
    log = late_delete.log
    deletes = [(e["status"], e["errno"]) for e in log if e["endpoint"] == "extension/delete"]
    assert sorted(deletes, key=str) == [("Failed", "10006"), ("Success", None)], summary(log)


def test_late_delete_pbx_holds_what_was_asked(late_delete):
    assert sorted(extensions_of(late_delete)) == ["8703"]


# An add refused because an earlier, abandoned run created the object differently ---------------------

@runs_fixture(seed=CASES["paging_group"][1])
def refused_add(runs):
    # Run A's add is held and A gives up after 3 s, as a killed run's worker would keep writing.
    # Run B reads the PBX while A's add is still held; B's add lets A's land first and is refused:
    # B reads the group back and says how it differs instead of a bare errno.
    wanted = dict(CASES["paging_group"][4])
    runs.emulator.faults({"count": 1, "kind": "hold", "endpoint": "paginggroup/add"})
    abandoned = runs.resource("paging_group", [dict(wanted, members=["3002"])], expect_failed=True,
                              env={"UCPBX_TIMEOUT": "3"}, retries=0)
    refused = runs.resource("paging_group", [wanted], expect_failed=True, env={"UCPBX_TIMEOUT": "10"})
    return abandoned, refused, runs.resource("paging_group", [wanted])


def test_abandoned_run_gives_up_without_answer(refused_add):
    abandoned = refused_add[0]
    assert abandoned.returncode == 0, abandoned.output
    assert abandoned.outcome["failed"] is True and "no answer" in abandoned.outcome["msg"], abandoned.outcome


def test_refused_add_says_what_differs(refused_add):
    refused = refused_add[1]
    assert refused.returncode == 0, refused.output
    msg = refused.outcome["msg"]
    assert refused.outcome["failed"] is True, refused.outcome
    assert "paging group 6300 exists on the PBX now" in msg and "differs in members" in msg, msg
    assert "0 request(s) had already been applied" in msg, msg


def test_refused_add_leaves_the_abandoned_runs_group(refused_add):
    assert records_of(refused_add[1], "paging_groups", "number")["6300"]["member"] == "3002"


def test_rerun_updates_the_group_created_differently(refused_add):
    rerun = refused_add[2]
    assert rerun.returncode == 0, rerun.output
    assert [c["endpoint"] for c in rerun.outcome["commands"]] == ["paginggroup/update"]
    assert records_of(rerun, "paging_groups", "number")["6300"]["member"] == "3001"
