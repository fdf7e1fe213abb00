"""queue/query|update (OpenVox UC API: Query Queue Settings). Queues are seeded, never added."""

import pytest

from apihelpers import Resource

QUEUE_KEYS = ["queuenumber", "queuename", "password", "ringstrategy", "agents",
              "dynamicagents", "agenttimeout", "agentannounce", "wrapuptime", "retry",
              "musiconhold", "maxwaittime", "joinempty", "leavewhenempty", "announcepos",
              "announcefreq", "announceholdtime"]
AGENTS = {"extensions": [{"number": "201"}, {"number": "202"}, {"number": "205"}]}


query = Resource("queue", "queueid", "queues").select


def update(emu, token, **body):
    return emu.api("queue/update", body, token=token)


def test_default_queues(emu, token):
    queues = query(emu, token)
    assert [(q["queuenumber"], q["queuename"]) for q in queues] == [("6700", "sales"),
                                                                    ("6701", "support")]
    for queue in queues:
        assert list(queue) == QUEUE_KEYS
        assert queue["agents"] == "" and queue["dynamicagents"] == ""


def test_query_example(emu, token):
    emu.ctl("PUT", "state", AGENTS)
    assert update(emu, token, queueid="6701", agents="201,202",
                  dynamicagents="205") == {"status": "Success"}
    assert emu.api("queue/query", {"queueid": "6701"}, token=token) == {
        "status": "Success",
        "queues": [{"queuenumber": "6701", "queuename": "support", "password": "2468",
                    "ringstrategy": "Ring All", "agents": "201,202", "dynamicagents": "205",
                    "agenttimeout": "20", "agentannounce": "", "wrapuptime": "10",
                    "retry": "10", "musiconhold": "Inherit", "maxwaittime": "600",
                    "joinempty": "on", "leavewhenempty": "off", "announcepos": "off",
                    "announcefreq": "0", "announceholdtime": "off"}]}


@pytest.mark.parametrize("body", [None, {}, {"queueid": ""}])
def test_omitted_queueid_means_all(emu, token, body):
    assert len(query(emu, token, body)) == 2


def test_get_and_selection(emu, token):
    assert len(emu.api("queue/query", token=token, method="GET")["queues"]) == 2
    assert [q["queuenumber"] for q in query(emu, token, {"queueid": "6701,6700"})] == [
        "6700", "6701"]
    assert [q["queuenumber"] for q in query(emu, token, {"queueid": 6700})] == ["6700"]


@pytest.mark.parametrize("queueid", ["6799", "6700,6799", "all", "sales"])
def test_query_unknown_queue(emu, token, queueid):
    emu.refused("queue/query", {"queueid": queueid}, "10013", token=token)


def test_update_is_partial(emu, token):
    before = query(emu, token, {"queueid": "6700"})[0]
    body = {"queueid": "6700", "queuename": "Sales EU", "ringstrategy": "Fewest Calls",
            "agenttimeout": "50", "maxwaittime": "1800", "announcefreq": "1200",
            "joinempty": "off", "announceholdtime": "on",
            # Query-only: ignored.
            "agentannounce": "hello", "musiconhold": "jazz"}
    assert update(emu, token, **body) == {"status": "Success"}
    after = query(emu, token, {"queueid": "6700"})[0]
    assert after == {**before, "queuename": "Sales EU", "ringstrategy": "Fewest Calls",
                     "agenttimeout": "50", "maxwaittime": "1800", "announcefreq": "1200",
                     "joinempty": "off", "announceholdtime": "on"}
    assert query(emu, token, {"queueid": "6701"})[0]["queuename"] == "support"


def test_agents_replace_and_clear(emu, token):
    emu.ctl("PUT", "state", AGENTS)
    update(emu, token, queueid="6700", agents="202, 201")
    assert query(emu, token, {"queueid": "6700"})[0]["agents"] == "202,201"
    update(emu, token, queueid="6700", agents="")
    assert query(emu, token, {"queueid": "6700"})[0]["agents"] == ""


@pytest.mark.parametrize("body,errno", [
    ({}, "10004"), ({"queueid": ""}, "10004"), ({"queuename": "x"}, "10004"),
    ({"queueid": "6799"}, "10013"), ({"queueid": "6700,6701"}, "10013"),
])
def test_update_errors_change_nothing(emu, token, body, errno):
    emu.ctl("PUT", "state", AGENTS)
    emu.refused("queue/update", body, errno, token=token)


@pytest.mark.parametrize("change", [
    {"queuename": ""}, {"password": "abc"}, {"ringstrategy": "ring all"},
    {"ringstrategy": "Round Robin"}, {"agenttimeout": "15"}, {"wrapuptime": "60"},
    {"retry": "5"}, {"maxwaittime": "5"}, {"joinempty": "yes"}, {"leavewhenempty": "ON"},
    {"announcepos": ""}, {"announcefreq": "10"}, {"announceholdtime": "1"},
    {"agents": "201,999"}, {"agents": "201,201"}, {"dynamicagents": "999"},
    {"queuename": "ok", "retry": "7"},
])
def test_update_refuses_bad_values_with_10019(emu, token, change):
    emu.ctl("PUT", "state", AGENTS)
    emu.refused("queue/update", {"queueid": "6700", **change}, "10019", token=token)


def test_queues_cannot_be_added_or_deleted(emu, token):
    for endpoint in ("queue/add", "queue/delete"):
        assert emu.api(endpoint, {"queueid": "6702"}, token=token)["errno"] == "10003"


def test_agent_extensions_cannot_be_deleted_or_renumbered(emu, token):
    emu.ctl("PUT", "state", AGENTS)
    update(emu, token, queueid="6700", agents="201", dynamicagents="205")
    for number in ("201", "205"):
        assert emu.api("extension/delete", {"number": number}, token=token)["errno"] == "10017"
    assert emu.api("extension/update", {"extid": "205", "extnumber": "206"},
                   token=token)["errno"] == "10017"
    assert emu.api("extension/delete", {"number": "202"}, token=token)["status"] == "Success"
    update(emu, token, queueid="6700", agents="", dynamicagents="")
    assert emu.api("extension/delete", {"number": "201,205"}, token=token)["status"] == "Success"


def test_state_holds_values_the_api_would_refuse(emu, token):
    # The device's own example shows such values (OpenVox UC API: Edit a Queue).
    emu.ctl("PUT", "state", {**AGENTS, "queues": [
        {"queuenumber": "6701", "maxwaittime": "5", "wrapuptime": "60", "agents": "201"}]})
    (queue,) = query(emu, token)
    assert (queue["maxwaittime"], queue["wrapuptime"], queue["agents"]) == ("5", "60", "201")
    assert queue["queuename"] == "6701" and queue["ringstrategy"] == "Ring All"


@pytest.mark.parametrize("document", [
    {"queues": [{"queuenumber": "6700", "agents": "999"}]},
    {"queues": [{"queuenumber": "67a"}]},
    {"queues": [{"queuename": "no number"}]},
    {"queues": [{"queuenumber": "6700", "colour": "red"}]},
    {"extensions": []},
])
def test_state_put_refuses_bad_queues(emu, document):
    emu.ctl("PUT", "state", {**AGENTS, "queues": [{"queuenumber": "6700", "agents": "201"}]})
    emu.put_state_refused(document)


def test_inbound_route_to_a_queue(emu, token):
    body = {"name": "q", "desttype": "queue", "dest": "6701"}
    assert emu.api("inroute/add", body, token=token)["status"] == "Success"
    # Queues cannot be deleted over the API; a state document may not orphan the route.
    emu.put_state_refused({"queues": []})
