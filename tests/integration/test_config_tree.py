# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_config: a whole tree in one task, one login and one read per kind, writes in dependency order.

Each scenario runs its playbooks once in a module-scoped fixture; each test checks one behaviour.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import subprocess
import time

import pytest

from conftest import API_PASSWORD, INVENTORY, PLAYBOOK_TIMEOUT, PLAYBOOKS, _executable, ucpbx_env
from resources_helpers import MASK, Steps, by, check_secrets_absent, summary, writes_of

SECRETS = {"trunk_password": "Tree-Trunk-Pw-5x8", "sip_password": "TreeSip-2001-q7"}
SEEDED = {
    "trunks": [{"trunkname": "old_trunk", "trunktype": "peer", "host": "10.9.0.1", "port": "5060"}],
    "extensions": [{"number": "2999", "username": "Leaver"}],
    "paging_groups": [{"number": "6399", "name": "old", "type": "intercom", "member": "2999"}],
    "outbound_routes": [{"name": "old_out", "matchpattern": "9X.", "trunks": "old_trunk"}],
}
READS = ["siptrunk/query", "extension/query", "paginggroup/query", "inroute/query", "outroute/query"]


def tree_file(directory, secrets):
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
    path = directory / "tree.yml"
    path.write_text(json.dumps({"ucpbx_config": tree}))
    return str(path)


@pytest.fixture(scope="module")
def whole(play_scenario, tmp_path_factory):
    """playbooks/config_tree.yml on the seeded PBX: bad input, check run, real run, rerun from a file, gathered."""
    extra = dict(SECRETS, tree_file=tree_file(tmp_path_factory.mktemp("config-tree-file"), SECRETS))
    return play_scenario("config_tree", extra, seed=SEEDED)


def tree_writes(log):
    return [e for e in log if not e["endpoint"].endswith(("query", "login", "lists"))]


def test_whole_tree_play_passes(whole):
    whole.check_passed()


def test_progress_says_what_the_task_works_on_and_what_each_kind_came_to(whole):
    # At -v the one task says what it works on before it starts, and what each kind came to.
    output = whole.output
    assert "pbx: checking the PBX tree (trunks 1, extensions 2, paging_groups 1, inbound_routes 1, " \
           "outbound_routes 1)" in output
    assert "pbx: applying the PBX tree (trunks 1, extensions 2, " in output
    assert "pbx: extensions: 2 added, 0 updated, 1 deleted, 0 renamed, 3 requests" in output
    # A run of a second says nothing while it runs (see the long run below).
    assert " done (" not in output and " to send (" not in output


PROGRESS = re.compile(r"^pbx: extensions: (\d+) of 250 adds and updates done \((\d+) s\)$")


def test_a_long_apply_reports_progress_while_it_runs(emulator, ansible_env_base, token_cache_dir, tmp_path):
    # 250 adds at 20 ms a request: five seconds at least, long enough to say how far it got.
    emulator.limits(latency_ms=20)
    tree = {"extensions": [{"number": str(5000 + n), "name": "Branch %d" % n} for n in range(250)]}
    (tmp_path / "vars.json").write_text(json.dumps({"tree": tree}))
    command = [_executable("ansible-playbook"), "-i", INVENTORY, os.path.join(PLAYBOOKS, "config_tree_apply.yml"),
               "-e", "@%s" % (tmp_path / "vars.json")]
    lines = []
    started = time.monotonic()
    with subprocess.Popen(command, env=ucpbx_env(ansible_env_base, emulator, token_cache_dir), cwd=str(tmp_path),
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True) as play:
        for line in play.stdout:
            lines.append((time.monotonic() - started, line.rstrip("\n")))
        returncode = play.wait(timeout=PLAYBOOK_TIMEOUT)
    ended = time.monotonic() - started
    output = "\n".join(line for _at, line in lines)
    assert returncode == 0, output
    assert len([e for e in emulator.writes() if e["endpoint"] == "extension/add"]) == 250
    progress = [(at, PROGRESS.match(line)) for at, line in lines if PROGRESS.match(line)]
    assert progress, output
    # Read while the play ran: the first came well before its end; the last says all 250 are done.
    assert progress[0][0] < ended - 1, (progress[0][0], ended, output)
    done = [int(match.group(1)) for _at, match in progress]
    assert done == sorted(done) and done[-1] == 250 and done[0] < 250, done
    # Not a line per object: at most one every 50 objects.
    assert len(progress) <= 250 // 50 + 1, output


def test_whole_tree_logs_in_once(whole):
    # Bad input: not even a login. Check run: one login and one read per kind.
    assert [e["endpoint"] for e in whole.log].count("login") == 1, summary(whole.log)


def test_writes_go_in_dependency_order(whole):
    # Real run: the reads, then adds and updates from trunks to routes, then deletes from routes back to trunks.
    writes = tree_writes(whole.log)
    assert [e["endpoint"] for e in writes] == [
        "siptrunk/add", "extension/add", "extension/add", "paginggroup/add", "inroute/add", "outroute/add",
        "outroute/delete", "paginggroup/delete", "extension/delete", "siptrunk/delete"], summary(writes)
    assert all(e["status"] == "Success" for e in writes), summary(writes)
    assert writes[0]["body"]["password"] == MASK


def test_each_run_reads_each_kind_once(whole):
    # (Listings such as extensionlist/query are read when a write refers to another kind.)
    reads = [e["endpoint"] for e in whole.log if e["endpoint"] in READS]
    # check, real run, rerun from the file: one read per kind each; gathered: its two kinds. Deleting
    # a trunk needs the routes that dial through it: the tree's own read of the routes tells.
    assert reads == READS * 3 + ["extension/query", "outroute/query"], reads


def test_result_commands_before_and_after(whole):
    applied = whole.outcome["applied"]
    assert [c["endpoint"] for c in applied["commands"]] == [e["endpoint"] for e in tree_writes(whole.log)]
    assert [e["number"] for e in applied["before"]["extensions"]] == ["2999"]
    assert [e["number"] for e in applied["after"]["extensions"]] == ["2001", "2002"]


def test_one_diff_per_object_headed_by_its_object(whole):
    # One diff per object, kind after kind, each headed by its object.
    assert [(d["before_header"], d["after_header"]) for d in whole.outcome["applied"]["diff"]] == [
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


def test_pbx_holds_the_tree(whole):
    state = whole.state
    assert sorted(by(state["extensions"], "number")) == ["2001", "2002"]
    assert sorted(by(state["trunks"], "trunkname")) == ["provider"]
    assert by(state["extensions"], "number")["2001"]["registerpassword"] == SECRETS["sip_password"]
    assert [g["number"] for g in state["paging_groups"]] == ["6300"]


def test_whole_tree_secrets_are_never_shown(whole):
    check_secrets_absent(whole.output, dict(SECRETS, api=API_PASSWORD))
    for secret in SECRETS.values():
        assert secret not in json.dumps(whole.outcome)


TREE = {
    "trunks": [{"name": "lan", "trunk_type": "peer", "host": "10.0.0.5", "port": 5060}],
    "extensions": [{"number": "3001", "name": "One"}, {"number": "3002", "name": "Two"},
                   {"number": "3003", "name": "Three"}],
    "outbound_routes": [{"name": "out", "match_pattern": "9X.", "trunks": ["lan"]}],
}


@pytest.fixture(scope="module")
def midway(emulator_process, ansible_env_base, tmp_path_factory):
    """An apply that fails at the second extension add, then the same apply again."""
    steps = Steps(emulator_process, ansible_env_base, tmp_path_factory, "config-tree-midway")
    # The first extension add passes (an instant delay consumes the rule), the second is refused.
    steps.emulator.faults({"count": 1, "kind": "delay", "delay_ms": 0, "endpoint": "extension/add"})
    steps.emulator.faults({"count": 1, "kind": "errno", "errno": "10017", "endpoint": "extension/add"})
    failing = steps.play("config_tree_apply", {"tree": TREE}, verbosity=3, diff=True)
    return failing, steps.play("config_tree_apply", {"tree": TREE}, verbosity=3, diff=True)


def test_a_failure_midway_names_the_kind_and_what_was_applied(midway):
    failing, _rerun = midway
    assert failing.returncode == 0, failing.output
    failed = failing.outcome["applied"]
    assert failed["failed"] is True
    msg = failed["msg"]
    assert msg.startswith("extensions: ") and "3002" in msg and "10017" in msg, msg
    assert "applied before the failure: trunks 1 added; extensions 1 added" in msg, msg


def test_a_failure_midway_reports_the_commands_and_counts_sent(midway):
    failed = midway[0].outcome["applied"]
    assert [c["endpoint"] for c in failed["commands"]] == ["siptrunk/add", "extension/add"]
    assert failed["kinds"]["extensions"]["added"] == 1 and failed["kinds"]["outbound_routes"]["added"] == 0
    assert sorted(by(midway[0].state["extensions"], "number")) == ["3001"]


def test_a_rerun_after_a_failure_converges(midway):
    _failing, rerun = midway
    assert rerun.returncode == 0, rerun.output
    assert [(e["endpoint"], e["body"].get("number", e["body"].get("name"))) for e in writes_of(rerun.log)] == [
        ("extension/add", "3002"), ("extension/add", "3003"), ("outroute/add", "out")]
    assert rerun.outcome["applied"]["kinds"]["extensions"] == {
        "changed": True, "requests": 2, "added": 2, "updated": 0, "deleted": 0, "renamed": 0}


BUSY_TREE = {"extensions": [{"number": str(4100 + n), "name": "Agent %d" % n} for n in range(40)]}


@pytest.fixture(scope="module")
def busy(play_scenario):
    """40 adds, 8 in flight, on a device that handles 3 requests at once (errno 10025 beyond, and back off)."""
    return play_scenario("config_tree_apply", {"tree": BUSY_TREE, "parallel": 8, "retries": 10},
                         before=lambda emulator: emulator.limits(max_concurrent=3, latency_ms=20))


def busy_adds(busy):
    return [e for e in busy.log if e["endpoint"] == "extension/add"]


def test_parallel_writes_succeed_on_a_busy_device(busy):
    assert busy.returncode == 0, busy.output
    assert busy.outcome["applied"].get("failed") is not True, busy.outcome["applied"].get("msg")
    assert len(busy.outcome["applied"]["commands"]) == 40


def test_parallel_writes_meet_the_device_limit(busy):
    adds = busy_adds(busy)
    assert [e for e in adds if e["fault"] == "busy"], "the device limit was never reached: %s" % summary(adds)


def test_parallel_writes_apply_every_extension_once(busy):
    applied = [e["body"]["number"] for e in busy_adds(busy) if e["status"] == "Success"]
    assert sorted(applied) == sorted(item["number"] for item in BUSY_TREE["extensions"])
    assert sorted(by(busy.state["extensions"], "number")) == sorted(applied)
