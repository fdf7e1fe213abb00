# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every module's EXAMPLES, run as they are written, against an emulator seeded with what they name.

Each EXAMPLES is a list of tasks. All of them go into one generated playbook, one play per module; each
play resets the emulator to the seed (EXAMPLE_PBX, its --state-file), adds what its examples act on
(live calls, voicemails, ...), runs the examples unchanged and keeps the request log the examples made.
Connection options come from the UCPBX_* environment, as the examples' comment says; the variables the
examples name (vault secrets, host variables) are extra vars.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ast
import base64
import glob
import json
import os
import time

import pytest
import yaml
from ansible.playbook.task import Task

from conftest import API_PASSWORD, API_USERNAME, COLLECTION_ROOT, Emulator, playbook_runner, started_emulator, \
    tree_fact

MODULES_DIR = os.path.join(COLLECTION_ROOT, "plugins", "modules")
CONNECTION_FRAGMENT = os.path.join(COLLECTION_ROOT, "plugins", "doc_fragments", "connection.py")
MODULES = sorted(os.path.basename(path)[:-3] for path in glob.glob(os.path.join(MODULES_DIR, "uc_*.py")))


def _extension(number, name, **fields):
    return dict({"number": number, "username": name, "registerpassword": "Seed-%s-Pw" % number,
                 "status": "Idle"}, **fields)


MONITORED = {"allowbeingmonitored": "on"}
# The PBX every play starts from: what the examples name, as a small office with a hotel wing.
EXAMPLE_PBX = {
    "extensions": [
        _extension("201", "Reception"), _extension("202", "Sales"), _extension("203", "Fax"),
        _extension("204", "Back Office"), _extension("205", "Support One", **MONITORED),
        _extension("206", "Support Two", **MONITORED),
        _extension("298", "Team Lead", monitormode="Barge-in"),
        _extension("299", "Supervisor", monitormode="Extensive"),
        _extension("301", "Room 301"), _extension("302", "Room 302"), _extension("303", "Room 303"),
        _extension("600", "Help Desk"),
    ],
    "trunks": [
        {"trunkname": "itsp1", "trunktype": "register", "host": "sip.example.net", "port": "5060",
         "username": "6100", "authname": "6100", "password": "Seed-Itsp1-Pw"},
        {"trunkname": "branch-office", "trunktype": "peer", "host": "10.20.0.5", "port": "5060"},
        {"trunkname": "fxo-line1", "type": "FXO", "port": "1"},
    ],
    "outbound_routes": [{"name": "national", "matchpattern": "0.", "trunks": "itsp1"}],
    "inbound_routes": [{"name": "old-fax", "did": "88880009", "desttype": "ivr", "dest": "6501"}],
    "queues": [{"queuenumber": "6700", "queuename": "sales", "password": "1357"},
               {"queuenumber": "6701", "queuename": "support"}],
    "ring_groups": [{"number": "6200", "name": "reception", "members": "201"}],
}

# The variables the examples name, as a user's vault and host_vars would give them.
EXAMPLE_VARS = {
    "vault_sip_2001": "Alice-Sip-2001",
    "vault_itsp1_password": "Itsp1-Secret",
    "vault_room_6400_pin": "1234",
    "vault_room_6400_moderator_pin": "9876",
    "vault_queue_6700_password": "1357",
    "pbx_extensions": [{"number": number, "name": name} for number, name in (
        ("201", "Reception"), ("202", "Sales"), ("203", "Fax"), ("204", "Back Office"),
        ("205", "Support One"), ("206", "Support Two"), ("298", "Team Lead"), ("299", "Supervisor"))],
    "pbx_trunks": [{"name": "itsp1", "trunk_type": "register", "host": "sip.example.net", "port": 5060,
                    "username": "6100", "auth_name": "6100", "password": "Itsp1-Secret"}],
}
# uc_config's src example reads this file, beside the playbook.
HOST_VARS_FILE = ("host_vars/pbx1/ucpbx.yml", "ucpbx_config:\n  extensions:\n    - number: \"2002\"\n      name: Bob\n")


def _wav(text):
    return base64.b64encode(("RIFF" + text).encode("ascii")).decode("ascii")


def _yesterday_noon():
    return time.strftime("%Y-%m-%d 12:00:00", time.localtime(time.time() - 86400))


def _call(**body):
    return ("calls", body)


def _voicemail(extension, sender, status="unread"):
    return ("voicemails", {"extension": extension, "from": sender, "duration": "9", "status": status,
                           "content_b64": _wav("message for %s" % extension)})


# Per module, what its examples act on beyond EXAMPLE_PBX: control requests (path, body), POST but PUT for
# "state"; (path, body, (fact, field)) sets the variable `fact` the examples name to a field of the answer.
SETUP = {
    "uc_call": [
        _call(direction="inbound", **{"from": "0612000001", "to": "88880000", "trunk": "itsp1", "extension": "202"}),
        _call(direction="internal", **{"from": "205", "to": "206"}),
        ("calls", {"direction": "inbound", "from": "0388000000", "to": "88880001", "trunk": "itsp1",
                   "queue": "6700", "answer": False}, ("inbound_call_id", "inboundid")),
    ],
    "uc_call_info": [
        _call(direction="inbound", **{"from": "0755123456", "to": "88880000", "trunk": "itsp1", "extension": "203"}),
        _call(direction="outbound", **{"from": "204", "to": "013800000000", "trunk": "itsp1"}),
    ],
    "uc_queue_info": [
        ("calls", {"direction": "inbound", "from": "0755999888", "to": "88880001", "trunk": "itsp1",
                   "queue": "6701", "answer": False}),
    ],
    "uc_file": [
        _voicemail("201", "0755123456"),
        ("recordings", {"file": "exten-101-106-20200505-042135-1588641695.1772.wav", "content_b64": _wav("rec")}),
        ("cdr", {"records": [{"callid": "1589938168.1111", "timestart": _yesterday_noon(), "callfrom": "0755123456",
                              "callto": "201", "callduraction": "30", "talkduraction": "25",
                              "status": "ANSWERED", "type": "Inbound"}]}),
    ],
    "uc_voicemail": [
        _voicemail("201", "0755123456", "read"), _voicemail("201", "0612000001"),
        _voicemail("202", "0755123456"), _voicemail("202", "0612000001", "read"),
    ],
    "uc_hotel_checkout": [_voicemail("301", "0612000001")],
    # The API cannot read ring groups, so uc_config cannot release their members before deleting extensions.
    "uc_config": [("state", {"ring_groups": []})],
}

# Requests each module's examples must have sent (besides reads and logins): each example did its job.
EXPECTED = {
    "uc_call": ["extension/dial_extension", "extension/hangup", "queue/dial_outbound", "ringgroup/dial_outbound",
                "outbound/dial_outbound", "calltransfer", "extension/listen", "extension/barge", "inbound/hangup"],
    "uc_call_info": ["inbound/query", "inbound/hangup", "outbound/query"],
    "uc_conference": ["conference/update"],
    "uc_conference_member": ["conference/add_member", "conference/mute_member", "conference/kick_member"],
    "uc_config": ["siptrunk/add", "extension/add", "outroute/update", "extension/delete", "siptrunk/delete"],
    "uc_extension": ["extension/add", "extension/update", "extension/delete"],
    "uc_file": ["voicemail/download", "recording/download", "cdr/download"],
    "uc_hotel_checkout": ["hotel/checkout"],
    "uc_inbound_route": ["inroute/add", "inroute/delete"],
    "uc_ivr": ["ivr/update"],
    "uc_outbound_route": ["outroute/add"],
    "uc_paging_group": ["paginggroup/add"],
    "uc_pbx_info": ["deviceinfo/query", "queuestatus/query"],
    "uc_prompt": ["extension/playprompt", "outbound/playprompt"],
    "uc_queue": ["queue/update"],
    "uc_queue_agent": ["queue/add_dynamicagent", "queue/pause_agent", "queue/del_dynamicagent"],
    "uc_queue_info": ["queuestatus/query"],
    "uc_trunk": ["siptrunk/update", "siptrunk/delete"],
    "uc_voicemail": ["voicemail/query", "voicemail/delete"],
    "uc_wakeup_call": ["wakeupcall/create", "wakeupcall/delete"],
}


def _module_string(module, variable):
    with open(os.path.join(MODULES_DIR, module + ".py")) as handle:
        tree = ast.parse(handle.read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == [variable]:
            return node.value.value
    raise AssertionError("%s has no %s" % (module, variable))


def examples(module):
    return yaml.safe_load(_module_string(module, "EXAMPLES"))


def connection_options():
    with open(CONNECTION_FRAGMENT) as handle:
        tree = ast.parse(handle.read())
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["DOCUMENTATION"]:
            return set(yaml.safe_load(node.value.value)["options"])
    raise AssertionError("no DOCUMENTATION in %s" % CONNECTION_FRAGMENT)


def shape_problems(module, tasks, connection):
    """What keeps EXAMPLES from being a list of named tasks with FQCN modules and no connection options."""
    if not isinstance(tasks, list) or not tasks:
        return ["not a list of tasks"]
    problems = []
    for index, task in enumerate(tasks):
        where = "task %d" % (index + 1)
        if not isinstance(task, dict):
            problems.append("%s is not a mapping" % where)
            continue
        if not isinstance(task.get("name"), str) or not task["name"].strip():
            problems.append("%s has no name" % where)
        actions = [key for key in task if key not in Task.fattributes and not key.startswith("with_")]
        if len(actions) != 1:
            problems.append("%s has %d module keys %s (a play, or a typo?)" % (where, len(actions), actions))
            continue
        action = actions[0]
        if action.count(".") != 2:
            problems.append("%s: %s is not a fully qualified module name" % (where, action))
        if action.startswith("openvox.ucpbx.") and isinstance(task[action], dict):
            given = sorted(connection & set(task[action]))
            if given:
                problems.append("%s gives connection options %s (module_defaults carries them)" % (where, given))
    if not any("openvox.ucpbx.%s" % module in task for task in tasks if isinstance(task, dict)):
        problems.append("no task uses openvox.ucpbx.%s" % module)
    return problems


def test_every_module_is_covered():
    """A new module needs its expected requests here (and its setup, if its examples act on live state)."""
    assert sorted(EXPECTED) == MODULES


def test_examples_are_lists_of_named_tasks():
    connection = connection_options()
    problems = ["%s: %s" % (module, problem) for module in MODULES
                for problem in shape_problems(module, examples(module), connection)]
    assert problems == []


def test_shape_check_finds_a_play():
    """The shape check itself: a play, a short module name, a host option and a nameless task are found."""
    play = [{"name": "Play", "hosts": "localhost", "tasks": []}]
    task = [{"uc_ivr": {"config": []}}, {"name": "x", "openvox.ucpbx.uc_ivr": {"host": "pbx1.example.com"}}]
    assert shape_problems("uc_ivr", play, {"host"})[0].startswith("task 1 has 2 module keys")
    assert shape_problems("uc_ivr", task, {"host"}) == [
        "task 1 has no name", "task 1: uc_ivr is not a fully qualified module name",
        "task 2 gives connection options ['host'] (module_defaults carries them)"]


STEPS_SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "emulator_steps.py")


def _play(module, workdir):
    """The play of one module's examples; its setup steps go to a file beside the playbook."""
    steps = [["POST", "reset", None, None, None]]
    for step in SETUP.get(module, ()):
        fact, field = step[2] if len(step) > 2 else (None, None)
        steps.append(["PUT" if step[0] == "state" else "POST", step[0], step[1], fact, field])
    steps_file = workdir / ("setup-%s.json" % module)
    steps_file.write_text(json.dumps(steps))
    command = "{{ ansible_playbook_python | quote }} %s %s" % (STEPS_SCRIPT, steps_file)
    tasks = [{"name": "Seed the PBX for the examples of %s" % module, "ansible.builtin.set_fact": {
        "example_setup": "{{ lookup('ansible.builtin.pipe', '%s') | from_json }}" % command}}]
    facts = [step[2][0] for step in SETUP.get(module, ()) if len(step) > 2]
    if facts:
        tasks.append({"name": "Name what the examples act on", "ansible.builtin.set_fact": dict(
            (fact, "{{ example_setup.%s }}" % fact) for fact in facts)})
    tasks += examples(module)
    log = "lookup('ansible.builtin.url', lookup('ansible.builtin.env', 'UCPBX_EMULATOR_URL') ~ '/_emulator/requests')"
    tasks.append({"name": "Keep what the examples of %s sent" % module, "ansible.builtin.set_fact": {
        "outcome": "{{ outcome | default({}) | combine({'%s': (%s | from_json).requests "
                   "| map(attribute='endpoint') | list}) }}" % (module, log)}})
    return {"name": "Examples of %s" % module, "hosts": "pbx", "gather_facts": False, "tasks": tasks}


@pytest.fixture(scope="module")
def examples_run(ansible_env_base, tmp_path_factory):
    """The generated playbook run once: (returncode, output, {module: endpoints its examples sent})."""
    workdir = tmp_path_factory.mktemp("examples")
    state_file = workdir / "example-pbx.json"
    state_file.write_text(json.dumps(EXAMPLE_PBX))
    host_vars = workdir / HOST_VARS_FILE[0]
    host_vars.parent.mkdir(parents=True)
    host_vars.write_text(HOST_VARS_FILE[1])
    archive = workdir / "archive"
    archive.mkdir()
    (workdir / "emulator").mkdir()
    playbook = workdir / "examples.yml"
    playbook.write_text(json.dumps([_play(module, workdir) for module in MODULES], indent=1))
    with started_emulator(workdir / "emulator", "--username", API_USERNAME, "--password", API_PASSWORD,
                          "--state-file", str(state_file)) as port:
        run = playbook_runner(Emulator(port), str(workdir / "token-cache"), ansible_env_base, workdir)
        tree = workdir / "tree"
        returncode, output = run(str(playbook), dict(EXAMPLE_VARS, archive_dir=str(archive)), tree=tree)
    return returncode, output, tree_fact(tree, "outcome") or {}, archive


def test_examples_run(examples_run):
    returncode, output, _sent, archive = examples_run
    assert returncode == 0, output
    # A skipped task (a `when` that did not hold, an empty loop) did not show what it is there for.
    assert "skipping:" not in output, output
    assert sorted(os.listdir(str(archive))) == [
        "201-msg0000.wav", "cdr-yesterday.csv", "exten-101-106-20200505-042135-1588641695.1772.wav"]


@pytest.mark.parametrize("module", MODULES)
def test_examples_sent_their_requests(examples_run, module):
    returncode, output, sent, _archive = examples_run
    assert module in sent, "the examples of %s did not finish (exit %d):\n%s" % (module, returncode, output)
    missing = [endpoint for endpoint in EXPECTED[module] if endpoint not in sent[module]]
    assert missing == [], "%s sent %s" % (module, sent[module])
