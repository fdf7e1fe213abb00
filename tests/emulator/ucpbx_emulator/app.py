"""The emulator object and the HTTP side of the API: routing, the envelope, CORS
headers, token checks, latency and fault injection.

Checks run in the device's order: endpoint → method → token → body → the handler's own
checks (required keys, existence, values).
"""

import asyncio
import random
import socket
import struct
import time

from aiohttp import web

from . import codec, control, control_live
from .auth import LoginGuard, TokenStore
from .calls import CallSimulator
from .clock import Clock
from .config import Settings
from .errors import APPLY_TOO_OFTEN, POST_ONLY, UNKNOWN_ENDPOINT, ApiError
from .faults import FaultPlan, HeldRequests
from .files import FileStore
from .hotel import AlarmTable
from .registry import Call
from .reports import Reporter
from .requestlog import RequestLog
from .resources import build_registry
from .resources.files import DOWNLOADS, download
from .state import PbxState

EMULATOR = web.AppKey("emulator", object)

# Spelt exactly as in the device's examples.
CORS_HEADERS = {
    "Access-control-allow-origin": "*",
    "Access-control-allow-methods": "GET, POST, OPTIONS, PUT, DELETE",
}


class Emulator:
    """Everything the emulated PBX knows, plus the test hooks around it."""

    def __init__(self, settings=None, initial_state=None):
        self.settings = settings or Settings()
        self.started_limits = {"latency_ms": self.settings.latency_ms,
                               "max_concurrent": self.settings.max_concurrent}
        self.initial_state = initial_state or {}
        self.registry = build_registry()
        self.clock = Clock()
        self.boot_epoch = time.time()
        self.log = RequestLog(self.clock)
        self.faults = FaultPlan()
        self.held = HeldRequests()
        self.in_flight = 0
        self.tokens = TokenStore(self.clock, self.settings)
        self.login_guard = LoginGuard(self.clock, self.settings)
        self.reporter = Reporter(self)
        self.reset()

    def reset(self):
        """Back to the state the emulator started in (raises StateError if that state
        does not load, which only happens at construction)."""
        self.clock.reset()
        self.rng = random.Random(self.settings.seed)
        state = PbxState(self.boot_epoch)
        state.apply_json(self.initial_state, self.rng)
        self.state = state
        # Live calls, stored files and alarms are not part of the state document.
        self.calls = CallSimulator(self)
        self.files = FileStore(self.clock)
        self.alarms = AlarmTable()
        self.reporter.clear()
        self.tokens.clear()
        self.login_guard.clear()
        self.faults.clear()
        self.held.drop_all()
        self.log.clear()
        for name, value in self.started_limits.items():
            setattr(self.settings, name, value)

    def limits(self):
        return dict((name, getattr(self.settings, name)) for name in self.started_limits)

    def resolve(self, path):
        """Split a path into (base, endpoint name); base is None outside the API."""
        for base in self.settings.api_bases:
            if path.startswith(base + "/"):
                return base, path[len(base) + 1:].strip("/")
        return None, None

    def process(self, method, endpoint_name, raw_body, decoded, token, remote):
        """Run one API request to completion and return the response payload."""
        try:
            if endpoint_name is None:
                raise ApiError(UNKNOWN_ENDPOINT)
            endpoint = self.registry.get(endpoint_name)
            if not _method_allowed(method, endpoint, raw_body):
                raise ApiError(POST_ONLY)
            if endpoint.token_required:
                self.tokens.authenticate(token)
            body, parse_error = decoded
            if parse_error is not None:
                raise parse_error
            payload = endpoint.handler(Call(self, body, token, remote))
            return codec.success(payload)
        except ApiError as error:
            return codec.failure(error.errno)


def _method_allowed(method, endpoint, raw_body):
    if method == "POST":
        return True
    # GET only stands in for a POST without a body.
    return method == "GET" and endpoint.get_allowed and not raw_body.strip()


def _decode(raw_body, fmt):
    """(body, None) or (None, ApiError); the error is raised later, at its turn."""
    try:
        return codec.decode_body(raw_body, fmt), None
    except ApiError as error:
        return None, error


def api_response(payload, fmt):
    body, content_type = codec.encode_response(payload, fmt)
    return _close_after(web.Response(
        body=body, headers={**CORS_HEADERS, "Content-Type": content_type}))


def _close_after(response):
    # The device serves one request per connection and then hangs up.
    response.headers["Connection"] = "close"
    response.force_close()
    return response


def drop_connection(request):
    """Hang up without an answer; a zero linger makes the client see a reset."""
    transport = request.transport
    if transport is not None:
        sock = transport.get_extra_info("socket")
        if sock is not None:
            try:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            except OSError:
                pass
        transport.abort()
    # Ends the handler without aiohttp trying to write to the dead connection.
    raise asyncio.CancelledError()


async def handle_api(request):
    emulator = request.app[EMULATOR]
    if request.method == "OPTIONS":
        return _close_after(web.Response(headers=CORS_HEADERS))
    fmt = codec.body_format(request.query)
    base, endpoint_name = emulator.resolve(request.path)
    raw_body = await request.read()
    decoded = _decode(raw_body, fmt)
    token = request.query.get("token")
    if endpoint_name in DOWNLOADS and request.method == "GET":
        return await _download(request, emulator, endpoint_name, fmt, token)
    entry = emulator.log.open(
        method=request.method, path=request.path, base=base, endpoint=endpoint_name,
        fmt=fmt, remote=request.remote, token_present=bool(token), body=decoded[0])
    limit = emulator.settings.max_concurrent
    if limit and emulator.in_flight >= limit:
        # The device refuses work beyond what it can handle at once.
        entry["fault"] = "busy"
        payload = codec.failure(APPLY_TOO_OFTEN)
        emulator.log.close(entry, payload)
        return api_response(payload, fmt)
    emulator.in_flight += 1
    try:
        return await _answer(request, emulator, entry, base, endpoint_name, raw_body, decoded, token, fmt)
    finally:
        emulator.in_flight -= 1
        emulator.held.finished(entry)


async def _latency_and_fault(request, emulator, entry, endpoint_name, fmt, applies=True):
    """Wait the configured latency and act out a planned fault; returns (fault, early response)."""
    if applies:
        await emulator.held.release(endpoint_name)
    fault = emulator.faults.pick(endpoint_name) if applies else None
    if emulator.settings.latency_ms > 0:
        await asyncio.sleep(emulator.settings.latency_ms / 1000)
    if fault is None:
        return None, None
    entry["fault"] = fault.kind
    return fault, await _fault_before_processing(fault, request, emulator, entry, fmt)


async def _answer(request, emulator, entry, base, endpoint_name, raw_body, decoded, token, fmt):
    fault, early = await _latency_and_fault(request, emulator, entry, endpoint_name, fmt, applies=base is not None)
    if early is not None:
        return early

    payload = emulator.process(
        request.method, endpoint_name, raw_body, decoded, token, request.remote)
    emulator.log.close(entry, payload)
    await _fault_after_processing(fault, request)
    return api_response(payload, fmt)


async def _download(request, emulator, endpoint_name, fmt, token):
    """The download links (Download Recording Files, Download CDR Files): a plain GET
    answered with the file itself, or the usual failure envelope. Latency and faults apply as
    to any API request."""
    query = {key: value for key, value in request.query.items() if key not in ("token", "type")}
    entry = emulator.log.open(
        method=request.method, path=request.path, base=emulator.resolve(request.path)[0],
        endpoint=endpoint_name, fmt=fmt, remote=request.remote, token_present=bool(token),
        body=query)
    try:
        return await _answer_download(request, emulator, entry, endpoint_name, fmt, token, query)
    finally:
        emulator.held.finished(entry)


async def _answer_download(request, emulator, entry, endpoint_name, fmt, token, query):
    fault, early = await _latency_and_fault(request, emulator, entry, endpoint_name, fmt)
    if early is not None:
        return early
    try:
        emulator.tokens.authenticate(token)
        content, content_type, name = download(emulator, DOWNLOADS[endpoint_name], query,
                                               request.remote)
    except ApiError as error:
        payload = codec.failure(error.errno)
        emulator.log.close(entry, payload)
        await _fault_after_processing(fault, request)
        return api_response(payload, fmt)
    emulator.log.close(entry, codec.success())
    # After reset_after, the random string is spent although the client never got the file.
    await _fault_after_processing(fault, request)
    return _close_after(web.Response(body=content, headers={
        **CORS_HEADERS, "Content-Type": content_type,
        "Content-Disposition": f'attachment; filename="{name}"'}))


async def _fault_before_processing(fault, request, emulator, entry, fmt):
    """Act out the part of a fault that comes before the request is processed; return
    a response when the fault replaces processing altogether."""
    if fault.kind == "reset":
        drop_connection(request)
    if fault.kind == "http500":
        return _close_after(web.Response(
            status=500, text="500 Internal Server Error", headers=CORS_HEADERS))
    if fault.kind == "errno":
        payload = codec.failure(fault.errno)
        emulator.log.close(entry, payload)
        return api_response(payload, fmt)
    if fault.kind == "delay":
        await asyncio.sleep(fault.delay_ms / 1000)
    if fault.kind == "hold" and not await emulator.held.hold(entry, fault.delay_ms / 1000):
        drop_connection(request)
    return None


async def _fault_after_processing(fault, request):
    """Act out the part of a fault that comes after the request took effect."""
    if fault is None:
        return
    if fault.kind == "reset_after":
        drop_connection(request)
    if fault.kind == "delay_after":
        await asyncio.sleep(fault.delay_ms / 1000)


def build_app(emulator):
    app = web.Application(client_max_size=16 * 1024 * 1024)
    app[EMULATOR] = emulator
    control_live.add_routes(app, EMULATOR)
    control.add_routes(app, EMULATOR)

    async def start_reports(app_):
        await app_[EMULATOR].reporter.start()

    async def stop_reports(app_):
        await app_[EMULATOR].reporter.stop()

    app.on_startup.append(start_reports)
    app.on_cleanup.append(stop_reports)
    # Everything else is the API: unknown paths get the device's 10003, not a 404.
    app.router.add_route("*", "/{tail:.*}", handle_api)
    return app
