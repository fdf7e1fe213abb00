"""Extensions: list, query, add, update, delete (OpenVox UC API: Extension)."""

import pytest

ADD_EXAMPLE = {"number": "2002", "username": "bob", "registerpassword": "S3cretPass77",
               "maxregistrations": "2", "hasvoicemail": "on", "vmsecret": "2580",
               "dnd": "off"}


def add(emu, token, **body):
    return emu.api("extension/add", body, token=token)


def query(emu, token, extid=None):
    body = None if extid is None else {"extid": extid}
    answer = emu.api("extension/query", body, token=token)
    assert answer["status"] == "Success", answer
    return answer["extinfos"]


def stored(emu, number):
    return next(r for r in emu.state()["extensions"] if r["number"] == number)


def test_add_example_then_query_shows_device_quirks(emu, token):
    assert emu.api("extension/add", ADD_EXAMPLE, token=token) == {"status": "Success"}
    (ext,) = query(emu, token, "2002")
    assert ext["extnumber"] == "2002"
    assert ext["username"] == "bob"
    assert ext["type"] == "pjsip" and ext["status"] == "Unavailable"
    assert ext["registerpassword"] == "S3cretPass77"
    assert ext["maxregistrations"] == "2"
    assert ext["vmsecret"] == "2580"
    # Read-side spellings differ from what add takes.
    assert "moblie" in ext and "mobile" not in ext
    assert "userpassword" in ext and "loginpassword" not in ext
    assert ext["monitormode"] == "disable"
    assert ext["maxduration"] == "Follow System"
    # Unset optional keys are left out, as in the device's example.
    for key in ("ringtimeout", "ntransferto", "btransfernum", "mobileprefix", "nat"):
        assert key not in ext


def test_defaults_for_fields_not_sent(emu, token):
    add(emu, token, number="101")
    (ext,) = query(emu, token)
    assert ext["callerid"] == "101"
    assert ext["maxregistrations"] == "1"
    assert ext["language"] == "en"
    assert ext["email"] == "" and ext["moblie"] == ""
    assert ext["hasvoicemail"] == "on"
    for flag in ("enablevmtoemail", "noanswerforward", "busyforward", "enablemobile",
                 "ringsimultaneous", "allowbeingmonitored", "dnd"):
        assert ext[flag] == "off"
    assert len(ext["registerpassword"]) == 12 and ext["registerpassword"].isalnum()
    assert len(ext["userpassword"]) == 8 and ext["userpassword"].isalnum()
    assert len(ext["vmsecret"]) == 4 and ext["vmsecret"].isdigit()
    assert stored(emu, "101")["nat"] == "no"


def test_generated_secrets_are_reproducible_after_reset(emu, token):
    add(emu, token, number="101")
    first = query(emu, token)[0]
    emu.ctl("POST", "reset")
    add(emu, token=emu.login(), number="101")
    assert query(emu, emu.login())[0] == first


def test_query_selection_and_order(emu, token):
    for number in ("1000", "999", "101"):
        add(emu, token, number=number)
    assert [e["extnumber"] for e in query(emu, token)] == ["101", "999", "1000"]
    assert [e["extnumber"] for e in query(emu, token, "1000,101")] == ["101", "1000"]
    assert [e["extnumber"] for e in query(emu, token, "999")] == ["999"]
    assert emu.api("extension/query", {"extid": "101,555"}, token=token)["errno"] == "10006"


def test_extensionlist(emu, token):
    add(emu, token, number="102", username="bob")
    add(emu, token, number="101", username="alice")
    answer = emu.api("extensionlist/query", token=token)
    assert answer == {"status": "Success", "extlist": [
        {"extnumber": "101", "status": "Unavailable", "type": "pjsip", "username": "alice",
         "agentid": ""},
        {"extnumber": "102", "status": "Unavailable", "type": "pjsip", "username": "bob",
         "agentid": ""}]}


def test_unknown_keys_are_ignored_and_nat_is_stored(emu, token):
    assert add(emu, token, number="101", registername="x", alwaysforward="on",
               nat="yes", status="Registered")["status"] == "Success"
    record = stored(emu, "101")
    assert record["nat"] == "yes"
    assert record["status"] == "Unavailable"
    assert "registername" not in record


@pytest.mark.parametrize("field,value", [
    ("number", "12345678"), ("number", "10a"), ("number", "-1"),
    ("hasvoicemail", "yes"), ("dnd", "ON"), ("dnd", ""),
    ("ntransferto", "voicemail"), ("btransferto", "Queue"),
    ("monitormode", "Spy"), ("ringtimeout", "45"), ("maxduration", "forever"),
    ("maxregistrations", "0"), ("maxregistrations", "6"), ("maxregistrations", "two"),
    ("registerpassword", "a" * 32), ("registerpassword", "has space"),
    ("registerpassword", "semi;colon"), ("registerpassword", "back`tick"),
    ("registerpassword", ""), ("loginpassword", "12345"), ("loginpassword", "x" * 64),
    ("vmsecret", "12a4"), ("btransferprefix", "12345678"), ("btransferprefix", "9x"),
    ("btransfernum", "1" * 16), ("mobile", "+4912345"), ("nat", "maybe"),
])
def test_add_refuses_invalid_values_with_10017(emu, token, field, value):
    emu.refused("extension/add", {"number": "101", field: value}, "10017", token=token)
    assert emu.state()["extensions"] == []


def test_custom_number_busy_forward_needs_a_number(emu, token):
    assert add(emu, token, number="101", busyforward="on",
               btransferto="Custom Number")["errno"] == "10017"
    assert add(emu, token, number="101", busyforward="on", btransferto="Custom Number",
               btransfernum="5551234")["status"] == "Success"


@pytest.mark.parametrize("field,value", [
    ("monitormode", "Disable"), ("monitormode", "barge-in"), ("ringtimeout", "300"),
    ("maxduration", "10800"), ("maxduration", "Unlimited"), ("maxregistrations", "5"),
    ("loginpassword", ""), ("registerpassword", "x" * 31), ("btransferprefix", "1234567"),
    ("ntransferto", "Mobile Number"), ("vmsecret", "0000"),
])
def test_add_accepts_valid_edge_values(emu, token, field, value):
    assert add(emu, token, number="101", **{field: value})["status"] == "Success"
    assert stored(emu, "101")[field] == value


@pytest.mark.parametrize("sent,reported", [
    ("Disabled", "disable"), ("Disable", "disable"), ("DISABLED", "disable"),
    ("extensive", "Extensive"), ("Listen", "Listen"), ("whisper", "Whisper"),
    ("BARGE-IN", "Barge-in"),
])
def test_monitormode_reporting(emu, token, sent, reported):
    add(emu, token, number="101", monitormode=sent)
    assert query(emu, token)[0]["monitormode"] == reported
    assert stored(emu, "101")["monitormode"] == sent


def test_add_errors(emu, token):
    assert emu.api("extension/add", {}, token=token)["errno"] == "10004"
    assert add(emu, token, number="")["errno"] == "10004"
    add(emu, token, number="101")
    assert add(emu, token, number="101")["errno"] == "10017"


def test_capacity_limit(emu, token):
    emu.ctl("PUT", "state", {"deviceinfo": {"capacity": "2"}})
    assert add(emu, token, number="101")["status"] == "Success"
    assert add(emu, token, number="102")["status"] == "Success"
    assert add(emu, token, number="103")["errno"] == "10017"
    info = emu.api("deviceinfo/query", token=token)["deviceinfo"]
    assert info["extensionstatus"] == "2/2"


# -- update -----------------------------------------------------------------------------

def test_update_example_changes_only_given_keys(emu, token):
    emu.api("extension/add", ADD_EXAMPLE, token=token)
    before = stored(emu, "2002")
    body = {"extid": "2002", "username": "Bob Smith", "dnd": "on"}
    assert emu.api("extension/update", body, token=token) == {"status": "Success"}
    after = stored(emu, "2002")
    assert after == {**before, "username": "Bob Smith", "dnd": "on"}


def test_update_write_names_map_to_read_names(emu, token):
    add(emu, token, number="101")
    emu.api("extension/update", {"extid": "101", "mobile": "5551234",
                                 "loginpassword": "portal123"}, token=token)
    (ext,) = query(emu, token)
    assert ext["moblie"] == "5551234"
    assert ext["userpassword"] == "portal123"


def test_update_renumbers(emu, token):
    add(emu, token, number="101", username="al")
    assert emu.api("extension/update", {"extid": 101, "extnumber": "201"},
                   token=token)["status"] == "Success"
    assert [e["extnumber"] for e in query(emu, token)] == ["201"]
    assert query(emu, token)[0]["username"] == "al"
    assert emu.api("extension/query", {"extid": "101"}, token=token)["errno"] == "10006"


@pytest.mark.parametrize("body,errno", [
    ({"username": "x"}, "10004"),
    ({"extid": "", "username": "x"}, "10004"),
    ({"extid": "999", "username": "x"}, "10006"),
    ({"extid": "101,102", "username": "x"}, "10006"),
    ({"extid": "101", "extnumber": "102"}, "10017"),
    ({"extid": "101", "extnumber": "abc"}, "10017"),
    ({"extid": "101", "extnumber": ""}, "10017"),
    ({"extid": "101", "dnd": "maybe"}, "10017"),
])
def test_update_errors(emu, token, body, errno):
    add(emu, token, number="101")
    add(emu, token, number="102")
    emu.refused("extension/update", body, errno, token=token)


def test_update_is_all_or_nothing(emu, token):
    add(emu, token, number="101")
    emu.refused("extension/update", {"extid": "101", "extnumber": "301", "username": "new",
                                     "ringtimeout": "7"}, "10017", token=token)


def test_update_can_clear_optional_values(emu, token):
    add(emu, token, number="101", ringtimeout="30", email="a@b.c")
    emu.api("extension/update", {"extid": "101", "ringtimeout": "", "email": ""}, token=token)
    (ext,) = query(emu, token)
    assert "ringtimeout" not in ext
    assert ext["email"] == ""


# -- delete -----------------------------------------------------------------------------

def test_delete_one_and_several(emu, token):
    for number in ("101", "102", "103"):
        add(emu, token, number=number)
    assert emu.api("extension/delete", {"number": "102"}, token=token) == {"status": "Success"}
    assert emu.api("extension/delete", {"number": "101,103"},
                   token=token)["status"] == "Success"
    assert query(emu, token) == []


@pytest.mark.parametrize("body,errno", [
    ({}, "10004"), ({"number": ""}, "10004"), ({"number": ","}, "10004"),
    ({"number": "101,999"}, "10006"), ({"number": "all"}, "10006"),
])
def test_delete_errors_leave_everything_in_place(emu, token, body, errno):
    add(emu, token, number="101")
    emu.refused("extension/delete", body, errno, token=token)
    assert [r["number"] for r in emu.state()["extensions"]] == ["101"]
