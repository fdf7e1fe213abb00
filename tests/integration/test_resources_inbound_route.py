# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_inbound_route: CRUD by name, destinations that must exist, replaced clearing did/caller_id."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from resources_helpers import api_query, as_commands, by, play, segments, summary, writes_of

SEEDED = {
    "extensions": [{"number": "2001", "username": "Boss"}, {"number": "2002", "username": "Clerk"}],
    "inbound_routes": [
        {"name": "extra_a", "desttype": "hangup"},
        {"name": "extra_b", "did": "777", "desttype": "extension", "dest": "2002"},
    ],
}


def test_inbound_route_lifecycle(emulator, run_playbook, tmp_path):
    emulator.put_state(SEEDED)

    returncode, output, outcome = play(run_playbook, tmp_path, "resources_inbound_route", verbosity=0, diff=False)
    assert returncode == 0, output
    assert outcome is not None, output

    log = emulator.requests()
    tasks = segments(log, "inroute/query")
    names = ["created", "rerun", "main_check", "main_real", "replaced", "replaced_again", "dangling_real",
             "dangling_check", "gathered", "fed_back", "overridden", "deleted", "deleted_again"]
    assert len(tasks) == len(names), summary(log)
    task = dict(zip(names, tasks))
    for name in ("rerun", "main_check", "replaced_again", "dangling_real", "dangling_check", "gathered", "fed_back",
                 "deleted_again"):
        assert writes_of(task[name]) == [], "%s: %s" % (name, summary(task[name]))
    assert [e["endpoint"] for e in task["rerun"]] == ["inroute/query"], summary(task["rerun"])
    assert [e["endpoint"] for e in task["gathered"]] == ["inroute/query"], summary(task["gathered"])

    created = writes_of(task["created"])
    assert [(e["endpoint"], e["body"], e["status"]) for e in created] == [
        ("inroute/add", {"name": "main", "did": "5551000", "desttype": "ivr", "dest": "6500"}, "Success"),
        ("inroute/add", {"name": "support", "did": "5551001", "caller_id": "0755.", "desttype": "queue",
                         "dest": "6701"}, "Success"),
        # The API wants dest on every add and update; hangup sends it empty.
        ("inroute/add", {"name": "night", "desttype": "hangup", "dest": ""}, "Success"),
        ("inroute/add", {"name": "boss", "did": "5551002", "desttype": "voicemail", "dest": "2001"}, "Success"),
        ("inroute/add", {"name": "meet", "did": "5551003", "desttype": "conference", "dest": "6400"}, "Success"),
    ], summary(created)
    assert outcome["created"]["commands"] == as_commands(created)

    # Updates are addressed by name (the PBX has no id for inbound routes) and carry the whole route.
    update = writes_of(task["main_real"])
    assert [(e["endpoint"], e["body"], e["status"]) for e in update] == [
        ("inroute/update", {"name": "main", "did": "5551000", "caller_id": "", "desttype": "extension",
                            "dest": "2001"}, "Success")], summary(update)
    assert "id" not in update[0]["body"]
    assert outcome["main_check"]["commands"] == outcome["main_real"]["commands"] == as_commands(update)

    # replaced clears did and caller_id.
    replaced = writes_of(task["replaced"])
    assert [(e["endpoint"], e["body"]) for e in replaced] == [
        ("inroute/update", {"name": "support", "did": "", "caller_id": "", "desttype": "queue", "dest": "6700"})]

    # Missing destinations: the real run fails naming route and target, the check run warns; neither writes.
    msg = outcome["dangling_real"]["msg"]
    for route, target in (("to_nobody", "2999"), ("to_no_queue", "6799"), ("to_no_ivr", "6599")):
        assert route in msg and target in msg, msg
        assert [w for w in outcome["dangling_check"]["warnings"] if route in w and target in w], \
            outcome["dangling_check"]["warnings"]

    assert [(e["endpoint"], e["body"], e["status"]) for e in writes_of(task["overridden"])] == [
        ("inroute/delete", {"name": "extra_a,extra_b"}, "Success")], summary(task["overridden"])
    assert [(e["endpoint"], e["body"], e["status"]) for e in writes_of(task["deleted"])] == [
        ("inroute/delete", {"name": "night"}, "Success")], summary(task["deleted"])
    assert len(writes_of(log)) == 5 + 1 + 1 + 1 + 1, summary(writes_of(log))

    routes = by(emulator.state()["inbound_routes"], "name")
    assert sorted(routes) == ["boss", "main", "meet", "support"]
    main = routes["main"]
    assert (main["desttype"], main["dest"], main["did"]) == ("extension", "2001", "5551000")
    assert (routes["support"]["did"], routes["support"]["caller_id"], routes["support"]["dest"]) == ("", "", "6700")
    assert (routes["meet"]["desttype"], routes["meet"]["dest"]) == ("conference", "6400")

    # The PBX reports every inbound route with an empty id.
    reported = api_query(emulator, "inroute/query", {"name": "all"})["inroutes"]
    assert sorted(r["name"] for r in reported) == ["boss", "main", "meet", "support"]
    assert set(r.get("id") for r in reported) == {""}, reported
