# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The smoke run `make compat` repeats on the oldest and newest ansible-core (and `make integration`
on the development one): a resource module, uc_config and uc_call against the emulator.

It checks what differs between ansible-core releases: module results coming back to the play,
check mode, secrets kept out of results and output, and what the PBX ends up holding.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from live_helpers import live_calls, set_presence

SIP_PASSWORD = "Smoke-Sip-2101-x"


def before(emulator):
    emulator.put_state({"extensions": [{"number": "201"}, {"number": "202"}]})
    for number in ("201", "202"):
        set_presence(emulator, number, "Idle")


@pytest.fixture(scope="module")
def smoke(play_scenario):
    return play_scenario("core_smoke", before=before, after=live_calls, verbosity=0)


def test_play_passes(smoke):
    smoke.check_passed()


def test_extension_is_added_once(smoke):
    added = [entry for entry in smoke.log if entry["endpoint"] == "extension/add"]
    assert [entry["body"]["number"] for entry in added] == ["2101"], added
    numbers = [record["number"] for record in smoke.state["extensions"]]
    assert "2101" in numbers, numbers


def test_tree_is_applied(smoke):
    assert [trunk["trunkname"] for trunk in smoke.state["trunks"]] == ["provider"]
    assert [(route["name"], route["trunks"]) for route in smoke.state["outbound_routes"]] == [
        ("national", "provider")]


def test_call_is_placed(smoke):
    assert [(call["caller"]["number"], call["callee"]["number"]) for call in smoke.extra] == [("201", "202")]


def test_secret_stays_out_of_results_and_output(smoke):
    assert SIP_PASSWORD not in json.dumps(smoke.outcome), smoke.outcome
    assert SIP_PASSWORD not in smoke.output
