# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_outbound_route: CRUD, trunk priority order, updates by id, trunks that must exist."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from resources_helpers import as_commands, by, play, segments, summary, writes_of

SEEDED = {
    "trunks": [
        {"trunkname": "t1", "trunktype": "peer", "host": "10.0.0.1"},
        {"trunkname": "t2", "trunktype": "peer", "host": "10.0.0.2"},
        {"trunkname": "fxo1", "type": "FXO", "port": "1"},
    ],
    "outbound_routes": [
        {"name": "extra_r1", "matchpattern": "7X", "trunks": "t1"},
        {"name": "extra_r2", "matchpattern": "8X", "trunks": "t2,t1"},
    ],
}


def test_outbound_route_lifecycle(emulator, run_playbook, tmp_path):
    emulator.put_state(SEEDED)

    returncode, output, outcome = play(run_playbook, tmp_path, "resources_outbound_route", verbosity=0, diff=False)
    assert returncode == 0, output
    assert outcome is not None, output

    log = emulator.requests()
    tasks = segments(log, "outroute/query")
    names = ["created", "rerun", "order_check", "order_real", "order_again", "replaced", "unknown_trunk", "gathered",
             "fed_back", "overridden", "deleted", "deleted_again"]
    assert len(tasks) == len(names), summary(log)
    task = dict(zip(names, tasks))
    for name in ("rerun", "order_check", "order_again", "unknown_trunk", "gathered", "fed_back", "deleted_again"):
        assert writes_of(task[name]) == [], "%s: %s" % (name, summary(task[name]))
    assert [e["endpoint"] for e in task["rerun"]] == ["outroute/query"], summary(task["rerun"])

    created = writes_of(task["created"])
    assert [(e["endpoint"], e["body"], e["status"]) for e in created] == [
        ("outroute/add", {"name": "local", "matchpattern": "NXXXXXX", "trunks": "t1,t2"}, "Success"),
        ("outroute/add", {"name": "intl", "prefix": "9", "matchpattern": "00X.", "prepend": "0", "callerid": "2XXX",
                          "trunks": "t2"}, "Success"),
        ("outroute/add", {"name": "analog", "matchpattern": "1XX", "trunks": "fxo1,t1"}, "Success"),
    ], summary(created)
    assert outcome["created"]["commands"] == as_commands(created)

    routes = by(emulator.state()["outbound_routes"], "name")

    # Changing only the order is an update by id with the trunks in the new order.
    update = writes_of(task["order_real"])
    assert [(e["endpoint"], e["body"], e["status"]) for e in update] == [
        ("outroute/update", {"id": routes["local"]["id"], "name": "local", "prefix": "", "matchpattern": "NXXXXXX",
                             "prepend": "", "callerid": "", "trunks": "t2,t1"}, "Success")], summary(update)
    assert outcome["order_check"]["commands"] == outcome["order_real"]["commands"] == as_commands(update)

    replaced = writes_of(task["replaced"])
    assert [(e["endpoint"], e["body"]) for e in replaced] == [
        ("outroute/update", {"id": routes["intl"]["id"], "name": "intl", "prefix": "", "matchpattern": "00X.",
                             "prepend": "", "callerid": "", "trunks": "t2"})], summary(replaced)

    assert "broken" in outcome["unknown_trunk"]["msg"] and "nosuch" in outcome["unknown_trunk"]["msg"]

    assert [(e["endpoint"], e["body"], e["status"]) for e in writes_of(task["overridden"])] == [
        ("outroute/delete", {"name": "extra_r1,extra_r2"}, "Success")], summary(task["overridden"])
    assert [(e["endpoint"], e["body"], e["status"]) for e in writes_of(task["deleted"])] == [
        ("outroute/delete", {"name": "analog"}, "Success")], summary(task["deleted"])
    assert len(writes_of(log)) == 3 + 1 + 1 + 1 + 1, summary(writes_of(log))

    assert sorted(routes) == ["intl", "local"]
    assert routes["local"]["trunks"] == "t2,t1"
    assert (routes["intl"]["prefix"], routes["intl"]["prepend"], routes["intl"]["callerid"]) == ("", "", "")
    gathered = by(outcome["gathered"]["gathered"], "name")
    assert gathered["analog"]["trunks"] == ["fxo1", "t1"]
    assert gathered["local"] == {"name": "local", "match_pattern": "NXXXXXX", "trunks": ["t2", "t1"]}
    # The trunks stay as they were.
    assert sorted(t["trunkname"] for t in emulator.state()["trunks"]) == ["fxo1", "t1", "t2"]
