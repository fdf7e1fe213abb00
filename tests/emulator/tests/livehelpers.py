"""Shared set-up for the live-operation tests: a PBX with extensions, a trunk and an
outbound route, plus a tiny aiohttp receiver for event reports."""

import asyncio
import json
import threading
import time

from aiohttp import web

PBX = {
    "extensions": [
        {"number": "201", "status": "Idle", "allowbeingmonitored": "on"},
        {"number": "202", "status": "Registered", "allowbeingmonitored": "on"},
        {"number": "203", "status": "Idle", "monitormode": "Extensive"},
        {"number": "204", "status": "Idle", "monitormode": "Whisper"},
        {"number": "205", "status": "Unavailable", "monitormode": "Barge-in"},
    ],
    "trunks": [{"trunkname": "sip-trunk-1", "trunktype": "peer", "host": "10.0.0.1"}],
    "outbound_routes": [{"name": "national", "prefix": "", "matchpattern": "0.",
                         "trunks": "sip-trunk-1"}],
}


def setup_pbx(emu):
    emu.ctl("PUT", "state", PBX)


def new_call(emu, **body):
    response = emu.control("POST", "calls", body)
    assert response.status_code == 200, response.text
    return response.json()


def inbound(emu, extension="201", answer=True, **extra):
    body = {"direction": "inbound", "from": "0755123456", "to": "88880000",
            "trunk": "sip-trunk-1", "answer": answer, **extra}
    if "queue" not in extra:
        body["extension"] = extension
    return new_call(emu, **body)


def calls(emu):
    return emu.ctl("GET", "calls")["calls"]


class Receiver:
    """An HTTP server in a thread that records report bodies and answers ``statuses``
    in turn (then 200)."""

    def __init__(self, statuses=()):
        self.statuses = list(statuses)
        self.received = []
        self.paths = []
        self.headers = []
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        self.ready.wait(5)

    async def _handle(self, request):
        raw = await request.read()
        self.received.append(raw.decode())
        self.paths.append(request.path)
        self.headers.append(dict(request.headers))
        status = self.statuses.pop(0) if self.statuses else 200
        return web.Response(status=status, text="ok")

    def _run(self):
        asyncio.set_event_loop(self.loop)
        app = web.Application()
        app.router.add_route("POST", "/{tail:.*}", self._handle)
        self.runner = web.AppRunner(app, access_log=None)
        self.loop.run_until_complete(self.runner.setup())
        site = web.TCPSite(self.runner, "127.0.0.1", 0)
        self.loop.run_until_complete(site.start())
        self.port = self.runner.addresses[0][1]
        self.ready.set()
        self.loop.run_forever()

    def close(self):
        async def stop():
            await self.runner.cleanup()
        asyncio.run_coroutine_threadsafe(stop(), self.loop).result(5)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)

    def reports(self):
        return [json.loads(body) for body in self.received]

    def wait_for(self, count, timeout=5):
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.reports()


def wait_reports(emu, predicate, timeout=5):
    """The report log once ``predicate(reports)`` holds (or the last one seen)."""
    deadline = time.monotonic() + timeout
    while True:
        reports = emu.ctl("GET", "reports")["reports"]
        if predicate(reports) or time.monotonic() > deadline:
            return reports
        time.sleep(0.02)
