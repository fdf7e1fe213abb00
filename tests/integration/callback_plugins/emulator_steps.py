# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Marks each task of a play as a step of the emulator's request log (POST /_emulator/steps).

A task that registers its result is the step of that name, so a test reads the requests of
`created` by name, whatever the tasks before it sent; any other task is a step of its own
(`task N: <name>`), so its requests never count for the registered task before it. The names
come from the playbook, not from the collection under test. The tests enable it with
ANSIBLE_CALLBACK_PLUGINS and ANSIBLE_CALLBACKS_ENABLED; UCPBX_EMULATOR_URL names the emulator.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
from urllib.request import Request, urlopen

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "emulator_steps"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super(CallbackModule, self).__init__(*args, **kwargs)
        self.url = os.environ["UCPBX_EMULATOR_URL"] + "/_emulator/steps"
        self.count = 0

    def v2_playbook_on_task_start(self, task, is_conditional):
        self.count += 1
        name = task.register or "task %d: %s" % (self.count, task.get_name())
        data = json.dumps({"name": name}).encode("utf-8")
        # A refusal (a name registered twice) raises; Ansible shows it as a warning naming this
        # plugin and this method, which Scenario.step (tests/integration/conftest.py) looks for.
        with urlopen(Request(self.url, data=data, method="POST"), timeout=10):
            pass
