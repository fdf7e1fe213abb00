# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/rollback.yml against two PBXes: a rollback undoes one run, only where it changed
something, through renames and references, with the secrets the snapshots kept.

One fleet, one sequence of real ansible-playbook runs, checked step by step (each run costs seconds).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re

import yaml
from ansible.parsing.vault import VaultLib, VaultSecret


class UnsafeLoader(yaml.SafeLoader):
    """Reads the !unsafe strings of a vault file as the strings themselves."""


UnsafeLoader.add_constructor("!unsafe", lambda loader, node: loader.construct_scalar(node))

SECRETS = ("Sales-301-pw", "Desk-302-pw", "Leaver-2001-pw", "Changed-302-pw")
BASE_A = {"extensions": [{"number": "301", "name": "Sales Desk", "register_password": "Sales-301-pw"},
                         {"number": "302", "name": "Desk", "register_password": "Desk-302-pw"},
                         {"number": "2001", "name": "Leaver", "register_password": "Leaver-2001-pw"}],
          "queues": [{"number": "6700", "name": "sales", "static_agents": ["302"]}],
          "inbound_routes": [{"name": "main", "destination_type": "extension", "destination": "302"}]}
BASE_B = {"extensions": [{"number": "501", "name": "B one"}, {"number": "502", "name": "B two"}]}
# Renames 301 to 3150 and points the queue and the route at it, changes a SIP password, deletes 2001.
RENAMED_A = {"extensions": [{"number": "3150", "rename_from": "301", "name": "Sales Desk"},
                            {"number": "302", "name": "Desk", "register_password": "Changed-302-pw"}],
             "queues": [{"number": "6700", "name": "sales", "static_agents": ["302", "3150"]}],
             "inbound_routes": [{"name": "main", "destination_type": "extension", "destination": "3150"}]}


def fleet(directory, a, b):
    (directory / "host_vars" / "pbx-a").mkdir(parents=True, exist_ok=True)
    (directory / "host_vars" / "pbx-b").mkdir(parents=True, exist_ok=True)
    hosts = {"pbxes": {"hosts": {"pbx-a": {"pbx_port": a.port}, "pbx-b": {"pbx_port": b.port}},
                       "vars": {"ansible_connection": "local", "pbx_host": "127.0.0.1",
                                "ansible_python_interpreter": "{{ ansible_playbook_python }}"}}}
    (directory / "hosts.yml").write_text(json.dumps(hosts))

    def configure(config_a, state="merged"):
        for host, config in (("pbx-a", config_a), ("pbx-b", BASE_B)):
            host_vars = {"ucpbx_config": config, "ucpbx_state": state, "ucpbx_snapshot_vault_id": "snap"}
            (directory / "host_vars" / host / "ucpbx.yml").write_text(json.dumps(host_vars))
    return configure


def pbx_view(state):
    """What a rollback must give back: extensions with their SIP passwords, queue agents, route targets."""
    return {"extensions": sorted((e["number"], e.get("username"), e.get("registerpassword")) for e in state["extensions"]),
            "queues": sorted((q["queuenumber"], q.get("agents")) for q in state["queues"]),
            "routes": sorted((r["name"], r.get("dest")) for r in state["inbound_routes"])}


def writes_of(emulator):
    return [(e["endpoint"], e["body"]) for e in emulator.requests()
            if e["endpoint"].endswith(("/add", "/update", "/delete"))]


def test_rollback_undoes_one_run_exactly(start_emulator, ansible_playbook, tmp_path):
    a, b = start_emulator(), start_emulator()
    inventory = tmp_path / "fleet"
    configure = fleet(inventory, a, b)
    password_file = tmp_path / "vault-password"
    password_file.write_text("snapshot-vault-pw\n")
    vault = ["--vault-id", "snap@%s" % password_file]
    outputs = []

    def play(playbook, extra_vars=None, args=(), expect_rc=0):
        run = ansible_playbook(playbook, [inventory], extra_vars=extra_vars, args=list(args) + vault,
                               expect_rc=expect_rc)
        outputs.append(run.output)
        return run

    configure(BASE_A)
    play("site.yml")
    base_a, base_b = pbx_view(a.state()), b.state()
    # A run that renames 301, points the queue and the route at 3150 and changes a SIP password fails
    # halfway (the route update refused); its rerun completes it. Neither changes B.
    configure(RENAMED_A, state="overridden")
    a.control("POST", "faults", {"count": 1, "kind": "errno", "errno": "10004", "endpoint": "inroute/update"})
    play("site.yml", expect_rc=2)
    play("site.yml")
    assert pbx_view(a.state())["routes"] == [("main", "3150")]
    runs_dir = tmp_path / "snapshots" / "runs"
    runs = sorted(os.listdir(str(runs_dir)))
    failed, rerun = [json.loads((runs_dir / name).read_text()) for name in runs[-2:]]
    assert sorted(failed["pbxes"]) == ["pbx-a"] and sorted(rerun["pbxes"]) == ["pbx-a"], (failed, rerun)
    assert failed["pbxes"]["pbx-a"]["state"] == "failed" and rerun["pbxes"]["pbx-a"]["state"] == "applied"

    # --check plans going back to before the failed run on A (a plan file, no write) and leaves B alone.
    a.clear_requests()
    b.clear_requests()
    back = {"ucpbx_rollback_run": failed["run"]}
    check = play("rollback.yml", dict(back, ucpbx_plan_out=str(tmp_path / "plan")), args=["--check", "--diff"])
    assert check.recap("pbx-a")["changed"] == 1 and check.recap("pbx-b")["changed"] == 0
    assert writes_of(a) == [] and b.requests() == []
    planned = json.loads((tmp_path / "plan" / "pbx-a.json").read_text())["commands"]

    # The real rollback sends what --check planned, in that order: the queue and the route first,
    # then 3150 back to 301; B gets no request at all.
    a.clear_requests()
    rollback = play("rollback.yml", back)
    assert b.requests() == []
    sent = writes_of(a)
    endpoints = [endpoint for endpoint, _body in sent]
    assert endpoints == [c["endpoint"] for c in planned]
    renamed_back = sent.index(("extension/update", {"extid": "3150", "extnumber": "301"}))
    assert renamed_back > endpoints.index("inroute/update") and renamed_back > endpoints.index("queue/update"), sent
    # Everything is back as before the failed run, SIP passwords included (kept encrypted), and 2001
    # (deleted by the rerun) re-created with its own.
    assert pbx_view(a.state()) == base_a
    assert b.state() == base_b
    assert "Secrets that cannot be restored" not in rollback.output
    states = [json.loads((runs_dir / name).read_text())["pbxes"]["pbx-a"]["state"] for name in runs[-2:]]
    assert states == ["rolled back", "rolled back"]

    # An export with ucpbx_export_secrets=vault: the tree refers to vault variables, vault.yml holds
    # the PBX's own secrets in them, encrypted.
    play("export.yml", {"ucpbx_export_secrets": "vault", "ucpbx_export_vault_id": "snap",
                        "ucpbx_export_dir": str(tmp_path / "export"), "ucpbx_hosts": "pbx-a"})
    exported = tmp_path / "export" / "host_vars" / "pbx-a"
    sealed = (exported / "vault.yml").read_text()
    assert sealed.startswith("$ANSIBLE_VAULT;1.2;AES256;snap")
    secret = VaultSecret(b"snapshot-vault-pw")
    variables = yaml.load(VaultLib([("snap", secret)]).decrypt(sealed), Loader=UnsafeLoader)  # nosec B506
    assert variables["vault_ucpbx_pbx_a_extensions_302_register_password"] == "Desk-302-pw"
    references = set(re.findall(r"\{\{ (vault_ucpbx_\w+) \}\}", (exported / "ucpbx.yml").read_text()))
    assert references and references == set(variables)

    # No secret is written in clear, nor printed.
    written = [os.path.join(root, name) for top in ("snapshots", "export")
               for root, _dirs, files in os.walk(str(tmp_path / top)) for name in files]
    for path in written:
        with open(path) as handle:
            text = handle.read()
        assert not [secret for secret in SECRETS if secret in text], path
    assert not [secret for secret in SECRETS if secret in "\n".join(outputs)]
