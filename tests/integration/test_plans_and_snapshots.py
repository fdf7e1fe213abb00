# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_config plan pinning (plan_out / plan_in) and snapshots with rollback.

Each scenario runs its playbooks once in a module-scoped fixture; each test checks one behaviour.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

import pytest

from resources_helpers import Steps, by, summary

SEEDED = {
    "trunks": [{"trunkname": "lan", "trunktype": "peer", "host": "10.0.0.5", "port": "5060"}],
    "extensions": [{"number": "2001", "username": "Alice", "email": "alice@example.com"},
                   {"number": "2002", "username": "Bob"}, {"number": "2999", "username": "Leaver"}],
    "outbound_routes": [{"name": "out", "matchpattern": "9X.", "trunks": "lan"}],
}
TREE = {
    "trunks": [{"name": "lan", "trunk_type": "peer", "host": "10.0.0.5", "port": 5060}],
    "extensions": [{"number": "2001", "name": "Alice Martin"}, {"number": "2102", "rename_from": "2002", "name": "Bob"},
                   {"number": "2003", "name": "Carol", "register_password": "Carol-Sip-77x"}],
    "outbound_routes": [{"name": "out", "match_pattern": "9X.", "trunks": ["lan"]},
                        {"name": "intl", "match_pattern": "00X.", "prepend": "0", "trunks": ["lan"]}],
}


def writes(step):
    return [e for e in step.log if not e["endpoint"].endswith(("query", "login"))]


def comparable(state):
    """The PBX state without what a rollback cannot restore: secrets the PBX generates, ids."""
    view = {}
    for kind in ("trunks", "extensions", "outbound_routes"):
        view[kind] = sorted((dict((k, v) for k, v in record.items()
                                  if k not in ("id", "registerpassword", "loginpassword", "vmsecret", "password"))
                             for record in state[kind]), key=lambda record: json.dumps(record, sort_keys=True))
    return view


def apply(steps, extra, **options):
    """playbooks/config_tree_apply.yml (at -vvv with --diff unless told otherwise)."""
    return steps.play("config_tree_apply", extra, **dict(dict(verbosity=3, diff=True), **options))


@pytest.fixture(scope="module")
def pinned(emulator_process, ansible_env_base, tmp_path_factory):
    """A plan, an apply held to it after someone edited the PBX, a new plan and its apply, then an apply
    of a config changed after the review; each plan document is read right after its run."""
    steps = Steps(emulator_process, ansible_env_base, tmp_path_factory, "plans", seed=SEEDED)
    plan_dir = steps.workdir / "plan"
    extra = {"tree": TREE, "tree_state": "overridden", "plan_out": str(plan_dir)}
    pinned_extra = {"tree": TREE, "tree_state": "overridden", "plan_in": str(plan_dir)}
    runs = {"planned": apply(steps, extra, check=True)}
    runs["plan"] = json.loads((plan_dir / "pbx.json").read_text())
    runs["markdown"] = (plan_dir / "pbx.md").read_text()
    runs["index"] = (plan_dir / "README.md").read_text()
    # Someone edits the PBX after the review.
    steps.emulator.put_state({"extensions": SEEDED["extensions"][:2] + [{"number": "2999", "username": "Changed"}]})
    runs["drifted"] = apply(steps, pinned_extra)
    runs["replanned"] = apply(steps, extra, check=True)
    runs["new_plan"] = json.loads((plan_dir / "pbx.json").read_text())
    runs["applied"] = apply(steps, pinned_extra)
    other = dict(TREE, extensions=TREE["extensions"] + [{"number": "2004"}])
    runs["config_changed"] = apply(steps, dict(pinned_extra, tree=other))
    return runs


def test_plan_runs_pass(pinned):
    for name in ("planned", "drifted", "replanned", "applied"):
        assert pinned[name].returncode == 0, pinned[name].output


def test_plan_predicts_a_change_and_writes_nothing(pinned):
    planned = pinned["planned"].outcome["applied"]
    assert planned["changed"] is True and writes(pinned["planned"]) == []


def test_plan_document_holds_the_commands_and_objects(pinned):
    document = pinned["plan"]
    assert document["commands"] == pinned["planned"].outcome["applied"]["commands"]
    assert sorted(document["kinds"]["extensions"]["objects"]) == ["2001", "2002", "2999"]


def test_plan_markdown_summarises_each_change_with_secrets_masked(pinned):
    markdown = pinned["markdown"]
    assert markdown.startswith("### PBX plan for `pbx`")
    assert "| extensions | 1 | 2 | 1 | 1 |" in markdown
    assert "- rename `2002` to `2102`" in markdown
    assert "- update `2001`: email: `alice@example.com` → (empty); name: `Alice` → `Alice Martin`" in markdown
    assert "register_password: `******** (changed)`" in markdown and "Carol-Sip-77x" not in markdown
    assert "- delete `2999`" in markdown


def test_plan_directory_has_the_fleet_index(pinned):
    # One row per PBX with its counts over every kind, and a link to its summary.
    assert "| pbx | 2 | 2 | 1 | 1 | [changes](pbx.md) |" in pinned["index"].splitlines(), pinned["index"]
    assert "1 PBX(es), 1 with changes." in pinned["index"]


def test_pinned_apply_refuses_a_pbx_changed_after_the_review(pinned):
    # The pinned apply refuses, names what changed, writes nothing.
    refused = pinned["drifted"].outcome["applied"]
    assert refused["failed"] is True and "extension 2999 was changed" in refused["msg"], refused["msg"]
    assert refused["drifted"] == ["extension 2999 was changed"]
    assert writes(pinned["drifted"]) == []


def test_pinned_apply_sends_exactly_what_the_plan_lists(pinned):
    applied = pinned["applied"]
    document = pinned["new_plan"]
    assert applied.outcome["applied"]["changed"] is True
    sent = [{"endpoint": e["endpoint"], "body": e["body"]} for e in writes(applied)]
    assert applied.outcome["applied"]["commands"] == document["commands"]
    assert [c["endpoint"] for c in sent] == [c["endpoint"] for c in document["commands"]], summary(writes(applied))


def test_pinned_apply_refuses_a_config_changed_after_the_review(pinned):
    refused = pinned["config_changed"].outcome["applied"]
    assert refused["failed"] is True
    assert "no longer matches the plan" in refused["msg"] or "other requests" in refused["msg"]


@pytest.fixture(scope="module")
def rolled_back(emulator_process, ansible_env_base, tmp_path_factory):
    """An apply keeping a snapshot, a rollback from it, and a second rollback."""
    steps = Steps(emulator_process, ansible_env_base, tmp_path_factory, "rollback", seed=SEEDED)
    snapshots = steps.workdir / "snapshots"
    runs = {"before": comparable(steps.emulator.state()), "snapshots": snapshots}
    runs["applied"] = apply(steps, {"tree": TREE, "tree_state": "overridden", "snapshot_dir": str(snapshots)})
    latest = snapshots / "pbx-latest.json"
    runs["latest"], runs["latest_mode"] = latest.read_text(), latest.stat().st_mode
    runs["rollback"] = apply(steps, {"rollback_from": str(snapshots)})
    # Rolling back again changes nothing.
    runs["again"] = apply(steps, {"rollback_from": str(snapshots)})
    return runs


def test_apply_keeps_a_snapshot_of_what_it_changes(rolled_back):
    applied = rolled_back["applied"]
    assert applied.returncode == 0, applied.output
    assert applied.outcome["applied"]["changed"] is True
    assert applied.outcome["applied"]["snapshot_file"].startswith(str(rolled_back["snapshots"]))
    assert comparable(applied.state) != rolled_back["before"]


def test_snapshot_is_private_and_holds_no_secret(rolled_back):
    latest = json.loads(rolled_back["latest"])
    assert latest["kinds"]["extensions"]["remove"] == ["2003"]
    assert "Carol-Sip-77x" not in json.dumps(latest)
    assert oct(rolled_back["latest_mode"] & 0o777) == "0o600"


def test_rollback_puts_back_what_an_apply_changed(rolled_back):
    rollback = rolled_back["rollback"]
    assert rollback.returncode == 0, rollback.output
    assert rollback.outcome["applied"]["changed"] is True, rollback.outcome["applied"]
    assert comparable(rollback.state) == rolled_back["before"]
    extensions = by(rollback.state["extensions"], "number")
    assert sorted(extensions) == ["2001", "2002", "2999"]
    # Kept without snapshot_vault_id: the deleted 2999 comes back with a password the PBX generates, and says so.
    assert rollback.outcome["applied"]["secrets_not_restored"] == ["extension 2999"]
    assert "Secrets that cannot be restored" in rollback.output and "`extension 2999`" in rollback.output


def test_second_rollback_changes_nothing(rolled_back):
    again = rolled_back["again"]
    assert again.outcome["applied"]["changed"] is False
    assert writes(again) == []
