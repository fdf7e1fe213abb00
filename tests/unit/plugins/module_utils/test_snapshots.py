# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Snapshots of several runs composed into one, and the order a rollback's operations go in."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.openvox.ucpbx.plugins.module_utils import engine, snapshots, tree
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.catalog import RESOURCES


def snapshot(**kinds):
    return {"version": 1, "host": "pbx", "kinds": kinds}


def test_composed_goes_back_to_before_the_first_run():
    first = snapshot(extensions={"restore": [{"number": "301", "name": "Desk", "rename_from": "3150"},
                                             {"number": "302", "name": "Old"}], "remove": ["303"]})
    # The second run renames 3150 again, changes 302 and 303 (added by the first), deletes nothing it did not find.
    second = snapshot(extensions={"restore": [{"number": "3150", "name": "Desk", "rename_from": "4000"},
                                              {"number": "302", "name": "Newer", snapshots.SECRETS_CHANGED: True},
                                              {"number": "303", "name": "Added"}], "remove": ["304"]})
    kinds = snapshots.composed([first, second])["kinds"]
    restore = dict((record["number"], record) for record in kinds["extensions"]["restore"])
    assert restore["301"] == {"number": "301", "name": "Desk", "rename_from": "4000"}
    assert restore["302"] == {"number": "302", "name": "Old", snapshots.SECRETS_CHANGED: True}
    assert sorted(kinds["extensions"]["remove"]) == ["303", "304"]


class Planned:
    def __init__(self, verb, key, before=None, after=None, renamed_from=None):
        self.verb, self.key, self.before, self.after, self.renamed_from = verb, key, before, after, renamed_from
        self.fields = dict(after or {})


def test_rollback_passes_free_a_renamed_extension_before_renumbering_it():
    extensions = tree.KindPlan("extensions", RESOURCES["extensions"], {"3150": {"number": "3150"}, "302": {"number": "302"}}, [
        Planned("update", "301", {"number": "3150"}, {"number": "301"}, renamed_from="3150")])
    route = {"name": "main", "destination_type": "extension", "destination": "3150"}
    routes = tree.KindPlan("inbound_routes", RESOURCES["inbound_routes"], {"main": route}, [
        Planned("update", "main", route, dict(route, destination="302"))])
    order = [(kind_plan.kind, [op.key for op in ops]) for kind_plan, ops in snapshots.rollback_passes([extensions, routes])]
    assert order == [("inbound_routes", ["main"]), ("extensions", ["301"])]


def test_rollback_passes_refuse_a_cycle_before_any_write():
    extensions = tree.KindPlan("extensions", RESOURCES["extensions"], {"3150": {"number": "3150"}}, [
        Planned("update", "301", {"number": "3150"}, {"number": "301"}, renamed_from="3150")])
    route = {"name": "main", "destination_type": "extension", "destination": "3150"}
    routes = tree.KindPlan("inbound_routes", RESOURCES["inbound_routes"], {"main": route}, [
        Planned("update", "main", route, dict(route, destination="301"))])
    with pytest.raises(engine.ConfigError) as raised:
        snapshots.rollback_passes([extensions, routes])
    assert "inbound route main needs extension 301" in str(raised.value)
    assert "extension 3150 is still in use" in str(raised.value)
