"""The control API (/_emulator/...), fault injection and the command line."""

import json
import time

import pytest
import requests

from ucpbx_emulator.certs import self_signed
from conftest import API_PASSWORD_MD5, EmulatorProcess


def test_health(emu):
    assert emu.ctl("GET", "health") == {"status": "ok"}


def test_unknown_control_path_is_404(emu):
    assert emu.control("GET", "nothing").status_code == 404


# -- request log ------------------------------------------------------------------------

def test_log_records_requests_with_secrets_masked(emu):
    token = emu.login(port="8260")
    body = b"<xml><number>101</number><registerpassword>Secret12</registerpassword></xml>"
    answer = emu.call("extension/add", token=token, fmt="xml", data=body)
    assert "<status>Success</status>" in answer.text
    login_entry, add_entry = emu.requests_log()
    assert login_entry["endpoint"] == "login"
    assert login_entry["base"] == "/api/v0.0.1"
    assert login_entry["body"]["password"] == "********"
    assert login_entry["token_present"] is False
    assert login_entry["status"] == "Success" and login_entry["errno"] is None
    assert add_entry["method"] == "POST" and add_entry["type"] == "xml"
    assert add_entry["token_present"] is True
    assert add_entry["fault"] is None
    assert add_entry["body"] == {"number": "101", "registerpassword": "********"}
    assert isinstance(add_entry["seq"], int) and isinstance(add_entry["time"], float)


def test_log_masks_and_never_keeps_the_token(emu, token):
    emu.api("extension/add", {"number": "101", "registerpassword": "Secret12",
                              "loginpassword": "portal123", "vmsecret": "1234",
                              "username": "al"}, token=token)
    entry = emu.requests_log()[-1]
    assert entry["body"] == {"number": "101", "registerpassword": "********",
                             "loginpassword": "********", "vmsecret": "********",
                             "username": "al"}
    assert token not in json.dumps(emu.requests_log())


def test_log_records_failures_and_since(emu, token):
    first_seq = emu.requests_log()[-1]["seq"]
    emu.api("extension/delete", {"number": "9"}, token=token)
    emu.api("extension/add", data=b"{oops", token=token)
    later = emu.requests_log(since=first_seq)
    assert [(e["endpoint"], e["status"], e["errno"]) for e in later] == [
        ("extension/delete", "Failed", "10006"), ("extension/add", "Failed", "20000")]
    assert later[1]["body"] is None


def test_control_calls_are_not_logged_and_clear_keeps_state(emu, token):
    emu.api("extension/add", {"number": "101"}, token=token)
    emu.ctl("GET", "state")
    assert [e["endpoint"] for e in emu.requests_log()] == ["login", "extension/add"]
    emu.ctl("DELETE", "requests")
    assert emu.requests_log() == []
    assert len(emu.state()["extensions"]) == 1


def test_steps_cut_the_log_by_name(emu, token):
    emu.ctl("POST", "steps", {"name": "first"})
    emu.api("extension/add", {"number": "101"}, token=token)
    emu.api("extension/query", {"extid": "101"}, token=token)
    emu.ctl("POST", "steps", {"name": "quiet"})
    emu.ctl("POST", "steps", {"name": "last"})
    emu.api("extension/delete", {"number": "101"}, token=token)
    assert [step["name"] for step in emu.ctl("GET", "steps")["steps"]] == ["first", "quiet", "last"]

    def endpoints(name):
        return [e["endpoint"] for e in emu.ctl("GET", f"requests?step={name}")["requests"]]

    assert endpoints("first") == ["extension/add", "extension/query"]
    assert endpoints("quiet") == []
    assert endpoints("last") == ["extension/delete"]
    assert emu.control("GET", "requests?step=other").status_code == 404
    # A name marks one step only; the log's clear forgets the steps with the requests.
    assert emu.control("POST", "steps", {"name": "first"}).status_code == 400
    assert emu.control("POST", "steps", {}).status_code == 400
    emu.ctl("DELETE", "requests")
    assert emu.ctl("GET", "steps") == {"steps": []}
    emu.ctl("POST", "steps", {"name": "first"})


# -- state ------------------------------------------------------------------------------

def test_state_put_fills_defaults_and_shows_through_the_api(emu, token):
    document = {
        "deviceinfo": {"devicename": "UC501", "capacity": 50},
        "extensions": [{"number": "300", "username": "carol", "status": "Registered",
                        "mobile": "5550000"},
                       {"number": 200, "agentid": "7"}],
        "event_receiver": {"ipaddr": "10.0.0.9", "port": "8260"},
    }
    state = emu.ctl("PUT", "state", document)
    assert [r["number"] for r in state["extensions"]] == ["200", "300"]
    carol = state["extensions"][1]
    assert carol["hasvoicemail"] == "on" and carol["callerid"] == "300"
    assert len(carol["registerpassword"]) == 12
    assert state["event_receiver"]["url"] == ""
    assert emu.state() == state
    info = emu.api("deviceinfo/query", token=token)["deviceinfo"]
    assert info["devicename"] == "UC501" and info["extensionstatus"] == "2/50"
    extlist = emu.api("extensionlist/query", token=token)["extlist"]
    assert extlist[0]["agentid"] == "7" and extlist[1]["status"] == "Registered"
    assert emu.api("extension/query", {"extid": "300"},
                   token=token)["extinfos"][0]["moblie"] == "5550000"


def test_state_round_trip(emu, token):
    emu.api("extension/add", {"number": "101", "ringtimeout": "30"}, token=token)
    state = emu.state()
    emu.ctl("PUT", "state", {"extensions": []})
    assert emu.state()["extensions"] == []
    assert emu.ctl("PUT", "state", state) == state


@pytest.mark.parametrize("document", [
    {"extensions": [{"number": "101", "dnd": "maybe"}]},
    {"extensions": [{"username": "nobody"}]},
    {"extensions": [{"number": "101"}, {"number": "101"}]},
    {"extensions": [{"number": "101", "colour": "red"}]},
    {"deviceinfo": {"capacity": "lots"}},
    {"deviceinfo": {"sn": None}},
    {"deviceinfo": {"capacity": "1"}, "extensions": [{"number": "1"}, {"number": "2"}]},
    {"voicemails": []},
    [],
])
def test_state_put_refuses_bad_documents_without_change(emu, document):
    emu.put_state_refused(document)


def test_reset_restores_everything(emu, token):
    emu.api("extension/add", {"number": "101"}, token=token)
    emu.ctl("POST", "faults", {"count": 5, "kind": "http500"})
    emu.advance(100)
    emu.ctl("POST", "reset")
    assert emu.state()["extensions"] == []
    assert emu.requests_log() == []
    assert emu.ctl("GET", "faults") == {"counted": [], "random": []}
    assert emu.api("deviceinfo/query", token=token)["errno"] == "20004"


# -- clock --------------------------------------------------------------------------------

def test_clock_advance(emu):
    first = emu.advance(0)["now"]
    second = emu.advance(3600)["now"]
    assert second - first >= 3600
    assert emu.control("POST", "clock", {"advance_seconds": -5}).status_code == 400
    assert emu.control("POST", "clock", {}).status_code == 400


# -- faults -------------------------------------------------------------------------------

def test_reset_fault_drops_connection_without_effect(emu, token):
    emu.ctl("POST", "faults", {"count": 1, "kind": "reset", "endpoint": "extension/add"})
    with pytest.raises(requests.ConnectionError):
        emu.call("extension/add", {"number": "101"}, token=token)
    assert emu.state()["extensions"] == []
    entry = emu.requests_log()[-1]
    assert entry["fault"] == "reset" and entry["status"] is None
    # Used up: the retry goes through.
    assert emu.api("extension/add", {"number": "101"}, token=token)["status"] == "Success"


def test_reset_after_fault_applies_then_drops(emu, token):
    emu.ctl("POST", "faults", {"count": 1, "kind": "reset_after"})
    with pytest.raises(requests.ConnectionError):
        emu.call("extension/add", {"number": "101"}, token=token)
    assert [r["number"] for r in emu.state()["extensions"]] == ["101"]
    entry = emu.requests_log()[-1]
    assert (entry["fault"], entry["status"]) == ("reset_after", "Success")
    # The client's retry now meets a duplicate.
    assert emu.api("extension/add", {"number": "101"}, token=token)["errno"] == "10017"


def test_http500_fault(emu, token):
    emu.ctl("POST", "faults", {"count": 2, "kind": "http500"})
    for _attempt in range(2):
        response = emu.call("extension/add", {"number": "101"}, token=token)
        assert response.status_code == 500
    assert emu.state()["extensions"] == []
    assert emu.api("extension/add", {"number": "101"}, token=token)["status"] == "Success"


def test_errno_fault_only_hits_its_endpoint(emu, token):
    emu.ctl("POST", "faults", {"count": 2, "kind": "errno", "errno": "10025",
                               "endpoint": "extension/add"})
    assert emu.api("extension/query", token=token)["status"] == "Success"
    for _attempt in range(2):
        assert emu.api("extension/add", {"number": "101"},
                       token=token) == {"status": "Failed", "errno": "10025"}
    assert emu.state()["extensions"] == []
    entry = emu.requests_log()[-1]
    assert (entry["fault"], entry["errno"]) == ("errno", "10025")
    assert emu.api("extension/add", {"number": "101"}, token=token)["status"] == "Success"


def test_errno_fault_in_xml(emu, token):
    emu.ctl("POST", "faults", {"count": 1, "kind": "errno", "errno": "10025"})
    text = emu.call("extension/add", {"number": "101"}, token=token, fmt="xml").text
    assert text.endswith("<xml><status>Failed</status><errno>10025</errno></xml>")


def test_fault_on_login(emu):
    emu.ctl("POST", "faults", {"count": 1, "kind": "http500", "endpoint": "login"})
    assert emu.call("login", {"username": "api", "password": "x"}).status_code == 500
    assert emu.login()


@pytest.mark.parametrize("kind", ["delay", "delay_after", "hold"])
def test_late_answer_faults_wait_delay_ms(emu, token, kind):
    # A held request with nothing after it goes ahead alone once delay_ms has passed.
    emu.ctl("POST", "faults", {"count": 1, "kind": kind, "delay_ms": 300})
    started = time.monotonic()
    assert emu.api("extension/add", {"number": "101"}, token=token)["status"] == "Success"
    assert time.monotonic() - started >= 0.3
    assert emu.requests_log()[-1]["fault"] == kind


def give_up_on(emu, endpoint, body, token):
    """Send one request and stop waiting for its answer, as a client past its timeout does."""
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.post(f"{emu.url}/api/v0.0.1/{endpoint}", params={"token": token},
                      data=json.dumps(body), timeout=0.5)


def test_delay_after_applies_at_once_and_answers_late(emu, token):
    emu.ctl("POST", "faults", {"count": 1, "kind": "delay_after", "delay_ms": 2000})
    give_up_on(emu, "extension/add", {"number": "101"}, token)
    assert [x["number"] for x in emu.state()["extensions"]] == ["101"]
    entry = emu.requests_log()[-1]
    assert (entry["fault"], entry["status"]) == ("delay_after", "Success")


def test_held_request_is_applied_before_the_next_one_to_its_endpoint(emu, token):
    emu.ctl("POST", "faults", {"count": 1, "kind": "hold", "endpoint": "extension/add"})
    give_up_on(emu, "extension/add", {"number": "101", "username": "First"}, token)
    # Other endpoints do not release it.
    assert emu.state()["extensions"] == []
    assert emu.api("extension/query", token=token)["status"] == "Success"
    assert emu.state()["extensions"] == []
    assert emu.api("extension/add", {"number": "101", "username": "Second"}, token=token) == {
        "status": "Failed", "errno": "10017"}
    assert [x["username"] for x in emu.state()["extensions"]] == ["First"]
    held, _query, second = [e for e in emu.requests_log() if e["endpoint"].startswith("extension/")]
    assert (held["fault"], held["status"]) == ("hold", "Success")
    assert (second["fault"], second["errno"]) == (None, "10017")


def test_reset_drops_held_requests_unapplied(emu, token):
    emu.ctl("POST", "faults", {"count": 1, "kind": "hold", "endpoint": "extension/add"})
    give_up_on(emu, "extension/add", {"number": "101"}, token)
    emu.ctl("POST", "reset")
    token = emu.login()
    assert emu.api("extension/add", {"number": "102"}, token=token)["status"] == "Success"
    assert [x["number"] for x in emu.state()["extensions"]] == ["102"]


def test_probabilistic_faults_are_reproducible(emu, token):
    def run():
        emu.ctl("POST", "faults", {"probability": 0.5, "seed": 7,
                                   "kinds": ["http500", "errno:10025"]})
        outcomes = []
        for _attempt in range(12):
            response = emu.call("extension/query", token=token)
            outcomes.append(response.status_code if response.status_code != 200
                            else response.json().get("errno", "ok"))
        emu.ctl("DELETE", "faults")
        return outcomes

    first = run()
    assert set(first) == {500, "10025", "ok"}
    assert run() == first
    assert emu.api("extension/query", token=token)["status"] == "Success"


@pytest.mark.parametrize("spec", [
    {"kind": "reset"}, {"count": 0, "kind": "reset"}, {"count": 1, "kind": "explode"},
    {"count": 1}, {"probability": 2, "kinds": ["reset"]},
    {"probability": 0.1, "kinds": ["errno:abc"]},
])
def test_bad_fault_specs_are_400(emu, spec):
    assert emu.control("POST", "faults", spec).status_code == 400


# -- command line -------------------------------------------------------------------------

def test_banner_and_clean_stop(tmp_path):
    process = EmulatorProcess(tmp_path)
    assert process.banner == f"ucpbx-emulator listening on http://127.0.0.1:{process.port}"
    assert process.stop() == 0
    assert not process.port_file.exists()


def test_state_file_is_the_initial_state(tmp_path):
    state_file = tmp_path / "state.json"
    state_file.write_text(json.dumps({
        "deviceinfo": {"devicename": "UC300", "sn": "X1"},
        "extensions": [{"number": "500", "username": "desk", "registerpassword": "Pw123456"}],
    }))
    emu = EmulatorProcess(tmp_path, "--state-file", str(state_file), "--latency-ms", "150")
    try:
        token = emu.login()
        started = time.monotonic()
        info = emu.api("deviceinfo/query", token=token)["deviceinfo"]
        assert time.monotonic() - started >= 0.15
        assert (info["devicename"], info["sn"], info["extensionstatus"]) == ("UC300", "X1", "1/300")
        emu.api("extension/delete", {"number": "500"}, token=token)
        emu.ctl("POST", "reset")
        (record,) = emu.state()["extensions"]
        assert (record["number"], record["registerpassword"]) == ("500", "Pw123456")
    finally:
        assert emu.stop() == 0


def test_bad_state_file_is_refused(tmp_path):
    state_file = tmp_path / "state.json"
    state_file.write_text(json.dumps({"extensions": [{"number": "x"}]}))
    with pytest.raises(RuntimeError, match="cannot load state"):
        EmulatorProcess(tmp_path, "--state-file", str(state_file))


def test_a_request_beyond_the_concurrency_limit_is_answered_10025(emulator_factory):
    from concurrent.futures import ThreadPoolExecutor

    emu = emulator_factory("--max-concurrent", "2", "--latency-ms", "300")
    token = emu.login()
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda _n: emu.api("extension/query", {}, token=token), range(4)))
    busy = [answer for answer in answers if answer.get("errno") == "10025"]
    assert len(busy) == 2 and [a["status"] for a in answers].count("Success") == 2, answers
    log = emu.requests_log()
    assert sorted(entry["fault"] or "" for entry in log if entry["endpoint"] == "extension/query") == [
        "", "", "busy", "busy"]
    # One at a time is always served.
    assert emu.api("extension/query", {}, token=token)["status"] == "Success"


def test_limits_change_while_running_and_reset_restores_them(emu):
    assert emu.ctl("GET", "limits") == {"latency_ms": 0, "max_concurrent": 0}
    assert emu.ctl("PUT", "limits", {"max_concurrent": 3, "latency_ms": 5}) == {"latency_ms": 5, "max_concurrent": 3}
    assert emu.control("PUT", "limits", {"max_concurrent": -1}).status_code == 400
    assert emu.control("PUT", "limits", {"threads": 1}).status_code == 400
    emu.ctl("POST", "reset")
    assert emu.ctl("GET", "limits") == {"latency_ms": 0, "max_concurrent": 0}


def test_tls_serves_https_with_the_given_certificate(tmp_path):
    cert, key = self_signed(tmp_path)
    emu = EmulatorProcess(tmp_path, "--tls-cert", str(cert), "--tls-key", str(key))
    try:
        assert emu.banner == f"ucpbx-emulator listening on https://127.0.0.1:{emu.port}"
        base = f"https://127.0.0.1:{emu.port}"
        login = {"username": "api", "password": API_PASSWORD_MD5}
        # The certificate is not in any trust store: a verifying client refuses it ...
        with pytest.raises(requests.exceptions.SSLError, match="CERTIFICATE_VERIFY_FAILED"):
            requests.post(f"{base}/api/v0.0.1/login", json=login, timeout=10)
        # ... and accepts it once told to trust it; the API and the control API both work over TLS.
        answer = requests.post(f"{base}/api/v0.0.1/login", json=login, verify=str(cert), timeout=10).json()
        assert answer["status"] == "Success"
        log = requests.get(f"{base}/_emulator/requests", verify=str(cert), timeout=10).json()["requests"]
        assert [entry["endpoint"] for entry in log] == ["login"]
        # Plain HTTP on the TLS port gets no API answer.
        with pytest.raises(requests.exceptions.ConnectionError):
            requests.post(f"http://127.0.0.1:{emu.port}/api/v0.0.1/login", json=login, timeout=10)
    finally:
        assert emu.stop() == 0


def test_tls_needs_both_certificate_and_key(tmp_path):
    cert, _key = self_signed(tmp_path)
    with pytest.raises(RuntimeError, match="--tls-cert and --tls-key go together"):
        EmulatorProcess(tmp_path, "--tls-cert", str(cert))
