# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_config on the controller: read `src`, run the module, drop the echo of its arguments.

A tree of thousands of objects is mostly the task's own arguments; Ansible would otherwise
return them (as `invocation`) in every result, which made a 10,000-extension result 7.5 MB.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.errors import AnsibleError
from ansible.module_utils.common.text.converters import to_text
from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        args = dict(self._task.args)
        src = args.pop("src", None)
        if src is not None:
            if args.get("config") is not None:
                result.update(failed=True, msg="parameters are mutually exclusive: config|src")
                return result
            try:
                args["config"] = self._read_tree(src)
            except AnsibleError as exc:
                result.update(failed=True, msg=to_text(exc))
                return result
        module_result = self._execute_module(module_name="openvox.ucpbx.uc_config", module_args=args,
                                             task_vars=task_vars)
        module_result.pop("invocation", None)
        result.update(module_result)
        return result

    def _read_tree(self, src):
        path = self._find_needle("files", src)
        data = self._templar.template(self._loader.load_from_file(path))
        if isinstance(data, dict) and "ucpbx_config" in data:
            data = data["ucpbx_config"]
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise AnsibleError("src %s must hold a mapping of kinds (or one under ucpbx_config), not a %s"
                               % (src, type(data).__name__))
        return data
