# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The EDA event source openvox.ucpbx.pbx_events against a real ucpbx-emulator process.

The plugin's main() runs in the test's event loop with an asyncio.Queue, as ansible-rulebook
runs it; calls are made through the emulator's control API, and the tests compare what the
queue received with what the emulator says it sent (GET /_emulator/reports) and with the
API requests it saw (login, heartbeat). A scenario of several checks runs once in a module-scoped
fixture and each test checks one behaviour of it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import asyncio
import collections
import contextlib
import gc
import glob
import hashlib
import importlib.util
import io
import json
import logging
import os
import re
import sys
import time

import aiohttp
import pytest

from conftest import started_emulator
from report_flood import SN, Delivery, compact, flood_body

HERE = os.path.dirname(os.path.abspath(__file__))
COLLECTION_ROOT = os.path.dirname(os.path.dirname(HERE))
PLUGIN_PATH = os.path.join(COLLECTION_ROOT, "extensions", "eda", "plugins", "event_source", "pbx_events.py")

USERNAME = "api"
PASSWORD = "Eda-Test-Pw-77"
DID = "88880000"
EXTERNAL = "0755123456"
TRUNK = "sip-trunk-1"
STATE = {
    "extensions": [{"number": number, "status": "Registered"} for number in ("201", "202", "203")],
    "trunks": [{"trunkname": TRUNK, "trunktype": "peer", "host": "10.0.0.1"}],
    "outbound_routes": [{"name": "out", "matchpattern": "0X.", "trunks": TRUNK}],
}
WAIT = 8.0


def load_plugin():
    spec = importlib.util.spec_from_file_location("openvox_ucpbx_pbx_events", PLUGIN_PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


pbx_events = load_plugin()


# ---------------------------------------------------------------------------- emulator

class Emulator:
    """Async client of the emulator's control API."""

    def __init__(self, port):
        self.port = port
        self.url = "http://127.0.0.1:%d" % port

    async def control(self, method, path, body=None, expect=200):
        async with aiohttp.ClientSession() as session:
            async with session.request(method, self.url + "/_emulator/" + path,
                                       data=None if body is None else json.dumps(body)) as response:
                text = await response.text()
                assert response.status == expect, "%s %s -> %s %s" % (method, path, response.status, text)
                return json.loads(text)

    async def requests(self, endpoint=None):
        entries = (await self.control("GET", "requests"))["requests"]
        return [entry for entry in entries if endpoint is None or entry["endpoint"] == endpoint]

    async def reports(self):
        return (await self.control("GET", "reports"))["reports"]

    async def call(self, **body):
        return await self.control("POST", "calls", body)

    async def advance_clock(self, seconds):
        return await self.control("POST", "clock", {"advance_seconds": seconds})

    async def fault(self, endpoint, kind, count=1):
        return await self.control("POST", "faults", {"count": count, "kind": kind, "endpoint": endpoint})


@pytest.fixture(scope="module")
def emulator_port(tmp_path_factory):
    with started_emulator(tmp_path_factory.mktemp("eda-emulator"), "--username", USERNAME, "--password", PASSWORD,
                          "--report-attempts", "3", "--report-retry-ms", "50") as port:
        yield port


@pytest.fixture(autouse=True)
def private_state(tmp_path, monkeypatch):
    """Each test its own memory of refused logins (the client keeps it under XDG_CACHE_HOME by default)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache" / "openvox.ucpbx"


def run(scenario):
    """Run one async scenario in a fresh event loop (no pytest-asyncio needed)."""
    return asyncio.run(asyncio.wait_for(scenario, 25))


def run_isolated(tmp_path_factory, scenario, cache=None):
    """run(scenario) for a module-scoped scenario fixture, with a memory of refused logins of its own
    (pytest sets such fixtures up before the autouse private_state)."""
    if cache is None:
        cache = tmp_path_factory.mktemp("eda-cache") / "cache"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(cache))
        return run(scenario)


@contextlib.contextmanager
def logged_text():
    """A stream receiving every log record (DEBUG and up) emitted inside, as caplog at DEBUG would."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("%(levelname)-8s %(name)s:%(filename)s:%(lineno)d %(message)s"))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


async def fresh_emulator(port):
    emulator = Emulator(port)
    await emulator.control("POST", "reset")
    await emulator.control("PUT", "state", STATE)
    return emulator


def source_args(emulator, **extra):
    args = {"host": "127.0.0.1", "port": emulator.port, "username": USERNAME, "password": PASSWORD,
            "listen_host": "127.0.0.1", "listen_port": 0}
    args.update(extra)
    return args


@contextlib.asynccontextmanager
async def running_source(queue, args):
    """main() as ansible-rulebook runs it: a task, cancelled at shutdown."""
    task = asyncio.ensure_future(pbx_events.main(queue, args))
    try:
        yield task
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def wait_for(predicate, what, timeout=WAIT):
    deadline = time.monotonic() + timeout
    while True:
        value = await predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting for %s" % what)
        await asyncio.sleep(0.05)


async def logged_in(emulator, count=1):
    async def check():
        logins = [entry for entry in await emulator.requests("login") if entry["status"] == "Success"]
        return len(logins) >= count and logins
    return await wait_for(check, "%d successful login(s)" % count)


async def settled_reports(emulator, count):
    """The emulator's report log once `count` reports reached a final state."""
    async def check():
        reports = await emulator.reports()
        done = [report for report in reports if report["state"] != "pending"]
        return len(reports) >= count and len(done) == len(reports) and reports
    return await wait_for(check, "%d settled reports" % count)


async def drain(queue, count):
    events = []
    for dummy in range(count):
        events.append((await asyncio.wait_for(queue.get(), WAIT))["pbx_event"])
    return events


def roles(event):
    return [(party["role"], party["kind"], party["number"]) for party in event["parties"]]


# ---------------------------------------------------------------------------- end to end

INBOUND_TYPES = ["extension_status", "alert", "ring", "extension_status", "answer", "bye", "bye",
                 "extension_status", "new_cdr"]


@pytest.fixture(scope="module")
def inbound(emulator_port, tmp_path_factory):
    """An inbound call answered and hung up, the source registered with report_url and report_version."""
    async def scenario():
        emulator = await fresh_emulator(emulator_port)
        queue = asyncio.Queue()
        async with running_source(queue, source_args(emulator, report_url="/pbx", report_version="1.0.2")):
            login = (await logged_in(emulator))[0]
            receiver = (await emulator.control("GET", "state"))["event_receiver"]
            call = await emulator.call(direction="inbound", to=DID, trunk=TRUNK, extension="201", **{"from": EXTERNAL})
            await emulator.control("POST", "calls/%s/hangup" % call["callid"])
            reports = await settled_reports(emulator, len(INBOUND_TYPES))
            events = await drain(queue, len(reports))
        return {"login": login, "receiver": receiver, "call": call, "reports": reports, "events": events}

    return run_isolated(tmp_path_factory, scenario())


def test_inbound_login_registers_the_report_url_and_version(inbound):
    body = inbound["login"]["body"]
    assert body["username"] == USERNAME and body["urltag"] == "0" and body["url"] == "/pbx"
    assert body["version"] == "1.0.2" and body["port"].isdigit() and body["port"] != "0"
    receiver = inbound["receiver"]
    assert receiver["port"] == body["port"] and receiver["url"] == "/pbx"


def test_inbound_reports_are_answered_200_at_once_on_the_registered_path(inbound):
    # The plugin answered 200 to every report at the first attempt, on the registered path.
    reports = inbound["reports"]
    assert [(report["state"], report["statuses"]) for report in reports] == [("delivered", [200])] * len(reports)
    assert all(report["url"].endswith("/pbx") for report in reports)


def test_inbound_reports_reach_the_queue_in_order_as_received(inbound):
    # Same reports, same order (the inbound call sequence of the API Reports Examples), each kept as received.
    events = inbound["events"]
    assert [event["raw"] for event in events] == [report["report"] for report in inbound["reports"]]
    assert [event["type"] for event in events] == INBOUND_TYPES


def test_inbound_extension_status_is_normalised(inbound):
    events = inbound["events"]
    assert [event.get("extension_status") for event in events if event["type"] == "extension_status"] == \
        ["ringing", "busy", "idle"]
    assert events[3]["raw"]["status"] == "InUse"


def inbound_events(inbound):
    """alert, ring, answer, first bye, second bye, CDR."""
    return [inbound["events"][index] for index in (1, 2, 4, 5, 6, 8)]


def test_inbound_call_parties_have_their_roles(inbound):
    alert, ring, answer, first_bye, second_bye, _cdr = inbound_events(inbound)
    assert roles(alert) == [("caller", "inbound", EXTERNAL)]
    assert roles(ring) == [("callee", "extension", "201"), ("caller", "inbound", EXTERNAL)]
    assert roles(answer) == [("callee", "extension", "201"), ("caller", "inbound", EXTERNAL)]
    assert roles(first_bye) == [("caller", "inbound", EXTERNAL), ("callee", "extension", "201")]
    assert roles(second_bye)[0] == ("callee", "extension", "201")


def test_inbound_call_events_carry_the_did_and_the_inbound_leg(inbound):
    call = inbound["call"]
    inbound_id = call["inboundid"]
    alert, ring, answer, first_bye, second_bye, _cdr = inbound_events(inbound)
    for event in (alert, ring, answer, first_bye, second_bye):
        assert event["did"] == DID and event["inbound_id"] == inbound_id
        assert event["caller"]["trunk"] == TRUNK and event["caller"]["id"] == inbound_id
    assert ring["call_id"] == call["callid"] and answer["call_id"] == inbound_id


def test_inbound_cdr_is_normalised(inbound):
    cdr = inbound_events(inbound)[-1]
    assert cdr["cdr"]["status"] == "ANSWERED" and cdr["cdr"]["call_type"] == "Inbound"
    assert isinstance(cdr["cdr"]["duration"], int) and cdr["cdr"]["call_from"] == EXTERNAL
    assert roles(cdr) == [("caller", "inbound", EXTERNAL), ("callee", "extension", "201")]
    assert "did" not in cdr and "inbound_id" not in cdr  # a CDR has no inbound leg object


@pytest.fixture(scope="module")
def internal(emulator_port, tmp_path_factory):
    """An internal call transferred then timing out, and an outbound call: (outbound call, reports, events)."""
    async def scenario():
        emulator = await fresh_emulator(emulator_port)
        queue = asyncio.Queue()
        async with running_source(queue, source_args(emulator)):
            await logged_in(emulator)
            internal_call = await emulator.call(direction="internal", to="202", **{"from": "201"})
            await emulator.control("POST", "calls/%s/transfer" % internal_call["callid"],
                                   {"extension": "201", "to": "203"})
            await emulator.control("POST", "calls/%s/timeout" % internal_call["callid"])
            outbound = await emulator.call(direction="outbound", to="013800000000", **{"from": "201"})
            await emulator.control("POST", "calls/%s/hangup" % outbound["callid"])
            reports = await emulator.reports()
            reports = await settled_reports(emulator, len(reports))
            events = await drain(queue, len(reports))
        return outbound, reports, events

    return run_isolated(tmp_path_factory, scenario())


def call_events(events):
    return [event for event in events if event["type"] != "extension_status"]


def test_internal_and_outbound_reports_are_delivered_in_order(internal):
    _outbound, reports, events = internal
    assert all(report["state"] == "delivered" for report in reports)
    assert [event["raw"] for event in events] == [report["report"] for report in reports]


def test_internal_call_is_answered_twice_once_per_side(internal):
    calls = call_events(internal[2])
    assert [event["type"] for event in calls][:4] == ["alert", "ring", "answer", "answer"]
    # OpenVox sends ANSWER twice for an internal call: the callee's view, then the caller's.
    assert roles(calls[2]) == [("callee", "extension", "202"), ("caller", "extension", "201")]
    assert roles(calls[3]) == [("caller", "extension", "201"), ("callee", "extension", "202")]


def test_transfer_keeps_the_pbx_action_spelling(internal):
    transfer = call_events(internal[2])[4]
    assert transfer["type"] == "transfer" and transfer["raw"]["action"] == "Tranfer"


def test_a_timed_out_transfer_is_a_call_failure_with_its_reason(internal):
    failed = [event for event in call_events(internal[2]) if event["type"] == "call_failed"][0]
    assert failed["reason"] == 480 and failed["reason_code"] == 480
    assert roles(failed) == [("callee", "extension", "203"), ("caller", "extension", "202")]


def test_outbound_call_events_carry_the_outbound_leg(internal):
    outbound, _reports, events = internal
    calls = call_events(events)
    out_ring = [event for event in calls if event["type"] == "ring" and event.get("outbound_id")][0]
    assert roles(out_ring) == [("callee", "outbound", "013800000000"), ("caller", "extension", "201")]
    assert out_ring["outbound_id"] == outbound["outboundid"]
    assert [event["cdr"]["call_type"] for event in calls if event["type"] == "new_cdr"][-1] == "Outbound"


@pytest.fixture(scope="module")
def registration(emulator_port, tmp_path_factory):
    """A registration, an internal call hung up by the caller (the Yeastar spelling of "Call Answered"),
    an inbound call to voicemail and a failing outbound call: (reports, events)."""
    async def scenario():
        emulator = await fresh_emulator(emulator_port)
        # The Yeastar spelling of the caller-side "Call Answered" report.
        await emulator.control("PUT", "report_options", {"caller_answer_action": "ANSWERED"})
        queue = asyncio.Queue()
        async with running_source(queue, source_args(emulator)):
            await logged_in(emulator)
            await emulator.control("POST", "extensions/203/register")
            internal_call = await emulator.call(direction="internal", to="202", **{"from": "201"})
            await emulator.control("POST", "calls/%s/hangup" % internal_call["callid"], {"party": "201"})
            to_voicemail = await emulator.call(direction="inbound", to=DID, trunk=TRUNK, extension="203", answer=False,
                                               **{"from": EXTERNAL})
            await emulator.control("POST", "calls/%s/voicemail" % to_voicemail["callid"])
            failing = await emulator.call(direction="outbound", to="013800000000", answer=False, **{"from": "201"})
            await emulator.control("POST", "calls/%s/fail" % failing["callid"], {"reason": 404})
            reports = await emulator.reports()
            reports = await settled_reports(emulator, len(reports))
            events = await drain(queue, len(reports))
        return reports, events

    return run_isolated(tmp_path_factory, scenario())


def test_registration_reports_reach_the_queue_as_received(registration):
    reports, events = registration
    assert [event["raw"] for event in events] == [report["report"] for report in reports]
    assert events[0]["type"] == "extension_status" and events[0]["extension_status"] == "registered"


def test_both_spellings_of_call_answered_are_answers(registration):
    answers = [event for event in registration[1] if event["type"] == "answer"]
    assert [event["raw"]["action"] for event in answers] == ["ANSWER", "ANSWERED"]
    assert roles(answers[1]) == [("caller", "extension", "201"), ("callee", "extension", "202")]


def test_cdrs_tell_answered_voicemail_and_failed_calls_apart(registration):
    cdrs = [event["cdr"] for event in registration[1] if event["type"] == "new_cdr"]
    assert [(cdr["status"], cdr["call_type"]) for cdr in cdrs] == [
        ("ANSWERED", "Internal"), ("VOICEMAIL", "Inbound"), ("FAILED", "Outbound")]
    failed = [event for event in registration[1] if event["type"] == "call_failed"]
    assert [event["reason_code"] for event in failed] == [404]


def test_answers_200_at_once_even_when_the_rulebook_queue_is_full(emulator_port):
    async def scenario():
        emulator = await fresh_emulator(emulator_port)
        queue = asyncio.Queue(maxsize=1)  # nobody reads it until the call is over
        async with running_source(queue, source_args(emulator)):
            await logged_in(emulator)
            call = await emulator.call(direction="inbound", to=DID, trunk=TRUNK, extension="202", **{"from": EXTERNAL})
            await emulator.control("POST", "calls/%s/hangup" % call["callid"])
            reports = await settled_reports(emulator, len(INBOUND_TYPES))
            events = await drain(queue, len(reports))
        return reports, events

    reports, events = run(scenario())
    assert [report["statuses"] for report in reports] == [[200]] * len(reports)
    assert [event["raw"] for event in events] == [report["report"] for report in reports]


@pytest.fixture(scope="module")
def heartbeats(emulator_port, tmp_path_factory):
    """Two clock jumps of 1000 s with heartbeats in between, then a call: (login, reports, events, logins,
    heartbeats)."""
    async def scenario():
        emulator = await fresh_emulator(emulator_port)
        queue = asyncio.Queue()
        async with running_source(queue, source_args(emulator, heartbeat_interval=0.2)):
            login = (await logged_in(emulator))[0]
            for dummy in range(2):
                # 2 x 1000 s > the 1800 s idle lifetime: only heartbeats in between keep the token.
                await emulator.advance_clock(1000)
                seen = len(await emulator.requests("heartbeat"))

                async def new_heartbeat(seen=seen):
                    return len(await emulator.requests("heartbeat")) > seen
                await wait_for(new_heartbeat, "a heartbeat")
            call = await emulator.call(direction="internal", to="202", **{"from": "201"})
            await emulator.control("POST", "calls/%s/hangup" % call["callid"])
            reports = await emulator.reports()
            reports = await settled_reports(emulator, len(reports))
            events = await drain(queue, len(reports))
            logins = await emulator.requests("login")
            sent = await emulator.requests("heartbeat")
        return login, reports, events, logins, sent

    return run_isolated(tmp_path_factory, scenario())


def test_heartbeats_keep_the_token_alive(heartbeats):
    assert len(heartbeats[3]) == 1


def test_heartbeats_succeed_and_repeat_the_receiver(heartbeats):
    login, _reports, _events, _logins, sent = heartbeats
    assert sent and all(entry["status"] == "Success" for entry in sent)
    assert sent[0]["body"] == {"ipaddr": "127.0.0.1", "port": login["body"]["port"], "urltag": "0"}


def test_heartbeats_keep_the_reports_coming(heartbeats):
    _login, reports, events, _logins, _sent = heartbeats
    assert reports and all(report["state"] == "delivered" for report in reports)
    assert [event["type"] for event in events if event["type"] != "extension_status"][:4] == \
        ["alert", "ring", "answer", "answer"]


# login_resets=4, one more lost connection than the client retries: the login the heartbeat makes gives up,
# and the source logs in again in its own rounds.
@pytest.fixture(scope="module", params=[("clock", 0), ("20006", 0), ("clock", 4)],
                ids=["clock-0", "20006-0", "clock-4"])
def token_gone(request, emulator_port, tmp_path_factory):
    """The token erased by the clock or refused with 20006, then a call: (expiry, login_resets, reports,
    events, the login and heartbeat requests)."""
    expiry, login_resets = request.param

    async def scenario():
        emulator = await fresh_emulator(emulator_port)
        queue = asyncio.Queue()
        async with running_source(queue, source_args(emulator, heartbeat_interval=0.3)):
            await logged_in(emulator)
            if login_resets:
                await emulator.fault("login", "reset", count=login_resets)
            if expiry == "clock":
                await emulator.advance_clock(4000)  # token erased: heartbeat answers 20004
            else:
                await emulator.control("POST", "faults", {"count": 1, "kind": "errno", "endpoint": "heartbeat",
                                                          "errno": "20006"})
            await logged_in(emulator, 2)
            call = await emulator.call(direction="inbound", to=DID, trunk=TRUNK, extension="201", **{"from": EXTERNAL})
            await emulator.control("POST", "calls/%s/hangup" % call["callid"])
            reports = await settled_reports(emulator, len(INBOUND_TYPES))
            events = await drain(queue, len(reports))
            log = [entry for entry in await emulator.requests() if entry["endpoint"] in ("login", "heartbeat")]
        return expiry, login_resets, reports, events, log

    return run_isolated(tmp_path_factory, scenario())


def failures(log):
    return [index for index, entry in enumerate(log) if entry["status"] != "Success"]


def test_the_token_loss_shows_at_one_heartbeat(token_gone):
    expiry, login_resets, _reports, _events, log = token_gone
    expected_errno = "20004" if expiry == "clock" else "20006"
    failed = failures(log)
    assert len(failed) == 1 + login_resets
    assert log[failed[0]]["endpoint"] == "heartbeat" and log[failed[0]]["errno"] == expected_errno


def test_logs_in_again_once_the_token_is_gone(token_gone):
    _expiry, login_resets, _reports, _events, log = token_gone
    first = failures(log)[0]
    relogins = log[first + 1:first + 2 + login_resets]
    assert [(entry["endpoint"], entry["fault"], entry["status"]) for entry in relogins] == \
        [("login", "reset", None)] * login_resets + [("login", None, "Success")]
    assert len([entry for entry in log if entry["endpoint"] == "login"]) == 2 + login_resets


def test_reports_keep_coming_after_logging_in_again(token_gone):
    _expiry, _login_resets, reports, events, _log = token_gone
    assert all(report["state"] == "delivered" for report in reports)
    assert [event["type"] for event in events] == INBOUND_TYPES


@pytest.fixture(scope="module", params=["20003", "20002"])
def refused_login(request, emulator_port, tmp_path_factory):
    """main() with a wrong password (20003) or a login refused with 20002: (errno, error, seconds main()
    took, request log, password, log text at DEBUG)."""
    errno = request.param

    async def scenario():
        emulator = await fresh_emulator(emulator_port)
        args = source_args(emulator)
        if errno == "20003":
            args["password"] = "wrong-" + PASSWORD
        else:
            await emulator.control("POST", "faults", {"count": 1, "kind": "errno", "endpoint": "login",
                                                      "errno": "20002"})
        queue = asyncio.Queue()
        started = time.monotonic()
        with pytest.raises(pbx_events.PbxEventSourceError) as failure:
            await pbx_events.main(queue, args)
        elapsed = time.monotonic() - started
        await asyncio.sleep(0.3)  # a retry, if any, would show up here
        return failure.value, elapsed, await emulator.requests(), args["password"]

    with logged_text() as text:
        error, elapsed, log, password = run_isolated(tmp_path_factory, scenario())
    return errno, error, elapsed, log, password, text.getvalue()


def test_a_refused_login_stops_the_source_after_one_request(refused_login):
    errno, _error, elapsed, log, _password, _text = refused_login
    assert [(entry["endpoint"], entry["errno"]) for entry in log] == [("login", errno)]
    assert elapsed < 3


def test_a_refused_login_says_why_it_does_not_retry(refused_login):
    errno, error, _elapsed, _log, _password, _text = refused_login
    message = str(error)
    assert "errno %s" % errno in message and "not retrying" in message and USERNAME in message


def test_a_refused_login_shows_no_password(refused_login):
    _errno, error, _elapsed, _log, password, text = refused_login
    md5 = hashlib.md5(password.encode("utf-8")).hexdigest()
    assert password not in str(error) and md5 not in str(error)
    assert password not in text and md5 not in text


# A lost connection, HTTP 500 and errno 10025 are retried by the client within one login; errno 30003
# (the API service is down) ends the login, and the source tries again in its next round.
@pytest.mark.parametrize("kind", ["reset", "http500", "errno:10025", "errno:30003"])
def test_transient_faults_at_login_are_retried(emulator_port, kind):
    async def scenario():
        emulator = await fresh_emulator(emulator_port)
        await emulator.fault("login", kind)
        queue = asyncio.Queue()
        async with running_source(queue, source_args(emulator)):
            await logged_in(emulator)
            return await emulator.requests("login")

    logins = run(scenario())
    assert [(entry["fault"], entry["status"]) for entry in logins] == [(kind.split(":")[0], None if kind in (
        "reset", "http500") else "Failed"), (None, "Success")]


def test_transient_faults_at_a_heartbeat_are_retried_within_it(emulator_port):
    async def scenario():
        emulator = await fresh_emulator(emulator_port)
        for kind in ("http500", "reset_after"):
            await emulator.fault("heartbeat", kind)
        queue = asyncio.Queue()
        # With ipaddr, a heartbeat follows the login at once; the next one is due much later.
        async with running_source(queue, source_args(emulator, ipaddr="127.0.0.1", heartbeat_interval=600)):
            async def heartbeat_answered():
                # reset_after: the PBX acted on the heartbeat, but its answer never arrived.
                return [entry for entry in await emulator.requests("heartbeat")
                        if entry["status"] == "Success" and not entry["fault"]]
            await wait_for(heartbeat_answered, "an answered heartbeat")
            return [entry for entry in await emulator.requests() if entry["endpoint"] in ("login", "heartbeat")]

    log = run(scenario())
    assert [(entry["endpoint"], entry["fault"]) for entry in log] == [
        ("login", None), ("heartbeat", "http500"), ("heartbeat", "reset_after"), ("heartbeat", None)]
    assert log[-1]["status"] == "Success" and log[-1]["body"]["ipaddr"] == "127.0.0.1"


@pytest.fixture(scope="module")
def logged_out(emulator_port, tmp_path_factory):
    """The source started and stopped, then a call: (login, receiver, request log, reports, the source's
    state directory)."""
    async def scenario():
        emulator = await fresh_emulator(emulator_port)
        queue = asyncio.Queue()
        async with running_source(queue, source_args(emulator)):
            login = (await logged_in(emulator))[0]
            receiver = (await emulator.control("GET", "state"))["event_receiver"]
        # The PBX stops reporting once the session is over: the reports of a later call are dropped unsent.
        await emulator.call(direction="internal", to="202", **{"from": "201"})
        reports = await settled_reports(emulator, len(await emulator.reports()))
        return login, receiver, await emulator.requests(), reports

    cache = tmp_path_factory.mktemp("eda-logged-out") / "cache"
    return run_isolated(tmp_path_factory, scenario(), cache) + (cache / "openvox.ucpbx",)


def test_the_login_registers_the_receiver(logged_out):
    login, receiver, _log, _reports, _state = logged_out
    port = login["body"]["port"]
    assert login["body"] == {"username": USERNAME, "password": "********", "port": port, "urltag": "0"}
    assert port.isdigit() and receiver == {"ipaddr": "127.0.0.1", "port": port, "url": "", "urltag": "0",
                                           "version": ""}


def test_the_logout_ends_the_session(logged_out):
    _login, _receiver, log, reports, _state = logged_out
    assert [(entry["endpoint"], entry["status"]) for entry in log if entry["endpoint"] in ("login", "logout")] == [
        ("login", "Success"), ("logout", "Success")]
    assert reports and [(report["state"], report["attempts"]) for report in reports] == [("dropped", 0)] * len(reports)


def test_the_reporting_token_is_never_cached(logged_out):
    # The source's token is its reporting session: it is never written to the modules' token cache.
    assert glob.glob(os.path.join(str(logged_out[4]), "*.token.json")) == []


def test_a_refused_login_after_the_token_expired_stops_the_source(emulator_port):
    async def scenario():
        emulator = await fresh_emulator(emulator_port)
        queue = asyncio.Queue()
        task = asyncio.ensure_future(pbx_events.main(queue, source_args(emulator, heartbeat_interval=0.2)))
        await logged_in(emulator)
        await emulator.fault("login", "errno:20003")
        await emulator.advance_clock(4000)
        with pytest.raises(pbx_events.PbxEventSourceError) as failure:
            await asyncio.wait_for(task, WAIT)
        await asyncio.sleep(0.5)  # a retry, if any, would show up here
        return failure.value, await emulator.requests("login")

    error, logins = run(scenario())
    assert [(entry["status"], entry["errno"]) for entry in logins] == [("Success", None), ("Failed", "20003")]
    assert "errno 20003" in str(error) and "not retrying" in str(error)


def test_a_refusal_is_remembered_when_the_source_starts_again(emulator_port, tmp_path):
    async def scenario():
        emulator = await fresh_emulator(emulator_port)
        args = source_args(emulator, password="wrong-" + PASSWORD, state_dir=str(tmp_path / "state"))
        failures = []
        for dummy in range(2):
            with pytest.raises(pbx_events.PbxEventSourceError) as failure:
                await pbx_events.main(asyncio.Queue(), args)
            failures.append(str(failure.value))
        return failures, await emulator.requests("login")

    (first, second), logins = run(scenario())
    assert [entry["errno"] for entry in logins] == ["20003"]
    assert "errno 20003" in first and "not attempted" in second and "not retrying" in second
    assert glob.glob(str(tmp_path / "state" / "*.logins.json"))


def test_secrets_are_never_logged(emulator_port, caplog):
    caplog.set_level(logging.DEBUG)

    async def scenario():
        emulator = await fresh_emulator(emulator_port)
        queue = asyncio.Queue()
        args = source_args(emulator, heartbeat_interval=0.1)
        async with running_source(queue, args):
            await logged_in(emulator)
            # Failed heartbeats and logins are logged with what went wrong, never with the token or password.
            for kind in ("reset", "reset_after", "http500", "errno:10025"):
                await emulator.control("POST", "faults", {"count": 1, "kind": kind, "endpoint": "heartbeat"})
            await emulator.control("POST", "faults", {"count": 1, "kind": "http500", "endpoint": "login"})
            await emulator.advance_clock(4000)
            await logged_in(emulator, 2)

    run(scenario())
    text = caplog.text
    assert "logged in" in text and "heartbeat" in text
    assert PASSWORD not in text and hashlib.md5(PASSWORD.encode("utf-8")).hexdigest() not in text
    assert not re.search(r"\b[0-9a-f]{32}\b", text), text
    assert not re.search(r"token=(?!\*)", text), text


# ---------------------------------------------------------------------------- arguments

@pytest.mark.parametrize("args, message", [
    ({"username": "api", "password": "x", "listen_port": 8260}, "host is required"),
    ({"host": "pbx", "username": "api", "password": "x"}, "listen_port is required"),
    ({"host": "pbx", "username": "api", "password": "x", "listen_port": 8260, "heartbeat_interval": 1800},
     "heartbeat_interval"),
    ({"host": "pbx", "username": "api", "password": "x", "listen_port": 8260, "report_url_absolute": True},
     "needs report_url"),
    ({"host": "pbx", "username": "api", "password": "x", "listen_port": 8260, "colour": "blue"}, "unknown arguments colour"),
])
def test_invalid_arguments_are_refused_before_anything_is_sent(args, message):
    with pytest.raises(pbx_events.PbxEventSourceError, match=message):
        run(pbx_events.main(asyncio.Queue(), args))


def test_settings_accept_rulebook_extras_and_string_values():
    settings = pbx_events.Settings({"host": "pbx", "username": "api", "password": "123456", "listen_port": "8260",
                                    "use_ssl": "true", "report_url": "10.0.0.5:8280/pbx",
                                    "report_url_absolute": "yes", "eda_feedback_queue": object()})
    assert settings.client(8260).base_url == "https://pbx:9011/api/v0.0.1/"
    assert settings.listen_port == 8260 and settings.report_url_absolute


@pytest.fixture(scope="module")
def ring_timeout(emulator_port, tmp_path_factory):
    """A call left ringing and a call answered, ring_timeout 0.6 s: (ringing call, answered call, events)."""
    async def scenario():
        emulator = await fresh_emulator(emulator_port)
        queue = asyncio.Queue()
        async with running_source(queue, source_args(emulator, ring_timeout=0.6)):
            await logged_in(emulator)
            ringing = await emulator.call(direction="inbound", to=DID, trunk=TRUNK, extension="201", answer=False,
                                          **{"from": EXTERNAL})
            answered = await emulator.call(direction="inbound", to=DID, trunk=TRUNK, extension="202",
                                           **{"from": "0755000001"})
            events = []

            async def timed_out():
                while not queue.empty():
                    events.append(queue.get_nowait()["pbx_event"])
                return [event for event in events if event["type"] == "ring_timeout"]
            await wait_for(timed_out, "a ring_timeout event")
            await asyncio.sleep(1.0)  # the answered call must not time out
            await timed_out()
        return ringing, answered, events

    return run_isolated(tmp_path_factory, scenario())


def ring_timeouts(events):
    return [event for event in events if event["type"] == "ring_timeout"]


def test_ring_timeout_reports_only_the_call_still_ringing(ring_timeout):
    assert len(ring_timeouts(ring_timeout[2])) == 1


def test_ring_timeout_event_describes_the_ringing_call(ring_timeout):
    ringing, _answered, events = ring_timeout
    event = ring_timeouts(events)[0]
    assert event["synthetic"] is True and event["ringing_seconds"] == 0.6
    assert event["inbound_id"] == ringing["inboundid"] and event["did"] == DID
    assert event["raw"]["action"] == "RING" and roles(event)[0] == ("callee", "extension", "201")


def test_ring_timeout_comes_after_the_reports_queued_before_it(ring_timeout):
    # Synthetic events come after the reports that were queued before them.
    events = ring_timeout[2]
    assert events.index(ring_timeouts(events)[0]) > max(
        index for index, item in enumerate(events) if item["type"] == "answer")


# ---------------------------------------------------------------------------- who may report, and how much

RING_REPORT = {"action": "RING", "callid": "1700000000.901", "ext": {"extid": "201"}, "sn": SN}


def extension_status(status, extension="201"):
    return compact({"action": "ExtensionStatus", "extension": extension, "status": status, "sn": SN})


async def post(port, body, source="127.0.0.1", method="POST"):
    """One request to the receiver from `source` (any 127/8 address reaches lo): the HTTP status."""
    connector = aiohttp.TCPConnector(local_addr=(source, 0))
    async with aiohttp.ClientSession(connector=connector) as session:
        async with session.request(method, "http://127.0.0.1:%s/" % port, data=body,
                                   headers={"Content-Type": "application/json"}) as response:
            await response.read()
            return response.status


async def receiver_port(emulator):
    return (await logged_in(emulator))[0]["body"]["port"]


def counters(text):
    """The counters of the source's last `report counters` log line."""
    lines = [line for line in text.splitlines() if "report counters" in line]
    assert lines, text
    return dict(re.findall(r"(\w+)=(\S+)", lines[-1]))


@pytest.fixture(scope="module")
def strangers(emulator_port, tmp_path_factory):
    """A report and a GET from 127.0.0.2, then a real call: (statuses, reports, events, what was left on the
    queue, log text)."""
    async def scenario():
        emulator = await fresh_emulator(emulator_port)
        queue = asyncio.Queue()
        async with running_source(queue, source_args(emulator)):
            port = await receiver_port(emulator)
            statuses = [await post(port, compact(RING_REPORT), "127.0.0.2"),
                        await post(port, None, "127.0.0.2", method="GET"),
                        await post(port, None, "127.0.0.1", method="GET")]
            call = await emulator.call(direction="inbound", to=DID, trunk=TRUNK, extension="201", **{"from": EXTERNAL})
            await emulator.control("POST", "calls/%s/hangup" % call["callid"])
            reports = await settled_reports(emulator, len(INBOUND_TYPES))
            events = await drain(queue, len(reports))
            await asyncio.sleep(0.2)
            left = queue.qsize()
        return statuses, reports, events, left

    with logged_text() as text:
        result = run_isolated(tmp_path_factory, scenario())
    return result + (text.getvalue(),)


def test_a_report_from_another_address_is_refused_403(strangers):
    statuses = strangers[0]
    assert statuses == [403, 403, 200]  # the report and the GET from 127.0.0.2; the PBX's own GET


def test_a_refused_report_never_reaches_the_queue(strangers):
    _statuses, reports, events, left, _text = strangers
    assert [event["raw"] for event in events] == [report["report"] for report in reports]
    assert left == 0 and RING_REPORT not in [event["raw"] for event in events]


def test_refusals_are_counted_and_logged(strangers):
    text = strangers[4]
    assert "refused a request from 127.0.0.2 (HTTP 403)" in text
    seen = counters(text)
    assert "at shutdown" in [line for line in text.splitlines() if "report counters" in line][-1]
    assert seen["refused_source"] == "2" and seen["last_refused_source"] == "127.0.0.2"
    assert seen["accepted"] == str(len(INBOUND_TYPES)) and seen["refused_full"] == "0"


@pytest.fixture(scope="module")
def allowed(emulator_port, tmp_path_factory):
    """allowed_sources 127.0.0.2/31: reports from 127.0.0.2, 127.0.0.3 and 127.0.0.4: (statuses, events)."""
    async def scenario():
        emulator = await fresh_emulator(emulator_port)
        queue = asyncio.Queue()
        async with running_source(queue, source_args(emulator, allowed_sources=["127.0.0.2/31"])):
            port = await receiver_port(emulator)
            statuses = []
            for index, source in enumerate(("127.0.0.2", "127.0.0.3", "127.0.0.4")):
                report = dict(RING_REPORT, callid="1700000000.%d" % (910 + index))
                statuses.append(await post(port, compact(report), source))
            events = await drain(queue, 2)
            await asyncio.sleep(0.2)
            left = queue.qsize()
        return statuses, events, left

    return run_isolated(tmp_path_factory, scenario())


def test_an_allowed_extra_source_is_taken(allowed):
    statuses, events, left = allowed
    assert statuses == [200, 200, 403]
    assert [event["call_id"] for event in events] == ["1700000000.910", "1700000000.911"] and left == 0
    assert events[0]["type"] == "ring" and events[0]["raw"]["ext"] == {"extid": "201"}


@pytest.mark.parametrize("value, message", [
    (["10.0.0.300"], "not an IP address or CIDR network"), (["pbx.example"], "not an IP address"),
    ({"a": 1}, "must be a list"),
])
def test_invalid_allowed_sources_are_refused(value, message):
    with pytest.raises(pbx_events.PbxEventSourceError, match=message):
        pbx_events.Settings({"host": "pbx", "username": "api", "password": "x", "listen_port": 8260,
                             "allowed_sources": value})


def test_allowed_sources_may_be_one_string():
    settings = pbx_events.Settings({"host": "pbx", "username": "api", "password": "x", "listen_port": 8260,
                                    "allowed_sources": "10.0.0.7, 10.0.1.0/24 ::ffff:10.0.2.0/120"})
    assert [str(network) for network in settings.allowed_sources] == ["10.0.0.7/32", "10.0.1.0/24", "10.0.2.0/24"]
    assert (settings.max_queue, settings.max_report_size, settings.duplicate_window) == (1000, 16384, 60)


@pytest.fixture(scope="module")
def resent(emulator_port, tmp_path_factory):
    """Reports sent again as the PBX does after a missing 200, and an extension ringing twice: (statuses,
    events, log text)."""
    sends = [compact(RING_REPORT), compact(RING_REPORT), extension_status("Ringing"), extension_status("Ringing"),
             extension_status("Idle"), extension_status("Ringing"), compact(RING_REPORT)]

    async def scenario():
        emulator = await fresh_emulator(emulator_port)
        queue = asyncio.Queue()
        async with running_source(queue, source_args(emulator)):
            port = await receiver_port(emulator)
            statuses = [await post(port, body) for body in sends]
            events = await drain(queue, 4)
            await asyncio.sleep(0.2)
            left = queue.qsize()
        return statuses, events, left

    with logged_text() as text:
        result = run_isolated(tmp_path_factory, scenario())
    return result + (text.getvalue(),)


def test_a_report_sent_again_is_answered_200_and_delivered_once(resent):
    statuses, events, left, _text = resent
    assert statuses == [200] * 7
    assert [event["type"] for event in events].count("ring") == 1 and left == 0


def test_an_extension_status_repeated_after_a_change_is_a_new_event(resent):
    events = resent[1]
    assert [(event["type"], event.get("extension_status")) for event in events] == [
        ("ring", None), ("extension_status", "ringing"), ("extension_status", "idle"),
        ("extension_status", "ringing")]


def test_duplicates_are_counted(resent):
    seen = counters(resent[3])
    assert seen["duplicate"] == "3" and seen["accepted"] == "4"


def test_a_report_body_past_max_report_size_is_refused_413(emulator_port):
    big = compact(dict(RING_REPORT, padding="x" * 3000))

    async def chunks():
        yield big[:1000]
        yield big[1000:]

    async def scenario():
        emulator = await fresh_emulator(emulator_port)
        queue = asyncio.Queue()
        async with running_source(queue, source_args(emulator, max_report_size=2048)):
            port = await receiver_port(emulator)
            # With a Content-Length, then chunked (no length known before reading), then a report that fits.
            statuses = [await post(port, big), await post(port, chunks()), await post(port, compact(RING_REPORT))]
            events = await drain(queue, 1)
            await asyncio.sleep(0.2)
            return statuses, events, queue.qsize()

    with logged_text() as text:
        statuses, events, left = run(scenario())
    assert statuses == [413, 413, 200]
    assert [event["raw"] for event in events] == [RING_REPORT] and left == 0
    assert counters(text.getvalue())["too_large"] == "2"


def test_a_full_queue_answers_503_and_the_pbx_sends_the_report_again(tmp_path_factory):
    """max_queue 2 and a rulebook that reads nothing until the PBX was refused: the refused report is
    resent by the PBX (the emulator retries until a 200) and every report arrives once, in order."""
    async def scenario(port):
        emulator = await fresh_emulator(port)
        queue = asyncio.Queue(maxsize=1)
        async with running_source(queue, source_args(emulator, max_queue=2)):
            await logged_in(emulator)
            call = await emulator.call(direction="inbound", to=DID, trunk=TRUNK, extension="201", **{"from": EXTERNAL})
            await emulator.control("POST", "calls/%s/hangup" % call["callid"])

            async def refused():
                return [report for report in await emulator.reports() if 503 in report["statuses"]]
            await wait_for(refused, "a report answered 503")
            events = await drain(queue, len(INBOUND_TYPES))
            reports = await settled_reports(emulator, len(INBOUND_TYPES))
        return reports, events

    with started_emulator(tmp_path_factory.mktemp("eda-resend"), "--username", USERNAME, "--password", PASSWORD,
                          "--report-attempts", "200", "--report-retry-ms", "20") as port:
        with logged_text() as text:
            reports, events = run(scenario(port))
    assert [report["state"] for report in reports] == ["delivered"] * len(INBOUND_TYPES)
    refused = [report["statuses"] for report in reports if 503 in report["statuses"]]
    assert refused and all(set(statuses[:-1]) == {503} and statuses[-1] == 200 for statuses in refused)
    assert [event["raw"] for event in events] == [report["report"] for report in reports]
    seen = counters(text.getvalue())
    assert int(seen["refused_full"]) == sum(len(statuses) - 1 for statuses in refused)
    assert seen["accepted"] == str(len(INBOUND_TYPES)) and seen["duplicate"] == "0"


# ---------------------------------------------------------------------------- a flood, in process

FLOOD = 100000
FLOOD_MEASURED_FROM = 20000
FLOOD_BLOCKS_LIMIT = 5000             # Python objects still held that were not before
FLOOD_RSS_LIMIT = 16 * 1024 * 1024


def held_memory():
    """(Python memory blocks in use, resident bytes) after a full collection."""
    gc.collect()
    with open("/proc/self/statm") as handle:
        resident = int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    return sys.getallocatedblocks(), resident


@pytest.fixture(scope="module")
def flood():
    """100,000 reports from the PBX's address into the receiver's handler, the rulebook taking one event for
    every four sent; and 1,000 from 127.0.0.2. Objects held and resident memory are compared between report
    20,000 and the end (tracemalloc would make the flood ten times slower)."""
    async def scenario():
        settings = pbx_events.Settings({"host": "127.0.0.1", "username": "api", "password": "x", "listen_port": 0})
        source = pbx_events.PbxEventSource(asyncio.Queue(), settings)
        await source.resolve_pbx()
        statuses = collections.Counter()
        expected = collections.Counter()
        held = taken = longest = 0
        try:
            for index in range(FLOOD):
                if index == FLOOD_MEASURED_FROM:
                    before = held_memory()
                expected[200 if held < settings.max_queue else 503] += 1
                held = min(held + 1, settings.max_queue)
                statuses[(await source.receive(Delivery("127.0.0.1", flood_body(index)))).status] += 1
                longest = max(longest, source.pending.qsize())
                if index % 4 == 3:
                    source.pending.get_nowait()
                    held -= 1
                    taken += 1
            for index in range(1000):
                statuses[(await source.receive(Delivery("127.0.0.2", flood_body(FLOOD + index)))).status] += 1
            after = held_memory()
        finally:
            source.executor.shutdown(wait=False)
        return {"source": source, "statuses": statuses, "expected": expected, "taken": taken, "longest": longest,
                "blocks": after[0] - before[0], "rss": after[1] - before[1]}

    return run(scenario())


def test_a_flood_never_grows_the_queue_past_max_queue(flood):
    source = flood["source"]
    assert flood["longest"] == source.settings.max_queue == 1000
    assert source.pending.qsize() + flood["taken"] == source.counters["accepted"]


def test_a_flood_is_refused_503_exactly_beyond_the_queue(flood):
    statuses, counters_ = flood["statuses"], flood["source"].counters
    assert statuses[200] == flood["expected"][200] == counters_["accepted"]
    assert statuses[503] == flood["expected"][503] == counters_["refused_full"] == FLOOD - counters_["accepted"]
    assert statuses[503] > 70000 and counters_["duplicate"] == 0


def test_a_flood_from_another_address_is_refused_and_counted(flood):
    assert flood["statuses"][403] == flood["source"].counters["refused_source"] == 1000


def test_a_flood_keeps_memory_bounded(flood):
    # The 80,000 reports after the first 20,000 add 14 MB of bodies and 20,000 events taken by the rulebook;
    # what stays (queue, call memory, recent digests) stopped growing long before.
    source = flood["source"]
    print("flood: %d more objects held, resident memory %+.1f MB" % (flood["blocks"], flood["rss"] / 1048576.0))
    assert flood["blocks"] < FLOOD_BLOCKS_LIMIT and flood["rss"] < FLOOD_RSS_LIMIT
    assert len(source.recent.seen) == source.recent.size == 4096
    assert len(source.memory.calls) <= 1000
