# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every module, every state of the resource modules, with a distinctive value in every secret.

The cases are written into one generated playbook: each case runs in check mode and then for
real, from the same PBX state, both registered; the test compares the two and searches every
output for the secret values ("canaries"). Playbooks are written as JSON, which is YAML.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from conftest import API_PASSWORD, md5_hex

# Distinctive values: none of them can appear in an output by chance.
CANARIES = {
    "extension register password": "CanaryRegQx71w",
    "extension register password, rotated": "CanaryRegRotPz3",
    "extension login password": "CanaryLoginZk52",
    "extension voicemail pin": "739105824",
    "trunk password": "CanaryTrunkVb94",
    "trunk password, rotated": "CanaryTrunkRotJ6",
    "queue password": "582640193",
    "queue password, other queue": "471036285",
    "conference participant pin": "604821357",
    "conference moderator pin": "913572468",
    "conference pin, other room": "284619537",
    "wrong queue password": "360492718",
}
C = CANARIES


def secrets_to_find(token=None):
    """Every value that must not appear: the canaries, the API password, their md5, the token."""
    values = dict(CANARIES)
    values["api password"] = API_PASSWORD
    values.update(("md5 of %s" % name, md5_hex(value)) for name, value in list(values.items()))
    if token:
        values["api token"] = token
    return values


# The PBX before every case list: extensions the cases refer to.
SEED = {"extensions": [
    {"number": "3801", "username": "Seed One", "registerpassword": "SeedPw3801", "hasvoicemail": "on",
     "vmsecret": "3801"},
    {"number": "3802", "username": "Seed Two", "registerpassword": "SeedPw3802"},
    {"number": "3803", "username": "Seed Three", "registerpassword": "SeedPw3803"},
    {"number": "3804", "username": "Seed Four", "registerpassword": "SeedPw3804", "status": "Idle"},
]}

EXT_NEW = {"number": "3810", "name": "Canary New", "register_password": C["extension register password"],
           "login_password": C["extension login password"], "voicemail": True,
           "voicemail_pin": C["extension voicemail pin"]}
TRUNK_REG = {"name": "canary-reg", "trunk_type": "register", "host": "sip.canary.example", "port": 5060,
             "username": "0170000000", "auth_name": "0170000000", "password": C["trunk password"]}
TRUNK_PEER = {"name": "canary-peer", "trunk_type": "peer", "host": "10.17.0.1", "port": 5060}


def state_cases(label, module, *steps):
    """(name, module, args) of one module's cases: steps are (state, config), config None for gathered."""
    cases = []
    for state, config in steps:
        args = {} if state == "merged" else {"state": state}
        if config is not None:
            args["config"] = config
        cases.append(("%s %s" % (label, state), module, args))
    return cases


def resource_cases(files_dir=None):
    """(name, module, args) in order; each runs check then real from the state the previous left.

    With `files_dir`, uc_config keeps its snapshots there (to be searched for secrets).
    """
    snapshots = {"snapshot_dir": files_dir + "/snapshots"} if files_dir else {}
    ext_all = [{"number": "3801", "name": "Seed One Changed"},
               {"number": "3802", "name": "Replaced Two", "register_password": C["extension register password, rotated"]},
               EXT_NEW]
    extension = [
        ("extension merged", "uc_extension", {"config": [EXT_NEW, {"number": "3801", "name": "Seed One Changed"}]}),
        ("extension replaced", "uc_extension", {"state": "replaced", "config": [
            {"number": "3802", "name": "Replaced Two", "register_password": C["extension register password, rotated"]}]}),
        ("extension deleted", "uc_extension", {"state": "deleted", "config": [{"number": "3803"}]}),
        ("extension overridden", "uc_extension", {"state": "overridden", "config": [
            dict(ext_all[0], email="one@example.com")] + ext_all[1:] + [{"number": "3804", "name": "Seed Four"}]}),
        ("extension on_create", "uc_extension", {"update_password": "on_create", "config": [
            dict(EXT_NEW, register_password=C["extension register password, rotated"])]}),
        ("extension gathered", "uc_extension", {"state": "gathered"}),
        ("extension rendered", "uc_extension", {"state": "rendered", "config": [EXT_NEW]}),
    ]
    trunk_rotated = dict(TRUNK_REG, password=C["trunk password, rotated"], host="sip2.canary.example")
    inbound_to_3801 = {"name": "can-in", "did": "0170000000", "destination_type": "extension", "destination": "3801"}
    outbound_0n = {"name": "can-out", "match_pattern": "0N.", "trunks": ["canary-reg"]}
    others = (
        state_cases("trunk", "uc_trunk",
                    ("merged", [TRUNK_REG, TRUNK_PEER]),
                    ("replaced", [trunk_rotated]),
                    ("overridden", [trunk_rotated, dict(TRUNK_PEER, port=5062)]),
                    ("gathered", None),
                    ("rendered", [TRUNK_REG]))
        + state_cases("queue", "uc_queue",
                      ("merged", [{"number": "6701", "password": C["queue password"], "static_agents": ["3801"],
                                   "retry": 20}]),
                      ("replaced", [{"number": "6700", "name": "sales", "password": C["queue password, other queue"]}]),
                      ("gathered", None),
                      ("rendered", [{"number": "6701", "password": C["queue password"]}]))
        + state_cases("conference", "uc_conference",
                      ("merged", [{"number": "6400", "participant_password": C["conference participant pin"],
                                   "moderator_password": C["conference moderator pin"], "wait_for_moderator": True}]),
                      ("replaced", [{"number": "6401", "name": "Canary Room",
                                     "participant_password": C["conference pin, other room"]}]),
                      ("gathered", None),
                      ("rendered", [{"number": "6400", "moderator_password": C["conference moderator pin"]}]))
        + state_cases("paging", "uc_paging_group",
                      ("merged", [{"number": "6310", "name": "floor", "type": "paging", "members": ["3801", "3802"]},
                                  {"number": "6311", "name": "desk", "type": "intercom", "members": ["3810"]}]),
                      ("replaced", [{"number": "6310", "name": "floor", "members": ["3802"]}]),
                      ("deleted", [{"number": "6311"}]),
                      ("overridden", [{"number": "6312", "name": "new", "members": ["3801"]}]),
                      ("gathered", None),
                      ("rendered", [{"number": "6310"}]))
        + state_cases("ivr", "uc_ivr",
                      ("merged", [{"number": "6500", "prompt_repeat": 3}]),
                      ("replaced", [{"number": "6501", "name": "night"}]),
                      ("gathered", None),
                      ("rendered", [{"number": "6500", "response_timeout": 5}]))
        + state_cases("inbound", "uc_inbound_route",
                      ("merged", [inbound_to_3801, {"name": "can-in-2", "did": "0170000001",
                                                    "destination_type": "queue", "destination": "6701"}]),
                      ("replaced", [dict(inbound_to_3801, destination_type="ivr", destination="6500")]),
                      ("deleted", [{"name": "can-in-2"}]),
                      ("overridden", [{"name": "can-in-3", "did": "0170000003", "destination_type": "hangup"}]),
                      ("gathered", None),
                      ("rendered", [inbound_to_3801]))
        + state_cases("outbound", "uc_outbound_route",
                      ("merged", [outbound_0n, {"name": "can-out-2", "prefix": "9", "match_pattern": "1[0-9][0-9]",
                                                "trunks": ["canary-peer"]}]),
                      ("replaced", [dict(outbound_0n, match_pattern="00.", trunks=["canary-reg", "canary-peer"])]),
                      ("deleted", [{"name": "can-out-2"}]),
                      ("overridden", [dict(outbound_0n, match_pattern="00.")]),
                      ("gathered", None),
                      ("rendered", [outbound_0n])))
    config = [
        # uc_config: the whole tree in one task, secrets of every kind in it.
        ("config merged", "uc_config", {"config": {
            "trunks": [dict(TRUNK_PEER, name="cfg-peer")],
            "extensions": [dict(EXT_NEW, number="3830", register_password=C["extension register password"])],
            "queues": [{"number": "6701", "password": C["queue password, other queue"]}],
            "conferences": [{"number": "6401", "participant_password": C["conference participant pin"]}]}}),
        ("config replaced", "uc_config", dict(snapshots, state="replaced", config={
            "extensions": [{"number": "3830", "name": "Config Replaced",
                            "login_password": C["extension login password"]}]})),
        ("config deleted", "uc_config", {"state": "deleted", "config": {"extensions": [{"number": "3830"}],
                                                                        "trunks": [{"name": "cfg-peer"}]}}),
        ("config overridden", "uc_config", {"state": "overridden", "config": {
            "paging_groups": [{"number": "6313", "name": "cfg", "members": ["3801"]}]}}),
        ("config gathered", "uc_config", {"state": "gathered"}),
        # Refused before any write, alike in both modes (tests/integration/test_refusals.py has the matrix):
        # 3801 is a member of paging group 6313 and an agent of queue 6701 by now.
        ("refused: extension deleted in use", "uc_extension", {"state": "deleted", "config": [{"number": "3801"}]}),
        ("refused: config renumbers an extension in use", "uc_config", {"config": {
            "extensions": [{"number": "3899", "rename_from": "3801"}]}}),
        ("refused: trunk rename_from names nothing", "uc_trunk", {"config": [
            {"name": "canary-new", "rename_from": "canary-gone"}]}),
        # Deleting a trunk no route uses; the routes are gone or point elsewhere by now.
        ("trunk deleted", "uc_trunk", {"state": "deleted", "config": [{"name": "canary-peer"}]}),
    ]
    return extension + others + config


def other_cases(dest_dir):
    """The other modules, on objects no other case of this list touches (their checks run first)."""
    return [
        ("queue agent login", "uc_queue_agent", {"queue": "6701", "extension": "3802", "state": "logged_in",
                                                 "queue_password": C["queue password"]}),
        ("queue agent wrong password", "uc_queue_agent", {"queue": "6701", "extension": "3810",
                                                          "state": "logged_in",
                                                          "queue_password": C["wrong queue password"]}),
        ("wakeup call", "uc_wakeup_call", {"extension": "3802", "alarms": [{"time": "06:30"}]}),
        ("hotel checkout", "uc_hotel_checkout", {"extension": "3810"}),
        ("voicemail", "uc_voicemail", {"extensions": ["3801"]}),
        ("conference member", "uc_conference_member", {"room": "6401", "members": ["3801"], "state": "present"}),
        ("call dial", "uc_call", {"action": "dial", "extension": "3801", "destination": "3802"}),
        ("prompt", "uc_prompt", {"prompts": ["greet"], "extension": "3804"}),
        ("cdr file", "uc_file", {"kind": "cdr", "extensions": "all", "dest": dest_dir + "/cdr.csv",
                                 "start_time": "2020-01-01 00:00:00", "end_time": "2030-01-01 00:00:00"}),
        ("call info", "uc_call_info", {}),
        ("queue info", "uc_queue_info", {}),
        ("pbx info", "uc_pbx_info", {"gather_subset": "all"}),
    ]


def var_name(case_name, mode):
    return "%s_%s" % (mode, "".join(ch if ch.isalnum() else "_" for ch in case_name))


# States that never write run once: gathered for real, rendered in check mode (they are checked for
# leaks, and that check mode changes nothing, but a check/real pair would compare a read with itself).
SINGLE = {"gathered": "real", "rendered": "check"}


def modes(args):
    single = SINGLE.get(args.get("state"))
    return (single,) if single else ("check", "real")


def _task(case_name, module, args, mode):
    task = {"name": "%s (%s)" % (case_name, mode), "openvox.ucpbx.%s" % module: args,
            "register": var_name(case_name, mode), "ignore_errors": True}
    if mode == "check":
        task["check_mode"] = True
    return task


def marker(label):
    """A request the emulator logs (an unknown endpoint), to cut its log into parts."""
    return {"name": "Mark the request log: %s" % label, "ansible.builtin.uri": {
        "url": "{{ lookup('ansible.builtin.env', 'UCPBX_EMULATOR_URL') }}/api/v0.0.1/mark/%s" % label,
        "method": "POST", "body": "{}", "status_code": [200]}}


def playbook(resource, others, check=True):
    """One play: resource cases as check/real pairs, then the other cases' checks, then their real runs.

    The registered results end in the fact `outcome` (saved by the tree callback): {var: result}.
    """
    runs = [(case, mode) for case in resource for mode in modes(case[2])]
    if others and check:
        runs += [("checks", None)] + [(case, "check") for case in others] + [("real", None)]
    runs += [(case, "real") for case in others or ()]
    tasks = []
    names = []
    for case, mode in runs:
        if mode is None:
            tasks.append(marker(case))
        else:
            tasks.append(_task(case[0], case[1], case[2], mode))
            names.append(var_name(case[0], mode))
    tasks.append({"name": "Collect the results", "ansible.builtin.set_fact": {
        "outcome": dict((name, "{{ %s | default(None) }}" % name) for name in names)}})
    return [{"name": "Every module", "hosts": "pbx", "gather_facts": False, "tasks": tasks}]


def write_playbook(path, resource, others, check=True):
    path.write_text(json.dumps(playbook(resource, others, check), indent=1))
    return str(path)
