# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_config: a whole tree in one task, one login and one read per kind, writes in dependency order."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from conftest import API_PASSWORD
from resources_helpers import MASK, by, check_secrets_absent, play, summary

SECRETS = {"trunk_password": "Tree-Trunk-Pw-5x8", "sip_password": "TreeSip-2001-q7"}
SEEDED = {
    "trunks": [{"trunkname": "old_trunk", "trunktype": "peer", "host": "10.9.0.1", "port": "5060"}],
    "extensions": [{"number": "2999", "username": "Leaver"}],
    "paging_groups": [{"number": "6399", "name": "old", "type": "intercom", "member": "2999"}],
    "outbound_routes": [{"name": "old_out", "matchpattern": "9X.", "trunks": "old_trunk"}],
}
READS = ["siptrunk/query", "extension/query", "paginggroup/query", "inroute/query", "outroute/query"]


def tree_file(tmp_path, secrets):
    """The playbook's tree as a host_vars-style file (JSON is YAML)."""
    tree = {
        "trunks": [{"name": "provider", "trunk_type": "register", "host": "sip.example.net", "port": 5060,
                    "username": "6100", "auth_name": "6100", "password": secrets["trunk_password"]}],
        "extensions": [{"number": "2001", "name": "Alice", "register_password": secrets["sip_password"]},
                       {"number": "2002", "name": "Bob"}],
        "paging_groups": [{"number": "6300", "name": "all-hands", "type": "paging", "members": ["2001", "2002"]}],
        "inbound_routes": [{"name": "main", "destination_type": "extension", "destination": "2001"}],
        "outbound_routes": [{"name": "national", "match_pattern": "0XXXXXXXXX", "trunks": ["provider"]}],
    }
    path = tmp_path / "tree.yml"
    path.write_text(json.dumps({"ucpbx_config": tree}))
    return str(path)


def test_whole_tree_in_one_task(emulator, run_playbook, tmp_path):
    emulator.put_state(SEEDED)
    extra = dict(SECRETS, tree_file=tree_file(tmp_path, SECRETS))

    returncode, output, outcome = play(run_playbook, tmp_path, "config_tree", extra, verbosity=3)
    assert returncode == 0, output
    assert outcome is not None, output
    # At -v the one task says what it works on before it starts, and what each kind came to.
    assert "pbx: checking the PBX tree (trunks 1, extensions 2, paging_groups 1, inbound_routes 1, " \
           "outbound_routes 1)" in output
    assert "pbx: applying the PBX tree (trunks 1, extensions 2, " in output
    assert "pbx: extensions: 2 added, 0 updated, 1 deleted, 0 renamed, 3 requests" in output

    log = emulator.requests()
    endpoints = [e["endpoint"] for e in log]
    # Bad input: not even a login. Check run: one login and one read per kind. Real run: the reads,
    # then adds and updates from trunks to routes, then deletes from routes back to trunks.
    assert endpoints.count("login") == 1, summary(log)
    writes = [e for e in log if not e["endpoint"].endswith(("query", "login", "lists"))]
    assert [e["endpoint"] for e in writes] == [
        "siptrunk/add", "extension/add", "extension/add", "paginggroup/add", "inroute/add", "outroute/add",
        "outroute/delete", "paginggroup/delete", "extension/delete", "siptrunk/delete"], summary(writes)
    assert all(e["status"] == "Success" for e in writes), summary(writes)
    # (Listings such as extensionlist/query are read when a write refers to another kind.)
    reads = [e for e in endpoints if e in READS]
    # check, real run, rerun from the file: one read per kind each; gathered: its two kinds. Deleting
    # a trunk needs the routes that dial through it: the tree's own read of the routes tells.
    assert reads == READS * 3 + ["extension/query", "outroute/query"], reads
    assert writes[0]["body"]["password"] == MASK

    applied = outcome["applied"]
    assert [c["endpoint"] for c in applied["commands"]] == [e["endpoint"] for e in writes]
    assert [e["number"] for e in applied["before"]["extensions"]] == ["2999"]
    assert [e["number"] for e in applied["after"]["extensions"]] == ["2001", "2002"]
    # One diff per object, kind after kind, each headed by its object.
    assert [(d["before_header"], d["after_header"]) for d in applied["diff"]] == [
        ("trunk old_trunk on the PBX", "trunk old_trunk (deleted)"),
        ("trunk provider (absent)", "trunk provider wanted"),
        ("extension 2001 (absent)", "extension 2001 wanted"),
        ("extension 2002 (absent)", "extension 2002 wanted"),
        ("extension 2999 on the PBX", "extension 2999 (deleted)"),
        ("paging group 6300 (absent)", "paging group 6300 wanted"),
        ("paging group 6399 on the PBX", "paging group 6399 (deleted)"),
        ("inbound route main (absent)", "inbound route main wanted"),
        ("outbound route national (absent)", "outbound route national wanted"),
        ("outbound route old_out on the PBX", "outbound route old_out (deleted)")]

    state = emulator.state()
    assert sorted(by(state["extensions"], "number")) == ["2001", "2002"]
    assert sorted(by(state["trunks"], "trunkname")) == ["provider"]
    assert by(state["extensions"], "number")["2001"]["registerpassword"] == SECRETS["sip_password"]
    assert [g["number"] for g in state["paging_groups"]] == ["6300"]
    check_secrets_absent(output, dict(SECRETS, api=API_PASSWORD))
    for secret in SECRETS.values():
        assert secret not in json.dumps(outcome)


TREE = {
    "trunks": [{"name": "lan", "trunk_type": "peer", "host": "10.0.0.5", "port": 5060}],
    "extensions": [{"number": "3001", "name": "One"}, {"number": "3002", "name": "Two"},
                   {"number": "3003", "name": "Three"}],
    "outbound_routes": [{"name": "out", "match_pattern": "9X.", "trunks": ["lan"]}],
}


def test_a_failure_midway_names_the_kind_and_what_was_applied_and_a_rerun_converges(
        emulator, run_playbook, tmp_path):
    # The first extension add passes (an instant delay consumes the rule), the second is refused.
    emulator.faults({"count": 1, "kind": "delay", "delay_ms": 0, "endpoint": "extension/add"})
    emulator.faults({"count": 1, "kind": "errno", "errno": "10017", "endpoint": "extension/add"})
    returncode, output, outcome = play(run_playbook, tmp_path, "config_tree_apply", {"tree": TREE})
    assert returncode == 0, output
    failed = outcome["applied"]
    assert failed["failed"] is True
    msg = failed["msg"]
    assert msg.startswith("extensions: ") and "3002" in msg and "10017" in msg, msg
    assert "applied before the failure: trunks 1 added; extensions 1 added" in msg, msg
    assert [c["endpoint"] for c in failed["commands"]] == ["siptrunk/add", "extension/add"]
    assert failed["kinds"]["extensions"]["added"] == 1 and failed["kinds"]["outbound_routes"]["added"] == 0
    assert sorted(by(emulator.state()["extensions"], "number")) == ["3001"]

    emulator.clear_log()
    returncode, output, outcome = play(run_playbook, tmp_path, "config_tree_apply", {"tree": TREE})
    assert returncode == 0, output
    assert [(e["endpoint"], e["body"].get("number", e["body"].get("name"))) for e in emulator.writes()] == [
        ("extension/add", "3002"), ("extension/add", "3003"), ("outroute/add", "out")]
    assert outcome["applied"]["kinds"]["extensions"] == {
        "changed": True, "requests": 2, "added": 2, "updated": 0, "deleted": 0, "renamed": 0}


def test_parallel_writes_respect_a_busy_device(emulator, run_playbook, tmp_path):
    # The device handles 3 requests at once; 8 writes in flight meet errno 10025 and back off.
    emulator.limits(max_concurrent=3, latency_ms=20)
    tree = {"extensions": [{"number": str(4100 + n), "name": "Agent %d" % n} for n in range(40)]}
    returncode, output, outcome = play(run_playbook, tmp_path, "config_tree_apply",
                                       {"tree": tree, "parallel": 8, "retries": 10})
    assert returncode == 0, output
    assert outcome["applied"].get("failed") is not True, outcome["applied"].get("msg")
    log = emulator.requests()
    adds = [e for e in log if e["endpoint"] == "extension/add"]
    busy = [e for e in adds if e["fault"] == "busy"]
    assert busy, "the device limit was never reached: %s" % summary(adds)
    applied = [e["body"]["number"] for e in adds if e["status"] == "Success"]
    assert sorted(applied) == sorted(item["number"] for item in tree["extensions"])
    assert sorted(by(emulator.state()["extensions"], "number")) == sorted(applied)
    assert len(outcome["applied"]["commands"]) == 40
