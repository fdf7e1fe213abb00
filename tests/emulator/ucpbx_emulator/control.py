"""The control API under ``/_emulator/``: what tests use to inspect and steer the
emulator. It needs no token and is kept out of the request log.

An action takes the emulator and the request and returns the JSON answer; it refuses a
request by raising (:class:`BadRequest`, or the error of the part it drives), which
answers HTTP 400 with ``{"error": ...}``.
"""

import json

from aiohttp import web

from .calls import CallError
from .errors import ApiError
from .faults import FaultSpecError
from .files import FileError
from .state import StateError

PREFIX = "/_emulator"
OK = {"status": "ok"}
# Refusals of the parts an action drives: their message is the answer.
REFUSALS = (CallError, FileError, FaultSpecError, StateError)


class BadRequest(Exception):
    """A control body the emulator cannot act on (HTTP 400, or ``status``)."""

    def __init__(self, message, status=400):
        super().__init__(message)
        self.status = status


async def read_json(request):
    text = await request.text()
    if not text.strip():
        return {}
    try:
        return json.loads(text)
    except ValueError as exc:
        raise BadRequest(f"body is not JSON: {exc}") from exc


def _answer(action, emulator_key):
    async def handler(request):
        try:
            return web.json_response(await action(request.app[emulator_key], request))
        except BadRequest as exc:
            return web.json_response({"error": str(exc)}, status=exc.status)
        except REFUSALS as exc:
            return web.json_response({"error": str(exc)}, status=400)
        except ApiError as exc:
            return web.json_response({"error": f"refused with errno {exc.errno}"}, status=400)
    return handler


class Routes:
    """Control actions by method and path, registered with ``@ROUTES("GET", "/path")``."""

    def __init__(self):
        self.routes = []

    def __call__(self, method, path):
        def register(action):
            self.routes.append((method, path, action))
            return action
        return register

    def add_to(self, app, emulator_key):
        for method, path, action in self.routes:
            app.router.add_route(method, PREFIX + path, _answer(action, emulator_key))


ROUTES = Routes()
# Settings a test may change while the emulator runs; a reset puts the started values back.
TUNABLE = ("latency_ms", "max_concurrent")
# GET <path>: the part of the emulator a test reads, as it is.
VIEWS = {
    "/health": lambda emulator: OK,
    "/state": lambda emulator: emulator.state.to_json(),
    "/faults": lambda emulator: emulator.faults.describe(),
    "/limits": lambda emulator: emulator.limits(),
    "/calls": lambda emulator: {"calls": emulator.calls.to_json()},
    "/files": lambda emulator: emulator.files.to_json(),
    "/alarms": lambda emulator: {"alarms": emulator.alarms.to_json()},
    "/reports": lambda emulator: {"reports": emulator.reporter.to_json()},
    "/steps": lambda emulator: {"steps": emulator.log.steps},
}
# (method, path): a step a test triggers, answered {"status": "ok"}.
STEPS = {
    ("DELETE", "/requests"): lambda emulator: emulator.log.clear(),
    ("POST", "/reset"): lambda emulator: emulator.reset(),
    ("DELETE", "/faults"): lambda emulator: emulator.faults.clear(),
    ("DELETE", "/reports"): lambda emulator: emulator.reporter.clear(),
    ("POST", "/bootup"): lambda emulator: emulator.calls.emit({"action": "BootUp"}),
}


def _view(part):
    async def action(emulator, request):
        return part(emulator)
    return action


def _step(step):
    async def action(emulator, request):
        step(emulator)
        return OK
    return action


@ROUTES("GET", "/requests")
async def list_requests(emulator, request):
    if "step" in request.query:
        try:
            return {"requests": emulator.log.of_step(request.query["step"])}
        except KeyError as exc:
            raise BadRequest(f"no step {request.query['step']!r}", status=404) from exc
    try:
        since = int(request.query.get("since", "0"))
    except ValueError as exc:
        raise BadRequest("since must be an integer") from exc
    return {"requests": emulator.log.since(since)}


@ROUTES("POST", "/steps")
async def mark_step(emulator, request):
    body = await read_json(request)
    name = body.get("name") if isinstance(body, dict) else None
    if not isinstance(name, str) or not name:
        raise BadRequest("a step needs a name")
    try:
        return emulator.log.mark(name)
    except ValueError as exc:
        raise BadRequest(str(exc)) from exc


@ROUTES("PUT", "/state")
async def put_state(emulator, request):
    emulator.state.apply_json(await read_json(request), emulator.rng)
    emulator.calls.forget_extensions(emulator.state.extensions.records)
    return emulator.state.to_json()


@ROUTES("POST", "/faults")
async def add_fault(emulator, request):
    emulator.faults.add(await read_json(request))
    return OK


@ROUTES("POST", "/clock")
async def advance_clock(emulator, request):
    body = await read_json(request)
    seconds = body.get("advance_seconds") if isinstance(body, dict) else None
    if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or seconds < 0:
        raise BadRequest("advance_seconds must be a non-negative number")
    emulator.clock.advance(seconds)
    return {"now": emulator.clock.wall(), "offset": emulator.clock.offset}


@ROUTES("PUT", "/limits")
async def set_limits(emulator, request):
    body = await read_json(request)
    if not isinstance(body, dict) or set(body) - set(TUNABLE) or not all(
            isinstance(value, int) and not isinstance(value, bool) and value >= 0 for value in body.values()):
        raise BadRequest("limits take non-negative integers for %s" % ", ".join(TUNABLE))
    for name, value in body.items():
        setattr(emulator.settings, name, value)
    return emulator.limits()


async def not_found(request):
    return web.json_response({"error": f"no control endpoint {request.method} {request.path}"},
                             status=404)


def add_routes(app, emulator_key):
    """The control API; every other path under the prefix is a 404 (registered last, so
    routes added before it, as the live side's, are served)."""
    ROUTES.add_to(app, emulator_key)
    for path, part in VIEWS.items():
        app.router.add_route("GET", PREFIX + path, _answer(_view(part), emulator_key))
    for (method, path), step in STEPS.items():
        app.router.add_route(method, PREFIX + path, _answer(_step(step), emulator_key))
    app.router.add_route("*", PREFIX + "/{tail:.*}", not_found)
