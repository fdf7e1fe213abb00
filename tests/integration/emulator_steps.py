# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run control-API steps of the emulator at UCPBX_EMULATOR_URL from a playbook, through a pipe lookup.

Usage: python emulator_steps.py STEPS.json, a list of [method, path, body, fact, field]; prints the JSON
{fact: field of that step's answer}. A lookup costs a fraction of a uri task, which runs a module.
An answer other than 200 fails the lookup (exit status 1).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import sys
from urllib.request import Request, urlopen


def main(path):
    base = os.environ["UCPBX_EMULATOR_URL"] + "/_emulator/"
    with open(path) as handle:
        steps = json.load(handle)
    facts = {}
    for method, name, body, fact, field in steps:
        data = None if body is None else json.dumps(body).encode("utf-8")
        with urlopen(Request(base + name, data=data, method=method), timeout=10) as answer:
            reply = json.load(answer)
        if fact:
            facts[fact] = reply[field]
    print(json.dumps(facts))


if __name__ == "__main__":
    main(sys.argv[1])
