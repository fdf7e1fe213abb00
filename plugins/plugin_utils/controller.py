# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A module's work done in the controller's own process, when the task runs there.

A module process costs more than a no-op of a whole PBX: Ansible ships the arguments (every
object of `config`) to a new Python process, which validates, runs and echoes them back. On a
local connection (every PBX of an inventory is one) the action plugins of uc_config and of the
resource modules run the same code in the worker instead; on any other connection they run the
module.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import time

from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.openvox.ucpbx.plugins.module_utils import resource_module
from ansible_collections.openvox.ucpbx.plugins.module_utils.client import HAS_REQUESTS

display = Display()


def runs_here(action):
    """Whether the task can run in this process: on the controller (a local connection), with
    requests importable, not async, and no task environment a module process would have had."""
    task = action._task
    return (getattr(action._connection, "transport", None) == "local" and HAS_REQUESTS
            and not task.async_val and not any(task.environment or []))


def playbook_gone_check():
    """A stop check for a task that runs in this worker: once ansible-playbook is gone, no request.

    A worker runs in a session of its own, so a kill of ansible-playbook's process group (a CI job
    cancelled, kill -9 of the play) leaves it running, and it would go on writing over whatever the
    next run applies. Once ansible-playbook is gone, the worker's parent is another process."""
    playbook = os.getppid()

    def check():
        if os.getppid() != playbook:
            return "ansible-playbook (pid %d), which ran this task, is gone" % playbook
        return None
    return check


def task_args(action):
    """The task's arguments, with those leave_bulky_args took out in an earlier attempt (`until:`
    runs the task again, with a new action object)."""
    return dict(action._task.args, **getattr(action._task, "_ucpbx_left_out", {}))


def leave_bulky_args(action, names):
    """Drop the bulky arguments from the task the worker sends back with its result.

    The worker pickles the task, its templated arguments included, to the main process with every
    result (a second of a 10,000-object no-op); the result already says what was done."""
    task = action._task
    task._ucpbx_left_out = dict((name, value) for name, value in task_args(action).items() if name in names)
    task.args = dict((name, value) for name, value in task.args.items() if name not in names)


class Progress:
    """Progress lines of a long run, through Ansible's display; a short run prints none.

    Nothing is said in the first QUIET seconds. After that: a line when a kind starts, and within
    a kind a line every EVERY objects, at most one per SPACING seconds."""

    QUIET = 3.0
    EVERY = 50
    SPACING = 2.0

    def __init__(self, host, clock=time.monotonic, show=None):
        self.host = host
        self.clock = clock
        self.show = show or display.display
        self.started = clock()
        self.shown = None
        self.reported = 0

    def __call__(self, kind, done, total, what):
        now = self.clock()
        if now - self.started < self.QUIET:
            return
        if done == 0:
            self.reported = 0
        elif (done < total and (done - self.reported < self.EVERY
                                or (self.shown is not None and now - self.shown < self.SPACING))):
            return
        self.shown, self.reported = now, done
        if done == 0:
            self.show("%s: %s: %d %s to send (%d s)" % (self.host, kind, total, what, now - self.started))
        else:
            self.show("%s: %s: %d of %d %s done (%d s)" % (self.host, kind, done, total, what, now - self.started))


class ResourceAction(ActionBase):
    """The action plugin of a resource module (uc_extension, uc_trunk, ...): RESOURCE and MODULE name it."""

    TRANSFERS_FILES = False
    _supports_check_mode = True
    _supports_async = True
    RESOURCE = None
    MODULE = None

    def run(self, tmp=None, task_vars=None):
        result = super(ResourceAction, self).run(tmp, task_vars)
        args = task_args(self)
        if runs_here(self):
            outcome = resource_module.run_here(self.RESOURCE, args, check_mode=self._task.check_mode,
                                               diff=self._task.diff, stop_check=playbook_gone_check(),
                                               name=self.MODULE)
        else:
            wrap_async = self._task.async_val and not self._connection.has_native_async
            outcome = self._execute_module(module_name=self.MODULE, module_args=args, task_vars=task_vars,
                                           wrap_async=wrap_async)
            if not wrap_async:
                self._remove_tmp_path(self._connection._shell.tmpdir)
        # The objects of config can be megabytes: the echo of the arguments leaves them out.
        module_args = (outcome.get("invocation") or {}).get("module_args")
        if isinstance(module_args, dict):
            module_args.pop("config", None)
        leave_bulky_args(self, ("config",))
        result.update(outcome)
        return result
