# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A server that speaks just enough HTTP to play a PBX gone bad, or someone on the network path to it.

Written on plain sockets so a test controls every byte and every pause: answers that trickle, never end,
are huge, are not JSON, are cut short, or redirect elsewhere. Every request is logged. Login succeeds
for any credentials with the token TOKEN; other endpoints answer what the test scripted for them, and
{"status": "Success"} otherwise.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import socket
import threading
import time

TOKEN = "h0st1le70ken"


def _head(status, headers):
    lines = ["HTTP/1.1 %d Scripted" % status] + ["%s: %s" % item for item in headers] + ["Connection: close", "", ""]
    return "\r\n".join(lines).encode("latin-1")


def json_answer(document):
    """A well-formed HTTP answer carrying `document` as JSON."""
    return raw(200, [("Content-Type", "application/json")], json.dumps(document).encode("utf-8"))


def raw(status, headers, body, announced=None):
    """An answer as given; `announced` is the Content-Length to claim (the body's own by default)."""
    length = len(body) if announced is None else announced

    def send(connection, server):
        connection.sendall(_head(status, list(headers) + [("Content-Length", str(length))]) + body)
    return send


def redirect(location, status=307):
    return raw(status, [("Location", location)], b"")


def trickle(every, head_too=False, most=40):
    """An answer that does not end: a byte every `every` seconds (of the status line itself with `head_too`,
    else after complete headers), until the client hangs up, the server stops or `most` bytes went out
    (so a client that waits for ever makes a test fail rather than hang)."""
    def send(connection, server):
        if not head_too:
            connection.sendall(_head(200, [("Content-Type", "application/json"), ("Content-Length", "1000000")]))
        pending = b"HTTP/1.1 200 OK\r\n" if head_too else b""
        while server.trickled < most and not server.stopping.wait(every):
            byte, pending = (pending[:1], pending[1:]) if pending else (b" ", b"")
            server.trickled += 1
            connection.sendall(byte)
    return send


def endless(chunk_size=1024 * 1024, announce=False, most_mb=None):
    """A JSON answer whose body does not stop coming (chunked, or with a huge Content-Length), or stops, cut
    short, after `most_mb` megabytes."""
    def send(connection, server):
        headers = [("Content-Type", "application/json")]
        headers.append(("Content-Length", str(1 << 40)) if announce else ("Transfer-Encoding", "chunked"))
        connection.sendall(_head(200, headers))
        if announce:
            return
        filler = b" " * chunk_size
        connection.sendall(b"%x\r\n%s\r\n" % (len(filler), b'{"status":"Success","extinfos":[' + filler[32:]))
        while not server.stopping.is_set() and (most_mb is None or server.sent_bytes < most_mb * 1024 * 1024):
            connection.sendall(b"%x\r\n%s\r\n" % (len(filler), filler))
            server.sent_bytes += len(filler)
    return send


class HostileServer:
    """One listening port on 127.0.0.1; `answers[endpoint]` is a list of answers used in turn (the last
    one repeats). `log` holds (endpoint, query string, body text) of every request received."""

    def __init__(self):
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        # accept() wakes up now and then to see whether the server is stopping.
        self.listener.settimeout(0.1)
        self.port = self.listener.getsockname()[1]
        self.url = "http://127.0.0.1:%d" % self.port
        self.answers = {}
        self.log = []
        self.stopping = threading.Event()
        self.trickled = 0
        self.sent_bytes = 0
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def script(self, endpoint, *answers):
        self.answers[endpoint] = list(answers)
        return self

    def endpoints(self):
        return [entry[0] for entry in self.log]

    def stop(self):
        self.stopping.set()
        self._thread.join(5)
        self.listener.close()

    def _serve(self):
        while not self.stopping.is_set():
            try:
                connection, _peer = self.listener.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            connection.settimeout(None)
            threading.Thread(target=self._handle, args=(connection,), daemon=True).start()

    def _handle(self, connection):
        try:
            with connection:
                request = self._read_request(connection)
                if request is None:
                    return
                path, query, body = request
                endpoint = path.split("/api/", 1)[-1].split("/", 1)[-1] if "/api/" in path else path
                self.log.append((endpoint, query, body))
                script = self.answers.get(endpoint)
                if script:
                    answer = script.pop(0) if len(script) > 1 else script[0]
                elif endpoint == "login":
                    answer = json_answer({"status": "Success", "token": TOKEN})
                else:
                    answer = json_answer({"status": "Success"})
                answer(connection, self)
        except OSError:
            pass  # the client hung up: what the tests are about

    @staticmethod
    def _read_request(connection):
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = connection.recv(65536)
            if not chunk:
                return None
            data += chunk
        head, _separator, body = data.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        target = lines[0].split(" ")[1]
        length = 0
        for line in lines[1:]:
            name, _colon, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        while len(body) < length:
            chunk = connection.recv(65536)
            if not chunk:
                break
            body += chunk
        path, _mark, query = target.partition("?")
        return path, query, body.decode("utf-8", "replace")


def wait_until(predicate, seconds=5.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.02)
    return predicate()
