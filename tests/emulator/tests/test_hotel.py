"""Hotel application (OpenVox UC API: Hotel Application): wake-up alarms and check-out."""

import base64

import pytest

from apihelpers import merged


def create(emu, token, **body):
    return emu.api("wakeupcall/create", body, token=token)


def query(emu, token, number):
    return emu.api("wakeupcall/query", {"number": number}, token=token)


def test_alarm_example(pbx):
    emu, token = pbx
    assert create(emu, token, number="201", time="06:30", type="custom", weekdays="1,2,3,4,5",
                  prompt="custom/wakeup1") == {"status": "Success"}
    answer = query(emu, token, "201")
    assert answer == {"status": "Success", "wakeups": [{"number": "201", "wakeup": [
        {"wakeupid": "1", "type": "custom", "weekdays": "1,2,3,4,5", "time": "06:30",
         "prompt": "custom/wakeup1"}]}]}


def test_create_for_several_and_query(pbx):
    emu, token = pbx
    assert create(emu, token, number="201,202", time="07:00", type="onetime",
                  weekdays="1") == {"status": "Success"}
    wakeups = query(emu, token, "201,202,203")["wakeups"]
    assert [(w["number"], w["wakeup"][0]["wakeupid"], w["wakeup"][0]["weekdays"]) for w in wakeups] == [
        ("201", "1", ""), ("202", "2", "")]
    assert query(emu, token, "203") == {"status": "Success"}
    assert query(emu, token, "299")["errno"] == "10006"
    assert emu.api("wakeupcall/query", {}, token=token)["errno"] == "10004"


@pytest.mark.parametrize("change,errno", [
    ({"type": None}, "10004"), ({"number": None}, "10004"), ({"type": "custom"}, "10004"),
    ({"number": "299"}, "10006"),
    ({"time": "6:30"}, "10020"), ({"time": "24:00"}, "10020"), ({"type": "daily"}, "10020"),
    ({"type": "custom", "weekdays": "7"}, "10020"),
    ({"type": "custom", "weekdays": "1,1"}, "10020"),
    ({"time": "05:00"}, "10022"),
])
def test_create_errors(pbx, change, errno):
    emu, token = pbx
    create(emu, token, number="201", time="05:00", type="onetime")
    body = merged({"number": "201", "time": "06:30", "type": "onetime"}, change)
    emu.refused("wakeupcall/create", body, errno, token=token)


def test_update(pbx):
    emu, token = pbx
    create(emu, token, number="201", time="05:00", type="onetime")
    create(emu, token, number="201", time="06:00", type="onetime")
    body = {"number": "201", "wakeupid": "1", "time": "05:30", "type": "custom", "weekdays": "0,6"}
    assert emu.api("wakeupcall/update", body, token=token) == {"status": "Success"}
    alarm = query(emu, token, "201")["wakeups"][0]["wakeup"][0]
    assert alarm == {"wakeupid": "1", "type": "custom", "weekdays": "0,6", "time": "05:30",
                     "prompt": ""}
    for change, errno in [({"wakeupid": "9"}, "10021"), ({"number": "202"}, "10021"),
                          ({"number": "299"}, "10006"), ({"time": ""}, "10004"),
                          ({"time": "5"}, "10020"),
                          ({"time": "06:00", "type": "onetime", "weekdays": ""}, "10022")]:
        assert emu.api("wakeupcall/update", {**body, **change}, token=token) == {
            "status": "Failed", "errno": errno}, change


def test_delete(pbx):
    emu, token = pbx
    create(emu, token, number="201,202", time="05:00", type="onetime")
    create(emu, token, number="201", time="06:00", type="onetime")
    assert emu.api("wakeupcall/delete", {"number": "201", "wakeupid": "9"}, token=token)["errno"] == "10021"
    assert emu.api("wakeupcall/delete", {"number": "201", "wakeupid": "2"}, token=token)["errno"] == "10021"
    assert emu.api("wakeupcall/delete", {"wakeupid": "1"}, token=token)["errno"] == "10004"
    assert emu.api("wakeupcall/delete", {"number": "201", "wakeupid": "1"}, token=token) == {
        "status": "Success"}
    assert [a["wakeupid"] for a in query(emu, token, "201")["wakeups"][0]["wakeup"]] == ["3"]
    assert emu.api("wakeupcall/delete", {"number": "201"}, token=token) == {"status": "Success"}
    assert query(emu, token, "201") == {"status": "Success"}
    assert emu.api("wakeupcall/delete", {"number": "all", "wakeupid": "all"}, token=token) == {
        "status": "Success"}
    assert emu.ctl("GET", "alarms") == {"alarms": {}}


def test_checkout(pbx):
    emu, token = pbx
    create(emu, token, number="201,202", time="05:00", type="onetime")
    emu.ctl("POST", "voicemails", {"extension": "201", "content_b64": base64.b64encode(b"x").decode()})
    assert emu.api("hotel/checkout", {"number": "201"}, token=token) == {"status": "Success"}
    assert query(emu, token, "201") == {"status": "Success"}
    assert emu.api("voicemail/query", {"extid": "201"}, token=token) == {"status": "Success"}
    assert query(emu, token, "202")["wakeups"][0]["number"] == "202"
    assert emu.api("hotel/checkout", {"number": "299"}, token=token)["errno"] == "10006"
    assert emu.api("hotel/checkout", {}, token=token)["errno"] == "10004"
