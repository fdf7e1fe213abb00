# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""PbxClient against the scripted FakePbx of conftest.py."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import json
import logging
import os
import stat

import pytest
import requests

from ansible_collections.openvox.ucpbx.plugins.module_utils import client as client_module
from ansible_collections.openvox.ucpbx.plugins.module_utils.errors import (
    PbxApiError,
    PbxLoginError,
    PbxTransportError,
    RedactingFilter,
    redact,
)

from ansible_collections.openvox.ucpbx.tests.unit.plugins.module_utils.fake_pbx import (
    LOST,
    FakeResponse,
    failed,
    md5,
)

QUERY = "deviceinfo/query"


def mode_of(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def token_files(cache_dir):
    return glob.glob(os.path.join(cache_dir, "*.token.json"))


# ---------------------------------------------------------------------------- login
class TestLogin:
    def test_password_is_sent_as_lowercase_md5_and_login_carries_no_token(self, pbx, make_client):
        pbx.accounts = {"api": "e10adc3949ba59abbe56e057f20f883e"}  # md5("123456"), the example of the API's login page
        client = make_client(password="123456")

        assert client.call(QUERY) == {"status": "Success"}

        login, query = pbx.requests
        assert login.endpoint == "login"
        assert login.params == {"type": "json"}
        assert login.body == {"username": "api", "password": "e10adc3949ba59abbe56e057f20f883e"}
        assert query.endpoint == QUERY
        assert query.params == {"type": "json", "token": query.token}
        assert query.token in pbx.tokens

    def test_event_report_fields_are_sent_only_when_report_port_is_given(self, pbx, make_client):
        make_client(report_port=8260, report_url="10.0.0.5:8280/report", report_url_absolute=True).call(QUERY)
        make_client(report_port=8260, token_cache=False).call(QUERY)
        make_client(report_url="ignored-without-port", token_cache=False).call(QUERY)

        logins = [seen.body for seen in pbx.requests if seen.endpoint == "login"]
        assert logins == [
            {"username": "api", "password": md5("secret"), "port": "8260", "url": "10.0.0.5:8280/report",
             "urltag": "1"},
            {"username": "api", "password": md5("secret"), "port": "8260", "urltag": "0"},
            {"username": "api", "password": md5("secret")},
        ]

    def test_report_version_rides_along_with_the_report_fields_only(self, pbx, make_client):
        make_client(report_port=8260, report_url="/pbx", report_version="1.0.2", token_cache=False).call(QUERY)
        make_client(report_version="1.0.2", token_cache=False).call(QUERY)

        logins = [seen.body for seen in pbx.requests if seen.endpoint == "login"]
        assert logins == [
            {"username": "api", "password": md5("secret"), "port": "8260", "url": "/pbx", "urltag": "0",
             "version": "1.0.2"},
            {"username": "api", "password": md5("secret")},
        ]

    def test_login_logs_in_at_once_and_again_in_place_of_the_token_held(self, pbx, make_client):
        client = make_client(report_port=8260, token_cache=False)

        client.login()
        client.call(QUERY)
        client.login()
        client.call(QUERY)

        assert pbx.endpoints() == ["login", QUERY, "login", QUERY]
        assert pbx.requests[1].token != pbx.requests[3].token
        assert pbx.requests[3].token in pbx.tokens and client.stats["logins"] == 2

    def test_a_refused_login_call_is_a_login_error_and_remembered(self, pbx, make_client):
        with pytest.raises(PbxLoginError):
            make_client(password="wrong", token_cache=False).login()
        with pytest.raises(PbxLoginError) as caught:
            make_client(password="wrong", token_cache=False).login()
        assert "not attempted" in str(caught.value)
        assert pbx.endpoints() == ["login"]

    def test_api_version_and_ssl_shape_the_url(self, pbx, make_client):
        make_client(use_ssl=True, port=8443, api_version="v1.1.0").call(QUERY)
        make_client(token_cache=False).call(QUERY)
        assert pbx.urls == ["https://pbx.example:8443/api/v1.1.0/login", "https://pbx.example:8443/api/v1.1.0/" + QUERY,
                            "http://pbx.example:9011/api/v0.0.1/login", "http://pbx.example:9011/api/v0.0.1/" + QUERY]


# ---------------------------------------------------------------------------- token cache
class TestTokenCache:
    def test_two_clients_sharing_a_cache_dir_log_in_once(self, pbx, make_client):
        first = make_client()
        first.call(QUERY)
        first.close()
        second = make_client()
        second.call(QUERY)

        assert pbx.endpoints() == ["login", QUERY, QUERY]
        assert pbx.requests[1].token == pbx.requests[2].token

    def test_token_is_reused_even_when_the_first_client_is_not_closed(self, pbx, make_client):
        make_client().call(QUERY)
        make_client().call(QUERY)
        assert pbx.count("login") == 1

    def test_cache_files_are_private(self, pbx, make_client, cache_dir):
        make_client().call(QUERY)

        assert mode_of(cache_dir) == 0o700
        files = token_files(cache_dir)
        assert len(files) == 1
        assert mode_of(files[0]) == 0o600
        for path in glob.glob(os.path.join(cache_dir, "*")):
            assert mode_of(path) & 0o077 == 0, path

    def test_cache_holds_neither_the_password_nor_its_md5(self, pbx, make_client, cache_dir):
        make_client(password="secret").call(QUERY)
        for path in glob.glob(os.path.join(cache_dir, "*")):
            with open(path) as handle:
                text = handle.read()
            assert "secret" not in text
            assert md5("secret") not in text

    def test_a_different_password_does_not_reuse_the_cached_token(self, pbx, make_client):
        pbx.accounts["api"] = md5("secret")
        make_client(password="secret").call(QUERY)
        pbx.accounts["api"] = md5("rotated")  # the API password was changed on the PBX
        make_client(password="rotated").call(QUERY)

        assert pbx.count("login") == 2
        assert pbx.requests[-1].body == {}
        assert pbx.requests[1].token != pbx.requests[3].token

    def test_a_different_pbx_does_not_reuse_the_cached_token(self, pbx, make_client):
        make_client(host="pbx-a.example").call(QUERY)
        make_client(host="pbx-b.example").call(QUERY)
        assert pbx.count("login") == 2

    def test_token_idle_for_a_few_minutes_is_reused(self, pbx, make_client, clock):
        make_client().call(QUERY)
        clock.advance(10 * 60)
        make_client().call(QUERY)
        assert pbx.count("login") == 1

    def test_token_idle_close_to_the_pbx_limit_is_not_reused(self, pbx, make_client, clock):
        make_client().call(QUERY)
        clock.advance(29 * 60)  # the PBX erases tokens after 30 idle minutes
        make_client().call(QUERY)
        assert pbx.count("login") == 2

    def test_report_logins_and_plain_logins_never_share_a_cached_token(self, pbx, make_client):
        make_client().call(QUERY)
        make_client(report_port=8260).call(QUERY)
        make_client(report_port=8260, report_version="1.0.2").call(QUERY)

        logins = [seen.body for seen in pbx.requests if seen.endpoint == "login"]
        assert [body.get("port") for body in logins] == [None, "8260", "8260"]
        assert [body.get("version") for body in logins] == [None, None, "1.0.2"]

    def test_no_cache_means_no_token_file_and_a_login_per_client(self, pbx, make_client, cache_dir):
        make_client(token_cache=False).call(QUERY)
        make_client(token_cache=False).call(QUERY)
        assert pbx.count("login") == 2
        assert token_files(cache_dir) == []

    def test_default_cache_dir_follows_xdg_cache_home(self, monkeypatch, tmp_path):
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
        assert client_module.default_cache_dir() == os.path.join(str(tmp_path), "openvox.ucpbx")


# ---------------------------------------------------------------------------- stale token
class TestStaleToken:
    def test_one_relogin_then_the_request_is_replayed_once(self, pbx, make_client):
        pbx.queue(QUERY, failed("20004"))
        client = make_client()

        assert client.call(QUERY) == {"status": "Success"}

        assert pbx.endpoints() == ["login", QUERY, "login", QUERY]
        first_token, second_token = pbx.requests[1].token, pbx.requests[3].token
        assert first_token != second_token
        assert client.stats["logins"] == 2

    @pytest.mark.parametrize("errno", ["20005", "20006"])
    def test_other_token_errnos_also_trigger_one_relogin(self, pbx, make_client, errno):
        pbx.queue(QUERY, failed(errno))
        make_client().call(QUERY)
        assert pbx.endpoints() == ["login", QUERY, "login", QUERY]

    def test_token_refused_again_after_the_relogin_is_an_error(self, pbx, make_client):
        pbx.queue(QUERY, failed("20004"), failed("20004"))
        client = make_client()

        with pytest.raises(PbxApiError) as caught:
            client.call(QUERY)

        assert caught.value.errno == "20004"
        assert pbx.endpoints() == ["login", QUERY, "login", QUERY]

    def test_cached_token_erased_by_a_pbx_reboot_is_replaced(self, pbx, make_client):
        make_client().call(QUERY)
        pbx.tokens.clear()  # reboot: every token is gone
        client = make_client()
        client.call(QUERY)
        make_client().call(QUERY)  # the fresh token went to the cache

        assert pbx.endpoints() == ["login", QUERY, QUERY, "login", QUERY, QUERY]
        assert pbx.requests[-1].token == pbx.requests[-2].token


# ---------------------------------------------------------------------------- lockout guard
class TestLoginRefusal:
    def test_wrong_password_is_a_login_error(self, pbx, make_client):
        with pytest.raises(PbxLoginError) as caught:
            make_client(password="wrong").call(QUERY)
        assert caught.value.errno == "20003"
        assert pbx.endpoints() == ["login"]

    def test_refused_credentials_are_not_tried_again_within_ten_minutes(self, pbx, make_client, clock):
        with pytest.raises(PbxLoginError):
            make_client(password="wrong").call(QUERY)
        clock.advance(9 * 60)

        with pytest.raises(PbxLoginError) as caught:
            make_client(password="wrong").call(QUERY)

        assert pbx.endpoints() == ["login"]  # the second client sent nothing
        assert caught.value.errno == "20003"
        assert "not attempted" in str(caught.value)

    def test_corrected_credentials_do_log_in(self, pbx, make_client):
        with pytest.raises(PbxLoginError):
            make_client(password="wrong").call(QUERY)
        make_client(password="secret").call(QUERY)
        assert pbx.endpoints() == ["login", "login", QUERY]

    def test_refused_credentials_are_tried_again_after_ten_minutes(self, pbx, make_client, clock):
        with pytest.raises(PbxLoginError):
            make_client(password="wrong").call(QUERY)
        clock.advance(10 * 60 + 1)
        with pytest.raises(PbxLoginError):
            make_client(password="wrong").call(QUERY)
        assert pbx.endpoints() == ["login", "login"]

    def test_refusal_is_remembered_per_pbx(self, pbx, make_client):
        with pytest.raises(PbxLoginError):
            make_client(host="pbx-a.example", password="wrong").call(QUERY)
        with pytest.raises(PbxLoginError):
            make_client(host="pbx-b.example", password="wrong").call(QUERY)
        assert pbx.endpoints() == ["login", "login"]

    @pytest.mark.parametrize("first, second", [
        ({"report_port": 8260, "report_version": "1.0.2"}, {}),
        ({}, {"report_port": 8260, "report_url": "/pbx"}),
    ])
    def test_refusal_holds_whatever_report_fields_ride_along(self, pbx, make_client, first, second):
        with pytest.raises(PbxLoginError):
            make_client(password="wrong", token_cache=False, **first).call(QUERY)
        with pytest.raises(PbxLoginError) as caught:
            make_client(password="wrong", token_cache=False, **second).call(QUERY)
        assert "not attempted" in str(caught.value)
        assert pbx.endpoints() == ["login"]

    def test_locked_address_blocks_every_credential_for_that_pbx(self, pbx, make_client, clock):
        pbx.locked = True
        with pytest.raises(PbxLoginError) as caught:
            make_client(password="secret").call(QUERY)
        assert caught.value.errno == "20002"
        pbx.locked = False
        clock.advance(5 * 60)

        with pytest.raises(PbxLoginError) as caught:
            make_client(username="other", password="other").call(QUERY)
        assert caught.value.errno == "20002"
        with pytest.raises(PbxLoginError):
            make_client(password="secret").call(QUERY)
        assert pbx.endpoints() == ["login"]

        clock.advance(5 * 60 + 1)
        make_client(password="secret").call(QUERY)
        assert pbx.endpoints() == ["login", "login", QUERY]

    def test_a_cached_token_is_still_used_while_other_credentials_are_refused(self, pbx, make_client):
        make_client().call(QUERY)
        with pytest.raises(PbxLoginError):
            make_client(password="wrong").call(QUERY)
        make_client().call(QUERY)
        assert pbx.endpoints() == ["login", QUERY, "login", QUERY]

    def test_other_login_failure_is_an_api_error_and_not_remembered(self, pbx, make_client):
        pbx.queue("login", failed("10004"))
        with pytest.raises(PbxApiError) as caught:
            make_client().call(QUERY)
        assert not isinstance(caught.value, PbxLoginError)
        assert caught.value.errno == "10004"
        make_client().call(QUERY)
        assert pbx.endpoints() == ["login", "login", QUERY]


# ---------------------------------------------------------------------------- retries
def connection_error(seen=None):
    return requests.exceptions.ConnectionError("Connection refused")


class TestRetries:
    def test_http_500_is_retried_once(self, pbx, make_client, sleeps):
        pbx.queue(QUERY, 500)
        client = make_client()

        assert client.call(QUERY) == {"status": "Success"}

        assert pbx.endpoints() == ["login", QUERY, QUERY]
        assert len(sleeps) == 1
        assert client.stats["retries"] == 1

    def test_connection_errors_beyond_retries_name_the_endpoint(self, pbx, make_client, sleeps):
        pbx.queue("extension/query", connection_error, connection_error, connection_error)
        client = make_client(retries=2)

        with pytest.raises(PbxTransportError) as caught:
            client.call("extension/query", {}, subject="all extensions")

        assert caught.value.endpoint == "extension/query"
        assert "extension/query" in str(caught.value)
        assert "all extensions" in str(caught.value)
        assert pbx.count("extension/query") == 3  # first try + 2 retries
        assert len(sleeps) == 2

    def test_retries_zero_means_a_single_attempt(self, pbx, make_client, sleeps):
        pbx.queue(QUERY, connection_error)
        with pytest.raises(PbxTransportError):
            make_client(retries=0).call(QUERY)
        assert pbx.count(QUERY) == 1
        assert sleeps == []

    def test_login_connection_errors_are_retried_too(self, pbx, make_client):
        pbx.queue("login", connection_error)
        make_client().call(QUERY)
        assert pbx.endpoints() == ["login", "login", QUERY]

    def test_busy_errno_10025_is_retried(self, pbx, make_client, sleeps):
        pbx.queue("extension/add", failed("10025"))
        make_client().call("extension/add", {"number": "201"})
        assert pbx.endpoints() == ["login", "extension/add", "extension/add"]
        assert list(pbx.extensions) == ["201"]
        assert len(sleeps) == 1

    def test_busy_errno_10025_forever_gives_up(self, pbx, make_client):
        pbx.queue(QUERY, *[failed("10025")] * 3)
        with pytest.raises(PbxTransportError) as caught:
            make_client(retries=2).call(QUERY)
        assert "10025" in str(caught.value)
        assert pbx.count(QUERY) == 3

    def test_other_errnos_are_not_retried(self, pbx, make_client, sleeps):
        pbx.queue("extension/add", failed("10017"))
        with pytest.raises(PbxApiError) as caught:
            make_client().call("extension/add", {"number": "201"}, subject="extension 201")
        assert caught.value.errno == "10017"
        assert "extension 201" in str(caught.value)
        assert pbx.count("extension/add") == 1
        assert sleeps == []

    def test_http_404_is_not_retried_and_hints_at_the_port(self, pbx, make_client, sleeps):
        pbx.queue(QUERY, 404)
        with pytest.raises(PbxTransportError) as caught:
            make_client().call(QUERY)
        assert "9011" in str(caught.value)
        assert pbx.count(QUERY) == 1
        assert sleeps == []

    def test_non_json_answer_is_a_transport_error(self, pbx, make_client):
        pbx.queue(QUERY, lambda seen: _html_page())
        with pytest.raises(PbxTransportError):
            make_client().call(QUERY)

    def test_backoff_delays_double_up_to_the_cap(self, pbx, make_client, sleeps, monkeypatch):
        monkeypatch.setattr(client_module.random, "uniform", lambda low, high: high)
        pbx.queue(QUERY, *[connection_error] * 5)

        make_client(retries=5, backoff_base=1.0, backoff_cap=4.0).call(QUERY)

        assert sleeps == [1.0, 2.0, 4.0, 4.0, 4.0]

    def test_backoff_jitter_stays_within_half_and_full_delay(self, pbx, make_client, sleeps):
        pbx.queue(QUERY, *[connection_error] * 6)

        make_client(retries=6, backoff_base=0.5, backoff_cap=3.0).call(QUERY)

        nominal = [0.5, 1.0, 2.0, 3.0, 3.0, 3.0]
        assert len(sleeps) == len(nominal)
        for delay, full in zip(sleeps, nominal):
            assert full / 2 <= delay <= full
        assert max(sleeps) <= 3.0

    def test_verify_true_after_a_lost_answer_prevents_the_replay(self, pbx, make_client):
        pbx.queue("extension/add", LOST)
        client = make_client()
        checks = []

        def verify():
            checks.append(True)
            return "201" in pbx.extensions

        answer = client.call("extension/add", {"number": "201"}, verify=verify)

        assert answer == {"status": "Success", "verified": True}
        assert checks == [True]
        assert pbx.count("extension/add") == 1

    def test_verify_false_after_a_lost_answer_replays(self, pbx, make_client):
        pbx.queue("extension/add", connection_error)  # lost before the PBX acted
        make_client().call("extension/add", {"number": "201"}, verify=lambda: "201" in pbx.extensions)
        assert pbx.count("extension/add") == 2
        assert list(pbx.extensions) == ["201"]

    def test_verify_is_not_consulted_when_the_request_never_left(self, pbx, make_client):
        pbx.queue("extension/add", requests.exceptions.ConnectTimeout("connect timed out"))
        checks = []
        make_client().call("extension/add", {"number": "201"}, verify=lambda: checks.append(1) or True)
        assert checks == []
        assert pbx.count("extension/add") == 2


def _html_page():
    return FakeResponse(200, text="<html>login</html>")


# ---------------------------------------------------------------------------- redaction
def error_quoting_the_url(exception_class):
    def raise_it(seen):
        return exception_class(
            "HTTPConnectionPool(host='pbx.example', port=9011): Max retries exceeded with url: "
            "/api/v0.0.1/%s?type=json&token=%s (Caused by NewConnectionError('refused'))"
            % (seen.endpoint, seen.token))
    return raise_it


class TestRedaction:
    def assert_clean(self, message, token):
        assert token not in message
        assert "secret" not in message
        assert md5("secret") not in message

    def test_connection_error_text_loses_the_token(self, pbx, make_client):
        pbx.queue(QUERY, *[error_quoting_the_url(requests.exceptions.ConnectionError)] * 2)
        client = make_client(retries=1)
        with pytest.raises(PbxTransportError) as caught:
            client.call(QUERY)
        token = pbx.requests[1].token
        assert token in pbx.tokens
        self.assert_clean(str(caught.value), token)
        assert "token=********" in str(caught.value)

    def test_tls_error_text_loses_the_token(self, pbx, make_client):
        pbx.queue(QUERY, error_quoting_the_url(requests.exceptions.SSLError))
        with pytest.raises(PbxTransportError) as caught:
            make_client().call(QUERY)
        self.assert_clean(str(caught.value), pbx.requests[1].token)

    def test_login_refusal_message_shows_no_password(self, pbx, make_client):
        for _attempt in range(2):
            with pytest.raises(PbxLoginError) as caught:
                make_client(password="secret", username="nobody").call(QUERY)
            assert "secret" not in str(caught.value)
            assert md5("secret") not in str(caught.value)
            assert "nobody" in str(caught.value)

    def test_redacting_filter_cleans_request_lines_logged_by_urllib3(self, caplog):
        logger = logging.getLogger("test_client.urllib3")
        logger.addFilter(RedactingFilter())
        with caplog.at_level(logging.DEBUG, logger=logger.name):
            logger.debug('%s://%s:%s "%s %s %s" %s %s', "http", "pbx", 9011, "POST",
                         "/api/v0.0.1/heartbeat?type=json&token=0123abcd", "HTTP/1.1", 200, 21)
            logger.debug("no %s here", "secret-free text")
        assert [record.getMessage() for record in caplog.records] == [
            'http://pbx:9011 "POST /api/v0.0.1/heartbeat?type=json&token=******** HTTP/1.1" 200 21',
            "no secret-free text here"]

    def test_redact_keeps_the_rest_of_the_url(self):
        text = "url: /api/v0.0.1/extension/query?token=0123abcd&type=json failed"
        assert redact(text) == "url: /api/v0.0.1/extension/query?token=********&type=json failed"


# ---------------------------------------------------------------------------- close
class TestClose:
    def test_without_cache_close_logs_out(self, pbx, make_client):
        client = make_client(token_cache=False)
        client.call(QUERY)
        token = pbx.requests[-1].token

        client.close()

        assert pbx.endpoints() == ["login", QUERY, "logout"]
        assert pbx.requests[-1].token == token
        assert token not in pbx.tokens

    def test_with_cache_close_sends_nothing_and_records_last_use(self, pbx, make_client, clock, cache_dir):
        client = make_client()
        client.call(QUERY)
        clock.advance(20 * 60)
        client.call(QUERY)
        sent = len(pbx.requests)

        client.close()

        assert len(pbx.requests) == sent
        with open(token_files(cache_dir)[0]) as handle:
            assert json.load(handle)["last_used"] == clock.now
        clock.advance(20 * 60)  # 40 minutes after login, 20 after the last use
        make_client().call(QUERY)
        assert pbx.count("login") == 1

    def test_close_without_any_call_sends_nothing(self, pbx, make_client):
        make_client(token_cache=False).close()
        assert pbx.requests == []


# ---------------------------------------------------------------------------- connection failures
def refused_by_the_os(seen=None):
    """requests' ConnectionError shaped as urllib3 raises it for a refused TCP connection."""
    from urllib3.exceptions import MaxRetryError, NewConnectionError
    cause = ConnectionRefusedError(111, "Connection refused")
    failure = NewConnectionError(None, "Failed to establish a new connection: [Errno 111] Connection refused")
    failure.__cause__ = cause
    return requests.exceptions.ConnectionError(MaxRetryError(None, "/api/v0.0.1/x", reason=failure))


class TestConnectionFailures:
    def test_refused_write_fails_at_once_and_is_not_maybe_applied(self, pbx, make_client, sleeps):
        pbx.queue("extension/add", refused_by_the_os)
        client = make_client()
        client.call("extension/query")
        checks = []

        with pytest.raises(PbxTransportError) as caught:
            client.call("extension/add", {"number": "201"}, subject="extension 201",
                        verify=lambda: checks.append(1) or False)

        message = str(caught.value)
        assert "connection to http://pbx.example:9011 refused, so nothing was sent" in message
        assert "may have" not in message and "giving up" not in message
        assert pbx.count("extension/add") == 1
        assert sleeps == [] and checks == []
        assert pbx.extensions == {}

    def test_real_refused_connection_is_recognised(self, cache_dir, sleeps):
        probe = __import__("socket").socket()
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
        probe.close()
        client = client_module.PbxClient(client_module.ClientSettings("127.0.0.1", "api", "secret", port=port,
                                                                      cache_dir=cache_dir, sleep=sleeps.append))
        with pytest.raises(PbxTransportError) as caught:
            client.call(QUERY)
        assert "refused, so nothing was sent" in str(caught.value)
        assert sleeps == []

    def test_unanswered_write_after_all_retries_may_have_been_applied(self, pbx, make_client, sleeps):
        timeout = requests.exceptions.ReadTimeout("read timed out")
        pbx.queue("extension/add", timeout, timeout)
        client = make_client(retries=1, timeout=3)
        with pytest.raises(PbxTransportError) as caught:
            client.call("extension/add", {"number": "201"}, verify=lambda: False)
        message = str(caught.value)
        assert "no answer from http://pbx.example:9011 within 3 s (timeout)" in message
        assert "giving up after 2 attempt(s)" in message
        assert "may have reached the PBX and been applied" in message
        assert pbx.count("extension/add") == 2

    def test_unanswered_read_is_not_called_maybe_applied(self, pbx, make_client):
        pbx.queue(QUERY, requests.exceptions.ReadTimeout("read timed out"))
        with pytest.raises(PbxTransportError) as caught:
            make_client(retries=0).call(QUERY)
        assert "may have" not in str(caught.value)

    def test_connect_timeout_says_nothing_was_sent(self, pbx, make_client):
        pbx.queue(QUERY, *[requests.exceptions.ConnectTimeout("connect timed out")] * 2)
        with pytest.raises(PbxTransportError) as caught:
            make_client(retries=1, connect_timeout=2).call(QUERY)
        message = str(caught.value)
        assert "no connection to http://pbx.example:9011 within 2 s (connect_timeout)" in message
        assert "nothing was sent" in message

    @pytest.mark.parametrize("reason", [
        "IP address mismatch, certificate is not valid for '10.0.0.5'.",
        "Hostname mismatch, certificate is not valid for 'pbx.example'.",
    ])
    def test_a_certificate_for_another_name_is_named_with_the_address(self, pbx, make_client, reason):
        text = ("HTTPSConnectionPool(host='pbx.example', port=9011): Max retries exceeded with url: /api/v0.0.1/login "
                "(Caused by SSLError(SSLCertVerificationError(1, \"[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify "
                "failed: %s (_ssl.c:1006)\")))" % reason)
        pbx.queue("login", requests.exceptions.SSLError(text))
        with pytest.raises(PbxTransportError) as caught:
            make_client(use_ssl=True).call(QUERY)
        assert "is not trusted (%s; checked against" % reason in str(caught.value)


# ---------------------------------------------------------------------------- cache and guard directories
class TestDirectories:
    def test_directory_created_by_another_fork_meanwhile_is_no_error(self, pbx, make_client, cache_dir,
                                                                     monkeypatch):
        # The lost race: another fork creates the directory just after this one looked for it.
        real_isdir = os.path.isdir

        def isdir_before_the_other_fork(path):
            if path == cache_dir and not real_isdir(path):
                os.makedirs(path, 0o700)
                return False
            return real_isdir(path)

        monkeypatch.setattr(client_module.os.path, "isdir", isdir_before_the_other_fork)
        make_client().call(QUERY)
        assert pbx.endpoints() == ["login", QUERY]

    def test_state_dir_holds_the_guard_and_outlives_the_token_cache(self, pbx, make_client, tmp_path):
        state_dir = str(tmp_path / "state")
        with pytest.raises(PbxLoginError):
            make_client(password="wrong", cache_dir=str(tmp_path / "run1"), state_dir=state_dir).call(QUERY)
        assert glob.glob(os.path.join(state_dir, "*.logins.json"))
        assert not glob.glob(os.path.join(str(tmp_path / "run1"), "*.logins.json"))
        assert mode_of(state_dir) == 0o700

        with pytest.raises(PbxLoginError) as caught:
            make_client(password="wrong", cache_dir=str(tmp_path / "run2"), state_dir=state_dir).call(QUERY)
        assert pbx.endpoints() == ["login"]
        assert "not attempted" in str(caught.value) and state_dir in str(caught.value)

        # Without the shared guard a fresh cache knows nothing, and the message said so.
        with pytest.raises(PbxLoginError) as caught:
            make_client(password="wrong", cache_dir=str(tmp_path / "run3")).call(QUERY)
        assert pbx.endpoints() == ["login", "login"]
        assert "would try again" in str(caught.value)

    def test_locked_address_message_does_not_claim_protection(self, pbx, make_client):
        pbx.locked = True
        with pytest.raises(PbxLoginError) as caught:
            make_client().call(QUERY)
        message = str(caught.value)
        assert "has locked this controller's address" in message
        assert "does not lock" not in message and "protect" not in message
