# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Queues: queue/query|update. Queues are created in the web interface; the API edits them."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections import OrderedDict

from ansible_collections.openvox.ucpbx.plugins.module_utils.engine import (
    BOOL,
    CHOICE,
    INT,
    LIST,
    Endpoint,
    Field,
    KeySource,
    Reference,
    Resource,
)
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.extension import EXTENSION_NUMBERS

QUEUE_NUMBERS = KeySource("queues", Endpoint("queue/query", list_keys=("queues",)), "queuenumber",
                          label="queue")

STEPS_10_TO_50 = [10, 20, 30, 40, 50]

QUEUE = Resource(
    name="queue",
    key="number",
    query=Endpoint("queue/query", key="queueid", list_keys=("queues",), not_found=("10013",)),
    update=Endpoint("queue/update", key="queueid"),
    fields=OrderedDict([
        ("number", Field("queueid", "Queue number. Identifies the queue.", reported_as=("queuenumber",))),
        ("name", Field("queuename", "Queue name, not empty (the PBX refuses an empty one).",
                       written=(r"^.+$", "not empty"))),
        ("password", Field("password", "Password agents enter to log in to the queue dynamically (digits: it is "
                                       "typed on a phone keypad).", secret=True, pattern=r"^\d*$", hint="digits only")),
        ("ring_strategy", Field("ringstrategy", "How calls are offered to agents.", kind=CHOICE,
                                choices=OrderedDict([("ring_all", "Ring All"), ("least_recent", "Least Recent"),
                                                     ("fewest_calls", "Fewest Calls"), ("random", "Random"),
                                                     ("round_robin_memory", "Rrmemory"), ("linear", "Linear")]))),
        ("static_agents", Field("agents", "Extensions that are always agents of the queue (a set).", kind=LIST)),
        ("agent_timeout", Field("agenttimeout", "Seconds an agent rings before the next is tried.", kind=INT,
                                writable=STEPS_10_TO_50)),
        ("wrapup_time", Field("wrapuptime", "Seconds an agent rests after a call.", kind=INT, writable=STEPS_10_TO_50)),
        ("retry", Field("retry", "Seconds before agents are rung again.", kind=INT, writable=STEPS_10_TO_50)),
        ("max_wait_time", Field("maxwaittime", "Longest a caller waits, in seconds.", kind=INT,
                                writable=[300, 600, 900, 1200, 1800])),
        ("join_empty", Field("joinempty", "Callers may join a queue without available agents.", kind=BOOL)),
        ("leave_when_empty", Field("leavewhenempty", "Callers leave when no agent is available.", kind=BOOL)),
        ("announce_position", Field("announcepos", "Tell callers their position.", kind=BOOL)),
        ("announce_frequency", Field("announcefreq", "Seconds between announcements (0 = never).", kind=INT,
                                     writable=[0, 15, 30, 45, 60, 120, 180, 240, 300, 600, 1200])),
        ("announce_hold_time", Field("announceholdtime", "Tell callers the expected hold time.", kind=BOOL)),
    ]),
    # The PBX's `dynamicagents` lists the agents logged in right now (queue/add_dynamicagent and
    # del_dynamicagent change it): live state, left to uc_queue_agent and never configured here.
    references=[Reference("static_agents", EXTENSION_NUMBERS)],
)
