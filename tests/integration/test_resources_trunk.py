# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_trunk: SIP trunk CRUD, complete updates by id, non-SIP trunks, trunks in use."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from conftest import API_PASSWORD
from resources_helpers import MASK, as_commands, by, check_secrets_absent, play, segments, summary, writes_of

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


def test_trunk_lifecycle(emulator, run_playbook, tmp_path):
    emulator.put_state(SEEDED)
    fxo_before = by(emulator.state()["trunks"], "trunkname")["fxo1"]

    returncode, output, outcome = play(run_playbook, tmp_path, "resources_trunk", SECRETS)
    assert returncode == 0, output
    assert outcome is not None, output

    log = emulator.requests()
    tasks = segments(log, "siptrunk/query")
    names = ["created", "rerun", "rotated", "host_check", "host_real", "replaced", "missing_fields", "fxo_as_sip",
             "gathered", "fed_back", "delete_used", "overridden", "deleted", "deleted_again"]
    assert len(tasks) == len(names), summary(log)
    task = dict(zip(names, tasks))

    # Reruns, check mode, gathered and every refused config: not a single write.
    for name in ("rerun", "host_check", "missing_fields", "fxo_as_sip", "gathered", "fed_back", "deleted_again"):
        assert writes_of(task[name]) == [], "%s: %s" % (name, summary(task[name]))
    assert [e["endpoint"] for e in task["rerun"]] == ["siptrunk/query"], summary(task["rerun"])
    assert [e["endpoint"] for e in task["gathered"]] == ["siptrunk/query", "trunklist/query"]

    state = by(emulator.state()["trunks"], "trunkname")
    ids = dict((name, record["id"]) for name, record in state.items())

    # Creation: one add per trunk with the fields of its type, secrets masked in the log and result.
    created = writes_of(task["created"])
    assert [(e["endpoint"], e["body"], e["status"]) for e in created] == [
        ("siptrunk/add", {"trunkname": "itsp", "trunktype": "register", "host": "sip.example.net", "port": "5060",
                          "username": "6100", "authname": "6100auth", "fromuser": "6100", "password": MASK},
         "Success"),
        ("siptrunk/add", {"trunkname": "branch", "trunktype": "peer", "host": "10.20.0.5", "port": "5062"},
         "Success"),
        ("siptrunk/add", {"trunkname": "desk", "trunktype": "account", "username": "deskphone",
                          "authname": "deskauth", "password": MASK}, "Success"),
    ], summary(created)
    assert outcome["created"]["commands"] == as_commands(created)

    # A password change and a host change each send the complete record, addressed by id.
    rotated = writes_of(task["rotated"])
    host_update = writes_of(task["host_real"])
    full_itsp = {"id": ids["itsp"], "trunkname": "itsp", "trunktype": "register", "host": "sip.example.net",
                 "port": "5060", "domain": "sip.example.net", "username": "6100", "authname": "6100auth",
                 "fromuser": "6100", "password": MASK}
    assert [(e["endpoint"], e["body"]) for e in rotated] == [("siptrunk/update", full_itsp)], summary(rotated)
    assert [(e["endpoint"], e["body"], e["status"]) for e in host_update] == [
        ("siptrunk/update", dict(full_itsp, host="sip2.example.net"), "Success")], summary(host_update)
    assert outcome["host_real"]["commands"] == as_commands(host_update)
    assert outcome["host_check"]["commands"] == outcome["host_real"]["commands"]
    assert outcome["host_check"]["changed"] is True
    assert outcome["rotated"]["diff"][0]["after"]["password"] == "******** (changed)"

    # The PBX holds the rotated password: the later host-only update kept it.
    itsp = state["itsp"]
    assert (itsp["type"], itsp["trunktype"], itsp["host"], itsp["port"]) == ("SIP", "register", "sip2.example.net", "5060")
    assert (itsp["username"], itsp["authname"], itsp["fromuser"]) == ("6100", "6100auth", "6100")
    assert itsp["password"] == SECRETS["itsp_new_password"]
    desk = state["desk"]
    assert (desk["trunktype"], desk["username"], desk["authname"], desk["password"]) == (
        "account", "deskphone", "deskauth", SECRETS["desk_password"])

    replaced = writes_of(task["replaced"])
    assert len(replaced) == 1 and replaced[0]["endpoint"] == "siptrunk/update", summary(replaced)
    body = replaced[0]["body"]
    assert (body["trunkname"], body["trunktype"], body["host"], body["port"]) == ("branch", "peer", "10.20.0.5", "5070")
    # branch's own id (created after itsp, deleted since): not any remaining trunk's.
    assert body["id"].isdigit() and int(body["id"]) > int(ids["itsp"]), body
    assert body["id"] not in ids.values(), body

    # Refused configs name the trunk and the reason.
    msg = outcome["missing_fields"]["msg"]
    assert "trunk newreg: trunk_type=register needs port, username, auth_name, password" in msg, msg
    assert "trunk newpeer: trunk_type=peer needs port" in msg, msg
    assert "trunk newacct: trunk_type=account needs auth_name, password" in msg, msg
    assert "fxo1" in outcome["fxo_as_sip"]["msg"]

    # gathered: non-SIP trunk by name and type only; no secret.
    gathered = by(outcome["gathered"]["gathered"], "name")
    assert gathered["fxo1"] == {"name": "fxo1", "trunk_type": "fxo"}
    assert gathered["itsp"]["host"] == "sip2.example.net"
    assert not any("password" in record for record in gathered.values())

    # A trunk still used by an outbound route: the routes are read and the module fails before any
    # write, naming the trunk and the route (the PBX would refuse the delete with 10061).
    assert writes_of(task["delete_used"]) == [], summary(task["delete_used"])
    assert [e["endpoint"] for e in task["delete_used"]] == ["siptrunk/query", "outroute/query"], \
        summary(task["delete_used"])
    msg = outcome["delete_used"]["msg"]
    assert "trunk busy cannot be deleted: outbound route(s) r_busy dial through it" in msg, msg
    assert "nothing was changed" in msg, msg
    assert "changed" not in outcome["delete_used"] or outcome["delete_used"]["changed"] is False

    # overridden deletes the extras in one request and never the FXO trunk; deleted removes branch.
    assert [(e["endpoint"], e["body"], e["status"]) for e in writes_of(task["overridden"])] == [
        ("siptrunk/delete", {"trunkname": "extra1,extra2"}, "Success")], summary(task["overridden"])
    assert [(e["endpoint"], e["body"], e["status"]) for e in writes_of(task["deleted"])] == [
        ("siptrunk/delete", {"trunkname": "branch"}, "Success")], summary(task["deleted"])
    assert sorted(state) == ["busy", "desk", "fxo1", "itsp"]
    assert state["fxo1"] == fxo_before
    assert emulator.state()["outbound_routes"][0]["trunks"] == "busy"

    # Nothing else was written during the whole play (the refused delete of busy was never sent).
    assert len(writes_of(log)) == 3 + 1 + 1 + 1 + 1 + 1, summary(writes_of(log))

    # Secrets: never in the -vvv --diff output, seeded ones included.
    secrets = dict(SECRETS, seeded="Extra2-Seeded-Pw", api_password=API_PASSWORD)
    check_secrets_absent(output, secrets)
    assert "invocation" in output
