"""deviceinfo/query and trunklist/query (OpenVox UC API: Query PBX Information, Query Trunk List)."""

import re


def test_deviceinfo_shape(emu, token):
    answer = emu.api("deviceinfo/query", token=token)
    info = answer["deviceinfo"]
    assert list(info) == ["devicename", "sn", "hardwarever", "firmwarever", "systemtime",
                          "uptime", "extensionstatus"]
    assert info["devicename"] == "UC500"
    assert info["firmwarever"] == "4.3.6"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", info["systemtime"])
    assert re.fullmatch(r"\d{4}-[A-Z][a-z]{2}-\d\d-\d\d:\d\d:\d\d", info["uptime"])
    assert info["extensionstatus"] == "0/300"


def test_extensionstatus_counts_extensions(emu, token):
    for number in ("101", "102", "103"):
        emu.api("extension/add", {"number": number}, token=token)
    info = emu.api("deviceinfo/query", token=token)["deviceinfo"]
    assert info["extensionstatus"] == "3/300"


def test_systemtime_follows_emulator_clock(emu, token):
    before = emu.api("deviceinfo/query", token=token)["deviceinfo"]["systemtime"]
    emu.advance(86400 * 400)
    after = emu.api("deviceinfo/query", token=emu.login())["deviceinfo"]["systemtime"]
    assert int(after[:4]) > int(before[:4])


def test_trunk_free_device_lists_no_trunks(emu, token):
    assert emu.api("trunklist/query", token=token) == {"status": "Success", "trunkname": []}


def test_trunk_list_key_option(emulator_factory):
    emu = emulator_factory("--trunk-list-key", "trunklist")
    answer = emu.api("trunklist/query", token=emu.login())
    assert answer == {"status": "Success", "trunklist": []}
