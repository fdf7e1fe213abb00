# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_pbx_info: device fields, every kind in its module's format, one request per kind.

Two scenarios (configuration, live status), each one playbook run; each test checks one behaviour.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections

import pytest

from conftest import API_PASSWORD
from live_helpers import create_call, set_presence
from resources_helpers import api_query, by, check_secrets_absent, summary, writes_of

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


def _reads(scenario, name):
    """The endpoints task `name` asked, the login left out."""
    return [entry["endpoint"] for entry in scenario.step(name) if entry["endpoint"] != "login"]


@pytest.fixture(scope="module")
def configuration(play_scenario):
    # `before`: the PBX state as seeded, which the play must leave as it is.
    return play_scenario("resources_pbx_info", seed=SEEDED, diff=False, before=lambda emulator: emulator.state())


def test_configuration_playbook_passes(configuration):
    configuration.check_passed()


def test_configuration_reads_everything_once_and_writes_nothing(configuration):
    log = configuration.log
    assert writes_of(log) == [], summary(writes_of(log))
    assert len([entry for entry in log if entry["endpoint"] == "login"]) <= 1
    # Device only: one request. Everything: the device plus one request per kind, two for trunks.
    assert _reads(configuration, "device_only") == ["deviceinfo/query"], summary(log)
    assert collections.Counter(_reads(configuration, "everything")) == collections.Counter(
        ["deviceinfo/query"] + KIND_QUERIES), summary(log)
    # The rest of the play fed each kind back to its module: one read each (two for trunks), no write.
    fed = [step["name"] for step in configuration.steps if step["name"].startswith("fed_")]
    assert collections.Counter(endpoint for name in fed for endpoint in _reads(configuration, name)) == \
        collections.Counter(KIND_QUERIES), summary(log)
    assert configuration.state == configuration.before


def test_device_fields(configuration):
    device = configuration.outcome["device_only"]["pbx"]["device"]
    assert (device["model"], device["firmware_version"], device["serial_number"], device["hardware_version"]) == (
        "UC500", "4.3.6", "a09805021987", "3.1")
    assert (device["extensions_configured"], device["extension_capacity"]) == (2, 300)
    assert device["boot_time"] and device["system_time"]


def test_every_kind_in_its_modules_format(configuration):
    pbx = configuration.outcome["everything"]["pbx"]
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


def test_secret_options_per_kind(configuration):
    assert configuration.outcome["everything"]["secret_options"] == {
        "extensions": ["register_password", "login_password", "voicemail_pin"],
        "trunks": ["password"],
        "queues": ["password"],
        "conferences": ["participant_password", "moderator_password"],
        "paging_groups": [],
        "ivrs": [],
        "inbound_routes": [],
        "outbound_routes": [],
    }


def test_configuration_secrets_are_never_printed(configuration):
    check_secrets_absent(configuration.output, dict(SEEDED_SECRETS, api_password=API_PASSWORD))


QUEUE = {"ringstrategy": "Ring All", "agenttimeout": "30", "wrapuptime": "10", "retry": "10", "maxwaittime": "300",
         "joinempty": "on", "leavewhenempty": "off", "announcepos": "off", "announcefreq": "0",
         "announceholdtime": "off"}
LIVE = {
    "extensions": [{"number": "3001", "agentid": "7"}, {"number": "3002"}, {"number": "3003"},
                   {"number": "3004"}],
    "trunks": [
        {"trunkname": "itsp", "trunktype": "register", "host": "sip.example.net", "username": "6100",
         "authname": "6100", "password": "LiveTrunk-Pw7", "status": "Registered"},
        {"trunkname": "backup", "trunktype": "peer", "host": "10.0.0.9", "status": "Failure"},
        {"trunkname": "fxo1", "type": "FXO", "port": "1", "status": "Idle"},
    ],
    "queues": [
        dict(QUEUE, queuenumber="6700", queuename="sales", password="", agents="3002", dynamicagents=""),
        dict(QUEUE, queuenumber="6701", queuename="support", password="2468", agents="3001",
             dynamicagents="3003"),
    ],
}
STATUS_READS = ["trunklist/query", "extensionlist/query", "queuestatus/query", "queuestatus/query"]


def _live_pbx(emulator):
    for number in ("3001", "3002", "3004"):
        set_presence(emulator, number, "Idle")
    create_call(emulator, direction="inbound", trunk="itsp", extension="3001", to="88880000",
                **{"from": "0755123456"})
    create_call(emulator, direction="inbound", trunk="itsp", queue="6701", to="88880001", answer=False,
                **{"from": "0755000000"})
    emulator.clear_log()


@pytest.fixture(scope="module")
def live(play_scenario):
    # `extra`: the PBX's own trunk list, asked right after the play.
    return play_scenario("resources_pbx_info_status", seed=LIVE, before=_live_pbx, diff=False,
                         after=lambda emulator: api_query(emulator, "trunklist/query", {}))


def test_live_playbook_passes(live):
    live.check_passed()


def test_live_status_requests(live):
    log = live.log
    assert writes_of(log) == [], summary(writes_of(log))
    # Status alone: the list of queues, then trunks, extensions, one queuestatus per queue.
    assert _reads(live, "live") == ["deviceinfo/query", "queue/query"] + STATUS_READS, summary(log)
    # With the queues' configuration, its read gives the list of queues: no second queue/query.
    assert _reads(live, "live_and_queues") == ["deviceinfo/query", "queue/query"] + STATUS_READS, summary(log)
    assert _reads(live, "live_check") == ["deviceinfo/query", "queue/query"] + STATUS_READS, summary(log)
    # gather_subset all is configuration only: no status request.
    assert not {"extensionlist/query", "queuestatus/query"} & set(_reads(live, "everything")), summary(log)


def test_live_status_in_the_pbx_order(live):
    status = live.outcome["live"]["pbx"]["status"]
    # In the PBX's order.
    assert status["trunks"] == [
        {"name": "itsp", "type": "SIP", "status": "Registered"},
        {"name": "backup", "type": "SIP", "status": "Failure"},
        {"name": "fxo1", "type": "FXO", "status": "Idle", "port": "1"},
    ], status["trunks"]
    assert status["extensions"] == [
        {"number": "3001", "type": "pjsip", "status": "Busy", "agent_id": "7"},
        {"number": "3002", "type": "pjsip", "status": "Idle", "agent_id": None},
        {"number": "3003", "type": "pjsip", "status": "Unavailable", "agent_id": None},
        {"number": "3004", "type": "pjsip", "status": "Idle", "agent_id": None},
    ], status["extensions"]
    assert status["queues"] == [
        {"number": "6700", "callers_waiting": 0, "agents": [{"extension": "3002", "status_code": 1, "status": "idle"}]},
        {"number": "6701", "callers_waiting": 1, "agents": [
            {"extension": "3001", "status_code": 2, "status": "in_use"},
            {"extension": "3003", "status_code": 5, "status": "unavailable"}]},
    ], status["queues"]


def test_live_status_agrees_with_the_pbx(live):
    status = live.outcome["live"]["pbx"]["status"]
    # The module's reading agrees with the PBX's own answers.
    raw = live.extra
    raw_trunks = raw.get("trunkname") or raw.get("trunklist")
    assert [(t["trunkname"], t["status"]) for t in raw_trunks] == [(t["name"], t["status"]) for t in status["trunks"]]


def test_live_secrets_are_never_printed(live):
    check_secrets_absent(live.output, {"trunk_password": "LiveTrunk-Pw7", "queue_password": "2468",
                                       "api_password": API_PASSWORD})
