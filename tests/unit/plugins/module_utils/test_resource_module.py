# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Argument spec built from a resource, and converge() against the fake PBX."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import re
from collections import OrderedDict

import pytest
import requests
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.openvox.ucpbx.plugins.module_utils import resource_module
from ansible_collections.openvox.ucpbx.plugins.module_utils.engine import ApplyError, Endpoint, Field, Resource, retry_advice
from ansible_collections.openvox.ucpbx.plugins.module_utils.resource_module import (
    argument_spec,
    converge,
    item_problems,
    run_here,
)
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.extension import EXTENSION
from ansible_collections.openvox.ucpbx.tests.unit.plugins.module_utils.fake_pbx import LOST, failed

EDIT_ONLY = Resource(
    name="setting",
    key="name",
    query=Endpoint("setting/query", list_keys=("settings",)),
    update=Endpoint("setting/update", key="name"),
    fields=OrderedDict([("name", Field("name", "Name.")), ("value", Field("value", "Value.", default=""))]),
)


def validate(spec, params):
    return ArgumentSpecValidator(spec).validate(params)


class TestArgumentSpec:
    def test_extension_options(self):
        spec = argument_spec(EXTENSION)
        options = spec["config"]["options"]
        assert spec["config"]["type"] == "list" and spec["config"]["elements"] == "dict"
        assert options["number"]["required"] is True
        assert [name for name in options if options[name].get("required")] == ["number"]
        for secret in ("register_password", "login_password", "voicemail_pin"):
            assert options[secret]["no_log"] is True
        assert not [name for name in options if options[name].get("no_log")
                    and name not in ("register_password", "login_password", "voicemail_pin")]
        assert options["monitor_mode"]["choices"] == ["barge_in", "disabled", "extensive", "listen", "whisper"]
        assert options["no_answer_forward_to"]["choices"] == ["custom_number", "extension", "mobile_number",
                                                              "voicemail"]
        assert options["ring_timeout"] == {"type": "int", "choices": [15, 30, 60, 120, 300]}
        assert "choices" not in options["max_call_duration"]  # also takes a number of seconds
        assert options["dnd"]["type"] == "bool" and options["max_registrations"]["type"] == "int"
        assert spec["state"]["choices"] == ["merged", "replaced", "overridden", "deleted", "gathered", "rendered"]
        assert spec["state"]["default"] == "merged"
        assert spec["update_password"]["choices"] == ["always", "on_create"]
        assert spec["allow_delete_all"] == {"type": "bool", "default": False}
        assert spec["password"]["no_log"] is True

    def test_edit_only_resource_has_no_overridden_deleted_or_allow_delete_all(self):
        spec = argument_spec(EDIT_ONLY)
        assert spec["state"]["choices"] == ["merged", "replaced", "gathered", "rendered"]
        assert "allow_delete_all" not in spec
        assert "update_password" not in spec  # no secrets

    def test_validator_requires_the_key_and_collects_secrets_for_no_log(self):
        spec = argument_spec(EXTENSION)
        missing = validate(spec, {"config": [{"name": "x"}]})
        assert missing.error_messages and "number" in " ".join(missing.error_messages)

        result = validate(spec, {"config": [{"number": "101", "register_password": "Reg1ster99",
                                             "voicemail_pin": "4711"}], "password": "api-pass"})
        assert result.error_messages == []
        assert {"Reg1ster99", "4711", "api-pass"} <= set(result._no_log_values)

    def test_validator_enforces_choices_and_required_if(self):
        spec = argument_spec(EXTENSION)
        assert validate(spec, {"config": [{"number": "1", "ring_timeout": 17}]}).error_messages
        assert validate(spec, {"config": [{"number": "1", "monitor_mode": "spy"}]}).error_messages
        assert validate(spec, {"state": "purged"}).error_messages
        result = validate(spec, {"config": [{"number": "1", "busy_forward_to": "custom_number"}]})
        assert "busy_forward_number" in " ".join(result.error_messages)


# ---------------------------------------------------------------------------- converge
class FakeModule:
    def __init__(self, check_mode=False, diff=False, **params):
        self.check_mode = check_mode
        self._diff = diff
        self.params = dict(update_password="always", allow_delete_all=False)
        self.params.update(params)
        self.warnings = []

    def warn(self, message):
        self.warnings.append(message)


ALICE = {"extnumber": "101", "username": "alice", "callerid": "101", "registerpassword": "Xy12abCD34ef",
         "maxregistrations": "1", "userpassword": "Ab12cd34ef", "email": "", "moblie": "", "hasvoicemail": "on",
         "vmsecret": "1234", "enablevmtoemail": "off", "noanswerforward": "off", "busyforward": "off",
         "enablemobile": "off", "ringsimultaneous": "off", "allowbeingmonitored": "off",
         "monitormode": "disable", "maxduration": "Follow System", "dnd": "off"}


class TestConverge:
    def test_gathered_then_overridden_with_the_gathered_list_changes_nothing(self, pbx, make_client):
        pbx.load(ALICE, dict(ALICE, extnumber="102", username="bob", moblie="5550100", monitormode="Listen",
                             maxduration="10800", dnd="on"))
        client = make_client()
        gathered = converge(FakeModule(), client, EXTENSION, [], "gathered")
        assert gathered["changed"] is False
        assert "Xy12abCD34ef" not in json.dumps(gathered)

        result = converge(FakeModule(), client, EXTENSION, EXTENSION.desired(gathered["gathered"]), "overridden")

        assert result["changed"] is False and result["commands"] == []
        assert [s.endpoint for s in pbx.requests if s.endpoint != "login"] == ["extension/query"] * 2

    def test_check_mode_sends_no_write(self, pbx, make_client):
        pbx.load(ALICE)
        result = converge(FakeModule(check_mode=True, diff=True), make_client(), EXTENSION,
                          EXTENSION.desired([{"number": "101", "dnd": True}, {"number": "102"}]), "merged")
        assert result["changed"] is True
        assert [c["endpoint"] for c in result["commands"]] == ["extension/update", "extension/add"]
        # Reads only: the extensions, and the capacity of the PBX since there is an add.
        assert pbx.endpoints() == ["login", "extension/query", "deviceinfo/query"]
        assert [d["after_header"] for d in result["diff"]] == ["extension 101 wanted", "extension 102 wanted"]
        assert result["diff"][0]["after"]["dnd"] is True
        assert result["diff"][1]["before"] == "" and result["diff"][1]["before_header"] == "extension 102 (absent)"
        assert [r["number"] for r in result["after"]] == ["101", "102"]

    def test_real_run_applies_and_reports_masked_commands(self, pbx, make_client):
        pbx.load(ALICE)
        result = converge(FakeModule(), make_client(), EXTENSION,
                          EXTENSION.desired([{"number": "102", "register_password": "Brand9New"}]), "overridden")
        assert sorted(pbx.extensions) == ["102"]
        assert pbx.extensions["102"]["registerpassword"] == "Brand9New"
        assert "Brand9New" not in json.dumps(result)
        assert [c["endpoint"] for c in result["commands"]] == ["extension/add", "extension/delete"]

    def test_lost_add_answer_is_verified_by_key_and_not_replayed(self, pbx, make_client):
        pbx.queue("extension/add", LOST)
        result = converge(FakeModule(), make_client(), EXTENSION, EXTENSION.desired([{"number": "201"}]), "merged")
        assert result["changed"] is True
        assert pbx.count("extension/add") == 1
        verify_query = [s for s in pbx.requests if s.endpoint == "extension/query"][-1]
        assert verify_query.body == {"extid": "201"}


@pytest.mark.parametrize("answers, refused", [
    ([failed("10017")], True),
    # Busy past every retry, or no answer at all: the same task later converges.
    ([failed("10025")] * 10, False),
    ([requests.exceptions.ConnectionError("connection refused")] * 10, False),
])
def test_a_failed_write_says_whether_running_again_converges(pbx, make_client, answers, refused):
    pbx.queue("extension/add", *answers)
    with pytest.raises(ApplyError) as error:
        converge(FakeModule(), make_client(), EXTENSION, EXTENSION.desired([{"number": "201"}]), "merged")
    assert error.value.refused is refused
    advice = retry_advice(error.value.refused)
    assert ("converges" in advice) is not refused
    assert "make a new plan" in retry_advice(refused, pinned=True)


def test_argument_errors_name_the_config_item():
    from ansible_collections.openvox.ucpbx.plugins.module_utils.resource_module import item_problems
    problems = item_problems(EXTENSION, [
        {"number": "3901", "colour": "red"}, {"number": "3902", "max_registrations": "many"},
        {"number": "3903", "monitor_mode": "loud", "register_password": "Kept-Secret-1"}, {"number": "3904"}, "x"])
    assert problems[0].startswith("config[0] (extension 3901): unsupported option colour.")
    # The rest is ansible-core's own wording, which differs between releases ("str", "<class 'str'>").
    assert re.match(r"config\[1\] \(extension 3902\): argument 'max_registrations' is of type .*str", problems[1])
    assert problems[2] == ("config[2] (extension 3903): value of monitor_mode must be one of: barge_in, disabled, "
                           "extensive, listen, whisper, got: loud")
    assert problems[3] == "config[4]: each item must be a dictionary"
    assert len(problems) == 4
    assert "Kept-Secret-1" not in json.dumps(problems)


class TestRunHere:
    """A resource module's task run in the controller's process (the action plugin on a local connection)."""

    ARGS = {"host": "pbx.example", "username": "api", "password": "secret"}

    @pytest.fixture
    def attached(self, pbx, make_client, monkeypatch):
        monkeypatch.setattr(resource_module, "client_from_params", lambda params: make_client())
        return pbx

    def test_applies_and_echoes_the_small_arguments_only(self, attached):
        args = dict(self.ARGS, config=[{"number": "2001", "name": "Alice", "register_password": "Reg1ster99"}])
        result = run_here(EXTENSION, args, name="openvox.ucpbx.uc_extension")
        assert result["changed"] is True and not result.get("failed"), result
        assert attached.extensions["2001"]["username"] == "Alice"
        module_args = result["invocation"]["module_args"]
        assert "config" not in module_args and module_args["state"] == "merged"
        assert "secret" not in json.dumps(result) and "Reg1ster99" not in json.dumps(result)

    def test_a_bad_item_gets_the_module_s_message_and_sends_nothing(self, attached):
        args = dict(self.ARGS, config=[{"number": "2001"}, {"number": "2002", "ring_timeout": 17, "colour": "red"}])
        result = run_here(EXTENSION, args)
        assert result["failed"] is True
        assert result["msg"].startswith("invalid config, nothing was changed on the PBX: config[1] (extension 2002): ")
        assert result["msg"] == "invalid config, nothing was changed on the PBX: " + "; ".join(
            item_problems(EXTENSION, args["config"]))
        assert attached.requests == []

    def test_small_arguments_are_checked_as_the_module_checks_them(self, attached):
        assert "value of state must be one of" in run_here(EXTENSION, dict(self.ARGS, state="purged"))["msg"]
        unknown = run_here(EXTENSION, dict(self.ARGS, colour="red", config=[{"number": "1"}]),
                           name="openvox.ucpbx.uc_extension")["msg"]
        assert unknown.startswith("Unsupported parameters for (openvox.ucpbx.uc_extension) module: colour")
        assert "config" in run_here(EXTENSION, dict(self.ARGS))["msg"]   # merged needs config
        assert attached.requests == []

    def test_a_stop_check_stops_every_request(self, attached):
        args = dict(self.ARGS, config=[{"number": "2001", "name": "Alice"}])
        result = run_here(EXTENSION, args, stop_check=lambda: "ansible-playbook (pid 1), which ran this task, is gone")
        assert result["failed"] is True and "is gone" in result["msg"], result
        assert attached.requests == [] and "2001" not in attached.extensions
