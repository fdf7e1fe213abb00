# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_config `owned`: overridden deletes and resets only the objects of its scope; the others survive."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from resources_helpers import by, summary, writes_of

SEEDED = {"extensions": [{"number": "2001", "username": "Alice"}, {"number": "2002", "username": "Bob"},
                         {"number": "100", "username": "Reception"}]}


@pytest.fixture(scope="module")
def scope(play_scenario):
    return play_scenario("config_scope", seed=SEEDED, verbosity=0, diff=False)


def test_a_tree_outside_its_scope_is_refused_before_any_request(scope):
    refused = scope.outcome["refused"]
    assert refused["failed"] is True
    assert "extension 100 is outside the owned scope of extensions (^2\\d{3}$)" in refused["msg"], refused["msg"]
    # The check run and the real run log in; the refused task never did.
    assert [e["endpoint"] for e in scope.log].count("login") == 1, summary(scope.log)


def test_overridden_leaves_the_unowned_object_alone(scope):
    assert [(e["endpoint"], e["body"]) for e in writes_of(scope.log)] == [
        ("extension/update", {"extid": "2001", "username": "Alice Martin"}),
        ("extension/delete", {"number": "2002"})], summary(scope.log)
    extensions = by(scope.state["extensions"], "number")
    assert sorted(extensions) == ["100", "2001"]
    assert extensions["100"]["username"] == "Reception"


def test_check_mode_and_the_plan_say_how_many_were_left_alone(scope):
    check, applied = scope.outcome["check"], scope.outcome["applied"]
    assert check["commands"] == applied["commands"]
    assert check["kinds"] == applied["kinds"]
    assert applied["kinds"]["extensions"]["left_alone"] == 1
    assert applied["summary"]["per_kind"]["extensions"]["left_alone"] == 1
    assert "Outside the owned scope, left alone: 1 extensions." in check["plan_summary"]


def test_a_marker_other_than_absent_names_the_layer_and_the_object(scope):
    bad = scope.outcome["bad_marker"]
    assert bad["failed"] is True
    assert "site: extensions[0] (extension 2001): state must be absent" in bad["msg"], bad["msg"]
