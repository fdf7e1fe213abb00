# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures: a fake PBX (see fake_pbx.py), a fake clock, recorded sleeps and a client factory."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.openvox.ucpbx.plugins.module_utils.client import ClientSettings, PbxClient
from ansible_collections.openvox.ucpbx.tests.unit.plugins.module_utils.fake_pbx import FakeClock, FakePbx


@pytest.fixture
def pbx():
    return FakePbx()


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def sleeps():
    """Delays the client asked to sleep for (nothing really sleeps)."""
    return []


@pytest.fixture
def cache_dir(tmp_path):
    return str(tmp_path / "cache")


@pytest.fixture
def make_client(pbx, clock, sleeps, cache_dir):
    """PbxClient factory wired to the fake PBX, the fake clock and a private cache dir."""
    clients = []

    def factory(**options):
        settings = dict(host="pbx.example", username="api", password="secret", cache_dir=cache_dir,
                        clock=clock, sleep=sleeps.append)
        settings.update(options)
        client = pbx.attach(PbxClient(ClientSettings(**settings)))
        clients.append(client)
        return client

    yield factory
    for client in clients:
        client._session.close()
