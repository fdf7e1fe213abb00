# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Runs a resource module: argument spec from the resource, one read, plan, apply, result."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.common.validation import check_type_list
from ansible.module_utils.errors import UnsupportedError

from ansible_collections.openvox.ucpbx.plugins.module_utils import config_task, engine, tree
from ansible_collections.openvox.ucpbx.plugins.module_utils.config_task import TaskFailed
from ansible_collections.openvox.ucpbx.plugins.module_utils.connection import (
    CONNECTION_ARGUMENT_SPEC,
    client_from_params,
    connection_problem,
)
from ansible_collections.openvox.ucpbx.plugins.module_utils.errors import PbxError
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.catalog import RESOURCES

MODULE_KINDS = dict((resource.name, kind) for kind, resource in RESOURCES.items())


def argument_spec(resource):
    options = dict((name, field.argument_spec()) for name, field in resource.fields.items())
    options[resource.key]["required"] = True
    if resource.renamable:
        options[engine.RENAME_FROM] = dict(type="str")
    config = dict(type="list", elements="dict", options=options)
    if resource.required_if:
        config["required_if"] = [list(rule) for rule in resource.required_if]
    spec = dict(
        config=config,
        state=dict(type="str", default="merged", choices=list(resource.states())),
    )
    if resource.secret_fields:
        spec["update_password"] = dict(type="str", default="always", choices=["always", "on_create"], no_log=False)
    if resource.creatable:
        spec["allow_delete_all"] = dict(type="bool", default=False)
    spec.update(CONNECTION_ARGUMENT_SPEC)
    return spec


class _ResourceModule(AnsibleModule):
    """AnsibleModule whose own argument checks name the config item they refuse.

    Ansible checks the options of `config` items (unknown keys, types, choices) before the module's
    code runs, and says only "found in config"; with many items the user could not tell which one.
    """

    def __init__(self, resource, **kwargs):
        self._resource = resource
        self._checking_arguments = True
        super(_ResourceModule, self).__init__(**kwargs)
        self._checking_arguments = False

    def fail_json(self, msg=None, **kwargs):  # pylint: disable=arguments-differ
        if getattr(self, "_checking_arguments", False):
            located = item_problems(self._resource, self.params.get("config"))
            if located:
                other = "" if "config" in str(msg) else "; %s" % msg
                msg = "invalid config, nothing was changed on the PBX: %s%s" % ("; ".join(located), other)
        super(_ResourceModule, self).fail_json(msg=msg, **kwargs)


def item_problems(resource, config):
    """Ansible's argument errors of each config item, prefixed with the item's index and key."""
    if not isinstance(config, list):
        return []
    spec = argument_spec(resource)["config"]
    validator = ArgumentSpecValidator(spec["options"], required_if=spec.get("required_if"))
    problems = []
    for index, item in enumerate(config):
        where = "config[%d]" % index
        if not isinstance(item, dict):
            problems.append("%s: each item must be a dictionary" % where)
            continue
        errors = validator.validate(dict(item)).errors.errors
        if not errors:
            continue
        key = item.get(resource.key)
        if isinstance(key, (str, int)) and not isinstance(key, bool):
            where = "%s (%s)" % (where, resource.label(key))
        for error in errors:
            text = error.msg
            if isinstance(error, UnsupportedError):
                text = "unsupported option %s" % text
            problems.append("%s: %s" % (where, text))
    return problems


def _required_if(resource):
    return [("state", state, ("config",)) for state in ("merged", "replaced", "overridden", "rendered")
            if state in resource.states()]


def run(resource):
    module = _ResourceModule(
        resource,
        argument_spec=argument_spec(resource),
        supports_check_mode=True,
        required_if=_required_if(resource),
    )
    try:
        module.exit_json(**outcome(module, resource))
    except TaskFailed as exc:
        module.fail_json(msg=exc.msg, **exc.result)


class _InController:
    """What converge() asks of a module, for a task run in the controller's process."""

    def __init__(self, params, check_mode, diff, stop_check):
        self.params = params
        self.check_mode = check_mode
        self._diff = diff
        self.stop_check = stop_check

    def fail_json(self, msg, **result):
        raise TaskFailed(msg, **result)


def run_here(resource, args, check_mode=False, diff=False, stop_check=None, name=None):
    """The result of the module's task, run in this process (see plugin_utils/controller.py).

    Ansible's argument validator copies every parameter it checks, which at 10,000 objects costs
    more than the rest of a no-op: it checks the small options, and the items of config are checked
    the way uc_config checks a tree; an item it refuses gets the module's own messages.
    """
    spec = dict(argument_spec(resource), config=dict(type="list"))
    config = args.get("config")
    small = dict((option, value) for option, value in args.items() if option != "config")
    if config is not None:
        small["config"] = []
    validated = ArgumentSpecValidator(spec, required_if=_required_if(resource)).validate(small)
    no_log_values = set(validated._no_log_values)
    try:
        if validated.error_messages:
            error = validated.errors[0]
            prefix = "Unsupported parameters for (%s) module: " % name if isinstance(error, UnsupportedError) else ""
            raise TaskFailed(prefix + validated.errors.msg)
        params = validated.validated_parameters
        if config is not None:
            params["config"] = _checked_config(resource, config, no_log_values)
        result = outcome(_InController(params, check_mode, diff, stop_check), resource)
    except TaskFailed as exc:
        result = dict(exc.result, failed=True, msg=exc.msg)
        params = validated.validated_parameters
    result.setdefault("changed", False)
    result["invocation"] = {"module_args": dict((option, value) for option, value in params.items()
                                                if option != "config")}
    # As a module's exit would: no secret value leaves, whatever the result holds.
    return remove_values(result, no_log_values)


def _checked_config(resource, config, no_log_values):
    problems = []
    try:
        items = check_type_list(config)
    except TypeError as exc:
        raise TaskFailed("invalid config, nothing was changed on the PBX: config: %s" % exc)
    records = config_task.checked_items("config", resource, items, no_log_values, problems)
    missing = ["config[%d]: missing required arguments: %s" % (index, resource.key)
               for index, item in enumerate(items) if isinstance(item, dict) and item.get(resource.key) is None]
    if problems or missing:
        raise TaskFailed("invalid config, nothing was changed on the PBX: "
                         + "; ".join(item_problems(resource, items) or problems + missing))
    return records


def outcome(module, resource):
    """The result of a task whose arguments are checked; raises TaskFailed."""
    params = module.params
    state = params["state"]
    try:
        desired = resource.desired(params["config"])
        if state == "rendered":
            return dict(changed=False, rendered=engine.rendered(resource, desired, state))
        problem = connection_problem(params)
        if problem:
            raise TaskFailed(problem)
        client = client_from_params(params)
        client.stop_check = getattr(module, "stop_check", None)
        try:
            return converge(module, client, resource, desired, state)
        finally:
            client.close()
    except engine.ConfigError as exc:
        raise TaskFailed(str(exc))
    except engine.ApplyError as exc:
        raise TaskFailed(
            "%s; %d request(s) had already been applied (see commands), the rest were not sent; %s"
            % (exc, len(exc.done), engine.retry_advice(exc.refused)), changed=bool(exc.done), commands=exc.done)
    except PbxError as exc:
        raise TaskFailed(str(exc))


def _refuse(module, message):
    # The same result in check mode and the real run: nothing is sent, or would be.
    module.fail_json(msg=message, changed=False, commands=[])


def converge(module, client, resource, desired, state):
    if state == "gathered":
        actual = engine.read_all(client, resource)
        _desired, read_only = engine.split_read_only(client, resource, desired, actual, list_all=True)
        records = dict(actual)
        records.update(read_only)
        return dict(changed=False, gathered=[resource.gathered_view(record)
                                             for record in engine.as_list(resource, records)])
    kind_plan, dangling = tree.plan_kind(client, MODULE_KINDS.get(resource.name), resource, desired, state,
                                         update_password=module.params.get("update_password", "always"),
                                         allow_delete_all=module.params.get("allow_delete_all", False))
    actual, operations = kind_plan.actual, kind_plan.operations
    # A reference to an object the PBX does not have, and a change the PBX would refuse midway, fail
    # before anything is written, in check mode as in the real run, so a reviewed plan is what happens.
    if dangling:
        _refuse(module, "invalid references, nothing was changed on the PBX: "
                + "; ".join(dangling))
    refused = tree.preflight(client, [kind_plan])
    if refused:
        _refuse(module, "the PBX would refuse this, nothing was changed on the PBX: "
                + "; ".join(refused))
    if module.check_mode:
        commands = engine.planned_commands(resource, operations)
    else:
        commands = engine.apply(client, resource, operations)
    before, after = engine.changed_objects(resource, operations)
    result = dict(
        changed=bool(operations),
        commands=commands,
        before=before,
        after=after,
        existing=sorted(actual, key=engine.natural_key),
    )
    if module._diff:
        result["diff"] = engine.diff_of(resource, operations)
    return result
