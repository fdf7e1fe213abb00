# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Nothing a server says is trusted: redirects, trickling, huge, malformed and out-of-shape answers.

The client is driven directly where a property is about one request (time, memory, where bytes go),
and through a real ansible-playbook run for what a module does with the answer (fail before any write).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import sys
import time
import tracemalloc

import pytest

from conftest import COLLECTIONS_PATH
from hostile_server import HostileServer, endless, json_answer, raw, redirect, trickle

if COLLECTIONS_PATH not in sys.path:
    sys.path.insert(0, COLLECTIONS_PATH)

from ansible_collections.openvox.ucpbx.plugins.module_utils.client import ClientSettings, PbxClient  # noqa: E402
from ansible_collections.openvox.ucpbx.plugins.module_utils.errors import PbxTransportError  # noqa: E402


@pytest.fixture
def servers():
    started = []

    def start():
        server = HostileServer()
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def client_of(server, tmp_path, **options):
    options.setdefault("retries", 0)
    return PbxClient(ClientSettings("127.0.0.1", "api", "secret", port=server.port, cache_dir=str(tmp_path / "cache"),
                                    **options))


def failure_of(client, endpoint="extension/query"):
    started = time.monotonic()
    with pytest.raises(PbxTransportError) as caught:
        client.call(endpoint, {})
    return str(caught.value), time.monotonic() - started


# ------------------------------------------------------------------------------------ redirects
@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_a_redirected_login_sends_nothing_to_the_other_server(servers, tmp_path, status):
    elsewhere = servers()
    pbx = servers().script("login", redirect(elsewhere.url + "/api/v0.0.1/login", status))
    message, _seconds = failure_of(client_of(pbx, tmp_path, retries=3))
    assert message.startswith("login: http://127.0.0.1:%d answered HTTP %d, a redirect to \"%s/api/v0.0.1/login\""
                              % (pbx.port, status, elsewhere.url)), message
    assert "nothing was sent there" in message, message
    assert elsewhere.log == []
    assert pbx.endpoints() == ["login"]


def test_a_redirected_request_never_carries_the_token_away(servers, tmp_path):
    elsewhere = servers()
    pbx = servers().script("extension/query", redirect(elsewhere.url + "/steal"))
    message, _seconds = failure_of(client_of(pbx, tmp_path))
    assert "extension/query: " in message and "a redirect to" in message, message
    assert "h0st1le70ken" not in message
    assert elsewhere.log == []


# ------------------------------------------------------------------------------------ time
@pytest.mark.parametrize("head_too", [False, True], ids=["body", "status-line"])
def test_a_trickling_answer_ends_within_the_documented_bound(servers, tmp_path, head_too):
    # A byte every 0.4 s never lets a single read wait 2 s; only a bound on the whole answer ends it.
    pbx = servers().script("extension/query", trickle(0.4, head_too=head_too))
    client = client_of(pbx, tmp_path, timeout=2, connect_timeout=1, retries=1)
    message, seconds = failure_of(client)
    # (retries + 1) x (connect_timeout + timeout) + back-off (0.5 s at most), plus the login.
    assert seconds < 2 * (1 + 2) + 0.5 + 1, seconds
    assert seconds >= 4, seconds
    assert pbx.trickled >= 4, "the server did not get to trickle"
    assert "giving up after 2 attempt(s)" in message, message
    expected = "no answer from %s within 2 s" if head_too else "the answer from %s was not complete within 2 s"
    assert expected % pbx.url in message, message
    assert pbx.endpoints() == ["login", "extension/query", "extension/query"]


# ------------------------------------------------------------------------------------ size
def test_an_endless_answer_is_cut_at_max_answer_mb_without_holding_it(servers, tmp_path):
    pbx = servers().script("extension/query", endless())
    client = client_of(pbx, tmp_path, max_answer_mb=4)
    client.call("heartbeat", {})  # logged in before memory is measured
    tracemalloc.start()
    try:
        message, seconds = failure_of(client)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "extension/query: the answer from %s is larger than max_answer_mb (4 MB; still coming)" % pbx.url \
        in message, message
    assert peak < 3 * 4 * 1024 * 1024, "peak %d bytes while reading a 4 MB-capped answer" % peak
    assert seconds < 10, seconds


def test_an_answer_announced_too_large_is_not_read(servers, tmp_path):
    pbx = servers().script("extension/query", endless(announce=True))
    message, _seconds = failure_of(client_of(pbx, tmp_path))
    assert "larger than max_answer_mb (64 MB; announced as 1099511627776 bytes), so it was not read" in message, \
        message


def test_a_write_answer_too_large_says_the_write_may_have_been_applied(servers, tmp_path):
    pbx = servers().script("extension/add", raw(200, [], b" " * (2 * 1024 * 1024)))
    message, _seconds = failure_of(client_of(pbx, tmp_path, max_answer_mb=1), "extension/add")
    assert "the request was sent and may have been applied" in message, message


# ------------------------------------------------------------------------------------ malformed
@pytest.mark.parametrize("answer, expected", [
    (raw(200, [("Content-Type", "text/html")], b"<html>\n<body>Login</body></html>"),
     'the answer is not JSON (Content-Type "text/html", 32 bytes, starting "<html>\\n<body>Login</body></html>")'),
    (raw(200, [], b'{"status":"Success","extinfos":[{"extnu', announced=400), "extension/query"),
    (json_answer(["Success"]), "the answer is not an API answer"),
])
def test_an_answer_that_is_not_an_api_answer_is_an_error(servers, tmp_path, answer, expected):
    pbx = servers().script("extension/query", answer)
    message, _seconds = failure_of(client_of(pbx, tmp_path))
    assert message.startswith("extension/query"), message
    assert expected in message, message


# ------------------------------------------------------------------------------------ modules
def test_modules_fail_on_answers_out_of_shape_and_write_nothing(servers, run_playbook):
    shapes = {
        "garbage_list": json_answer({"status": "Success", "extinfos": "garbage"}),
        "keyless_record": json_answer({"status": "Success", "extinfos": [
            {"extnumber": "7300", "username": "alice"}, {"username": "bob"}]}),
        "html_page": raw(200, [("Content-Type", "text/html")], b"<html><body>Maintenance</body></html>"),
        "missing_list": json_answer({"status": "Success"}),
    }
    by_name = dict((name, servers().script("extension/query", answer)) for name, answer in shapes.items())
    by_name["garbage_device"] = servers().script("deviceinfo/query", json_answer({"status": "Success",
                                                                                  "deviceinfo": "garbage"}))
    elsewhere = servers()
    by_name["redirecting"] = servers().script("login", redirect(elsewhere.url + "/api/v0.0.1/login"))
    ports = dict((name, server.port) for name, server in by_name.items())
    returncode, output = run_playbook("hostile_answers", {"ports": ports,
                                                          "elsewhere": elsewhere.url + "/api/v0.0.1/login"})
    assert returncode == 0, output
    for name, server in by_name.items():
        writes = [endpoint for endpoint in server.endpoints() if endpoint.rsplit("/", 1)[-1] in ("add", "update",
                                                                                                 "delete")]
        assert writes == [], "%s: %s" % (name, writes)
        assert len(server.endpoints()) > 1 or name == "redirecting", (name, server.endpoints())
    assert elsewhere.log == []
