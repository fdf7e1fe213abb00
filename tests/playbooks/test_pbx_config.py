# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/site.yml, playbooks/export.yml and the pbx_config role, run for real against emulators.

The emulator's request log is the oracle: which API calls were made, in which order, and with
which outcome.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import stat
import sys

import yaml

COLLECTION = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_COLLECTIONS_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(COLLECTION)))
if _COLLECTIONS_ROOT not in sys.path:
    sys.path.insert(0, _COLLECTIONS_ROOT)

from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.catalog import RESOURCES  # noqa: E402

FLEET = os.path.join(COLLECTION, "playbooks", "inventory", "fleet")

# The query that reads each kind, and the API path prefix of its writes, in dependency order.
QUERIES = [(kind, resource.query.path) for kind, resource in RESOURCES.items()]
WRITE_PREFIXES = [resource.query.path.split("/")[0] + "/" for resource in RESOURCES.values()]


def fleet_config(host):
    with open(os.path.join(FLEET, "host_vars", host, "ucpbx.yml")) as handle:
        return yaml.safe_load(handle)["ucpbx_config"]


def queries_for(config):
    return [query for kind, query in QUERIES if kind in config]


def keys(records, key):
    return sorted(record[key] for record in records)


def assert_one_read_per_kind(emulator, config):
    endpoints = emulator.endpoints()
    assert emulator.writes() == []
    assert endpoints.count("login") <= 1
    assert [endpoint for endpoint in endpoints if endpoint != "login"] == queries_for(config)


def assert_holds_paris(state):
    assert keys(state["trunks"], "trunkname") == ["berlin", "provider"]
    assert keys(state["extensions"], "number") == ["2001", "2002", "2003"]
    assert keys(state["inbound_routes"], "name") == ["main-number", "sales-line"]
    assert keys(state["outbound_routes"], "name") == ["national", "to-berlin"]
    sales = [queue for queue in state["queues"] if queue["queuenumber"] == "6700"][0]
    assert sorted(sales["agents"].split(",")) == ["2001", "2002"]


def test_fleet_converges_then_a_rerun_only_reads(start_emulator, ansible_playbook, tmp_path):
    paris, berlin = start_emulator(), start_emulator()
    # Each example PBX gets its own emulator; the fleet's group_vars would point both at UCPBX_PORT.
    ports = tmp_path / "ports.yml"
    ports.write_text(json.dumps({"pbxes": {"hosts": {"pbx-paris": {"pbx_port": paris.port},
                                                     "pbx-berlin": {"pbx_port": berlin.port}}}}))
    inventories = [FLEET, ports]

    first = ansible_playbook("site.yml", inventories, extra_vars={"ucpbx_serial": 1})
    assert first.recap("pbx-paris")["changed"] > 0
    assert first.recap("pbx-berlin")["changed"] > 0
    # Each PBX's one task prints its summary.
    assert "Summary of pbx-paris: changed trunks, extensions, queues" in first.output
    assert "Summary of pbx-berlin: changed " in first.output
    assert_holds_paris(paris.state())
    berlin_state = berlin.state()
    assert keys(berlin_state["extensions"], "number") == ["3001", "3002"]
    assert keys(berlin_state["outbound_routes"], "name") == ["to-paris"]
    # Kinds are written in dependency order.
    order = [next(i for i, prefix in enumerate(WRITE_PREFIXES) if endpoint.startswith(prefix))
             for endpoint in paris.writes()]
    assert order == sorted(order)
    assert all(entry["errno"] is None for entry in paris.requests() + berlin.requests())

    paris.clear_requests()
    berlin.clear_requests()
    second = ansible_playbook("site.yml", inventories, extra_vars={"ucpbx_serial": 1})
    assert second.recap("pbx-paris")["changed"] == 0
    assert second.recap("pbx-berlin")["changed"] == 0
    assert_one_read_per_kind(paris, fleet_config("pbx-paris"))
    assert_one_read_per_kind(berlin, fleet_config("pbx-berlin"))


def test_check_diff_reports_drift_without_writing(emulator, ansible_playbook, single_pbx):
    config = fleet_config("pbx-paris")
    inventory = single_pbx({"ucpbx_config": config, "ucpbx_state": "overridden"})
    untouched = emulator.state()

    report = ansible_playbook("site.yml", [inventory], emulator, args=["--check", "--diff"])
    assert report.recap("pbx")["changed"] > 0
    # One diff per object, headed by the object.
    assert "+++ after: extension 2001 wanted" in report.output
    assert "+++ after: trunk provider wanted" in report.output
    assert emulator.writes() == []
    assert emulator.state() == untouched

    ansible_playbook("site.yml", [inventory], emulator)
    config["extensions"][1]["name"] = "Bob Chen-Martin"
    drifted = single_pbx({"ucpbx_config": config, "ucpbx_state": "overridden"})
    applied = emulator.state()
    emulator.clear_requests()
    report = ansible_playbook("site.yml", [drifted], emulator, args=["--check", "--diff"])
    assert report.recap("pbx")["changed"] == 1
    assert "Bob Chen-Martin" in report.output
    # Only the drifted object's diff is shown, under its own header.
    assert "--- before: extension 2002 on the PBX\n+++ after: extension 2002 wanted" in report.output
    assert "extension 2001" not in report.output
    assert emulator.writes() == []
    assert emulator.state() == applied


def test_overridden_deletes_extras_in_reverse_dependency_order(emulator, ansible_playbook, single_pbx):
    extras = {
        "trunks": [{"name": "old-trunk", "trunk_type": "peer", "host": "10.9.0.1", "port": 5060}],
        "extensions": [{"number": "2999", "name": "Leaver"}],
        "paging_groups": [{"number": "6399", "name": "old-group", "type": "intercom", "members": ["2999"]}],
        "inbound_routes": [{"name": "old-in", "destination_type": "extension", "destination": "2999"}],
        "outbound_routes": [{"name": "old-out", "match_pattern": "9X.", "trunks": ["old-trunk"]}],
    }
    ansible_playbook("site.yml", [single_pbx({"ucpbx_config": extras}, name="extras")], emulator)
    paris = single_pbx({"ucpbx_config": fleet_config("pbx-paris"), "ucpbx_state": "overridden"})
    emulator.clear_requests()

    ansible_playbook("site.yml", [paris], emulator)
    log = emulator.requests()
    assert [entry["endpoint"] for entry in log if entry["endpoint"].endswith("/delete")] == [
        "outroute/delete", "inroute/delete", "paginggroup/delete", "extension/delete", "siptrunk/delete"]
    assert all(entry["errno"] is None for entry in log), log
    state = emulator.state()
    assert_holds_paris(state)
    assert [group["number"] for group in state["paging_groups"]] == ["6300"]

    # Nothing left to delete: one read per kind and no delete task at all.
    emulator.clear_requests()
    again = ansible_playbook("site.yml", [paris], emulator)
    assert again.recap("pbx")["changed"] == 0
    assert_one_read_per_kind(emulator, fleet_config("pbx-paris"))


def test_check_mode_of_removing_a_trunk_with_its_route(emulator, ansible_playbook, single_pbx):
    # uc_trunk alone refuses, in check mode too, to delete a trunk a route uses; in the role's one
    # uc_config task the route is deleted first, so check mode reports the trunk's deletion as the
    # change it will be.
    extras = {
        "trunks": [{"name": "old-trunk", "trunk_type": "peer", "host": "10.9.0.1", "port": 5060}],
        "outbound_routes": [{"name": "old-out", "match_pattern": "9X.", "trunks": ["old-trunk"]}],
    }
    ansible_playbook("site.yml", [single_pbx({"ucpbx_config": extras}, name="extras")], emulator)
    paris = fleet_config("pbx-paris")
    emulator.clear_requests()
    report = ansible_playbook("site.yml", [single_pbx({"ucpbx_config": paris, "ucpbx_state": "overridden"})],
                              emulator, args=["--check"])
    assert report.recap("pbx")["failed"] == 0
    assert emulator.writes() == []
    assert "Summary of pbx: would change trunks," in report.output
    assert "\n  trunks: 2 added, 1 deleted (3 request(s))\n" in report.output
    assert re.search(r"\n  outbound_routes: (\d+ added, )?1 deleted ", report.output), report.output

    # A route of ucpbx_config that keeps using the doomed trunk: the real run would fail, so check mode does.
    keeps = dict(paris, outbound_routes=paris["outbound_routes"] + [
        {"name": "old-out", "match_pattern": "9X.", "trunks": ["old-trunk"]}])
    report = ansible_playbook("site.yml", [single_pbx({"ucpbx_config": keeps, "ucpbx_state": "overridden"})],
                              emulator, args=["--check"], expect_rc=2)
    assert "trunk old-trunk cannot be deleted: outbound route(s) old-out (trunks) refer to it" in report.output
    assert emulator.writes() == []

    # The real run does what check mode said.
    ansible_playbook("site.yml", [single_pbx({"ucpbx_config": paris, "ucpbx_state": "overridden"})], emulator)
    assert [endpoint for endpoint in emulator.writes() if endpoint.endswith("/delete")] == [
        "outroute/delete", "siptrunk/delete"]
    assert "old-trunk" not in keys(emulator.state()["trunks"], "trunkname")


def test_schema_errors_name_the_path_and_nothing_is_sent(emulator, ansible_playbook, single_pbx):
    config = {
        "extensions": [
            {"number": "2001"},
            {"number": "2002", "register_password": "not allowed;"},
            {"number": "2003", "max_registrations": 9},
            {"number": 2004},
        ],
        "trunks": [{"name": "provider", "trunk_type": "sip"}],
        "voicemails": [],
    }
    run = ansible_playbook("site.yml", [single_pbx({"ucpbx_config": config})], emulator, expect_rc=2)
    assert "ucpbx_config: extensions[2] (extension 2003): max_registrations 9 is out of range 1-5" in run.output
    # Unquoted, as a YAML file spells it: a number, refused rather than converted.
    assert "ucpbx_config: extensions[3] (extension 2004): number: 2004 (a number) is not a quoted string" in run.output
    assert "ucpbx_config: trunks[0] (trunk provider): trunk_type 'sip' is not one of" in run.output
    assert "ucpbx_config: unknown kind 'voicemails'" in run.output
    assert "ucpbx_config: extensions[1] (extension 2002): register_password the value is not valid" in run.output
    assert "not allowed;" not in run.output
    assert emulator.requests() == []


def test_a_kind_of_the_wrong_type_never_quotes_its_secrets(emulator, ansible_playbook, single_pbx):
    canary = "Canary-Trunk-Pw-90210"
    config = {
        "trunks": {"name": "provider", "trunk_type": "register", "host": "sip.example", "port": 5060,
                   "username": "u", "auth_name": "u", "password": canary},
        "extensions": [{"number": "2001", "voicemail_pin": canary, "name": {"first": canary}}],
    }
    run = ansible_playbook("site.yml", [single_pbx({"ucpbx_config": config})], emulator, expect_rc=2)
    assert "ucpbx_config: trunks must be a list of objects, not an object (keys: auth_name, host, name, password, " \
           "port, trunk_type, username)" in run.output
    assert "ucpbx_config: extensions[0] (extension 2001): name: an object (keys: first) is not a quoted string" \
        in run.output
    assert canary not in run.output
    assert emulator.requests() == []


def test_empty_list_deletes_a_kind_only_when_allowed(emulator, ansible_playbook, single_pbx):
    two = {"extensions": [{"number": "2001"}, {"number": "2002"}]}
    ansible_playbook("site.yml", [single_pbx({"ucpbx_config": two}, name="two")], emulator)
    emulator.clear_requests()

    none = {"ucpbx_config": {"extensions": []}, "ucpbx_state": "overridden"}
    refused = ansible_playbook("site.yml", [single_pbx(none, name="refused")], emulator, expect_rc=2)
    assert "empty list for extensions" in refused.output
    assert "ucpbx_allow_delete_all" in refused.output
    assert emulator.writes() == []

    allowed = dict(none, ucpbx_allow_delete_all=True)
    emulator.clear_requests()
    ansible_playbook("site.yml", [single_pbx(allowed, name="allowed")], emulator)
    assert emulator.state()["extensions"] == []
    # One task reads the extensions and, before deleting them, each kind that can refer to one, then
    # deletes them in one request.
    assert [e for e in emulator.endpoints() if e != "login"] == [
        "extension/query", "queue/query", "paginggroup/query", "inroute/query", "extension/delete"]

    # With none left, the same empty list changes nothing (a gathered tree applies back to any PBX).
    emulator.clear_requests()
    ansible_playbook("site.yml", [single_pbx(none, name="none-left")], emulator)
    assert emulator.writes() == []


def test_export_then_apply_changes_nothing(emulator, ansible_playbook, single_pbx, load_exported):
    ansible_playbook("site.yml", [single_pbx({"ucpbx_config": fleet_config("pbx-paris")}, name="source")], emulator)
    adopted = single_pbx(name="adopted")

    ansible_playbook("export.yml", [adopted], emulator)
    exported = adopted / "host_vars" / "pbx" / "ucpbx.yml"
    config = load_exported(exported.read_text())["ucpbx_config"]
    # Every kind, in dependency order (the PBX has objects of each).
    assert list(config) == [kind for kind, _query in QUERIES]
    assert "register_password" not in exported.read_text()
    assert not (adopted / "host_vars" / "pbx" / "vault_template.yml").exists()

    for state in ("overridden", "merged"):
        emulator.clear_requests()
        run = ansible_playbook("site.yml", [adopted], emulator, extra_vars={"ucpbx_state": state})
        assert run.recap("pbx")["changed"] == 0, state
        assert_one_read_per_kind(emulator, config)


def test_export_with_secret_placeholders(emulator, ansible_playbook, single_pbx, load_exported):
    ansible_playbook("site.yml", [single_pbx({"ucpbx_config": fleet_config("pbx-paris")}, name="source")], emulator)
    adopted = single_pbx(name="adopted")
    ansible_playbook("export.yml", [adopted], emulator, extra_vars={"ucpbx_export_secrets": "placeholder"})

    host_vars = adopted / "host_vars" / "pbx"
    text = (host_vars / "ucpbx.yml").read_text()
    config = load_exported(text)["ucpbx_config"]
    alice = [item for item in config["extensions"] if item["number"] == "2001"][0]
    assert alice["register_password"] == "{{ vault_ucpbx_pbx_extensions_2001_register_password }}"
    provider, berlin = [[item for item in config["trunks"] if item["name"] == name][0] for name in ("provider", "berlin")]
    assert provider["password"] == "{{ vault_ucpbx_pbx_trunks_provider_password }}"
    assert "password" not in berlin  # a peer trunk has no password
    template = host_vars / "vault_template.yml"
    assert stat.S_IMODE(os.stat(str(template)).st_mode) == 0o600
    names = yaml.safe_load(template.read_text())
    assert set(names.values()) == set([None])
    assert "vault_ucpbx_pbx_extensions_2001_register_password" in names
    assert len(names) == text.count("{{ vault_ucpbx_pbx_")

    # Until the secrets are filled in, applying stops before the first request.
    emulator.clear_requests()
    run = ansible_playbook("site.yml", [adopted], emulator, expect_rc=2)
    assert "ucpbx_config: extensions[0] (extension 2001): register_password is empty (null)" in run.output
    assert emulator.requests() == []

    # A second export leaves a template that may already hold the secrets alone.
    template.write_text("---\nvault_ucpbx_pbx_extensions_2001_register_password: filled-in\n")
    ansible_playbook("export.yml", [adopted], emulator, extra_vars={"ucpbx_export_secrets": "placeholder"})
    assert "filled-in" in template.read_text()


def test_site_keeps_a_snapshot_that_rollback_restores(emulator, ansible_playbook, single_pbx, tmp_path):
    ansible_playbook("site.yml", [single_pbx({"ucpbx_config": fleet_config("pbx-berlin")}, name="start")], emulator)
    before = emulator.state()
    inventory = single_pbx({"ucpbx_config": fleet_config("pbx-paris"), "ucpbx_state": "overridden"}, name="paris")

    ansible_playbook("site.yml", [inventory], emulator)
    snapshots = sorted(os.listdir(str(tmp_path / "snapshots")))
    # One per run that changed something (the start and this one), the latest, and the run records.
    assert len(snapshots) == 4 and "pbx-latest.json" in snapshots and "runs" in snapshots, snapshots
    assert_holds_paris(emulator.state())

    emulator.clear_requests()
    check = ansible_playbook("rollback.yml", [inventory], emulator, args=["--check"])
    assert check.recap("pbx")["changed"] == 1
    assert emulator.writes() == []
    ansible_playbook("rollback.yml", [inventory], emulator)
    after = emulator.state()
    for kind in ("extensions", "outbound_routes", "inbound_routes", "paging_groups"):
        strip = ("id", "registerpassword", "loginpassword", "vmsecret", "password")
        assert [dict((k, v) for k, v in record.items() if k not in strip) for record in after[kind]] == \
            [dict((k, v) for k, v in record.items() if k not in strip) for record in before[kind]], kind
    assert sorted(t["trunkname"] for t in after["trunks"]) == sorted(t["trunkname"] for t in before["trunks"])


LAYERED = os.path.join(COLLECTION, "docs", "examples", "layered")
# A layer from extra vars, after the baseline (name order) and before each PBX's ucpbx_config.
HOTFIX = {"ucpbx_config__zz_hotfix": {"outbound_routes": [
    {"name": "emergency", "match_pattern": "112", "trunks": ["provider"]}]}}


def rendered_trees(output):
    """{host: merged tree} from what state=rendered printed."""
    trees = {}
    for match in re.finditer(r"^The merged tree of (\S+), as state=rendered checked it:\n", output, re.MULTILINE):
        trees[match.group(1)] = json.JSONDecoder().raw_decode(output, match.end())[0]
    return trees


def test_layers_baseline_and_two_sites(start_emulator, ansible_playbook, tmp_path):
    # docs/examples/layered: a baseline in group_vars, two sites in host_vars, a layer in extra vars.
    # Rendered first, with no PBX at all: the hosts' addresses are documentation ones, and no emulator runs.
    rendered = ansible_playbook("site.yml", [LAYERED], extra_vars=dict(HOTFIX, ucpbx_state="rendered"))
    trees = rendered_trees(rendered.output)
    assert sorted(trees) == ["pbx-lyon", "pbx-nantes"]
    lyon, nantes = trees["pbx-lyon"], trees["pbx-nantes"]
    assert lyon["trunks"] == [{"name": "provider", "trunk_type": "peer", "host": "203.0.113.20", "port": 5060}]
    assert [route["name"] for route in lyon["outbound_routes"]] == ["national", "emergency"]
    assert keys(nantes["extensions"], "number") == ["2000", "3001"]
    assert nantes["paging_groups"][0]["members"] == ["2000", "3001"]
    assert "Summary of pbx-lyon: on an empty PBX would change trunks, extensions, paging_groups, outbound_routes, " \
           "7 API request(s)" in rendered.output

    # Applied: each PBX holds its merged tree.
    pbxes = {"pbx-lyon": start_emulator(), "pbx-nantes": start_emulator()}
    addresses = tmp_path / "addresses.yml"
    addresses.write_text(json.dumps({"pbxes": {"hosts": dict(
        (host, {"pbx_host": "127.0.0.1", "pbx_port": pbx.port}) for host, pbx in pbxes.items())}}))
    ansible_playbook("site.yml", [LAYERED, addresses], extra_vars=HOTFIX)
    lyon_state, nantes_state = pbxes["pbx-lyon"].state(), pbxes["pbx-nantes"].state()
    assert [(t["trunkname"], t["host"]) for t in lyon_state["trunks"]] == [("provider", "203.0.113.20")]
    assert keys(lyon_state["extensions"], "number") == ["2000", "2001", "2002"]
    assert keys(lyon_state["outbound_routes"], "name") == ["emergency", "national"]
    assert keys(nantes_state["trunks"], "trunkname") == ["backup", "provider"]
    assert keys(nantes_state["outbound_routes"], "name") == ["emergency", "international", "national"]
    national = [route for route in nantes_state["outbound_routes"] if route["name"] == "national"][0]
    assert national["trunks"].split(",") == ["provider", "backup"]
    assert sorted(nantes_state["paging_groups"][0]["member"].split(",")) == ["2000", "3001"]
