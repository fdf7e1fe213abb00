# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Check mode foresees what the PBX refuses: module x state x (object in use, renamed, missing reference,
value the PBX refuses, round trip), each case run with --check and for real from the same seeded PBX.

The modules run in this process (as Ansible would run them, arguments and exit included) against the
emulator, so the matrix costs requests, not ansible-playbook starts. For each case:
- check mode and the real run agree on failed, changed, commands (and the message when refused);
- a refused case sends no write in either run (emulator request log);
- an accepted case's real run leaves nothing for a second check run to change.
A few of these cases also run end to end in ansible-playbook, among the cases of every_module.py.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import importlib
import io
import json
import sys

import pytest

from conftest import API_PASSWORD, API_USERNAME, COLLECTIONS_PATH, summary

if COLLECTIONS_PATH not in sys.path:
    sys.path.insert(0, COLLECTIONS_PATH)

from ansible.module_utils.testing import patch_module_args  # noqa: E402

SEED = {
    "extensions": [
        {"number": "2001", "username": "Used"},
        {"number": "2002", "username": "Agent"},
        {"number": "2003", "username": "Forwards", "busyforward": "on", "btransferto": "Extension",
         "btransferext": "2001"},
        {"number": "2004", "username": "Free", "email": "free@example.com"},
    ],
    "trunks": [{"trunkname": "old", "trunktype": "peer", "host": "10.9.0.1", "port": "5060"},
               {"trunkname": "spare", "trunktype": "peer", "host": "10.9.0.2", "port": "5060"}],
    "outbound_routes": [{"name": "out", "matchpattern": "9X.", "trunks": "old"}],
    "inbound_routes": [{"name": "main", "desttype": "extension", "dest": "2001"}],
    "paging_groups": [{"number": "6300", "name": "floor", "type": "paging", "member": "2001,2002"}],
    "queues": [{"queuenumber": "6700", "queuename": "sales", "agents": "2002"},
               {"queuenumber": "6701", "queuename": "support"}],
}
# Only what the default device has: no extension, trunk, route or paging group.
EMPTY = {"extensions": [], "trunks": [], "outbound_routes": [], "inbound_routes": [], "paging_groups": []}

OUT_ON_NEW = {"name": "out", "match_pattern": "9X.", "trunks": ["new"]}
MOVED_USERS = {
    "extensions": [{"number": "2002"}, {"number": "2003", "busy_forward": False, "busy_forward_to": "voicemail"},
                   {"number": "2004"}],
    "paging_groups": [{"number": "6300", "name": "floor", "type": "paging", "members": ["2002"]}],
    "inbound_routes": [{"name": "main", "destination_type": "extension", "destination": "2004"}],
}

# (case, module, arguments, refused: a text of the message | None, seed)
CASES = [
    # an object in use
    ("extension deleted, in use by a route, a paging group and a forward", "uc_extension",
     {"state": "deleted", "config": [{"number": "2001"}]},
     "extension 2001 cannot be deleted: extension(s) 2003 (busy_forward_extension); inbound route(s) main", SEED),
    ("extension deleted, a queue agent", "uc_extension", {"state": "deleted", "config": [{"number": "2002"}]},
     "extension 2002 cannot be deleted: paging group(s) 6300 (members); queue(s) 6700 (static_agents)", SEED),
    ("extension overridden leaves a used one out", "uc_extension",
     {"state": "overridden", "config": [{"number": "2002"}, {"number": "2003"}, {"number": "2004"}]},
     "extension 2001 cannot be deleted", SEED),
    ("extension deleted, not in use", "uc_extension", {"state": "deleted", "config": [{"number": "2004"}]}, None, SEED),
    ("trunk deleted, a route dials through it", "uc_trunk", {"state": "deleted", "config": [{"name": "old"}]},
     "trunk old cannot be deleted: outbound route(s) out (trunks) refer to it", SEED),
    ("trunk deleted, not in use", "uc_trunk", {"state": "deleted", "config": [{"name": "spare"}]}, None, SEED),
    ("trunk overridden leaves the routed one out", "uc_trunk",
     {"state": "overridden", "config": [{"name": "spare", "trunk_type": "peer", "host": "10.9.0.2", "port": 5060}]},
     "trunk old cannot be deleted", SEED),
    ("paging group deleted (nothing refers to one)", "uc_paging_group",
     {"state": "deleted", "config": [{"number": "6300"}]}, None, SEED),
    ("config overridden leaves the paging group out", "uc_config",
     {"state": "overridden", "config": {"extensions": MOVED_USERS["extensions"]}},
     "extension 2001 cannot be deleted: inbound route(s) main (destination); paging group(s) 6300 (members)",
     SEED),
    ("config overridden moves every user first", "uc_config",
     {"state": "overridden", "config": MOVED_USERS}, None, SEED),
    # renamed
    ("extension renumbered while in use", "uc_extension",
     {"config": [{"number": "3150", "rename_from": "2001"}]},
     "extension 2001 cannot be renamed to 3150: extension(s) 2003 (busy_forward_extension); inbound route(s) main",
     SEED),
    ("extension renumbered, not in use", "uc_extension", {"config": [{"number": "3160", "rename_from": "2004"}]},
     None, SEED),
    ("config renumbers and points the users at the new number", "uc_config",
     {"config": {"extensions": [{"number": "3150", "rename_from": "2001"}],
                 "inbound_routes": [{"name": "main", "destination_type": "extension", "destination": "3150"}]}},
     "extension 2001 cannot be renamed to 3150", SEED),
    ("extension rename_from names nothing", "uc_extension", {"config": [{"number": "3170", "rename_from": "2999"}]},
     "extension 3170: rename_from 2999 names no extension on the PBX", SEED),
    ("trunk renamed, the PBX moves the route", "uc_trunk", {"config": [{"name": "new", "rename_from": "old"}]},
     None, SEED),
    ("config renames a trunk its route still names", "uc_config",
     {"config": {"trunks": [{"name": "new", "rename_from": "old"}],
                 "outbound_routes": [{"name": "out", "match_pattern": "9X.", "trunks": ["old"]}]}},
     "trunk old is renamed to new by this run, but outbound route(s) out (trunks) still name old", SEED),
    ("config renames a trunk and its route", "uc_config",
     {"config": {"trunks": [{"name": "new", "rename_from": "old"}], "outbound_routes": [OUT_ON_NEW]}}, None, SEED),
    ("trunk rename_from names nothing", "uc_trunk", {"config": [{"name": "new", "rename_from": "gone"}]},
     "trunk new: rename_from gone names no trunk on the PBX", SEED),
    # a missing reference
    ("extension forwards to a missing extension", "uc_extension",
     {"config": [{"number": "2004", "busy_forward": True, "busy_forward_to": "extension",
                  "busy_forward_extension": "2999"}]},
     "extension 2004: busy_forward_extension '2999' does not exist on the PBX", SEED),
    ("paging group member missing", "uc_paging_group",
     {"config": [{"number": "6300", "name": "floor", "type": "paging", "members": ["2001", "2999"]}]},
     "paging group 6300: members '2999' does not exist on the PBX", SEED),
    ("queue agent missing", "uc_queue", {"config": [{"number": "6701", "static_agents": ["2999"]}]},
     "queue 6701: static_agents '2999' does not exist on the PBX", SEED),
    ("inbound route to a missing extension", "uc_inbound_route",
     {"state": "replaced", "config": [{"name": "main", "destination_type": "extension", "destination": "2999"}]},
     "inbound route main: destination '2999' does not exist on the PBX", SEED),
    ("inbound route to a missing IVR", "uc_inbound_route",
     {"config": [{"name": "night", "destination_type": "ivr", "destination": "6599"}]},
     "inbound route night: destination '6599' does not exist on the PBX", SEED),
    ("outbound route through a missing trunk", "uc_outbound_route",
     {"config": [{"name": "intl", "match_pattern": "00.", "trunks": ["nowhere"]}]},
     "outbound route intl: trunks 'nowhere' does not exist on the PBX", SEED),
    ("config route through a trunk of the same tree", "uc_config",
     {"config": {"trunks": [{"name": "fresh", "trunk_type": "peer", "host": "10.9.0.3", "port": 5060}],
                 "outbound_routes": [{"name": "intl", "match_pattern": "00.", "trunks": ["fresh"]}]}}, None, SEED),
    # values the PBX refuses
    ("outbound route named all", "uc_outbound_route",
     {"config": [{"name": "all", "match_pattern": "00.", "trunks": ["old"]}]}, "name 'all' is not valid", SEED),
    ("a trunk twice in a route", "uc_outbound_route",
     {"config": [{"name": "out", "match_pattern": "9X.", "trunks": ["old", "spare", "old"]}]},
     "trunks lists 'old' more than once", SEED),
    ("empty queue name", "uc_queue", {"config": [{"number": "6700", "name": ""}]}, "name '' is not valid", SEED),
    ("empty conference name", "uc_conference", {"config": [{"number": "6400", "name": ""}]},
     "name '' is not valid", SEED),
    ("an IVR name another IVR has", "uc_ivr", {"config": [{"number": "6500", "name": "night"}]},
     "IVR 6500: name 'night' is the name of IVR 6501 too", SEED),
    ("a 100 kB name", "uc_extension", {"config": [{"number": "2004", "name": "x" * 100000}]},
     "name is 100000 characters long", SEED),
    ("an email that is not one", "uc_extension", {"config": [{"number": "2004", "email": "free at example"}]},
     "email 'free at example' is not valid", SEED),
    ("an email left as it is", "uc_extension", {"state": "replaced", "config": [
        {"number": "2004", "name": "Free", "email": "free@example.com"}]}, None, SEED),
    # the round trip on a PBX that has none of a kind
    ("config overridden with empty lists, none on the PBX", "uc_config",
     {"state": "overridden", "config": {"extensions": [], "trunks": [], "paging_groups": [], "inbound_routes": [],
                                        "outbound_routes": []}}, None, EMPTY),
    ("config overridden with an empty list, some on the PBX", "uc_config",
     {"state": "overridden", "config": {"outbound_routes": [], "trunks": []}},
     "config has an empty list for trunks, outbound_routes", SEED),
]


def run_module(emulator, token_cache_dir, module, args, check):
    """The result of one module run in this process, as Ansible would get it (`failed` included)."""
    params = dict(args, host=emulator.host, port=emulator.port, username=API_USERNAME, password=API_PASSWORD,
                  token_cache_dir=token_cache_dir, _ansible_check_mode=check)
    main = importlib.import_module("ansible_collections.openvox.ucpbx.plugins.modules.%s" % module).main
    output = io.StringIO()
    with patch_module_args(params), contextlib.redirect_stdout(output):
        with pytest.raises(SystemExit):
            main()
    result = json.loads(output.getvalue())
    # As Ansible reads it: a result without `changed` or `failed` is neither.
    result["failed"] = bool(result.get("failed"))
    result["changed"] = bool(result.get("changed"))
    return result


def seeded(emulator, seed):
    emulator.reset()
    emulator.put_state(seed)
    emulator.clear_log()


@pytest.fixture(scope="module")
def outcomes(emulator_process, tmp_path_factory):
    emulator = emulator_process
    cache = str(tmp_path_factory.mktemp("refusals") / "token-cache")
    found = {}
    for name, module, args, _refused, seed in CASES:
        seeded(emulator, seed)
        check = run_module(emulator, cache, module, args, check=True)
        check_writes = emulator.writes()
        seeded(emulator, seed)
        real = run_module(emulator, cache, module, args, check=False)
        real_writes = emulator.writes()
        again = None if real["failed"] else run_module(emulator, cache, module, args, check=True)
        found[name] = (check, check_writes, real, real_writes, again)
    emulator.reset()
    return found


@pytest.mark.parametrize("name, module, args, refused, seed", CASES, ids=[case[0] for case in CASES])
def test_check_mode_and_the_real_run_agree(outcomes, name, module, args, refused, seed):
    check, check_writes, real, real_writes, again = outcomes[name]
    assert check["failed"] == real["failed"] == (refused is not None), (check.get("msg"), real.get("msg"))
    assert check["changed"] == real["changed"]
    if refused is None:
        assert check["commands"] == real["commands"]
        assert len(real_writes) == len(real["commands"]), summary(real_writes)
        assert check_writes == []
        assert again["changed"] is False, again.get("commands")
    else:
        assert refused in real["msg"], real["msg"]
        assert check["msg"] == real["msg"]
        assert check.get("commands", []) == real.get("commands", []) == []
        assert "nothing was changed on the PBX" in real["msg"] or "nothing was sent" in real["msg"], real["msg"]
        assert (check_writes, real_writes) == ([], []), summary(check_writes + real_writes)
        assert real["changed"] is False


def test_the_matrix_covers_every_situation():
    situations = {"in use": 0, "renamed": 0, "missing": 0}
    for name, _module, _args, _refused, _seed in CASES:
        for word in situations:
            situations[word] += word in name or (word == "renamed" and ("renam" in name or "rename_from" in name))
    assert min(situations.values()) >= 3, situations


@pytest.mark.parametrize("seed", [EMPTY, SEED], ids=["a PBX with none of most kinds", "a PBX with every kind"])
def test_a_gathered_tree_applies_back_with_overridden_unchanged(emulator, token_cache_dir, seed):
    seeded(emulator, seed)
    tree = run_module(emulator, token_cache_dir, "uc_config", {"state": "gathered"}, check=False)["gathered"]
    assert [kind for kind, items in tree.items() if not items] if seed is EMPTY else True
    for check in (True, False):
        result = run_module(emulator, token_cache_dir, "uc_config", {"state": "overridden", "config": tree},
                            check=check)
        assert (result["failed"], result["changed"]) == (False, False), result.get("msg") or result["commands"]
    assert emulator.writes() == []
