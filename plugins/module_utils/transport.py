# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP plumbing that holds a server to its limits: a deadline for a whole answer and a size cap; and what
a failed connection means (nothing sent, or maybe applied).

requests' read timeout bounds each read from the socket, so a server that trickles one byte every few
seconds keeps a request alive forever. Here a timer shuts the socket down when the whole answer is late,
which ends whatever read is blocked, and the body is read in chunks against a size cap.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import errno as errno_codes
import re
import socket
import threading
import time

try:
    from requests.adapters import HTTPAdapter
    from urllib3.connection import HTTPConnection, HTTPSConnection
    from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
    from urllib3.exceptions import NewConnectionError
    HAS_TRANSPORT = True
except ImportError:  # pragma: no cover - requests is reported missing by the client
    HTTPAdapter = HTTPConnection = HTTPSConnection = HTTPConnectionPool = HTTPSConnectionPool = object
    NewConnectionError = None
    HAS_TRANSPORT = False

MEGABYTE = 1024 * 1024
CHUNK = 64 * 1024
# The answer now being read by this thread; the connection classes below start its timer.
_CURRENT = threading.local()


class AnswerTooLarge(Exception):
    """The answer is larger than the cap; its body was not read any further."""

    def __init__(self, limit, announced=None):
        super(AnswerTooLarge, self).__init__(limit)
        self.limit = limit
        self.announced = announced


class AnswerDeadline:
    """The time a whole answer may take, from the moment the request is on its way to its last byte.

    Used as a context manager around one request and the reading of its body. The connection calls
    `start(sock)` when it begins waiting for the answer; when `seconds` pass before `finish()`, the socket
    is shut down, so a blocked read returns at once and `expired` tells why.
    """

    def __init__(self, seconds):
        self.seconds = seconds
        self.expired = False
        self.started = None
        self._timer = None
        self._sock = None
        self._lock = threading.Lock()

    def __enter__(self):
        # Until a connection starts the timer (none does behind an HTTP proxy), time counts from here.
        self.started = time.monotonic()
        _CURRENT.deadline = self
        return self

    def __exit__(self, *exc_info):
        _CURRENT.deadline = None
        self.finish()
        return False

    def start(self, sock):
        with self._lock:
            if self._timer is not None:
                return
            self.started = time.monotonic()
            self._sock = sock
            self._timer = threading.Timer(self.seconds, self._expire)
            self._timer.daemon = True
            self._timer.start()

    def past(self):
        """Whether the deadline has passed (also where no timer could be set, behind an HTTP proxy)."""
        return self.expired or (self.started is not None and time.monotonic() - self.started > self.seconds)

    def finish(self):
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
            self._sock = None

    def _expire(self):
        with self._lock:
            if self._sock is None:
                return
            self.expired = True
            try:
                # The plain socket's shutdown: an SSL socket's own would drop its TLS state under the reader.
                socket.socket.shutdown(self._sock, socket.SHUT_RDWR)
            except (OSError, TypeError):
                pass


def _start_deadline(connection):
    deadline = getattr(_CURRENT, "deadline", None)
    if deadline is not None and connection.sock is not None:
        deadline.start(connection.sock)


class _DeadlineHTTPConnection(HTTPConnection):
    def getresponse(self, *args, **kwargs):
        _start_deadline(self)
        return super(_DeadlineHTTPConnection, self).getresponse(*args, **kwargs)


class _DeadlineHTTPSConnection(HTTPSConnection):
    def getresponse(self, *args, **kwargs):
        _start_deadline(self)
        return super(_DeadlineHTTPSConnection, self).getresponse(*args, **kwargs)


class _DeadlineHTTPPool(HTTPConnectionPool):
    ConnectionCls = _DeadlineHTTPConnection


class _DeadlineHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _DeadlineHTTPSConnection


class DeadlineAdapter(HTTPAdapter):
    """An adapter whose connections start the current AnswerDeadline when they wait for an answer."""

    def init_poolmanager(self, *args, **kwargs):
        super(DeadlineAdapter, self).init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _DeadlineHTTPPool, "https": _DeadlineHTTPSPool}


def mount_deadline_adapter(session):
    if HAS_TRANSPORT:
        adapter = DeadlineAdapter()
        session.mount("http://", adapter)
        session.mount("https://", adapter)


def read_body(response, limit, deadline):
    """The whole body of a streamed response, refused past `limit` bytes or past the deadline.

    Raises AnswerTooLarge, or lets requests' own errors through (a read cut short by the deadline
    surfaces as one of them, with `deadline.expired` set).
    """
    announced = response.headers.get("Content-Length", "")
    if announced.isdigit() and int(announced) > limit:
        response.close()
        raise AnswerTooLarge(limit, int(announced))
    chunks = []
    size = 0
    for chunk in response.iter_content(CHUNK):
        size += len(chunk)
        if size > limit:
            response.close()
            raise AnswerTooLarge(limit)
        chunks.append(chunk)
        if deadline.past():
            response.close()
            deadline.expired = True
            raise socket.timeout("the answer took longer than %s s" % deadline.seconds)
    return b"".join(chunks)


# Connection failures that happen before a single byte of the request leaves the controller.
_UNREACHABLE_ERRNOS = frozenset((errno_codes.EHOSTUNREACH, errno_codes.ENETUNREACH))
# The reason up to OpenSSL's source reference; it may quote the address ("not valid for '10.0.0.5'").
_VERIFY_REASON = re.compile(r"certificate verify failed: (.+?)(?:\s*\(_ssl\.c:\d+\)|[\"']\)|$)")


def unsent_reason(exc):
    """Why a requests ConnectionError never sent the request, or None when it may have been sent.

    Only a failed connection setup counts (refused, no route, unknown name): the PBX cannot
    have seen the request, so it is neither retried in a loop nor reported as maybe applied.
    """
    reason = exc.args[0] if exc.args else None
    reason = getattr(reason, "reason", reason)  # urllib3's MaxRetryError wraps the cause
    if NewConnectionError is None or not isinstance(reason, NewConnectionError):
        return None
    cause = reason.__cause__ or reason.__context__
    if isinstance(cause, socket.gaierror) or type(reason).__name__ == "NameResolutionError":
        return "dns"
    if isinstance(cause, ConnectionRefusedError):
        return "refused"
    if isinstance(cause, OSError) and cause.errno in _UNREACHABLE_ERRNOS:
        return "unreachable"
    return None


def verify_failure(text):
    """Why a certificate was not trusted, from the text of an SSLError that says its verification failed."""
    found = _VERIFY_REASON.search(text)
    return found.group(1).strip() if found else "certificate verify failed"
