# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_config plan pinning (plan_out / plan_in) and snapshots with rollback."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from resources_helpers import by, play, summary

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
                        {"name": "intl", "match_pattern": "00X.", "prepend": "+", "trunks": ["lan"]}],
}


def writes(emulator):
    return [e for e in emulator.requests() if not e["endpoint"].endswith(("query", "login"))]


def comparable(state):
    """The PBX state without what a rollback cannot restore: secrets the PBX generates, ids."""
    view = {}
    for kind in ("trunks", "extensions", "outbound_routes"):
        view[kind] = sorted((dict((k, v) for k, v in record.items()
                                  if k not in ("id", "registerpassword", "loginpassword", "vmsecret", "password"))
                             for record in state[kind]), key=lambda record: json.dumps(record, sort_keys=True))
    return view


def test_an_apply_is_held_to_the_reviewed_plan(emulator, run_playbook, tmp_path):
    emulator.put_state(SEEDED)
    plan_dir = tmp_path / "plan"
    extra = {"tree": TREE, "tree_state": "overridden", "plan_out": str(plan_dir)}
    returncode, output, outcome = play(run_playbook, tmp_path, "config_tree_apply", extra, check=True)
    assert returncode == 0, output
    planned = outcome["applied"]
    assert planned["changed"] is True and writes(emulator) == []
    document = json.loads((plan_dir / "pbx.json").read_text())
    assert document["commands"] == planned["commands"]
    assert sorted(document["kinds"]["extensions"]["objects"]) == ["2001", "2002", "2999"]
    markdown = (plan_dir / "pbx.md").read_text()
    assert markdown.startswith("### PBX plan for `pbx`")
    assert "| extensions | 1 | 2 | 1 | 1 |" in markdown
    assert "- rename `2002` to `2102`" in markdown
    assert "- update `2001`: email: alice@example.com → (empty); name: Alice → Alice Martin" in markdown
    assert "register_password: ********" in markdown and "Carol-Sip-77x" not in markdown
    assert "- delete `2999`" in markdown

    # Someone edits the PBX after the review: the pinned apply refuses, names it, writes nothing.
    emulator.put_state({"extensions": SEEDED["extensions"][:2] + [{"number": "2999", "username": "Changed"}]})
    emulator.clear_log()
    pinned = {"tree": TREE, "tree_state": "overridden", "plan_in": str(plan_dir)}
    returncode, output, outcome = play(run_playbook, tmp_path, "config_tree_apply", pinned)
    assert returncode == 0, output
    refused = outcome["applied"]
    assert refused["failed"] is True and "extension 2999 was changed" in refused["msg"], refused["msg"]
    assert refused["drifted"] == ["extension 2999 was changed"]
    assert writes(emulator) == []

    # A new plan, then the apply sends exactly what it lists.
    returncode, output, outcome = play(run_playbook, tmp_path, "config_tree_apply", extra, check=True)
    assert returncode == 0, output
    document = json.loads((plan_dir / "pbx.json").read_text())
    emulator.clear_log()
    returncode, output, outcome = play(run_playbook, tmp_path, "config_tree_apply", pinned)
    assert returncode == 0, output
    assert outcome["applied"]["changed"] is True
    sent = [{"endpoint": e["endpoint"], "body": e["body"]} for e in writes(emulator)]
    assert outcome["applied"]["commands"] == document["commands"]
    assert [c["endpoint"] for c in sent] == [c["endpoint"] for c in document["commands"]], summary(writes(emulator))

    # The config changed after the review: refused as well.
    other = dict(TREE, extensions=TREE["extensions"] + [{"number": "2004"}])
    returncode, output, outcome = play(run_playbook, tmp_path, "config_tree_apply",
                                       dict(pinned, tree=other))
    assert outcome["applied"]["failed"] is True
    assert "no longer matches the plan" in outcome["applied"]["msg"] or "other requests" in outcome["applied"]["msg"]


def test_rollback_puts_back_what_an_apply_changed(emulator, run_playbook, tmp_path):
    emulator.put_state(SEEDED)
    before = comparable(emulator.state())
    snapshots = tmp_path / "snapshots"
    returncode, output, outcome = play(run_playbook, tmp_path, "config_tree_apply",
                                       {"tree": TREE, "tree_state": "overridden", "snapshot_dir": str(snapshots)})
    assert returncode == 0, output
    applied = outcome["applied"]
    assert applied["changed"] is True and applied["snapshot_file"].startswith(str(snapshots))
    assert comparable(emulator.state()) != before
    latest = json.loads((snapshots / "pbx-latest.json").read_text())
    assert latest["kinds"]["extensions"]["remove"] == ["2003"]
    assert "Carol-Sip-77x" not in json.dumps(latest)
    assert oct((snapshots / "pbx-latest.json").stat().st_mode & 0o777) == "0o600"

    returncode, output, outcome = play(run_playbook, tmp_path, "config_tree_apply", {"rollback_from": str(snapshots)})
    assert returncode == 0, output
    assert outcome["applied"]["changed"] is True, outcome["applied"]
    assert comparable(emulator.state()) == before
    extensions = by(emulator.state()["extensions"], "number")
    assert sorted(extensions) == ["2001", "2002", "2999"]

    # Rolling back again changes nothing.
    emulator.clear_log()
    returncode, output, outcome = play(run_playbook, tmp_path, "config_tree_apply", {"rollback_from": str(snapshots)})
    assert outcome["applied"]["changed"] is False
    assert writes(emulator) == []
