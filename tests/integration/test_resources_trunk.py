# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_trunk: SIP trunk CRUD, complete updates by id, non-SIP trunks, trunks in use.

playbooks/resources_trunk.yml runs once (at -vvv with --diff); each test checks one behaviour.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from conftest import API_PASSWORD
from resources_helpers import MASK, by, check_reads_only, check_secrets_absent, check_task_writes, \
    resource_scenario, summary, writes_of

SECRETS = {
    "itsp_password": "TrunkPw-Q4z7v1",
    "desk_password": "DeskPw-K8p2m5",
    "itsp_new_password": "TrunkPw-N3w9x6",
}

SEEDED = {
    "trunks": [
        {"trunkname": "fxo1", "type": "FXO", "port": "1"},
        {"trunkname": "busy", "trunktype": "peer", "host": "10.0.0.9", "port": "5060"},
        {"trunkname": "extra1", "trunktype": "peer", "host": "10.0.0.10", "port": "5060"},
        {"trunkname": "extra2", "trunktype": "account", "username": "x2", "authname": "x2",
         "password": "Extra2-Seeded-Pw"},
    ],
    "outbound_routes": [{"name": "r_busy", "matchpattern": "9X.", "trunks": "busy"}],
}
# Reruns, check mode, gathered and every refused config: not a single write.
# `before`: the FXO trunk as seeded, to compare with after the play.
scenario, task, test_playbook_passes, test_quiet_tasks = resource_scenario(
    "resources_trunk", "siptrunk/query", extra_vars=SECRETS, seed=SEEDED,
    before=lambda emulator: by(emulator.state()["trunks"], "trunkname")["fxo1"],
    no_writes=("rerun", "host_check", "missing_fields", "fxo_as_sip", "gathered", "fed_back", "deleted_again"),
    reads_only=("rerun",))


@pytest.fixture(scope="module")
def trunks(scenario):
    return by(scenario.state["trunks"], "trunkname")


@pytest.fixture(scope="module")
def ids(trunks):
    return dict((name, record["id"]) for name, record in trunks.items())


def test_gathered_reads_sip_and_other_trunks(task):
    check_reads_only(task, ("gathered",), ["siptrunk/query", "trunklist/query"])


def test_created_one_add_per_trunk_secrets_masked(scenario, task):
    check_task_writes(scenario, task, "created", [
        ("siptrunk/add", {"trunkname": "itsp", "trunktype": "register", "host": "sip.example.net", "port": "5060",
                          "username": "6100", "authname": "6100auth", "fromuser": "6100", "password": MASK},
         "Success"),
        ("siptrunk/add", {"trunkname": "branch", "trunktype": "peer", "host": "10.20.0.5", "port": "5062"},
         "Success"),
        ("siptrunk/add", {"trunkname": "desk", "trunktype": "account", "username": "deskphone",
                          "authname": "deskauth", "password": MASK}, "Success"),
    ])


def test_password_and_host_changes_send_the_complete_record_by_id(scenario, task, ids):
    outcome = scenario.outcome
    full_itsp = {"id": ids["itsp"], "trunkname": "itsp", "trunktype": "register", "host": "sip.example.net",
                 "port": "5060", "domain": "sip.example.net", "username": "6100", "authname": "6100auth",
                 "fromuser": "6100", "password": MASK}
    check_task_writes(scenario, task, "rotated", [("siptrunk/update", full_itsp)], with_status=False, commands=False)
    check_task_writes(scenario, task, "host_real", [
        ("siptrunk/update", dict(full_itsp, host="sip2.example.net"), "Success")], predicted_by="host_check")
    assert outcome["host_check"]["changed"] is True
    assert outcome["rotated"]["diff"][0]["after"]["password"] == "******** (changed)"


def test_pbx_keeps_the_rotated_password_after_a_host_update(trunks):
    itsp = trunks["itsp"]
    assert (itsp["type"], itsp["trunktype"], itsp["host"], itsp["port"]) == ("SIP", "register", "sip2.example.net", "5060")
    assert (itsp["username"], itsp["authname"], itsp["fromuser"]) == ("6100", "6100auth", "6100")
    assert itsp["password"] == SECRETS["itsp_new_password"]
    desk = trunks["desk"]
    assert (desk["trunktype"], desk["username"], desk["authname"], desk["password"]) == (
        "account", "deskphone", "deskauth", SECRETS["desk_password"])


def test_replaced_addresses_the_trunk_by_its_own_id(task, ids):
    replaced = writes_of(task["replaced"])
    assert len(replaced) == 1 and replaced[0]["endpoint"] == "siptrunk/update", summary(replaced)
    body = replaced[0]["body"]
    assert (body["trunkname"], body["trunktype"], body["host"], body["port"]) == ("branch", "peer", "10.20.0.5", "5070")
    # branch's own id (created after itsp, deleted since): not any remaining trunk's.
    assert body["id"].isdigit() and int(body["id"]) > int(ids["itsp"]), body
    assert body["id"] not in ids.values(), body


def test_refused_configs_name_the_trunk_and_the_reason(scenario):
    msg = scenario.outcome["missing_fields"]["msg"]
    assert "trunk newreg: trunk_type=register needs port, username, auth_name, password" in msg, msg
    assert "trunk newpeer: trunk_type=peer needs port" in msg, msg
    assert "trunk newacct: trunk_type=account needs auth_name, password" in msg, msg
    assert "fxo1" in scenario.outcome["fxo_as_sip"]["msg"]


def test_gathered_non_sip_trunk_by_name_and_type_and_no_secret(scenario):
    gathered = by(scenario.outcome["gathered"]["gathered"], "name")
    assert gathered["fxo1"] == {"name": "fxo1", "trunk_type": "fxo"}
    assert gathered["itsp"]["host"] == "sip2.example.net"
    assert not any("password" in record for record in gathered.values())


def test_trunk_in_use_is_refused_before_any_write(scenario, task):
    # The routes are read and the module fails before any write, naming the trunk and the route
    # (the PBX would refuse the delete with 10061).
    assert writes_of(task["delete_used"]) == [], summary(task["delete_used"])
    check_reads_only(task, ("delete_used",), ["siptrunk/query", "outroute/query"])
    result = scenario.outcome["delete_used"]
    assert "trunk busy cannot be deleted: outbound route(s) r_busy (trunks) refer to it" in result["msg"], result["msg"]
    assert "nothing was changed" in result["msg"], result["msg"]
    assert "changed" not in result or result["changed"] is False


def test_overridden_deletes_the_extras_in_one_request_never_the_fxo_trunk(scenario, task, trunks):
    check_task_writes(scenario, task, "overridden", [("siptrunk/delete", {"trunkname": "extra1,extra2"}, "Success")],
                      commands=False)
    check_task_writes(scenario, task, "deleted", [("siptrunk/delete", {"trunkname": "branch"}, "Success")],
                      commands=False)
    assert sorted(trunks) == ["busy", "desk", "fxo1", "itsp"]
    assert trunks["fxo1"] == scenario.before
    assert scenario.state["outbound_routes"][0]["trunks"] == "busy"


def test_nothing_else_written(scenario):
    # The refused delete of busy was never sent.
    assert len(writes_of(scenario.log)) == 3 + 1 + 1 + 1 + 1 + 1, summary(writes_of(scenario.log))


def test_secrets_are_never_printed(scenario):
    # Never in the -vvv --diff output, seeded ones included.
    secrets = dict(SECRETS, seeded="Extra2-Seeded-Pw", api_password=API_PASSWORD)
    check_secrets_absent(scenario.output, secrets)
    assert "invocation" in scenario.output
