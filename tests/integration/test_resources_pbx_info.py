# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_pbx_info: device fields, every kind in its module's format, one request per kind."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections

from conftest import API_PASSWORD
from resources_helpers import by, check_secrets_absent, play, segments, summary, writes_of

SEEDED_SECRETS = {
    "register_password": "InfoSip-2001x",
    "login_password": "InfoPortal-2001",
    "voicemail_pin": "61730284",
    "trunk_password": "InfoTrunk-Pw7",
}

SEEDED = {
    "extensions": [
        {"number": "2001", "username": "Alice", "registerpassword": SEEDED_SECRETS["register_password"],
         "loginpassword": SEEDED_SECRETS["login_password"], "vmsecret": SEEDED_SECRETS["voicemail_pin"]},
        {"number": "2002", "username": "Bob"},
    ],
    "trunks": [
        {"trunkname": "itsp", "trunktype": "register", "host": "sip.example.net", "port": "5060", "username": "6100",
         "authname": "6100", "password": SEEDED_SECRETS["trunk_password"]},
        {"trunkname": "fxo1", "type": "FXO", "port": "1"},
    ],
    "inbound_routes": [{"name": "main", "did": "5551000", "desttype": "ivr", "dest": "6500"}],
    "outbound_routes": [{"name": "out", "matchpattern": "9X.", "trunks": "itsp,fxo1"}],
    "paging_groups": [{"number": "6300", "name": "Floor", "type": "paging", "member": "2002,2001"}],
}

KIND_QUERIES = ["siptrunk/query", "trunklist/query", "extension/query", "queue/query", "paginggroup/query",
                "ivr/query", "conference/query", "inroute/query", "outroute/query"]


def test_pbx_info_reads_everything_once(emulator, run_playbook, tmp_path):
    emulator.put_state(SEEDED)
    state = emulator.state()

    returncode, output, outcome = play(run_playbook, tmp_path, "resources_pbx_info", diff=False)
    assert returncode == 0, output
    assert outcome is not None, output

    log = emulator.requests()
    assert writes_of(log) == [], summary(writes_of(log))
    assert len(emulator.logins()) <= 1
    reads = segments(log, "deviceinfo/query")
    assert len(reads) == 2, summary(log)
    # Device only: one request. Everything: the device plus one request per kind, two for trunks.
    assert [e["endpoint"] for e in reads[0]] == ["deviceinfo/query"], summary(reads[0])
    everything_requests = reads[1][:1 + len(KIND_QUERIES)]
    assert collections.Counter(e["endpoint"] for e in everything_requests) == collections.Counter(
        ["deviceinfo/query"] + KIND_QUERIES), summary(reads[1])
    # The rest of the play fed each kind back to its module: one read each (two for trunks), no write.
    assert collections.Counter(e["endpoint"] for e in reads[1][1 + len(KIND_QUERIES):]) == collections.Counter(
        KIND_QUERIES), summary(reads[1])
    assert emulator.state() == state

    device = outcome["device_only"]["pbx"]["device"]
    assert (device["model"], device["firmware_version"], device["serial_number"], device["hardware_version"]) == (
        "UC500", "4.3.6", "a09805021987", "3.1")
    assert (device["extensions_configured"], device["extension_capacity"]) == (2, 300)
    assert device["boot_time"] and device["system_time"]

    pbx = outcome["everything"]["pbx"]
    # Non-SIP trunks by name and type only; the SIP one without its password.
    assert pbx["trunks"] == [
        {"name": "fxo1", "trunk_type": "fxo"},
        {"name": "itsp", "trunk_type": "register", "host": "sip.example.net", "port": 5060, "domain": "sip.example.net",
         "username": "6100", "auth_name": "6100"},
    ], pbx["trunks"]
    assert pbx["inbound_routes"] == [{"name": "main", "did": "5551000", "destination_type": "ivr",
                                      "destination": "6500"}]
    assert pbx["outbound_routes"] == [{"name": "out", "match_pattern": "9X.", "trunks": ["itsp", "fxo1"]}]
    assert pbx["paging_groups"] == [{"number": "6300", "name": "Floor", "type": "paging",
                                     "members": ["2001", "2002"]}]
    assert [e["number"] for e in pbx["extensions"]] == ["2001", "2002"]
    assert pbx["extensions"][0]["name"] == "Alice"
    assert [q["number"] for q in pbx["queues"]] == ["6700", "6701"]
    assert pbx["queues"][0]["ring_strategy"] == "ring_all"
    assert [i["number"] for i in pbx["ivrs"]] == ["6500", "6501"]
    assert by(pbx["conferences"], "number")["6400"] == {"number": "6400", "name": "Sales", "wait_for_moderator": False}

    assert outcome["everything"]["secret_options"] == {
        "extensions": ["register_password", "login_password", "voicemail_pin"],
        "trunks": ["password"],
        "queues": ["password"],
        "conferences": ["participant_password", "moderator_password"],
        "paging_groups": [],
        "ivrs": [],
        "inbound_routes": [],
        "outbound_routes": [],
    }
    check_secrets_absent(output, dict(SEEDED_SECRETS, api_password=API_PASSWORD))
