"""paginggroup/lists|query|add|update|delete (OpenVox UC API: Paging Group)."""

import pytest

from apihelpers import Resource, merged

GROUPS = Resource("paginggroup", "number", "paginggroup")
add, query = GROUPS.add, GROUPS.query
SEED = {"extensions": [{"number": n} for n in ("201", "202", "207", "208")]}
EXAMPLE = {"number": "6301", "name": "warehouse", "type": "paging", "member": "201,202,207"}


def test_query_and_list_examples(seeded, token):
    emu = seeded
    assert add(emu, token, **EXAMPLE) == {"status": "Success"}
    assert emu.api("paginggroup/query", {"number": "6301"}, token=token) == {
        "status": "Success", "paginggroup": [EXAMPLE]}
    expected = {"status": "Success", "paginggrouplist": [{"number": "6301", "name": "warehouse"}]}
    for endpoint in ("paginggroup/lists", "paginggrouplist/lists", "paginggrouplist/query"):
        assert emu.api(endpoint, token=token) == expected
        assert emu.api(endpoint, token=token, method="GET") == expected


def test_no_groups_by_default(emu, token):
    assert emu.api("paginggroup/lists", token=token) == {"status": "Success",
                                                         "paginggrouplist": []}
    assert query(emu, token) == []


def test_selection_is_in_number_order(seeded, token):
    for number in ("6310", "6302", "6301"):
        add(seeded, token, number=number, name=f"g{number}", type="intercom", member="208")
    assert [g["number"] for g in query(seeded, token)] == ["6301", "6302", "6310"]
    assert [g["number"] for g in query(seeded, token, "6310,6301")] == ["6301", "6310"]


@pytest.mark.parametrize("change,errno", [
    ({"number": None}, "10004"), ({"name": ""}, "10004"), ({"type": None}, "10004"),
    ({"member": None}, "10004"), ({"member": ""}, "10004"), ({"member": ","}, "10004"),
    ({"number": "6301"}, "10004"), ({"number": "63a"}, "10004"),
    ({"type": "multicast"}, "10004"), ({"member": "201,201"}, "10004"),
    ({"member": "201,999"}, "10006"),
])
def test_add_errors(seeded, token, change, errno):
    add(seeded, token, **EXAMPLE)
    seeded.refused("paginggroup/add", merged(EXAMPLE, {"number": "6302"}, change), errno,
                   token=token)


def test_update_replaces_members_and_keeps_name(seeded, token):
    emu = seeded
    add(emu, token, **EXAMPLE)
    body = {"number": "6301", "type": "intercom", "member": "208, 201"}
    assert emu.api("paginggroup/update", body, token=token) == {"status": "Success"}
    assert query(emu, token) == [{"number": "6301", "name": "warehouse", "type": "intercom",
                                  "member": "208,201"}]
    emu.api("paginggroup/update", {"number": "6301", "type": "paging", "name": "yard"},
            token=token)
    assert query(emu, token) == [{"number": "6301", "name": "yard", "type": "paging",
                                  "member": "208,201"}]


@pytest.mark.parametrize("body,errno", [
    ({"type": "paging"}, "10004"), ({"number": "6301"}, "10004"),
    ({"number": "6301", "type": ""}, "10004"),
    ({"number": "6399", "type": "paging"}, "10011"),
    ({"number": "6301", "type": "broadcast"}, "10004"),
    ({"number": "6301", "type": "paging", "name": ""}, "10004"),
    ({"number": "6301", "type": "paging", "member": ""}, "10004"),
    ({"number": "6301", "type": "paging", "member": "999"}, "10006"),
])
def test_update_errors_change_nothing(seeded, token, body, errno):
    add(seeded, token, **EXAMPLE)
    seeded.refused("paginggroup/update", body, errno, token=token)


@pytest.mark.parametrize("body,errno", [
    ({}, "10004"), ({"number": ""}, "10004"), ({"number": "6399"}, "10011"),
])
def test_query_errors(seeded, token, body, errno):
    seeded.refused("paginggroup/query", body, errno, token=token)


def test_delete_one_list_and_all(seeded, token):
    GROUPS.check_delete_one_list_and_all(seeded, token, ("6301", "6302", "6303", "6304"),
                                         name="g", type="paging", member="201")


@pytest.mark.parametrize("body,errno", [
    ({}, "10004"), ({"number": ","}, "10004"), ({"number": "6301,6399"}, "10011"),
])
def test_delete_errors_delete_nothing(seeded, token, body, errno):
    add(seeded, token, **EXAMPLE)
    seeded.refused("paginggroup/delete", body, errno, token=token)
    assert len(query(seeded, token)) == 1


def test_member_extensions_cannot_be_deleted(seeded, token):
    emu = seeded
    add(emu, token, **EXAMPLE)
    assert emu.api("extension/delete", {"number": "207"}, token=token)["errno"] == "10017"
    assert emu.api("extension/update", {"extid": "207", "extnumber": "307"},
                   token=token)["errno"] == "10017"
    assert emu.api("extension/delete", {"number": "208"}, token=token)["status"] == "Success"
    emu.api("paginggroup/delete", {"number": "6301"}, token=token)
    assert emu.api("extension/delete", {"number": "207"}, token=token)["status"] == "Success"


@pytest.mark.parametrize("document", [
    {"paging_groups": [{"number": "6301", "member": "999"}]},
    {"paging_groups": [{"number": "6301", "type": "multicast"}]},
    {"paging_groups": [{"number": "6301", "name": ""}]},
    {"extensions": [{"number": "201"}]},
])
def test_state_put_refuses_bad_groups(seeded, token, document):
    add(seeded, token, **EXAMPLE)
    seeded.put_state_refused(document)
