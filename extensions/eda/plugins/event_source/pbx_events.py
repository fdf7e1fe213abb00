# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Event-Driven Ansible source: the event reports of an OpenVox UC Series PBX.

The PBX pushes one HTTP POST per event to the address registered at login (OpenVox UC
API, API Reports Examples,
https://help.openvox.cn/docs/uc-series-ippbx/api-documentation/api-reports-examples/).
This source runs that HTTP receiver, logs in with the receiver fields, keeps the token alive
with heartbeats (reports stop when the token dies) and puts each report on the
ansible-rulebook queue in a normalised form.

It runs inside ansible-rulebook, not as a module: the receiver is aiohttp, and the API
requests go through the modules' PbxClient (requests), nothing that needs AnsibleModule.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
short_description: Receive the event reports of an OpenVox UC Series PBX
description:
  - An ansible-rulebook event source plugin. It listens for the HTTP event reports an OpenVox UC300, UC500 or
    UC501 PBX pushes (calls ringing, answered, released, transferred or failed, new CDRs, extension status
    changes, start-up) and puts each one on the rulebook's queue as C(pbx_event).
  - It logs in to the PBX API with the event receiver fields (C(port), C(url), C(urltag), C(version)), which
    makes the PBX send its reports here. The PBX sends reports only while that login's token lives, so the
    source sends a heartbeat every O(heartbeat_interval) seconds, and logs in again when the PBX says the token
    is gone (errno 20004, 20005 or 20006).
  - A refused login (errno 20003, wrong user name or password; 20002, address locked out) is never retried; the
    source stops with an error, since every further try would count towards the PBX's lockout of this address.
    As with the modules, no login is tried for 10 minutes with credentials the PBX has just refused (see
    O(state_dir)).
  - The API requests follow the modules' rules. A lost connection, an HTTP 5xx answer or errno 10025 is retried a
    few times with back-off within each login or heartbeat; a PBX still unreachable after that, or whose API
    service is down (errno 20010, 30001, 30003), is tried again in rounds up to a minute apart until it answers.
  - Reports are taken only from the PBX (the addresses its O(host) resolves to, looked up again at each login) and
    from O(allowed_sources); anybody else is answered HTTP 403 and counted (see the notes).
  - Every report taken is answered 200 at once and queued in arrival order, up to O(max_queue) events the rulebook
    has not taken yet; a report sent again is dropped (O(duplicate_window)). The rulebook sees
    C(event.pbx_event.type) (V(boot_up), V(extension_status), V(alert), V(ring), V(answer), V(bye), V(transfer),
    V(call_failed), V(new_cdr), V(ring_timeout) with O(ring_timeout), or the action in snake case for anything
    else), C(call_id), C(parties) (each
    with C(role), C(kind) and C(number)), C(did) and C(inbound_id) or C(outbound_id) when an external leg is
    involved, C(extension) and C(extension_status) for status changes, C(reason) for failed calls, C(cdr) for
    CDRs, and C(raw), the report as received.
  - Spelling variants of the firmware are unified, C(ANSWER) and C(ANSWERED) both give V(answer), C(Tranfer)
    and C(Transfer) both give V(transfer), and the extension status C(InUse) and C(Busy) both give V(busy).
  - The password and the token are never logged.
author:
  - openvox.ucpbx maintainers (@openvox-ucpbx)
version_added: 0.1.0
notes:
  - Answers to the PBX. HTTP 200 for a report queued, and for a duplicate (it was queued the first time). HTTP 503
    when O(max_queue) events wait for the rulebook; the report is not kept, and the PBX sends a report again until
    it gets a 200 (how often, and how far apart, is the PBX's own choice). HTTP 413 for a body larger than
    O(max_report_size). HTTP 403 for any request from an address not allowed, a health-check GET included.
  - Counters. C(accepted), C(duplicate), C(refused_source), C(refused_full), C(too_large),
    C(ring_timeout_dropped) (a V(ring_timeout) event that found the queue full) and C(ring_unwatched) (a RING not
    watched because 1000 calls ring at once) are logged in one C(report counters) line with each
    heartbeat when a refusal or a duplicate happened since the last one, and always at shutdown. The first of each
    kind since the last such line is also logged at once, with the sender's address.
  - A duplicate is a report body identical byte for byte to one queued in the last O(duplicate_window) seconds
    (at most 4096 are remembered). Call reports and CDRs carry a call id unique to their leg, so they never repeat
    legitimately; an C(ExtensionStatus) is a duplicate only while no other status of the same extension was
    queued after it, so V(Ringing), V(Idle), V(Ringing) are three events.
  - A proxy or NAT in front of the receiver that hides the PBX's address makes every report come from the proxy;
    list the proxy's address in O(allowed_sources) and let the proxy pass the PBX's reports only. Headers such as
    C(X-Forwarded-For) are never read, since anyone can send them. A PBX whose API is reached through a TLS proxy
    or another address than the one it reports from (O(host) is then not the PBX's own address) needs its own
    address in O(allowed_sources).
  - The PBX reports no "still ringing" event, and an ansible-rulebook C(not_all) condition cannot tie the ANSWER of
    a call to its RING. With O(ring_timeout), the source does it. A RING starts a timer for its call (the inbound
    leg, C(inbound_id), for an external caller; C(outbound_id) for an external callee; otherwise the C(call_id));
    an ANSWER, BYE, CallFailed or NewCdr of that call stops it. When it runs out, the source queues a
    C(pbx_event) of type V(ring_timeout) with the fields of the RING event, C(ringing_seconds), C(synthetic=true)
    and C(raw) set to the RING report.
options:
  host:
    description: Host name or address of the PBX API.
    type: str
    required: true
  port:
    description: TCP port of the PBX API.
    type: int
    default: 9011
  username:
    description: API user name, as set on the PBX (Settings, API).
    type: str
    required: true
  password:
    description: API password in clear text; the source sends its MD5 digest, as the API requires.
    type: str
    required: true
  state_dir:
    description:
      - Directory of the memory of refused logins, as the modules' C(state_dir) option. Point both at the same
        path so that a refusal seen by either keeps the other from trying again.
      - Defaults to C(openvox.ucpbx) under E(XDG_CACHE_HOME), or C(~/.cache/openvox.ucpbx).
    type: path
  use_ssl:
    description: Talk HTTPS to the PBX API.
    type: bool
    default: false
  validate_certs:
    description: With O(use_ssl), verify the PBX's certificate.
    type: bool
    default: true
  api_version:
    description: The API path version.
    type: str
    default: v0.0.1
    choices: [v0.0.1, v1.1.0]
  timeout:
    description: Seconds to wait for an answer of the PBX API.
    type: float
    default: 10
  listen_host:
    description: Address the report receiver binds to.
    type: str
    default: 0.0.0.0
  listen_port:
    description:
      - TCP port the report receiver listens on; sent to the PBX as the login's C(port).
      - V(0) picks a free port (useful for tests; the PBX is told the port actually used).
    type: int
    required: true
  report_url:
    description:
      - Where the PBX should POST its reports. Without O(report_url_absolute), a path on this host's address and
        O(listen_port) (for example V(/pbx)); with it, C(host:port/path) (for example V(10.0.0.5:8280/pbx)),
        for a receiver behind NAT or a proxy.
      - Omitted, the PBX posts to C(/) on the address the login came from.
      - The receiver accepts reports on any path.
    type: str
  report_url_absolute:
    description: O(report_url) is absolute (C(urltag=1)) rather than a path (C(urltag=0)).
    type: bool
    default: false
  report_version:
    description:
      - The login's C(version) field, the report format version. V(1.0.2) makes older firmware send well-formed
        JSON. Omitted, no version is sent. Reports whose JSON repeats a key are accepted either way (the values
        are collected into a list).
    type: str
  heartbeat_interval:
    description:
      - Seconds between two heartbeats. The PBX erases a token after 30 idle minutes, so this must stay well
        below 1800.
    type: float
    default: 300
  ring_timeout:
    description:
      - When set, a call that rings for this many seconds without being answered, released or failed produces
        one extra event of type V(ring_timeout) (see the notes). Omitted, no such events are made.
    type: float
  ipaddr:
    description:
      - The address the PBX should send reports to, sent in every heartbeat (the heartbeat requires one).
      - When set, a heartbeat is also sent right after each login, so reports go there from the start.
      - Omitted, the local address of the route to the PBX is used (the address the login comes from).
    type: str
  allowed_sources:
    description:
      - Addresses or CIDR networks (V(10.0.0.7), V(10.0.1.0/24), V(fd00::/64)) that may send reports besides the
        PBX's own addresses, for a PBX that reports from another address than O(host), or a proxy in front of the
        receiver.
      - An IPv4 peer seen by a dual-stack listener as V(::ffff:10.0.0.7) matches V(10.0.0.7).
      - V(0.0.0.0/0) and V(::/0) take reports from anybody.
    type: list
    elements: str
    default: []
  max_queue:
    description:
      - The most events kept for the rulebook (on top of the one ansible-rulebook holds). Past it, reports are
        answered HTTP 503 so that the PBX sends them again later.
      - Each event takes a few kilobytes; the default holds the reports of about a hundred calls.
    type: int
    default: 1000
  max_report_size:
    description:
      - The largest report body taken, in bytes; a larger one is answered HTTP 413. The PBX's reports are well
        under 1 KiB.
    type: int
    default: 16384
  duplicate_window:
    description:
      - Seconds during which a report body seen before is dropped as sent again (see the notes). V(0) keeps every
        report.
    type: float
    default: 60
"""

EXAMPLES = r"""
- name: React to the PBX's calls
  hosts: localhost
  sources:
    - name: pbx
      openvox.ucpbx.pbx_events:
        host: 10.1.0.10
        username: api
        password: "{{ pbx_api_password }}"
        listen_port: 8260
        report_url: /pbx
        # The PBX reports from its LAN address; its API is reached through a TLS proxy.
        allowed_sources: [10.1.0.11]
  rules:
    - name: Log every CDR
      condition: event.pbx_event.type == "new_cdr"
      action:
        debug:
          msg: "{{ event.pbx_event.cdr.call_from }} called {{ event.pbx_event.cdr.call_to }}: {{ event.pbx_event.cdr.status }}"
"""

import asyncio
import concurrent.futures
import functools
import json
import logging
import os
import socket

try:
    from aiohttp import web
except ImportError:  # pragma: no cover - ansible-rulebook always has aiohttp
    web = None

try:
    from ansible_collections.openvox.ucpbx.plugins.module_utils import client as pbx_client, errors, event_reports
except ImportError:
    # ansible-rulebook runs this file by its path; the directory holding `ansible_collections`
    # (seven levels up) is then not always importable.
    import sys
    sys.path.append(os.path.abspath(os.path.join(os.path.dirname(__file__), *([os.pardir] * 7))))
    from ansible_collections.openvox.ucpbx.plugins.module_utils import client as pbx_client, errors, event_reports

CallMemory = event_reports.CallMemory
RecentReports = event_reports.RecentReports
Senders = event_reports.Senders
event_type = event_reports.event_type
normalise = event_reports.normalise
parse_report = event_reports.parse_report
report_subject = event_reports.report_subject

LOGGER = logging.getLogger(__name__)
# urllib3 logs the request line, token included, at DEBUG; a rulebook run with -vv would show it.
_URLLIB3_LOGGER = logging.getLogger("urllib3.connectionpool")
if not any(isinstance(known, errors.RedactingFilter) for known in _URLLIB3_LOGGER.filters):
    _URLLIB3_LOGGER.addFilter(errors.RedactingFilter())

# The API service behind the PBX's web server is down or restarting: a login is worth trying again later.
SERVICE_DOWN_ERRNOS = ("20010", "30001", "30003")
MAX_HEARTBEAT = 1800
BACKOFF_CAP = 60.0
MAX_QUEUE = 1000
MAX_REPORT_SIZE = 16384
DUPLICATE_WINDOW = 60.0
# Each watched RING holds a timer and its event until the call ends or the timer fires.
MAX_RINGING_CALLS = event_reports.CALL_MEMORY
COUNTERS = ("accepted", "duplicate", "refused_source", "refused_full", "too_large", "ring_timeout_dropped",
            "ring_unwatched")


class PbxEventSourceError(Exception):
    """The source cannot go on (refused login, invalid arguments)."""


# ---------------------------------------------------------------------------- arguments

def _bool(args, name, default):
    value = args.get(name, default)
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on", "y"):
        return True
    if text in ("0", "false", "no", "off", "n", ""):
        return False
    raise PbxEventSourceError("pbx_events: %s must be a boolean, got %r" % (name, value))


def _number(args, name, default, kind=int, minimum=None, maximum=None):
    value = args.get(name, default)
    if value is None:
        raise PbxEventSourceError("pbx_events: %s is required" % name)
    try:
        number = kind(value)
    except (TypeError, ValueError):
        raise PbxEventSourceError("pbx_events: %s must be a number, got %r" % (name, value))
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise PbxEventSourceError("pbx_events: %s must be between %s and %s, got %s" % (name, minimum, maximum, number))
    return number


def _sources(args):
    value = args.get("allowed_sources")
    if value in (None, ""):
        return []
    if isinstance(value, str):
        # A rulebook variable can arrive as one string: "10.0.0.7, 10.0.1.0/24".
        value = value.replace(",", " ").split()
    if not isinstance(value, (list, tuple)):
        raise PbxEventSourceError("pbx_events: allowed_sources must be a list of addresses or networks, got %r"
                                  % (value,))
    networks = []
    for item in value:
        try:
            networks.append(event_reports.source_network(item))
        except ValueError:
            raise PbxEventSourceError("pbx_events: allowed_sources: %r is not an IP address or CIDR network" % (item,))
    return networks


class Settings:
    """The plugin arguments, checked."""

    KNOWN = ("host", "port", "username", "password", "use_ssl", "validate_certs", "api_version", "timeout",
             "listen_host", "listen_port", "report_url", "report_url_absolute", "report_version",
             "heartbeat_interval", "ipaddr", "ring_timeout", "state_dir", "allowed_sources", "max_queue",
             "max_report_size", "duplicate_window")

    def __init__(self, args):
        args = dict(args or {})
        unknown = sorted(key for key in args if key not in self.KNOWN and not key.startswith("eda_"))
        if unknown:
            raise PbxEventSourceError("pbx_events: unknown arguments %s" % ", ".join(unknown))
        for name in ("host", "username", "password"):
            if args.get(name) in (None, ""):
                raise PbxEventSourceError("pbx_events: %s is required" % name)
        self.host = str(args["host"])
        self.username = str(args["username"])
        self.password = str(args["password"])
        self.port = _number(args, "port", 9011, minimum=1, maximum=65535)
        self.use_ssl = _bool(args, "use_ssl", False)
        self.validate_certs = _bool(args, "validate_certs", True)
        self.api_version = str(args.get("api_version") or "v0.0.1")
        if self.api_version not in ("v0.0.1", "v1.1.0"):
            raise PbxEventSourceError("pbx_events: api_version must be v0.0.1 or v1.1.0, got %r" % self.api_version)
        self.timeout = _number(args, "timeout", 10, kind=float, minimum=0.1, maximum=600)
        self.listen_host = str(args.get("listen_host") or "0.0.0.0")
        if args.get("listen_port") is None:
            raise PbxEventSourceError("pbx_events: listen_port is required (the port the PBX sends reports to)")
        self.listen_port = _number(args, "listen_port", None, minimum=0, maximum=65535)
        self.report_url = args.get("report_url") or None
        self.report_url_absolute = _bool(args, "report_url_absolute", False)
        if self.report_url_absolute and not self.report_url:
            raise PbxEventSourceError("pbx_events: report_url_absolute needs report_url")
        self.report_version = args.get("report_version") or None
        self.heartbeat_interval = _number(args, "heartbeat_interval", 300, kind=float, minimum=0.05,
                                          maximum=MAX_HEARTBEAT - 1)
        self.ipaddr = args.get("ipaddr") or None
        self.ring_timeout = None
        if args.get("ring_timeout") not in (None, ""):
            self.ring_timeout = _number(args, "ring_timeout", None, kind=float, minimum=0.01, maximum=86400)
        self.state_dir = os.path.expanduser(str(args["state_dir"])) if args.get("state_dir") else None
        self.allowed_sources = _sources(args)
        self.max_queue = _number(args, "max_queue", MAX_QUEUE, minimum=1, maximum=1000000)
        self.max_report_size = _number(args, "max_report_size", MAX_REPORT_SIZE, minimum=1024,
                                       maximum=16 * 1024 * 1024)
        self.duplicate_window = _number(args, "duplicate_window", DUPLICATE_WINDOW, kind=float, minimum=0,
                                        maximum=3600)
        self.where = "%s:%d" % (self.host, self.port)

    def client(self, report_port):
        """The API client whose login registers this receiver (on `report_port`)."""
        # No token cache: this login's token is the reporting session itself. A token the modules cached never
        # registered the receiver (the login fields are part of the cache key, so it would not be taken anyway),
        # and caching this one would replace the modules' entry (one per PBX and user) with a token that this
        # source logs out at shutdown. Without the cache, close() logs out, which is what a receiver going away
        # wants. The memory of refused logins is still shared with the modules (state_dir).
        return pbx_client.PbxClient(pbx_client.ClientSettings(
            host=self.host, port=self.port, username=self.username, password=self.password, use_ssl=self.use_ssl,
            validate_certs=self.validate_certs, timeout=self.timeout, connect_timeout=self.timeout,
            api_version=self.api_version, token_cache=False, state_dir=self.state_dir, report_port=report_port,
            report_url=self.report_url, report_url_absolute=self.report_url_absolute,
            report_version=self.report_version))


# ---------------------------------------------------------------------------- the source

def _local_address_towards(host, port):
    """The address of this host on the route to the PBX (no packet is sent)."""
    try:
        infos = socket.getaddrinfo(host, port, 0, socket.SOCK_DGRAM)
        family, sock_type, proto, dummy, address = infos[0]
        probe = socket.socket(family, sock_type, proto)
        try:
            probe.connect(address)
            return probe.getsockname()[0]
        finally:
            probe.close()
    except (OSError, IndexError):
        return None


class PbxEventSource:
    """Receiver + session keeper + forwarder for one PBX."""

    def __init__(self, queue, settings):
        self.queue = queue
        self.settings = settings
        # ansible-rulebook's own queue holds one event per source: this one is where a slow rulebook shows.
        self.pending = asyncio.Queue(settings.max_queue)
        self.senders = Senders(settings.allowed_sources)
        self.recent = RecentReports(settings.duplicate_window)
        self.memory = CallMemory()
        self.client = None
        # One thread for the client: its requests session is not shared between threads, and the logout at
        # shutdown queues behind a request still in flight.
        self.executor = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="pbx_events")
        self.bound_port = None
        self.default_ipaddr = None
        self.ring_timers = {}
        self.stats = {"heartbeats": 0}
        self.counters = {name: 0 for name in COUNTERS}
        self.counters_logged = dict(self.counters)
        self.last_refused_source = None

    # -- session

    def in_thread(self, method, *args):
        """Run one blocking PbxClient call; the receiver keeps serving meanwhile."""
        return asyncio.get_running_loop().run_in_executor(self.executor, functools.partial(method, *args))

    def refused(self, exc):
        return PbxEventSourceError("pbx_events: %s; not retrying, since every failed login counts towards the PBX's "
                                   "lockout of this address" % exc)

    def receiver_fields(self):
        fields = {"port": str(self.bound_port)}
        if self.settings.report_url:
            fields["url"] = self.settings.report_url
        fields["urltag"] = "1" if self.settings.report_url_absolute else "0"
        return fields

    async def login(self):
        """Log in, in rounds until the PBX answers; PbxClient retries transient faults within a round."""
        settings = self.settings
        delay = 1.0
        while True:
            await self.resolve_pbx()
            try:
                await self.in_thread(self.client.login)
            except errors.PbxLoginError as exc:
                raise self.refused(exc)
            except errors.PbxApiError as exc:
                if exc.errno not in SERVICE_DOWN_ERRNOS:
                    raise PbxEventSourceError("pbx_events: the PBX %s refused the login: %s" % (settings.where, exc))
                problem = exc
            except errors.PbxTransportError as exc:
                problem = exc
            else:
                LOGGER.info("pbx_events: logged in to %s as %s; reports go to port %s", settings.where,
                            settings.username, self.bound_port)
                if settings.ipaddr:
                    await self.heartbeat()
                return
            LOGGER.warning("pbx_events: cannot log in to %s (%s); retrying in %.0f s", settings.where, problem, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, BACKOFF_CAP)

    async def heartbeat(self):
        """One heartbeat; False when the session is lost and a login is needed.

        PbxClient logs in again once by itself when the PBX says the token is gone and then repeats the
        heartbeat; only when that login fails does the source take over with its rounds.
        """
        body = {"ipaddr": self.settings.ipaddr or self.default_ipaddr}
        body.update(self.receiver_fields())
        self.stats["heartbeats"] += 1
        logins = self.client.stats["logins"]
        try:
            await self.in_thread(self.client.call, "heartbeat", body)
        except errors.PbxLoginError as exc:
            raise self.refused(exc)
        except errors.PbxError as exc:
            if exc.endpoint == "login":
                LOGGER.warning("pbx_events: the PBX %s no longer knows the token and logging in again failed (%s)",
                               self.settings.where, exc)
                return False
            LOGGER.warning("pbx_events: heartbeat to %s failed (%s)", self.settings.where, exc)
        else:
            if self.client.stats["logins"] > logins:
                LOGGER.info("pbx_events: the PBX %s no longer knew the token; logged in again", self.settings.where)
        return True

    async def keep_alive(self):
        while True:
            await asyncio.sleep(self.settings.heartbeat_interval)
            self.log_counters()
            if not await self.heartbeat():
                await self.login()

    async def resolve_pbx(self):
        """Take reports from the addresses the PBX's host name has now (it is looked up again at each login)."""
        try:
            infos = await asyncio.get_running_loop().getaddrinfo(self.settings.host, self.settings.port,
                                                                 type=socket.SOCK_STREAM)
        except OSError as exc:
            LOGGER.warning("pbx_events: cannot resolve %s (%s); still taking reports from %s", self.settings.host,
                           exc, self.trusted_text())
            return
        if self.senders.set_pbx(info[4][0] for info in infos):
            LOGGER.info("pbx_events: taking reports from %s", self.trusted_text())

    def trusted_text(self):
        names = sorted(str(address) for address in self.senders.pbx)
        names += [str(network) for network in self.senders.networks]
        return ", ".join(names) or "nobody"

    # -- counters

    def count(self, name, message=None, *args):
        """Count one event of `name`; the first of each kind since the last summary is logged at once."""
        self.counters[name] += 1
        if message and self.counters[name] == self.counters_logged[name] + 1:
            LOGGER.warning("pbx_events: " + message + "; more are counted and logged with each heartbeat", *args)

    def counters_text(self):
        text = " ".join("%s=%d" % (name, self.counters[name]) for name in COUNTERS)
        if self.last_refused_source:
            text += " last_refused_source=%s" % self.last_refused_source
        return text

    def log_counters(self, final=False):
        """The counters since start, when they changed (and always at shutdown)."""
        changed = [name for name in COUNTERS if self.counters[name] != self.counters_logged[name]]
        refusals = [name for name in changed if name != "accepted"]
        if final or refusals:
            log = LOGGER.warning if refusals else LOGGER.info
            log("pbx_events: report counters%s: %s", " at shutdown" if final else "", self.counters_text())
        self.counters_logged = dict(self.counters)

    # -- receiving

    @staticmethod
    def answer(status, close=False):
        response = web.json_response({"status": "Success" if status == 200 else "Failed"}, status=status)
        if close:
            response.force_close()
        return response

    async def receive(self, request):
        peer = request.remote
        if not self.senders.allows(peer):
            self.last_refused_source = peer
            self.count("refused_source", "refused a request from %s (HTTP 403): reports are taken from %s only "
                       "(the PBX's address, and allowed_sources)", peer, self.trusted_text())
            return self.answer(403, close=True)
        if request.method != "POST":
            if request.method in ("GET", "HEAD"):
                return web.json_response({"status": "ok"})
            return web.Response(status=405)
        too_large = ("refused a report of more than %d bytes from %s (HTTP 413)", self.settings.max_report_size, peer)
        if request.content_length is not None and request.content_length > self.settings.max_report_size:
            self.count("too_large", *too_large)
            return self.answer(413, close=True)
        try:
            body = await request.read()
        except web.HTTPRequestEntityTooLarge:
            self.count("too_large", *too_large)
            return self.answer(413, close=True)
        return self.take(body, peer)

    def take(self, body, peer):
        """Queue one report, unless the PBX sent it before or the queue is full; the answer to give the PBX."""
        digest = self.recent.digest(body)
        if self.recent.seen_before(digest):
            self.count("duplicate", "dropped a report that %s sent again (HTTP 200, it was queued before)", peer)
            return self.answer(200)
        if self.pending.full():
            # Not remembered as seen: the PBX resends it after a non-200 answer, and then it is taken.
            self.count("refused_full", "the queue holds max_queue=%d events the rulebook has not taken; refused a "
                       "report (HTTP 503, the PBX sends it again)", self.settings.max_queue)
            return self.answer(503)
        report = None
        try:
            report = parse_report(body)
        except ValueError as exc:
            LOGGER.warning("pbx_events: ignored a report from %s that is not a JSON object: %s", peer, exc)
            event = {"pbx_event": {"type": "invalid_report", "error": str(exc), "parties": [],
                                   "raw": body.decode("utf-8", errors="replace")}}
        else:
            try:
                event = normalise(report, self.memory)
            except Exception as exc:  # never make the PBX resend a report we cannot understand
                LOGGER.warning("pbx_events: could not normalise a %s report: %s", report.get("action"), exc)
                event = {"pbx_event": {"type": event_type(report.get("action")), "error": str(exc), "parties": [],
                                       "raw": report}}
        self.recent.remember(digest, report_subject(report))
        self.counters["accepted"] += 1
        self.pending.put_nowait(event)
        self.watch_ringing(event["pbx_event"])
        # The rulebook's queue may be slow: events are handed over in order by forward(); the PBX gets its 200 now.
        return self.answer(200)

    def watch_ringing(self, event):
        """ring_timeout: start a timer on RING, stop it when the call is answered, released or failed."""
        if self.settings.ring_timeout is None:
            return
        key = event.get("inbound_id") or event.get("outbound_id") or event.get("call_id")
        if not key:
            return
        if event["type"] == "ring":
            if key not in self.ring_timers:
                if len(self.ring_timers) >= MAX_RINGING_CALLS:
                    self.count("ring_unwatched", "%d calls ring at once; call %s gets no ring_timeout",
                               MAX_RINGING_CALLS, key)
                    return
                loop = asyncio.get_running_loop()
                self.ring_timers[key] = loop.call_later(self.settings.ring_timeout, self.ring_timed_out, key, event)
        elif event["type"] in ("answer", "bye", "call_failed", "new_cdr"):
            timer = self.ring_timers.pop(key, None)
            if timer is not None:
                timer.cancel()

    def ring_timed_out(self, key, ring):
        self.ring_timers.pop(key, None)
        event = dict(ring)
        event.update(type="ring_timeout", synthetic=True, ringing_seconds=self.settings.ring_timeout)
        LOGGER.info("pbx_events: call %s still ringing after %s s", key, self.settings.ring_timeout)
        try:
            self.pending.put_nowait({"pbx_event": event})
        except asyncio.QueueFull:
            self.count("ring_timeout_dropped", "the queue is full; dropped the ring_timeout event of call %s", key)

    async def forward(self):
        while True:
            event = await self.pending.get()
            await self.queue.put(event)

    # -- main

    def application(self):
        """The report receiver: any path, bodies up to max_report_size."""
        app = web.Application(client_max_size=self.settings.max_report_size)
        app.router.add_route("*", "/{tail:.*}", self.receive)
        return app

    async def run(self):
        settings = self.settings
        runner = web.AppRunner(self.application(), access_log=None, handle_signals=False)
        await runner.setup()
        tasks = []
        try:
            site = web.TCPSite(runner, settings.listen_host, settings.listen_port)
            try:
                await site.start()
            except OSError as exc:
                raise PbxEventSourceError("pbx_events: cannot listen on %s:%s: %s"
                                          % (settings.listen_host, settings.listen_port, exc))
            self.bound_port = settings.listen_port or _bound_port(runner)
            self.default_ipaddr = _local_address_towards(settings.host, settings.port) or "127.0.0.1"
            LOGGER.info("pbx_events: receiving reports on %s:%s", settings.listen_host, self.bound_port)
            tasks.append(asyncio.ensure_future(self.forward()))
            self.client = settings.client(self.bound_port)
            try:
                await self.login()
                await self.keep_alive()
            finally:
                await self.logout()
        finally:
            for task in tasks:
                task.cancel()
            for timer in self.ring_timers.values():
                timer.cancel()
            self.ring_timers.clear()
            self.log_counters(final=True)
            self.executor.shutdown(wait=False)
            await runner.cleanup()

    async def logout(self):
        """Best effort: end the session so the PBX stops reporting to a receiver that is gone."""
        try:
            await asyncio.wait_for(asyncio.shield(self.in_thread(self.client.close)), 2)
        except (asyncio.TimeoutError, asyncio.CancelledError):
            pass


def _bound_port(runner):
    for address in runner.addresses:
        if isinstance(address, tuple) and len(address) >= 2:
            return int(address[1])
    raise PbxEventSourceError("pbx_events: could not tell which port the receiver listens on")


async def main(queue, args):
    """ansible-rulebook entry point: put the PBX's event reports on `queue` until cancelled."""
    if web is None:
        raise PbxEventSourceError("pbx_events: the Python library aiohttp is required")
    if not pbx_client.HAS_REQUESTS:
        raise PbxEventSourceError("pbx_events: the Python library requests is required")
    settings = Settings(args)
    await PbxEventSource(queue, settings).run()


if __name__ == "__main__":
    # Run by hand: print the events (ucpbx-emulator defaults as the PBX).
    class MockQueue(asyncio.Queue):
        async def put(self, item):
            print(json.dumps(item))  # noqa: T201

    logging.basicConfig(level=logging.INFO)
    asyncio.run(main(MockQueue(), {"host": "127.0.0.1", "username": "api", "password": "123456", "listen_port": 8260}))
