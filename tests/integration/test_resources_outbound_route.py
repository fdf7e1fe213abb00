# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_outbound_route: CRUD, trunk priority order, updates by id, trunks that must exist.

playbooks/resources_outbound_route.yml runs once; each test checks one behaviour.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from resources_helpers import by, check_removals, check_task_writes, \
    resource_scenario
SEEDED = {
    "trunks": [
        {"trunkname": "t1", "trunktype": "peer", "host": "10.0.0.1"},
        {"trunkname": "t2", "trunktype": "peer", "host": "10.0.0.2"},
        {"trunkname": "fxo1", "type": "FXO", "port": "1"},
    ],
    "outbound_routes": [
        {"name": "extra_r1", "matchpattern": "7X", "trunks": "t1"},
        {"name": "extra_r2", "matchpattern": "8X", "trunks": "t2,t1"},
    ],
}
# Reruns, check mode and refusals write nothing; a rerun sends the query alone.
scenario, task, test_playbook_passes, test_quiet_tasks = resource_scenario(
    "resources_outbound_route", "outroute/query", seed=SEEDED, verbosity=0, diff=False,
    no_writes=("rerun", "order_check", "order_again", "unknown_trunk", "gathered", "fed_back", "deleted_again"),
    reads_only=("rerun",))


@pytest.fixture(scope="module")
def routes(scenario):
    return by(scenario.state["outbound_routes"], "name")


def test_created_routes(scenario, task):
    check_task_writes(scenario, task, "created", [
        ("outroute/add", {"name": "local", "matchpattern": "NXXXXXX", "trunks": "t1,t2"}, "Success"),
        ("outroute/add", {"name": "intl", "prefix": "9", "matchpattern": "00X.", "prepend": "0", "callerid": "2XXX",
                          "trunks": "t2"}, "Success"),
        ("outroute/add", {"name": "analog", "matchpattern": "1XX", "trunks": "fxo1,t1"}, "Success"),
    ])


def test_new_trunk_order_is_an_update_by_id(scenario, task, routes):
    check_task_writes(scenario, task, "order_real", [
        ("outroute/update", {"id": routes["local"]["id"], "name": "local", "prefix": "", "matchpattern": "NXXXXXX",
                             "prepend": "", "callerid": "", "trunks": "t2,t1"}, "Success")], predicted_by="order_check")


def test_replaced_clears_what_it_does_not_name(scenario, task, routes):
    check_task_writes(scenario, task, "replaced", [
        ("outroute/update", {"id": routes["intl"]["id"], "name": "intl", "prefix": "", "matchpattern": "00X.",
                             "prepend": "", "callerid": "", "trunks": "t2"})], with_status=False, commands=False)


def test_unknown_trunk_is_named(scenario):
    assert "broken" in scenario.outcome["unknown_trunk"]["msg"] and "nosuch" in scenario.outcome["unknown_trunk"]["msg"]


def test_removals_in_one_request_and_nothing_else_written(scenario, task):
    check_removals(scenario, task, "outroute/delete", "name", {"overridden": "extra_r1,extra_r2", "deleted": "analog"},
                   3 + 1 + 1 + 1 + 1)


def test_pbx_holds_the_routes(routes):
    assert sorted(routes) == ["intl", "local"]
    assert routes["local"]["trunks"] == "t2,t1"
    assert (routes["intl"]["prefix"], routes["intl"]["prepend"], routes["intl"]["callerid"]) == ("", "", "")


def test_gathered_trunks_in_priority_order(scenario):
    gathered = by(scenario.outcome["gathered"]["gathered"], "name")
    assert gathered["analog"]["trunks"] == ["fxo1", "t1"]
    assert gathered["local"] == {"name": "local", "match_pattern": "NXXXXXX", "trunks": ["t2", "t1"]}


def test_trunks_stay_as_they_were(scenario):
    assert sorted(t["trunkname"] for t in scenario.state["trunks"]) == ["fxo1", "t1", "t2"]
