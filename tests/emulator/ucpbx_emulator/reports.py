"""Event reports (OpenVox UC API: API Reports Examples): the PBX POSTs one compact JSON document per event
to the receiver registered by login or heartbeat.

Reports are queued by the simulator and sent by one background task, in order, so API
responses never wait for the receiver. A report is retried (bounded) until the receiver
answers 200, and only while the token that registered the receiver is alive: the device
stops reporting once that token has expired or logged out.
"""

import asyncio
import collections
import json

import aiohttp

HEADERS = {"Content-Type": "application/json", "Accept": "application/json",
           "Connection": "close"}
FINAL_STATES = ("delivered", "failed", "dropped", "cancelled")


def receiver_url(receiver):
    """Where reports go: urltag 1 = ``url`` is absolute (``host:port/path``); otherwise
    ``url`` is a path on the receiver's own address and port."""
    url = receiver.get("url", "")
    if str(receiver.get("urltag", "0")) == "1" and url:
        return url if url.startswith(("http://", "https://")) else "http://" + url
    host = receiver.get("ipaddr", "")
    if ":" in host:
        host = f"[{host}]"
    path = url if url.startswith("/") else "/" + url
    return f"http://{host}:{receiver.get('port', '')}{path}"


def compact(payload):
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False)


class Reporter:
    def __init__(self, emulator):
        self.emulator = emulator
        self.entries = []
        self.last_seq = 0
        self.pending = collections.deque()
        self.wakeup = None
        self.task = None

    # -- producing --------------------------------------------------------------------

    def emit(self, payload):
        """Queue one report for the current receiver; nothing happens without one."""
        state = self.emulator.state
        receiver = state.event_receiver
        if receiver is None or not receiver.get("port"):
            return None
        self.last_seq += 1
        entry = {
            "seq": self.last_seq,
            "time": self.emulator.clock.wall(),
            "action": payload.get("action"),
            "report": payload,
            "body": compact(payload),
            "url": receiver_url(receiver),
            "attempts": 0,
            "statuses": [],
            "state": "pending",
        }
        self.entries.append(entry)
        self.pending.append((entry, state.receiver_token))
        if self.wakeup is not None:
            self.wakeup.set()
        return entry

    def clear(self):
        """Forget every report; one being sent right now is abandoned."""
        for entry in self.entries:
            if entry["state"] not in FINAL_STATES:
                entry["state"] = "cancelled"
        self.entries = []
        self.pending.clear()

    # -- sending ------------------------------------------------------------------------

    async def start(self):
        self.wakeup = asyncio.Event()
        if self.pending:
            self.wakeup.set()
        self.task = asyncio.ensure_future(self._run())

    async def stop(self):
        if self.task is not None:
            self.task.cancel()
            try:
                await self.task
            except asyncio.CancelledError:
                pass
            self.task = None

    async def _run(self):
        timeout = aiohttp.ClientTimeout(total=self.emulator.settings.report_timeout_seconds)
        async with aiohttp.ClientSession(timeout=timeout, skip_auto_headers=("User-Agent",)) as session:
            while True:
                if not self.pending:
                    self.wakeup.clear()
                    await self.wakeup.wait()
                    continue
                entry, token = self.pending.popleft()
                await self._deliver(session, entry, token)

    async def _deliver(self, session, entry, token):
        settings = self.emulator.settings
        tokens = self.emulator.tokens
        for attempt in range(settings.report_attempts):
            if entry["state"] != "pending":
                return
            if token is not None and not tokens.is_alive(token):
                entry["state"] = "dropped"
                return
            if attempt:
                await asyncio.sleep(settings.report_retry_ms / 1000)
                if entry["state"] != "pending":
                    return
                if token is not None and not tokens.is_alive(token):
                    entry["state"] = "dropped"
                    return
            entry["attempts"] += 1
            status = await self._post(session, entry)
            entry["statuses"].append(status)
            if status == 200:
                entry["state"] = "delivered"
                # A delivered report is traffic on the session, like an API request
                # (the token idles out without any interaction, as the API's login page says).
                if token is not None:
                    tokens.touch(token)
                return
        if entry["state"] == "pending":
            entry["state"] = "failed"

    @staticmethod
    async def _post(session, entry):
        try:
            async with session.post(entry["url"], data=entry["body"].encode("utf-8"),
                                    headers=HEADERS) as response:
                await response.read()
                return response.status
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError, ValueError):
            return None

    def to_json(self):
        return [dict(entry) for entry in self.entries]
