# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every kind of the catalog has working endpoints in the emulator, the collection's test oracle, and
a part of its state document.

The endpoints are the ones each Resource declares, called over HTTP as the collection calls them:
the query answers Success with the list the Resource reads, and each write endpoint exists (an
empty body is refused for what it lacks, not answered "unsupported API request").
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import sys

import pytest
import requests

from conftest import API_PASSWORD, API_USERNAME, COLLECTIONS_PATH, md5_hex

if COLLECTIONS_PATH not in sys.path:
    sys.path.insert(0, COLLECTIONS_PATH)

from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.catalog import RESOURCES  # noqa: E402

UNSUPPORTED = "10003"


def _caller(emulator):
    base = "%s/api/v0.0.1/" % emulator.url
    credentials = {"username": API_USERNAME, "password": md5_hex(API_PASSWORD)}
    token = requests.post(base + "login", data=json.dumps(credentials), timeout=10).json()["token"]

    def call(path, body):
        return requests.post(base + path, params={"token": token}, data=json.dumps(body), timeout=10).json()
    return call


@pytest.mark.parametrize("kind", list(RESOURCES))
def test_every_kind_has_working_emulator_endpoints(emulator, kind):
    resource = RESOURCES[kind]
    assert kind in emulator.state(), "the emulator's state document has no %s" % kind
    call = _caller(emulator)
    query = resource.query
    body = {query.key: query.all_value} if query.key and query.all_value else {}
    answer = call(query.path, body)
    assert answer.get("status") == "Success", (kind, query.path, answer)
    assert set(query.list_keys) & set(answer), (kind, query.path, answer)
    writes = [endpoint for endpoint in (resource.add, resource.update, resource.delete) if endpoint is not None]
    for endpoint in writes:
        answer = call(endpoint.path, {})
        assert answer.get("status") == "Failed" and answer.get("errno") != UNSUPPORTED, (kind, endpoint.path, answer)
