# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_inbound_route: CRUD by name, destinations that must exist, replaced clearing did/caller_id.

playbooks/resources_inbound_route.yml runs once; each test checks one behaviour.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from resources_helpers import api_query, by, check_removals, check_task_writes, \
    resource_scenario
SEEDED = {
    "extensions": [{"number": "2001", "username": "Boss"}, {"number": "2002", "username": "Clerk"}],
    "inbound_routes": [
        {"name": "extra_a", "desttype": "hangup"},
        {"name": "extra_b", "did": "777", "desttype": "extension", "dest": "2002"},
    ],
}
# Reruns, check mode and refusals write nothing; a rerun and gathered send the query alone.
# `extra`: what the PBX's own API reports, asked right after the play.
scenario, task, test_playbook_passes, test_quiet_tasks = resource_scenario(
    "resources_inbound_route", "inroute/query", seed=SEEDED, verbosity=0, diff=False,
    after=lambda emulator: api_query(emulator, "inroute/query", {"name": "all"})["inroutes"],
    no_writes=("rerun", "main_check", "replaced_again", "dangling_real", "dangling_check", "gathered", "fed_back",
               "deleted_again"),
    reads_only=("rerun", "gathered"))


def test_created_routes(scenario, task):
    check_task_writes(scenario, task, "created", [
        ("inroute/add", {"name": "main", "did": "5551000", "desttype": "ivr", "dest": "6500"}, "Success"),
        ("inroute/add", {"name": "support", "did": "5551001", "caller_id": "0755.", "desttype": "queue",
                         "dest": "6701"}, "Success"),
        # The API wants dest on every add and update; hangup sends it empty.
        ("inroute/add", {"name": "night", "desttype": "hangup", "dest": ""}, "Success"),
        ("inroute/add", {"name": "boss", "did": "5551002", "desttype": "voicemail", "dest": "2001"}, "Success"),
        ("inroute/add", {"name": "meet", "did": "5551003", "desttype": "conference", "dest": "6400"}, "Success"),
    ])


def test_update_is_addressed_by_name_with_the_whole_route(scenario, task):
    # The PBX has no id for inbound routes.
    update = check_task_writes(scenario, task, "main_real", [
        ("inroute/update", {"name": "main", "did": "5551000", "caller_id": "", "desttype": "extension",
                            "dest": "2001"}, "Success")], predicted_by="main_check")
    assert "id" not in update[0]["body"]


def test_replaced_clears_did_and_caller_id(scenario, task):
    check_task_writes(scenario, task, "replaced", [
        ("inroute/update", {"name": "support", "did": "", "caller_id": "", "desttype": "queue", "dest": "6700"})],
        with_status=False, commands=False)


def test_missing_destinations_fail_the_real_run_and_check_mode_alike(scenario):
    msg = scenario.outcome["dangling_real"]["msg"]
    assert scenario.outcome["dangling_check"]["msg"] == msg
    for route, target in (("to_nobody", "2999"), ("to_no_queue", "6799"), ("to_no_ivr", "6599")):
        assert route in msg and target in msg, msg


def test_removals_in_one_request_and_nothing_else_written(scenario, task):
    check_removals(scenario, task, "inroute/delete", "name", {"overridden": "extra_a,extra_b", "deleted": "night"},
                   5 + 1 + 1 + 1 + 1)


def test_pbx_holds_the_routes(scenario):
    routes = by(scenario.state["inbound_routes"], "name")
    assert sorted(routes) == ["boss", "main", "meet", "support"]
    main = routes["main"]
    assert (main["desttype"], main["dest"], main["did"]) == ("extension", "2001", "5551000")
    assert (routes["support"]["did"], routes["support"]["caller_id"], routes["support"]["dest"]) == ("", "", "6700")
    assert (routes["meet"]["desttype"], routes["meet"]["dest"]) == ("conference", "6400")


def test_pbx_reports_every_route_with_an_empty_id(scenario):
    reported = scenario.extra
    assert sorted(r["name"] for r in reported) == ["boss", "main", "meet", "support"]
    assert set(r.get("id") for r in reported) == {""}, reported
