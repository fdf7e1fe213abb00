# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_prompt: names checked before any request, check mode reads only, playing makes a prompt call.

playbooks/live_prompt.yml runs once; each test checks one behaviour.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from live_helpers import actions, endpoints, live_calls, set_presence
from resources_helpers import summary

SEEDED = {
    "extensions": [{"number": n} for n in ("4001", "4002")],
    "trunks": [{"trunkname": "t1", "trunktype": "peer", "host": "10.0.0.1"}],
    "outbound_routes": [{"name": "external", "matchpattern": "0.", "trunks": "t1"}],
}


def _registered(emulator):
    set_presence(emulator, "4001", "Idle")
    emulator.clear_log()


@pytest.fixture(scope="module")
def scenario(play_scenario):
    # `extra`: the calls in progress right after the play.
    return play_scenario("live_prompt", seed=SEEDED, before=_registered, after=live_calls, verbosity=1, diff=False)


def test_playbook_passes(scenario):
    scenario.check_passed()


def test_bad_names_send_nothing(scenario):
    log = scenario.log
    # The two tasks with bad names ran first and sent nothing, not even a login: the log starts with the
    # login of the first check-mode task.
    assert endpoints(log, with_login=True)[:2] == ["login", "extension/query"], summary(log)
    assert endpoints(log, with_login=True).count("login") == 1
    sent_prompts = [entry["body"]["prompt"] for entry in log if "prompt" in (entry["body"] or {})]
    assert not any("menu+2" in prompt or "123" in prompt for prompt in sent_prompts), summary(log)


def test_check_mode_reads_extensions_then_one_request_per_play(scenario):
    log = scenario.log
    # Check mode: only extension reads (none for the external number); then one request per play.
    assert endpoints(log) == ["extension/query", "extension/query", "extension/query",
                              "extension/playprompt", "outbound/playprompt", "outbound/playprompt",
                              "outbound/playprompt", "extension/playprompt"], summary(log)
    assert [entry["body"] for entry in log if entry["endpoint"] == "extension/query"] == [
        {"extid": "4001"}, {"extid": "4002"}, {"extid": "4999"}]


def test_prompt_requests_and_answers(scenario):
    log = scenario.log
    assert [(e["endpoint"], e["body"], e["status"], e["errno"]) for e in actions(log)] == [
        ("extension/playprompt", {"extid": "4001", "prompt": "greet+menu2", "autoanswer": "yes"}, "Success", None),
        ("outbound/playprompt", {"outto": "013800000000", "prompt": "greet+nosuchprompt"}, "Failed", "10023"),
        ("outbound/playprompt", {"outto": "9123", "prompt": "afterhours"}, "Failed", "10024"),
        ("outbound/playprompt", {"outto": "013800000000", "prompt": "afterhours"}, "Success", None),
        ("extension/playprompt", {"extid": "4002", "prompt": "greet", "autoanswer": "no"}, "Failed", "10008"),
    ]
    assert scenario.outcome["played"]["command"] == {"endpoint": actions(log)[0]["endpoint"],
                                                     "body": actions(log)[0]["body"]}


def test_pbx_is_playing(scenario):
    # A prompt call to 4001 (answered by itself) and one to the external number.
    prompt_calls = [(call["callee"]["number"], call["prompt"], call["state"]) for call in scenario.extra]
    assert prompt_calls == [("4001", "greet+menu2", "answered"), ("013800000000", "afterhours", "ringing")], \
        scenario.extra
