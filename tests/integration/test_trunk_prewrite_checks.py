# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the PBX would refuse midway is refused before any write (check mode included): trunks still
routed, trunk names the API cannot carry, non-digit queue passwords, extensions beyond capacity."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from conftest import summary
from one_resource import run_resource

ROUTED = {
    "trunks": [{"trunkname": "old", "trunktype": "peer", "host": "10.0.0.1"},
               {"trunkname": "spare", "trunktype": "peer", "host": "10.0.0.2"}],
    "outbound_routes": [{"name": "national", "matchpattern": "0X.", "trunks": "spare,old"},
                        {"name": "intl", "matchpattern": "00X.", "trunks": "old"}],
}


@pytest.mark.parametrize("check", [True, False], ids=["check", "real"])
def test_deleting_a_trunk_routes_still_use_fails_before_any_write(emulator, run_playbook, tmp_path, check):
    emulator.put_state(ROUTED)
    returncode, output, result = run_resource(run_playbook, tmp_path, "trunk", [{"name": "old"}], state="deleted",
                                              check=check, expect_failed=True)
    assert returncode == 0, output
    assert result["failed"] is True, result
    msg = result["msg"]
    assert "trunk old cannot be deleted: outbound route(s) intl, national (trunks) refer to it" in msg, msg
    assert "nothing was changed on the PBX" in msg, msg
    assert emulator.writes() == [], summary(emulator.requests())
    assert [e["endpoint"] for e in emulator.queries()] == ["siptrunk/query", "outroute/query"]
    # The same result in both modes: nothing sent, nothing listed.
    assert result.get("commands") == [] and result.get("changed") is False, result


def test_deleting_an_unrouted_trunk_still_works(emulator, run_playbook, tmp_path):
    emulator.put_state(dict(ROUTED, outbound_routes=[{"name": "intl", "matchpattern": "00X.", "trunks": "old"}]))
    returncode, output, result = run_resource(run_playbook, tmp_path, "trunk", [{"name": "spare"}], state="deleted")
    assert returncode == 0, output
    assert result["changed"] is True
    assert [(e["endpoint"], e["status"]) for e in emulator.writes()] == [("siptrunk/delete", "Success")]


@pytest.mark.parametrize("name", ["a,b", "all", " padded", "padded ", ""])
def test_trunk_names_the_api_cannot_carry_are_refused_before_any_request(emulator, run_playbook, tmp_path, name):
    config = [{"name": "fine", "trunk_type": "peer", "host": "10.0.0.3", "port": 5060},
              {"name": name, "trunk_type": "peer", "host": "10.0.0.4", "port": 5060}]
    returncode, output, result = run_resource(run_playbook, tmp_path, "trunk", config, expect_failed=True)
    assert returncode == 0, output
    msg = result["msg"]
    assert "config[1]" in msg and "name" in msg, msg
    if name:
        assert "no comma, no leading or trailing blank, and not 'all'" in msg, msg
    assert "nothing was changed" in msg, msg
    assert emulator.requests() == []


def test_non_digit_queue_password_is_refused_naming_the_field(emulator, run_playbook, tmp_path):
    canary = "Queue-Pw-abc"
    returncode, output, result = run_resource(run_playbook, tmp_path, "queue",
                                              [{"number": "6700", "password": canary}], expect_failed=True)
    assert returncode == 0, output
    msg = result["msg"]
    assert "config[0] (queue 6700): password the value is not valid: digits only" in msg, msg
    assert canary not in output
    assert emulator.requests() == []


@pytest.mark.parametrize("check", [True, False], ids=["check", "real"])
def test_more_extensions_than_the_capacity_are_refused_before_any_write(emulator, run_playbook, tmp_path, check):
    emulator.put_state({"deviceinfo": {"capacity": "4"}, "extensions": [{"number": "2001"}, {"number": "2002"}]})
    config = [{"number": str(2001 + n)} for n in range(5)]
    returncode, output, result = run_resource(run_playbook, tmp_path, "extension", config, check=check,
                                              expect_failed=True)
    assert returncode == 0, output
    msg = result["msg"]
    assert "3 extension(s) to add while 2 exist, but this PBX holds at most 4 (deviceinfo extensionstatus 2/4)" \
        in msg, msg
    assert emulator.writes() == [], summary(emulator.requests())
    assert sorted(emulator.extensions()) == ["2001", "2002"]

    # Up to the capacity is fine.
    returncode, output, result = run_resource(run_playbook, tmp_path, "extension", config[:4], check=check)
    assert returncode == 0, output
    assert result["changed"] is True
