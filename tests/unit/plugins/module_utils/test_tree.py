# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""tree.plan: what a whole tree refuses before it sends anything."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.openvox.ucpbx.plugins.module_utils import tree
from ansible_collections.openvox.ucpbx.plugins.module_utils.engine import ConfigError
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.catalog import RESOURCES


NO_TRUNKS = {"status": "Success", "trunks": []}


@pytest.mark.parametrize("state", ["overridden", "deleted"])
def test_an_empty_list_is_refused_when_the_pbx_has_objects_of_that_kind(pbx, make_client, state):
    pbx.load({"extnumber": "2001", "username": "Alice"})
    pbx.queue("siptrunk/query", NO_TRUNKS)
    with pytest.raises(ConfigError) as refused:
        tree.plan(make_client(), {"trunks": [], "extensions": []}, state)
    message = str(refused.value)
    # The PBX has no trunks, so only the extensions would all go.
    assert "empty list for extensions:" in message and "trunks" not in message
    assert "state=%s" % state in message
    assert "allow_delete_all" in message and "nothing was changed" in message
    assert pbx.endpoints() == ["login", "siptrunk/query", "extension/query"]


@pytest.mark.parametrize("state", ["overridden", "deleted"])
def test_an_empty_list_of_a_kind_the_pbx_has_none_of_changes_nothing(pbx, make_client, state):
    # A gathered tree of a PBX without trunks applies back as it was gathered.
    pbx.queue("siptrunk/query", NO_TRUNKS)
    plans = tree.plan(make_client(), {"trunks": [], "extensions": []}, state)
    assert [plan.operations for plan in plans] == [[], []]


def test_allow_delete_all_lets_the_empty_list_through_to_the_plan(pbx, make_client):
    pbx.load({"extnumber": "2001", "username": "Alice"})
    plans = tree.plan(make_client(), {"extensions": []}, "overridden", allow_delete_all=True)
    assert [(op.verb, op.key) for op in plans[0].operations] == [("delete", "2001")]
    # Before a delete, each kind that can refer to an extension is read once.
    assert pbx.endpoints() == ["login", "extension/query", "queue/query", "paginggroup/query", "inroute/query"]


@pytest.mark.parametrize("state", ["merged", "replaced"])
def test_an_empty_list_changes_nothing_with_the_other_states(pbx, make_client, state):
    plans = tree.plan(make_client(), {"extensions": []}, state)
    assert [plan.operations for plan in plans] == [[]]


def test_kinds_the_api_cannot_create_are_never_emptied():
    # overridden never deletes queues, IVRs or conference rooms, so an empty list of them is harmless.
    kinds = [kind for kind, resource in RESOURCES.items() if not resource.creatable]
    assert kinds
    assert tree.emptied_kinds(dict((kind, []) for kind in kinds), "overridden") == []
    assert tree.emptied_kinds({"extensions": [], "trunks": [{"name": "a"}]}, "overridden") == ["extensions"]


TRUNKS = {"status": "Success", "trunks": [
    {"id": "1", "trunkname": "old", "trunktype": "peer", "host": "10.0.0.1", "port": "5060"},
    {"id": "2", "trunkname": "new", "trunktype": "peer", "host": "10.0.0.2", "port": "5060"}]}
ROUTES = {"status": "Success", "outroutes": [
    {"id": "7", "name": "out", "matchpattern": "9X.", "trunks": "old"}]}
# Routes may dial through any trunk (FXO too), so their references are checked against the trunk list.
TRUNK_LIST = {"status": "Success", "trunklist": [{"trunkname": "old", "type": "SIP"}, {"trunkname": "new", "type": "SIP"}]}


def test_a_trunk_delete_is_judged_by_the_routes_the_tree_leaves(pbx, make_client):
    # The routes are read once, with the tree's other kinds; the trunk check does not read them again.
    pbx.queue("siptrunk/query", TRUNKS)
    pbx.queue("outroute/query", ROUTES)
    pbx.queue("trunklist/query", TRUNK_LIST)
    moved = {"trunks": [{"name": "new"}], "outbound_routes": [{"name": "out", "match_pattern": "9X.", "trunks": ["new"]}]}
    plans = tree.plan(make_client(), moved, "overridden")
    assert [(op.verb, op.key) for plan in plans for op in plan.operations] == [("delete", "old"), ("update", "out")]
    assert pbx.endpoints() == ["login", "siptrunk/query", "outroute/query", "trunklist/query"]


def test_a_trunk_a_kept_route_dials_through_is_refused_before_any_write(pbx, make_client):
    pbx.queue("siptrunk/query", TRUNKS)
    pbx.queue("outroute/query", ROUTES)
    kept = {"trunks": [{"name": "new"}], "outbound_routes": [{"name": "out", "match_pattern": "9X.", "trunks": ["old"]}]}
    with pytest.raises(ConfigError) as refused:
        tree.plan(make_client(), kept, "overridden")
    assert "trunk old cannot be deleted: outbound route(s) out (trunks) refer to it" in str(refused.value)
    assert pbx.endpoints() == ["login", "siptrunk/query", "outroute/query"]


def test_without_the_routes_in_the_tree_the_trunk_check_reads_them(pbx, make_client):
    pbx.queue("siptrunk/query", TRUNKS)
    pbx.queue("outroute/query", ROUTES)
    with pytest.raises(ConfigError) as refused:
        tree.plan(make_client(), {"trunks": [{"name": "new"}]}, "overridden")
    assert "trunk old cannot be deleted" in str(refused.value)
    assert pbx.endpoints() == ["login", "siptrunk/query", "outroute/query"]
