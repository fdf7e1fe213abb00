# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad input to every resource module fails before any write, naming the object and the option.

One generated playbook runs every case (ignore_errors, registered), once, in a module-scoped fixture;
the PBX's request log must hold no write at all, each result (one test per case) must fail with a
message that names the object and the option, and nothing may show a traceback or a secret.

Ansible's own argument checks (unknown keys, types, choices) run before the module's code; the
modules name the item they refused in those messages too. The value of an unknown key is not known
to be secret (a misspelled password option is shown as given), so those cases carry no canary.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from conftest import summary
from every_module import CANARIES, SEED, secrets_to_find, var_name, write_playbook
from live_helpers import runs_fixture
from resources_helpers import is_write

C = CANARIES
LONG = "x" * 300
TRUNK = {"name": "bad-trunk", "trunk_type": "register", "host": "sip.bad.example", "port": 5060, "username": "u",
         "auth_name": "u", "password": "p4ss"}

# (case name, module, module args, what the message must contain: the object and the option)
CASES = [
    # uc_extension
    ("ext unknown key", "uc_extension", {"config": [{"number": "3901", "colour": "red"}]}, ["3901", "colour"]),
    ("ext wrong type", "uc_extension", {"config": [{"number": "3901", "max_registrations": "many"}]},
     ["3901", "max_registrations"]),
    ("ext bad choice", "uc_extension", {"config": [{"number": "3901", "monitor_mode": "loud"}]},
     ["3901", "monitor_mode"]),
    ("ext bad int choice", "uc_extension", {"config": [{"number": "3901", "ring_timeout": 45}]}, ["3901", "ring_timeout"]),
    ("ext number out of range", "uc_extension", {"config": [{"number": "3901", "max_registrations": 9}]},
     ["3901", "max_registrations"]),
    ("ext bad number", "uc_extension", {"config": [{"number": "39a1"}]}, ["39a1", "number"]),
    ("ext unicode digits", "uc_extension", {"config": [{"number": "\uff13\uff19\uff10\uff11"}]}, ["number"]),
    ("ext unicode name", "uc_extension", {"config": [{"number": "3901", "mobile": "\u0665\u0666\u0667"}]},
     ["3901", "mobile"]),
    ("ext long secret", "uc_extension", {"config": [{"number": "3901", "register_password": C["extension register password"] + LONG}]},
     ["3901", "register_password"]),
    ("ext secret with space", "uc_extension", {"config": [{"number": "3901", "register_password": "a " + C["extension register password"]}]},
     ["3901", "register_password"]),
    ("ext non-digit pin", "uc_extension", {"config": [{"number": "3901", "voicemail_pin": C["extension login password"]}]},
     ["3901", "voicemail_pin"]),
    ("ext duplicate", "uc_extension", {"config": [{"number": "3901"}, {"number": "3901", "name": "Twice"}]},
     ["3901"]),
    ("ext int vs str", "uc_extension", {"config": [{"number": "3901", "max_registrations": "2x"}]},
     ["3901", "max_registrations"]),
    ("ext long number", "uc_extension", {"config": [{"number": "3" * 300}]}, ["number"]),
    # uc_trunk
    ("trunk unknown key", "uc_trunk", {"config": [dict(TRUNK, secret="not-a-canary")]}, ["bad-trunk", "secret"]),
    ("trunk bad type", "uc_trunk", {"config": [dict(TRUNK, trunk_type="pots")]}, ["bad-trunk", "trunk_type"]),
    ("trunk port type", "uc_trunk", {"config": [dict(TRUNK, port="fifty")]}, ["bad-trunk", "port"]),
    ("trunk port range", "uc_trunk", {"config": [dict(TRUNK, port=70000)]}, ["bad-trunk", "port"]),
    ("trunk duplicate", "uc_trunk", {"config": [TRUNK, dict(TRUNK, host="other")]}, ["bad-trunk"]),
    # uc_queue (edits queues 6700 and 6701)
    ("queue unknown key", "uc_queue", {"config": [{"number": "6700", "music": "jazz"}]}, ["6700", "music"]),
    ("queue bad choice", "uc_queue", {"config": [{"number": "6700", "ring_strategy": "everyone"}]},
     ["6700", "ring_strategy"]),
    ("queue value not accepted", "uc_queue", {"config": [{"number": "6700", "agent_timeout": 25}]},
     ["6700", "agent_timeout"]),
    ("queue wrong type", "uc_queue", {"config": [{"number": "6700", "static_agents": {"3801": 1}}]},
     ["6700", "static_agents"]),
    ("queue missing queue", "uc_queue", {"config": [{"number": "6799", "name": "ghost"}]}, ["6799"]),
    ("queue missing agent", "uc_queue", {"config": [{"number": "6700", "static_agents": ["3999"]}]},
     ["6700", "3999"]),
    ("queue duplicate", "uc_queue", {"config": [{"number": "6700"}, {"number": "6700", "retry": 20}]}, ["6700"]),
    # uc_paging_group
    ("paging unknown key", "uc_paging_group", {"config": [{"number": "6320", "volume": 3}]}, ["6320", "volume"]),
    ("paging bad choice", "uc_paging_group", {"config": [{"number": "6320", "type": "shout"}]}, ["6320", "type"]),
    ("paging missing member", "uc_paging_group", {"config": [
        {"number": "6320", "name": "p", "type": "paging", "members": ["3999"]}]}, ["6320", "3999"]),
    ("paging duplicate", "uc_paging_group", {"config": [{"number": "6320"}, {"number": "6320"}]}, ["6320"]),
    ("paging bad number", "uc_paging_group", {"config": [{"number": "63-20"}]}, ["63-20", "number"]),
    # uc_ivr (edits IVRs 6500 and 6501)
    ("ivr unknown key", "uc_ivr", {"config": [{"number": "6500", "greeting": "hi"}]}, ["6500", "greeting"]),
    ("ivr wrong type", "uc_ivr", {"config": [{"number": "6500", "prompt_repeat": "often"}]},
     ["6500", "prompt_repeat"]),
    ("ivr out of range", "uc_ivr", {"config": [{"number": "6500", "response_timeout": 999}]},
     ["6500", "response_timeout"]),
    ("ivr missing ivr", "uc_ivr", {"config": [{"number": "6599", "name": "ghost"}]}, ["6599"]),
    ("ivr duplicate", "uc_ivr", {"config": [{"number": "6500"}, {"number": "6500"}]}, ["6500"]),
    # uc_conference (edits rooms 6400 and 6401)
    ("conference unknown key", "uc_conference", {"config": [{"number": "6400", "pin": "1234"}]},
     ["6400", "pin"]),
    ("conference non-digit pin", "uc_conference", {"config": [
        {"number": "6400", "participant_password": "x" + C["conference participant pin"]}]},
     ["6400", "participant_password"]),
    ("conference wrong type", "uc_conference", {"config": [{"number": "6400", "wait_for_moderator": "perhaps"}]},
     ["6400", "wait_for_moderator"]),
    ("conference missing room", "uc_conference", {"config": [{"number": "6499", "name": "ghost"}]}, ["6499"]),
    ("conference duplicate", "uc_conference", {"config": [{"number": "6400"}, {"number": "6400"}]}, ["6400"]),
    # uc_inbound_route
    ("inbound unknown key", "uc_inbound_route", {"config": [{"name": "bad-in", "did": "1", "ring": 1}]},
     ["bad-in", "ring"]),
    ("inbound bad choice", "uc_inbound_route", {"config": [
        {"name": "bad-in", "did": "1", "destination_type": "fax", "destination": "3801"}]},
     ["bad-in", "destination_type"]),
    ("inbound missing destination", "uc_inbound_route", {"config": [
        {"name": "bad-in", "did": "0180000000", "destination_type": "extension", "destination": "3999"}]},
     ["bad-in", "3999"]),
    ("inbound duplicate", "uc_inbound_route", {"config": [
        {"name": "bad-in", "did": "1", "destination_type": "hangup"},
        {"name": "bad-in", "did": "2", "destination_type": "hangup"}]}, ["bad-in"]),
    # uc_config: the same checks, each item named with its kind
    ("config unknown kind", "uc_config", {"config": {"phones": [{"number": "3901"}]}}, ["phones"]),
    ("config unknown key", "uc_config", {"config": {"extensions": [{"number": "3901", "colour": "red"}]}},
     ["3901", "colour"]),
    ("config bad number", "uc_config", {"config": {"extensions": [{"number": "3901", "max_registrations": 9}]}},
     ["3901", "max_registrations"]),
    ("config duplicate", "uc_config", {"config": {"trunks": [TRUNK, dict(TRUNK, host="other")]}}, ["bad-trunk"]),
    ("config missing reference", "uc_config", {"config": {"outbound_routes": [
        {"name": "bad-out", "match_pattern": "0N.", "trunks": ["no-such-trunk"]}]}}, ["bad-out", "no-such-trunk"]),
    ("config secret with space", "uc_config", {"config": {"extensions": [
        {"number": "3901", "register_password": "b " + C["extension register password"]}]}},
     ["3901", "register_password"]),
    # uc_outbound_route
    ("outbound unknown key", "uc_outbound_route", {"config": [{"name": "bad-out", "match_pattern": "0N.",
                                                               "trunks": ["x"], "cost": 1}]},
     ["bad-out", "cost"]),
    ("outbound wrong type", "uc_outbound_route", {"config": [{"name": "bad-out", "match_pattern": "0N.",
                                                              "trunks": {"a": 1}}]},
     ["bad-out", "trunks"]),
    ("outbound missing trunk", "uc_outbound_route", {"config": [{"name": "bad-out", "match_pattern": "0N.",
                                                                 "trunks": ["no-such-trunk"]}]},
     ["bad-out", "no-such-trunk"]),
    ("outbound bad pattern", "uc_outbound_route", {"config": [{"name": "bad-out", "match_pattern": "0N.;",
                                                               "trunks": ["x"]}]}, ["bad-out", "match_pattern"]),
    ("outbound duplicate", "uc_outbound_route", {"config": [
        {"name": "bad-out", "match_pattern": "0N.", "trunks": ["x"]},
        {"name": "bad-out", "match_pattern": "1N.", "trunks": ["x"]}]}, ["bad-out"]),
]


@runs_fixture(seed=SEED)
def bad_input(runs):
    state = runs.emulator.state()
    cases = [(name, module, args) for name, module, args, _needles in CASES]
    path = write_playbook(runs.workdir / "bad-input.yml", [], cases, check=False)
    played = runs.play(path, verbosity=3, diff=True)
    tree_file = runs.last_tree / "pbx"
    return state, played, tree_file.read_text() if tree_file.exists() else ""


def test_bad_input_playbook_passes(bad_input):
    played = bad_input[1]
    assert played.returncode == 0, played.output
    assert played.outcome is not None


def test_bad_input_writes_nothing(bad_input):
    state, played = bad_input[0], bad_input[1]
    assert [entry for entry in played.log if is_write(entry)] == [], summary(played.log)
    assert played.state == state


@pytest.mark.parametrize("name, module, needles", [(name, module, needles) for name, module, _args, needles in CASES],
                         ids=[case[0] for case in CASES])
def test_bad_input_fails_naming_the_object_and_the_option(bad_input, name, module, needles):
    result = bad_input[1].outcome[var_name(name, "real")]
    msg = result.get("msg", "")
    assert result.get("failed"), "%s (%s): did not fail: %s" % (name, module, json.dumps(result)[:300])
    assert not ("Traceback" in json.dumps(result) or "MODULE FAILURE" in msg), \
        "%s (%s): traceback: %s" % (name, module, msg[:300])
    missing = [needle for needle in needles if needle not in msg]
    assert missing == [], "%s (%s): message does not name %s: %s" % (name, module, missing, msg[:400])


def test_bad_input_output_shows_no_traceback_nor_secret(bad_input):
    output, tree_text = bad_input[1].output, bad_input[2]
    assert "Traceback" not in output
    found = [label for label, value in secrets_to_find().items() if value in output or value in tree_text]
    assert found == []
