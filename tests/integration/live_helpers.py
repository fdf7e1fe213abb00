# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers of the test_live_*.py tests: the emulator's live control API (presence, calls, conference
members, prompts) and cutting the request log into what each module task sent.

The live modules read first and then act, so "action requests" are the requests to any endpoint
that is not a read (`.../query`, `query_in_session`) nor the login.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from resources_helpers import segments, summary

READ_ENDPOINTS = ("login", "conference/query_in_session")


def is_action(entry):
    endpoint = entry["endpoint"] or ""
    return endpoint not in READ_ENDPOINTS and not endpoint.endswith("/query")


def actions(entries):
    return [entry for entry in entries if is_action(entry)]


def endpoints(entries, with_login=False):
    return [entry["endpoint"] for entry in entries if with_login or entry["endpoint"] != "login"]


def sent(entries):
    """(endpoint, body, status, errno) of the action requests among the entries."""
    return [(entry["endpoint"], entry["body"], entry["status"], entry["errno"]) for entry in actions(entries)]


def tasks_by_steps(log, first_read, expected):
    """{task name: its piece of the log}, the log cut at each `first_read` (every task starts with it),
    checking each piece sent exactly its task's endpoints; `expected`: (name, endpoints) in playbook order."""
    pieces = segments(log, first_read)
    assert [endpoints(piece) for piece in pieces] == [steps for _name, steps in expected], summary(log)
    return dict(zip([name for name, _steps in expected], pieces))


def set_presence(emulator, number, status="Idle"):
    return emulator._control("PUT", "extensions/%s/status" % number, {"status": status})


def create_call(emulator, **body):
    return emulator._control("POST", "calls", body)


def live_calls(emulator):
    return emulator._control("GET", "calls")["calls"]


def join_conference(emulator, room, number, memberstatus="Up"):
    return emulator._control("POST", "conferences/%s/members" % room, {"number": number, "memberstatus": memberstatus})


def conferences(emulator):
    return emulator._control("GET", "conferences")["conferences"]


__all__ = ["is_action", "actions", "endpoints", "sent", "tasks_by_steps", "set_presence", "create_call", "live_calls",
           "join_conference", "conferences"]
