# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs a module that talks to the PBX directly (information and call control), without a resource."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.openvox.ucpbx.plugins.module_utils.connection import (
    CONNECTION_ARGUMENT_SPEC,
    client_from_params,
    require_connection,
)
from ansible_collections.openvox.ucpbx.plugins.module_utils.errors import PbxError


class ActionFailed(Exception):
    """A precondition the module checked failed; the message says why, `result` adds detail."""

    def __init__(self, message, **result):
        super(ActionFailed, self).__init__(message)
        self.result = result


def run_action(argument_spec, handler, **module_options):
    """Build the module, connect, call handler(module, client) and exit with its result dict."""
    clash = sorted(set(argument_spec) & set(CONNECTION_ARGUMENT_SPEC))
    if clash:
        # A module option named like a connection option would silently receive the connection value.
        raise ValueError("module options clash with connection options: %s" % ", ".join(clash))
    spec = dict(argument_spec)
    spec.update(CONNECTION_ARGUMENT_SPEC)
    module_options.setdefault("supports_check_mode", True)
    module = AnsibleModule(argument_spec=spec, **module_options)
    require_connection(module)
    client = client_from_params(module.params)
    try:
        result = handler(module, client)
    except ActionFailed as exc:
        module.fail_json(msg=str(exc), **exc.result)
    except PbxError as exc:
        module.fail_json(msg=str(exc))
    finally:
        client.close()
    module.exit_json(**result)
