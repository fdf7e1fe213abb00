"""login / heartbeat / logout, token life and the login lockout (OpenVox UC API: Login)."""

import re

import pytest

from conftest import API_PASSWORD_MD5


def login(emu, **body):
    return emu.api("login", {"username": "api", "password": API_PASSWORD_MD5, **body})


def bad_logins(emu, count):
    """The errnos of ``count`` logins with a wrong password."""
    bad = {"username": "api", "password": "0" * 32}
    return [emu.api("login", bad)["errno"] for _attempt in range(count)]


def test_login_with_md5_of_123456(emu):
    answer = login(emu, port="8260", urltag="0")
    assert answer["status"] == "Success"
    assert set(answer) == {"status", "token"}
    assert re.fullmatch(r"[0-9a-f]{32}", answer["token"])


@pytest.mark.parametrize("body", [
    {"username": "api", "password": API_PASSWORD_MD5.upper()},
    {"username": "api", "password": "123456"},
    {"username": "admin", "password": API_PASSWORD_MD5},
])
def test_bad_credentials_are_20003(emu, body):
    assert emu.api("login", body) == {"status": "Failed", "errno": "20003"}


@pytest.mark.parametrize("body", [
    {"username": "api"},
    {"password": API_PASSWORD_MD5},
    {"username": "", "password": API_PASSWORD_MD5},
    {"username": "api", "password": None},
])
def test_missing_credentials_are_10004(emu, body):
    assert emu.api("login", body)["errno"] == "10004"


@pytest.mark.parametrize("port", ["70000", "-1", "abc", "", "80.5"])
def test_invalid_port_is_20008(emu, port):
    assert login(emu, port=port)["errno"] == "20008"


def test_login_without_port_registers_no_receiver(emu):
    assert login(emu)["status"] == "Success"
    assert emu.state()["event_receiver"] is None


def test_login_with_port_registers_receiver(emu):
    login(emu, port=8260, url="report", urlflag=1, version="0.0.1")
    assert emu.state()["event_receiver"] == {
        "ipaddr": "127.0.0.1", "port": "8260", "url": "report", "urltag": "1",
        "version": "0.0.1"}


def test_tokens_from_repeated_logins_all_stay_valid(emu):
    first, second = emu.login(), emu.login()
    assert first != second
    for token in (first, second):
        assert emu.api("deviceinfo/query", token=token)["status"] == "Success"


def test_missing_and_unknown_token(emu):
    assert emu.api("deviceinfo/query")["errno"] == "20005"
    assert emu.api("deviceinfo/query", token="")["errno"] == "20005"
    assert emu.api("deviceinfo/query", token="0123456789abcdef" * 2)["errno"] == "20004"


def test_logout_invalidates_token(emu, token):
    assert emu.api("logout", token=token) == {"status": "Success"}
    assert emu.api("deviceinfo/query", token=token)["errno"] == "20004"
    assert emu.api("logout", token=token)["errno"] == "20004"


def test_heartbeat_updates_receiver(emu):
    token = emu.login(port="8260", version="1.0.2")
    body = {"ipaddr": "10.0.0.5", "port": "8280", "url": "10.0.0.5:8280/report", "urltag": "1"}
    assert emu.api("heartbeat", body, token=token) == {"status": "Success"}
    assert emu.state()["event_receiver"] == {**body, "version": "1.0.2"}


@pytest.mark.parametrize("body,errno", [
    ({"port": "8280"}, "10004"),
    ({"ipaddr": "10.0.0.5"}, "10004"),
    ({"ipaddr": "10.0.0.5", "port": "99999"}, "20008"),
    ({"ipaddr": "not-an-ip", "port": "8280"}, "20011"),
])
def test_heartbeat_errors(emu, token, body, errno):
    assert emu.api("heartbeat", body, token=token)["errno"] == errno


# -- token life on the emulator clock ---------------------------------------------------

def test_token_expires_after_idle_period(emu, token):
    emu.advance(1799)
    assert emu.api("deviceinfo/query", token=token)["status"] == "Success"
    emu.advance(1800)
    assert emu.api("deviceinfo/query", token=token)["errno"] == "20004"
    # Erased, not merely timed out: it stays unknown.
    assert emu.api("deviceinfo/query", token=token)["errno"] == "20004"


def test_every_authenticated_request_slides_the_expiry(emu, token):
    for _attempt in range(3):
        emu.advance(1200)
        assert emu.api("extension/query", token=token)["status"] == "Success"


def test_failed_request_with_valid_token_still_refreshes(emu, token):
    emu.advance(1200)
    assert emu.api("extension/update", {}, token=token)["errno"] == "10004"
    emu.advance(1200)
    assert emu.api("deviceinfo/query", token=token)["status"] == "Success"


def test_heartbeat_refreshes_token(emu, token):
    emu.advance(1700)
    emu.api("heartbeat", {"ipaddr": "127.0.0.1", "port": "8260"}, token=token)
    emu.advance(1700)
    assert emu.api("deviceinfo/query", token=token)["status"] == "Success"


# -- lockout ----------------------------------------------------------------------------

def test_lockout_after_five_failures(emu):
    assert bad_logins(emu, 6) == ["20003"] * 5 + ["20002"]
    # Locked even with the right password...
    assert login(emu)["errno"] == "20002"
    emu.advance(599)
    assert login(emu)["errno"] == "20002"
    # ...until the ten minutes are over.
    emu.advance(2)
    assert login(emu)["status"] == "Success"


def test_success_resets_failure_count(emu):
    assert bad_logins(emu, 4) == ["20003"] * 4
    assert login(emu)["status"] == "Success"
    assert bad_logins(emu, 4) == ["20003"] * 4
    assert login(emu)["status"] == "Success"


def test_reset_clears_lockout(emu):
    assert bad_logins(emu, 5) == ["20003"] * 5
    assert login(emu)["errno"] == "20002"
    emu.ctl("POST", "reset")
    assert login(emu)["status"] == "Success"


# -- switchable behaviours -------------------------------------------------------------

@pytest.fixture(scope="module")
def strict_emulator(emulator_factory):
    return emulator_factory("--single-token", "--expired-token-errno", "20006",
                            "--token-idle-seconds", "60", "--lockout-threshold", "2",
                            "--lockout-seconds", "30")


@pytest.fixture
def strict(strict_emulator):
    strict_emulator.ctl("POST", "reset")
    return strict_emulator


def test_single_token_mode_revokes_older_tokens(strict):
    first = strict.login()
    second = strict.login()
    assert strict.api("deviceinfo/query", token=first)["errno"] == "20004"
    assert strict.api("deviceinfo/query", token=second)["status"] == "Success"


def test_expired_token_errno_20006_mode(strict):
    token = strict.login()
    strict.advance(61)
    assert strict.api("deviceinfo/query", token=token)["errno"] == "20006"
    assert strict.api("deviceinfo/query", token=token)["errno"] == "20006"
    assert strict.api("deviceinfo/query", token="a" * 32)["errno"] == "20004"


def test_configured_lockout(strict):
    assert bad_logins(strict, 2) == ["20003"] * 2
    assert login(strict)["errno"] == "20002"
    strict.advance(31)
    assert login(strict)["status"] == "Success"
