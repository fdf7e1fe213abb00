# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_config's layers, owned scope and strict types, before any request (config_task.checked_config)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.openvox.ucpbx.plugins.module_utils import config_task

BASELINE = {
    "trunks": [{"name": "provider", "trunk_type": "peer", "host": "203.0.113.10", "port": 5060}],
    "extensions": [{"number": "2000", "name": "Front desk", "voicemail": True}, {"number": "2001", "name": "Alice"}],
}


def merged(*layers, **options):
    stack = [{"name": name, "config": config} for name, config in layers]
    desired, _owned = config_task.checked_config({}, set(), layered=stack, **options)
    return desired


def problems(*layers, **options):
    with pytest.raises(config_task.TaskFailed) as failure:
        merged(*layers, **options)
    return failure.value.msg


def test_later_layers_set_options_add_objects_and_take_objects_out():
    site = {"trunks": [{"name": "provider", "host": "203.0.113.20"}],
            "extensions": [{"number": "2001", "state": "absent"}, {"number": "2002", "name": "Bruno"},
                           {"number": "2000", "name": "Reception"}]}
    desired = merged(("baseline", BASELINE), ("site", site))
    assert desired["trunks"] == [{"name": "provider", "trunk_type": "peer", "host": "203.0.113.20", "port": 5060}]
    assert desired["extensions"] == [{"number": "2000", "name": "Reception", "voicemail": True},
                                     {"number": "2002", "name": "Bruno"}]


def test_an_object_taken_out_can_come_back_in_a_later_layer():
    gone = {"extensions": [{"number": "2001", "state": "absent"}]}
    back = {"extensions": [{"number": "2001", "name": "Alice again"}]}
    desired = merged(("baseline", BASELINE), ("gone", gone), ("back", back))
    assert desired["extensions"][-1] == {"number": "2001", "name": "Alice again"}


def test_a_marker_is_validated_and_problems_name_the_layer():
    site = {"extensions": [{"number": "2001", "state": "present"}, {"number": "2000", "state": "absent", "name": "x"},
                           {"state": "absent"}, {"number": "2002", "max_registrations": 9},
                           {"number": "2002"}]}
    msg = problems(("baseline", BASELINE), ("site", site))
    assert "site: extensions[0] (extension 2001): state must be absent" in msg
    assert "site: extensions[1] (extension 2000): state=absent takes the object out of the tree, so it cannot set " \
           "name too" in msg
    assert "site: extensions[2] (extension ?): number is required" in msg
    assert "site: extensions[3] (extension 2002): max_registrations 9 is out of range 1-5" in msg
    assert "site: extensions: number 2002 appears more than once" in msg
    assert "baseline" not in msg


def test_options_that_depend_on_each_other_are_checked_once_merged():
    # The baseline's forward target completes the site's forward.
    forward = {"extensions": [{"number": "2001", "busy_forward_to": "extension", "busy_forward_extension": "2000"}]}
    assert merged(("baseline", forward), ("site", {"extensions": [{"number": "2001", "busy_forward": True}]}))
    msg = problems(("baseline", BASELINE), ("site", {"extensions": [{"number": "2001", "busy_forward_to": "extension"}]}))
    assert "extension 2001 (from baseline, site): busy_forward_to=extension needs busy_forward_extension" in msg


def test_strict_types_refuse_what_yaml_did_not_quote():
    msg = problems(("site", {"extensions": [{"number": 2004, "name": None},
                                            {"number": "2005", "voicemail": "yes", "register_password": 1234}]}),
                   strict=True)
    assert "site: extensions[0] (extension 2004): number: 2004 (a number) is not a quoted string" in msg
    assert "site: extensions[0] (extension 2004): name is empty (null)" in msg
    assert "site: extensions[1] (extension 2005): voicemail: 'yes' (text) is not true or false" in msg
    assert "register_password: the value (a secret, not shown) is not a quoted string" in msg
    assert "1234" not in msg
    # Without strict, the module converts as its argument spec would.
    assert merged(("site", {"extensions": [{"number": 2004}]}))["extensions"] == [{"number": "2004"}]


def test_owned_scope_refuses_objects_outside_it():
    msg = problems(("baseline", BASELINE), ("site", {"extensions": [{"number": "100", "name": "Lobby"}]}),
                   owned={"extensions": r"^2\d{3}$"})
    assert "extension 100 is outside the owned scope of extensions (^2\\d{3}$)" in msg
    assert "2000" not in msg
    assert "owned: unknown kind 'rooms'" in problems(("baseline", BASELINE), owned={"rooms": "x"})
    assert "owned: extensions: '(' is not a valid regular expression" in problems(
        ("baseline", BASELINE), owned={"extensions": "("})


def test_a_plain_config_may_not_both_list_and_mark_an_object():
    config = {"extensions": [{"number": "2001"}, {"number": "2001", "state": "absent"}]}
    with pytest.raises(config_task.TaskFailed) as failure:
        config_task.checked_config(config, set())
    assert "extension 2001 is both listed and marked state=absent" in failure.value.msg
