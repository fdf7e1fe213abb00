"""Fixtures: real emulator processes started through the CLI, reached over HTTP."""

import hashlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

PACKAGE_ROOT = Path(__file__).resolve().parents[1]
API_PASSWORD = "123456"
API_PASSWORD_MD5 = "e10adc3949ba59abbe56e057f20f883e"
assert hashlib.md5(API_PASSWORD.encode()).hexdigest() == API_PASSWORD_MD5


class EmulatorProcess:
    """One running ``python -m ucpbx_emulator`` and a small client for it."""

    def __init__(self, tmp_dir, *args):
        self.port_file = Path(tmp_dir) / "port"
        # A file, not a pipe: nobody reads stderr while the emulator runs, and a full
        # pipe would block it.
        self.stderr_path = Path(tmp_dir) / "stderr.log"
        self.stderr = open(self.stderr_path, "w", encoding="utf-8")
        env = dict(os.environ)
        # Works whether or not the package was pip-installed into this interpreter.
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PACKAGE_ROOT),
                                                          env.get("PYTHONPATH")]))
        self.process = subprocess.Popen(
            [sys.executable, "-m", "ucpbx_emulator", "--port", "0",
             "--username", "api", "--password", API_PASSWORD,
             "--port-file", str(self.port_file), *args],
            stdout=subprocess.PIPE, stderr=self.stderr, text=True, env=env)
        self.port = self._wait_for_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.banner = self.process.stdout.readline().strip()

    def _wait_for_port(self, timeout=15):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.port_file.exists():
                return int(self.port_file.read_text())
            if self.process.poll() is not None:
                raise RuntimeError(f"emulator exited: {self.stderr_path.read_text()}")
            time.sleep(0.02)
        raise RuntimeError("emulator did not start")

    def stop(self):
        self.process.terminate()
        try:
            return self.process.wait(timeout=10)
        finally:
            self.process.stdout.close()
            self.stderr.close()

    # -- API ------------------------------------------------------------------------

    def call(self, endpoint, body=None, *, token=None, fmt=None, method="POST", data=None,
             base="/api/v0.0.1", headers=None):
        """Send one API request. ``body`` is sent as JSON, ``data`` as raw bytes."""
        params = {}
        if token is not None:
            params["token"] = token
        if fmt is not None:
            params["type"] = fmt
        if data is None and body is not None:
            data = json.dumps(body)
        return requests.request(method, f"{self.url}{base}/{endpoint}", params=params,
                                data=data, headers=headers, timeout=10)

    def api(self, endpoint, body=None, **kwargs):
        """The decoded JSON envelope of one API request."""
        response = self.call(endpoint, body, **kwargs)
        assert response.status_code == 200, response.text
        return response.json()

    def login(self, **extra):
        answer = self.api("login", {"username": "api", "password": API_PASSWORD_MD5, **extra})
        assert answer["status"] == "Success", answer
        return answer["token"]

    # -- control API ----------------------------------------------------------------

    def control(self, method, path, body=None):
        response = requests.request(method, f"{self.url}/_emulator/{path}", json=body,
                                    timeout=10)
        return response

    def ctl(self, method, path, body=None):
        response = self.control(method, path, body)
        assert response.status_code == 200, response.text
        return response.json()

    def requests_log(self, since=0):
        return self.ctl("GET", f"requests?since={since}")["requests"]

    def state(self):
        return self.ctl("GET", "state")

    def advance(self, seconds):
        return self.ctl("POST", "clock", {"advance_seconds": seconds})

    # -- assertions shared by the resource tests -------------------------------------

    def refused(self, endpoint, body, errno, *, token):
        """Assert that ``endpoint`` answers ``errno`` to ``body`` and changes nothing."""
        before = self.state()
        assert self.api(endpoint, body, token=token) == {"status": "Failed", "errno": errno}
        assert self.state() == before

    def put_state_refused(self, document):
        """Assert that the control API refuses a state document and keeps the old state."""
        before = self.state()
        response = self.control("PUT", "state", document)
        assert response.status_code == 400, response.text
        assert "error" in response.json()
        assert self.state() == before


@pytest.fixture(scope="session")
def emulator_factory(tmp_path_factory):
    started = []

    def start(*args):
        emulator = EmulatorProcess(tmp_path_factory.mktemp("emu"), *args)
        started.append(emulator)
        return emulator

    yield start
    for emulator in started:
        if emulator.process.poll() is None:
            assert emulator.stop() == 0
        # Dropped connections and bad requests must not make the server complain.
        assert emulator.stderr_path.read_text() == ""


@pytest.fixture(scope="session")
def shared_emulator(emulator_factory):
    return emulator_factory()


@pytest.fixture
def emu(shared_emulator):
    """The shared emulator, reset to its initial state for each test."""
    shared_emulator.ctl("POST", "reset")
    return shared_emulator


@pytest.fixture
def token(emu):
    return emu.login()


@pytest.fixture
def seeded(emu, request):
    """The emulator holding the test module's ``SEED`` state document."""
    emu.ctl("PUT", "state", request.module.SEED)
    return emu


@pytest.fixture
def pbx(emu, token):
    """The emulator set up for live calls (see livehelpers.PBX), and a token."""
    from livehelpers import setup_pbx

    setup_pbx(emu)
    return emu, token


@pytest.fixture
def receiver():
    """An HTTP receiver for the emulator's event reports, closed after the test."""
    from livehelpers import Receiver

    server = Receiver()
    yield server
    server.close()
