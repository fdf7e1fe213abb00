"""The control API under ``/_emulator/``: what tests use to inspect and steer the
emulator. It needs no token and is kept out of the request log."""

import json

from aiohttp import web

from .faults import FaultSpecError
from .state import StateError

PREFIX = "/_emulator"


def _json(data, status=200):
    return web.json_response(data, status=status)


def _error(message, status=400):
    return _json({"error": message}, status=status)


async def _read_json(request):
    text = await request.text()
    if not text.strip():
        return {}
    try:
        return json.loads(text)
    except ValueError as exc:
        raise web.HTTPBadRequest(text=json.dumps({"error": f"body is not JSON: {exc}"}),
                                 content_type="application/json") from exc


# Settings a test may change while the emulator runs; a reset puts the started values back.
TUNABLE = ("latency_ms", "max_concurrent")


def add_routes(app, emulator_key):
    def emulator_of(request):
        return request.app[emulator_key]

    async def health(request):
        return _json({"status": "ok"})

    async def list_requests(request):
        try:
            since = int(request.query.get("since", "0"))
        except ValueError:
            return _error("since must be an integer")
        return _json({"requests": emulator_of(request).log.since(since)})

    async def clear_requests(request):
        emulator_of(request).log.clear()
        return _json({"status": "ok"})

    async def reset(request):
        emulator_of(request).reset()
        return _json({"status": "ok"})

    async def get_state(request):
        return _json(emulator_of(request).state.to_json())

    async def put_state(request):
        emulator = emulator_of(request)
        try:
            emulator.state.apply_json(await _read_json(request), emulator.rng)
        except StateError as exc:
            return _error(str(exc))
        emulator.calls.forget_extensions(emulator.state.extensions.records)
        return _json(emulator.state.to_json())

    async def get_faults(request):
        return _json(emulator_of(request).faults.describe())

    async def add_fault(request):
        try:
            emulator_of(request).faults.add(await _read_json(request))
        except FaultSpecError as exc:
            return _error(str(exc))
        return _json({"status": "ok"})

    async def clear_faults(request):
        emulator_of(request).faults.clear()
        return _json({"status": "ok"})

    async def advance_clock(request):
        body = await _read_json(request)
        seconds = body.get("advance_seconds") if isinstance(body, dict) else None
        if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or seconds < 0:
            return _error("advance_seconds must be a non-negative number")
        clock = emulator_of(request).clock
        clock.advance(seconds)
        return _json({"now": clock.wall(), "offset": clock.offset})

    async def get_limits(request):
        return _json(emulator_of(request).limits())

    async def set_limits(request):
        body = await _read_json(request)
        if not isinstance(body, dict) or set(body) - set(TUNABLE) or not all(
                isinstance(value, int) and not isinstance(value, bool) and value >= 0 for value in body.values()):
            return _error("limits take non-negative integers for %s" % ", ".join(TUNABLE))
        emulator = emulator_of(request)
        for name, value in body.items():
            setattr(emulator.settings, name, value)
        return _json(emulator.limits())

    async def not_found(request):
        return _error(f"no control endpoint {request.method} {request.path}", status=404)

    app.router.add_get(PREFIX + "/health", health)
    app.router.add_get(PREFIX + "/requests", list_requests)
    app.router.add_delete(PREFIX + "/requests", clear_requests)
    app.router.add_post(PREFIX + "/reset", reset)
    app.router.add_get(PREFIX + "/state", get_state)
    app.router.add_put(PREFIX + "/state", put_state)
    app.router.add_get(PREFIX + "/faults", get_faults)
    app.router.add_post(PREFIX + "/faults", add_fault)
    app.router.add_delete(PREFIX + "/faults", clear_faults)
    app.router.add_post(PREFIX + "/clock", advance_clock)
    app.router.add_get(PREFIX + "/limits", get_limits)
    app.router.add_put(PREFIX + "/limits", set_limits)
    app.router.add_route("*", PREFIX + "/{tail:.*}", not_found)
