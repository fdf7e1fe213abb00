# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Values exactly as the device takes them, and renames through the update call.

playbooks/values_and_renames.yml runs once (at -vv with --diff); each test checks one behaviour.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from conftest import API_PASSWORD
from resources_helpers import MASK, by, check_secrets_absent, summary

TRUNK_PASSWORD = "Itsp1-Pw-7c3d9e"
SEEDED = {
    "trunks": [
        {"trunkname": "itsp1", "trunktype": "register", "host": "sip.example.net", "port": "5060",
         "username": "6100", "authname": "6100", "password": TRUNK_PASSWORD},
        {"trunkname": "lan1", "trunktype": "peer", "host": "10.0.0.20", "port": "5060"},
    ],
    "extensions": [{"number": "2001", "username": "Alice"}, {"number": "2002", "username": "Bob"}],
    "outbound_routes": [{"name": "out_intl", "prefix": "00", "matchpattern": "X.", "trunks": "itsp1"}],
    "inbound_routes": [{"name": "closed", "desttype": "hangup", "dest": ""}],
}
QUERIES = ("extension/query", "siptrunk/query", "outroute/query", "inroute/query", "extensionlist/query",
           "trunklist/query")


def writes(log):
    return [(e["endpoint"], e["body"]) for e in log
            if e["endpoint"] not in QUERIES + (None, "login") and not e["endpoint"].endswith("query")]


@pytest.fixture(scope="module")
def scenario(play_scenario):
    return play_scenario("values_and_renames", {"trunk_password": TRUNK_PASSWORD}, seed=SEEDED, verbosity=2)


def test_playbook_passes(scenario):
    scenario.check_passed()


def test_device_values_and_renames_are_sent_in_order(scenario):
    log = scenario.log
    trunks = by(scenario.state["trunks"], "trunkname")
    trunk_id, lan_id = trunks["provider_a"]["id"], trunks["lan1"]["id"]
    out_fr = [e for e in log if e["endpoint"] == "outroute/update" and e["body"]["name"] == "out_france"]
    assert writes(log) == [
        # Refused values (a duration the device lacks, a user name on a peer, a destination with
        # hangup) sent nothing.
        ("extension/update", {"extid": "2001", "maxduration": "3600"}),
        # A peer trunk's update carries the peer fields only.
        ("siptrunk/update", {"id": lan_id, "trunkname": "lan1", "trunktype": "peer", "host": "10.0.0.21",
                             "port": "5060", "domain": "10.0.0.20"}),
        ("outroute/add", {"name": "out_fr", "prefix": "00", "matchpattern": "33nxxxxxxxx", "prepend": "00",
                          "trunks": "itsp1"}),
        ("outroute/update", {"id": log_id(log, "out_intl"), "name": "out_intl", "prefix": "00", "matchpattern": "X.",
                             "prepend": "0033", "callerid": "", "trunks": "itsp1"}),
        # The API wants dest on every write; hangup sends it empty both ways.
        ("inroute/update", {"name": "closed", "did": "", "caller_id": "", "desttype": "extension", "dest": "2001"}),
        ("inroute/add", {"name": "late", "desttype": "hangup", "dest": ""}),
        ("inroute/update", {"name": "closed", "did": "", "caller_id": "", "desttype": "hangup", "dest": ""}),
        # One update renames the trunk in place (the check run sent nothing, the rerun neither).
        ("siptrunk/update", {"id": trunk_id, "trunkname": "provider_a", "trunktype": "register",
                             "host": "sip.example.net", "port": "5060", "domain": "sip.example.net",
                             "username": "6100", "authname": "6100", "fromuser": "", "password": MASK}),
        ("extension/update", {"extid": "2002", "extnumber": "2102", "username": "Bobby"}),
        ("outroute/update", {"id": out_fr[0]["body"]["id"], "name": "out_france", "prefix": "00",
                             "matchpattern": "33nxxxxxxxx", "prepend": "00", "callerid": "", "trunks": "provider_a"}),
    ], summary([e for e in log if e["endpoint"] not in QUERIES])


def test_a_sign_in_prepend_is_refused_before_any_request(scenario):
    # The reference's prepend is digits; the module refuses "+33" before contacting the PBX.
    assert scenario.step("prepend_sign") == [], summary(scenario.step("prepend_sign"))
    assert "outbound route out_intl" in scenario.outcome["prepend_sign"]["msg"]


def test_renamed_trunk_keeps_its_password(scenario):
    trunks = by(scenario.state["trunks"], "trunkname")
    assert sorted(trunks) == ["lan1", "provider_a"]
    assert trunks["provider_a"]["password"] == TRUNK_PASSWORD


def test_routes_follow_the_renamed_trunk(scenario):
    # The route that used itsp1 still reaches the provider, under its new name.
    routes = by(scenario.state["outbound_routes"], "name")
    assert routes["out_intl"]["trunks"] == "provider_a" and routes["out_intl"]["prepend"] == "0033"
    assert sorted(routes) == ["out_france", "out_intl"]


def test_pbx_holds_the_renamed_extension_and_the_hangup_route(scenario):
    assert sorted(by(scenario.state["extensions"], "number")) == ["2001", "2102"]
    assert by(scenario.state["inbound_routes"], "name")["closed"]["desttype"] == "hangup"


def test_secrets_are_never_printed(scenario):
    check_secrets_absent(scenario.output, {"trunk": TRUNK_PASSWORD, "api": API_PASSWORD})


def log_id(log, route_name):
    return next(e["body"]["id"] for e in log if e["endpoint"] == "outroute/update" and e["body"]["name"] == route_name)
