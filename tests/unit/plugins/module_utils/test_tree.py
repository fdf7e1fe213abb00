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
    # The route names a trunk the run knows of: the trunk list is not read for it.
    assert pbx.endpoints() == ["login", "siptrunk/query", "outroute/query"]


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


# ---------------------------------------------------------------------------- objects in use
PAGING = {"status": "Success", "paginggroup": [
    {"number": "6300", "name": "floor", "type": "paging", "member": "2001,2002"}]}
INROUTES = {"status": "Success", "inroutes": [{"id": "", "name": "main", "did": "", "caller_id": "",
                                               "desttype": "extension", "dest": "2001"}]}
NO_QUEUES = {"status": "Success", "queues": []}


def writes(pbx):
    return [name for name in pbx.endpoints() if not name.endswith("/query") and name != "login"]


def test_deleting_an_extension_in_use_names_every_user_and_reads_each_referring_kind_once(pbx, make_client):
    forwarding = {"extnumber": "2003", "btransferto": "Extension", "btransferext": "2001"}
    pbx.load({"extnumber": "2001"}, {"extnumber": "2002"}, forwarding)
    pbx.queue("queue/query", NO_QUEUES)
    pbx.queue("paginggroup/query", PAGING)
    pbx.queue("inroute/query", INROUTES)
    with pytest.raises(ConfigError) as refused:
        tree.plan(make_client(), {"extensions": [{"number": "2002"}, {"number": "2003"}]}, "overridden")
    message = str(refused.value)
    assert ("extension 2001 cannot be deleted: extension(s) 2003 (busy_forward_extension); inbound route(s) main "
            "(destination); paging group(s) 6300 (members) refer to it") in message, message
    assert "extension 2002" not in message and "extension 2003 cannot" not in message
    assert pbx.endpoints() == ["login", "extension/query", "queue/query", "paginggroup/query", "inroute/query"]


def used_by_a_route_and_a_paging_group(pbx):
    pbx.load({"extnumber": "2001"}, {"extnumber": "2002"})
    pbx.queue("paginggroup/query", PAGING)
    pbx.queue("inroute/query", INROUTES)
    pbx.queue("queue/query", NO_QUEUES)
    pbx.queue("extensionlist/query", {"status": "Success", "extlist": [{"extnumber": "2001"}, {"extnumber": "2002"}]})


def test_a_tree_that_also_moves_the_users_deletes_the_extension(pbx, make_client):
    used_by_a_route_and_a_paging_group(pbx)
    moved = {"extensions": [{"number": "2002"}],
             "paging_groups": [{"number": "6300", "name": "floor", "type": "paging", "members": ["2002"]}],
             "inbound_routes": [{"name": "main", "destination_type": "hangup"}]}
    plans = tree.plan(make_client(), moved, "overridden")
    done = [(op.verb, op.key) for plan in plans for op in plan.operations]
    assert ("delete", "2001") in done and ("update", "6300") in done and ("update", "main") in done


def test_renumbering_an_extension_in_use_is_refused_even_when_the_tree_moves_the_users(pbx, make_client):
    # The rename is written before the users are, and the PBX refuses to renumber an extension in use.
    used_by_a_route_and_a_paging_group(pbx)
    tree_ = {"extensions": [{"number": "3150", "rename_from": "2001"}, {"number": "2002"}],
             "inbound_routes": [{"name": "main", "destination_type": "extension", "destination": "3150"}]}
    with pytest.raises(ConfigError) as refused:
        tree.plan(make_client(), tree_, "merged")
    message = str(refused.value)
    assert ("extension 2001 cannot be renamed to 3150: inbound route(s) main (destination); paging group(s) 6300 "
            "(members) refer to it, and the PBX refuses to rename an object in use") in message, message
    assert writes(pbx) == []


def test_rename_from_naming_nothing_is_refused(pbx, make_client):
    pbx.load({"extnumber": "2001"})
    with pytest.raises(ConfigError, match="extension 3150: rename_from 3149 names no extension on the PBX"):
        tree.plan(make_client(), {"extensions": [{"number": "3150", "rename_from": "3149"}]}, "merged")
    assert writes(pbx) == []


def test_a_forward_to_an_extension_the_pbx_does_not_have_is_refused(pbx, make_client):
    pbx.queue("extensionlist/query", {"status": "Success", "extlist": [{"extnumber": "2001"}]})
    forward = {"number": "2001", "busy_forward": True, "busy_forward_to": "extension", "busy_forward_extension": "2999"}
    with pytest.raises(ConfigError, match="extension 2001: busy_forward_extension '2999' does not exist"):
        tree.plan(make_client(), {"extensions": [forward]}, "merged")


def test_a_forward_to_an_extension_created_in_the_same_run_is_fine(pbx, make_client):
    pbx.queue("extensionlist/query", {"status": "Success", "extlist": []})
    forward = {"number": "2001", "busy_forward": True, "busy_forward_to": "extension", "busy_forward_extension": "2002"}
    plans = tree.plan(make_client(), {"extensions": [forward, {"number": "2002"}]}, "merged")
    assert [op.verb for op in plans[0].operations] == ["add", "add"]


ROUTE_ON_OLD = {"status": "Success", "outroutes": [{"id": "7", "name": "out", "matchpattern": "9X.", "trunks": "old"}]}


def test_a_trunk_rename_the_pbx_carries_into_routes_the_tree_leaves_out(pbx, make_client):
    pbx.queue("siptrunk/query", TRUNKS)
    pbx.queue("outroute/query", ROUTE_ON_OLD)
    pbx.queue("trunklist/query", TRUNK_LIST)
    plans = tree.plan(make_client(), {"trunks": [{"name": "newer", "rename_from": "old"}]}, "merged")
    assert [(op.verb, op.key, op.renamed_from) for op in plans[0].operations] == [("update", "newer", "old")]


def test_a_route_of_the_tree_still_naming_a_renamed_trunk_is_refused(pbx, make_client):
    # The first run would pass (the PBX moves the route to the new name) and the next one fail.
    pbx.queue("siptrunk/query", TRUNKS)
    pbx.queue("outroute/query", ROUTE_ON_OLD)
    pbx.queue("trunklist/query", TRUNK_LIST)
    stale = {"trunks": [{"name": "newer", "rename_from": "old"}],
             "outbound_routes": [{"name": "out", "match_pattern": "9X.", "trunks": ["old"]}]}
    with pytest.raises(ConfigError) as refused:
        tree.plan(make_client(), stale, "merged")
    assert ("trunk old is renamed to newer by this run, but outbound route(s) out (trunks) still name old"
            in str(refused.value)), str(refused.value)


IVRS = {"status": "Success", "ivr": [{"ivrid": "6500", "ivrname": "day"}, {"ivrid": "6501", "ivrname": "night"}]}


def test_an_ivr_name_another_ivr_keeps_is_refused(pbx, make_client):
    pbx.queue("ivr/query", IVRS)
    with pytest.raises(ConfigError, match="IVR 6500: name 'night' is the name of IVR 6501 too"):
        tree.plan(make_client(), {"ivrs": [{"number": "6500", "name": "night"}]}, "merged")


def test_ivrs_may_swap_to_names_no_other_ivr_keeps(pbx, make_client):
    pbx.queue("ivr/query", IVRS)
    plans = tree.plan(make_client(), {"ivrs": [{"number": "6500", "name": "morning"}]}, "merged")
    assert [op.fields for op in plans[0].operations] == [{"name": "morning"}]


@pytest.mark.parametrize("config, problem", [
    ({"outbound_routes": [{"name": "all", "match_pattern": "X.", "trunks": ["a"]}]}, "name 'all' is not valid"),
    ({"inbound_routes": [{"name": "a,b", "destination_type": "hangup"}]}, "name 'a,b' is not valid"),
    ({"outbound_routes": [{"name": "r", "match_pattern": "X.", "trunks": ["a", "b", "a"]}]}, "lists 'a' more than once"),
])
def test_values_no_pbx_holds_are_refused_before_the_login(config, problem):
    with pytest.raises(ConfigError, match=problem):
        tree.validate(config)


@pytest.mark.parametrize("kind, record, problem", [
    ("extensions", {"number": "2001", "email": "not-an-address"}, "email 'not-an-address' is not valid"),
    ("extensions", {"number": "2001", "name": "x" * 100000}, "name is 100000 characters long; the PBX takes at most"),
    ("queues", {"number": "6700", "name": ""}, "name '' is not valid: not empty"),
    ("conferences", {"number": "6400", "name": ""}, "name '' is not valid: not empty"),
])
def test_values_the_pbx_refuses_are_refused_before_any_write(pbx, make_client, kind, record, problem):
    pbx.load({"extnumber": "2001", "email": "kept@example.com"})
    pbx.queue("queue/query", {"status": "Success", "queues": [{"queuenumber": "6700", "queuename": "sales"}]})
    pbx.queue("conference/query", {"status": "Success", "conferences": [{"number": "6400", "name": "Sales"}]})
    with pytest.raises(ConfigError, match=problem):
        tree.plan(make_client(), {kind: [record]}, "merged")
    assert writes(pbx) == []


def test_a_value_the_web_interface_stored_round_trips(pbx, make_client):
    # Only what a run writes is held to the API's rules: a room name set in the web interface stays.
    pbx.queue("conference/query", {"status": "Success", "conferences": [{"number": "6400", "name": "R&D <lab>"}]})
    plans = tree.plan(make_client(), {"conferences": [{"number": "6400", "name": "R&D <lab>"}]}, "replaced")
    assert plans[0].operations == []
