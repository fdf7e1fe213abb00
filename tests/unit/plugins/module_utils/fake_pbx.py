# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A scripted in-process PBX for PbxClient, plugged in place of requests.Session.post.

`FakePbx` records every request (endpoint, query parameters, decoded body) and answers
like the device: login checks the lowercase md5 password and hands out tokens, every
other endpoint checks the token, and extension/query|add|update|delete keep a small
table using the device's read-side spellings (extnumber, moblie, userpassword).
Tests put answers in front of the default behaviour with `pbx.queue(endpoint, ...)`.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import uuid

import requests

# queue() actions besides answer dicts, HTTP status ints, exceptions and callables:
DEFAULT = "default"  # answer as the device would
LOST = "lost"  # act as the device would, then drop the connection before answering

_READ_NAMES = {"number": "extnumber", "mobile": "moblie", "loginpassword": "userpassword"}


def md5(text):
    return hashlib.md5(text.encode("utf-8")).hexdigest()


class Seen:
    def __init__(self, endpoint, params, body):
        self.endpoint = endpoint
        self.params = params
        self.body = body
        self.token = params.get("token")

    def __repr__(self):
        return "Seen(%r, %r, %r)" % (self.endpoint, self.params, self.body)


class FakeResponse:
    """What the client reads of a streamed requests.Response: status, headers and the body in chunks."""

    def __init__(self, status_code, payload=None, text="", headers=None):
        self.status_code = status_code
        self.text = text if payload is None else json.dumps(payload)
        self.headers = dict(headers or {})
        self.closed = False

    def iter_content(self, chunk_size):
        data = self.text.encode("utf-8")
        for start in range(0, len(data), chunk_size):
            yield data[start:start + chunk_size]

    def close(self):
        self.closed = True


class FakePbx:
    def __init__(self, username="api", password="secret"):
        self.accounts = {username: md5(password)}
        self.tokens = set()
        self.locked = False
        self.extensions = {}
        self.requests = []
        self.urls = []
        self._script = {}

    # ---------------------------------------------------------------- test helpers
    def attach(self, client):
        client._session.post = self.post
        return client

    def queue(self, endpoint, *actions):
        self._script.setdefault(endpoint, []).extend(actions)

    def endpoints(self):
        return [seen.endpoint for seen in self.requests]

    def count(self, endpoint):
        return self.endpoints().count(endpoint)

    def load(self, *elements):
        for element in elements:
            self.extensions[element["extnumber"]] = dict(element)

    # ---------------------------------------------------------------- the wire
    def post(self, url, params=None, data=None, headers=None, timeout=None, verify=None, allow_redirects=True,
             stream=False):
        self.urls.append(url)
        endpoint = url.split("/api/", 1)[1].split("/", 1)[1]
        seen = Seen(endpoint, dict(params or {}), json.loads(data) if data else {})
        self.requests.append(seen)
        script = self._script.get(endpoint)
        action = script.pop(0) if script else DEFAULT
        if callable(action):
            action = action(seen)
        if isinstance(action, BaseException):
            raise action
        if isinstance(action, int):
            return FakeResponse(action, text="<html>error %d</html>" % action)
        if isinstance(action, dict):
            return FakeResponse(200, action)
        if isinstance(action, FakeResponse):
            return action
        answer = self.answer(seen)
        if action == LOST:
            raise requests.exceptions.ConnectionError("('Connection aborted.', RemoteDisconnected('Remote end closed "
                                                      "connection without response'))")
        assert action == DEFAULT, action
        return FakeResponse(200, answer)

    def answer(self, seen):
        body = seen.body
        if seen.endpoint == "login":
            if self.locked:
                return failed("20002")
            if self.accounts.get(body.get("username")) != body.get("password"):
                return failed("20003")
            token = uuid.uuid4().hex
            self.tokens.add(token)
            return {"status": "Success", "token": token}
        if not seen.token:
            return failed("20005")
        if seen.token not in self.tokens:
            return failed("20004")
        if seen.endpoint == "logout":
            self.tokens.discard(seen.token)
        elif seen.endpoint == "extension/query":
            wanted = [n for n in body.get("extid", "").split(",") if n]
            if wanted and any(n not in self.extensions for n in wanted):
                return failed("10006")
            numbers = wanted or sorted(self.extensions, key=int)
            return {"status": "Success", "extinfos": [dict(self.extensions[n]) for n in numbers]}
        elif seen.endpoint == "extension/add":
            if body["number"] in self.extensions:
                return failed("10017")
            self.extensions[body["number"]] = dict((_READ_NAMES.get(k, k), v) for k, v in body.items())
        elif seen.endpoint == "extension/update":
            if body["extid"] not in self.extensions:
                return failed("10006")
            self.extensions[body["extid"]].update(
                (_READ_NAMES.get(k, k), v) for k, v in body.items() if k != "extid")
        elif seen.endpoint == "extension/delete":
            numbers = body["number"].split(",")
            if any(n not in self.extensions for n in numbers):
                return failed("10006")
            for number in numbers:
                del self.extensions[number]
        elif seen.endpoint in EMPTY_LISTS:
            # The kinds that refer to extensions, read before one is deleted or renumbered: none here.
            return {"status": "Success", EMPTY_LISTS[seen.endpoint]: []}
        return {"status": "Success"}


EMPTY_LISTS = {"queue/query": "queues", "paginggroup/query": "paginggroup", "inroute/query": "inroutes"}


def failed(errno):
    return {"status": "Failed", "errno": errno}


class FakeClock:
    def __init__(self, now=1700000000.0):
        self.now = now

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += seconds
