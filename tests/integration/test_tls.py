# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTPS to a PBX behind a TLS proxy: certificates are verified by default, ca_path trusts a private CA."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import subprocess
import time

import pytest
import requests

from conftest import API_PASSWORD, API_USERNAME, Emulator, _executable, summary
from ucpbx_emulator.certs import self_signed


class TlsEmulator(Emulator):
    """The control API of an emulator that serves HTTPS with a certificate only `cert` vouches for."""

    def __init__(self, port, cert):
        super(TlsEmulator, self).__init__(port)
        self.url = "https://%s:%d" % (self.host, port)
        self.cert = cert

    def _control(self, method, path, body=None, expect=200):
        response = requests.request(method, self.url + "/_emulator/" + path, verify=self.cert,
                                    json=body, timeout=10)
        assert response.status_code == expect, "%s %s -> %d %s" % (method, path, response.status_code,
                                                                   response.text)
        return response.json()


@pytest.fixture(scope="module")
def tls_emulator(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("tls-emulator")
    cert, key = self_signed(workdir)
    port_file = workdir / "port"
    log_path = workdir / "emulator.log"
    with open(str(log_path), "w") as log:
        process = subprocess.Popen(
            [_executable("ucpbx-emulator"), "--host", "127.0.0.1", "--port", "0", "--port-file", str(port_file),
             "--username", API_USERNAME, "--password", API_PASSWORD, "--tls-cert", str(cert), "--tls-key", str(key)],
            stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 20
        while not (port_file.exists() and port_file.read_text().strip()):
            assert process.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, log_path.read_text()
            time.sleep(0.02)
        yield TlsEmulator(int(port_file.read_text()), str(cert))
    finally:
        process.terminate()
        process.wait(timeout=15)


@pytest.fixture
def tls(tls_emulator):
    tls_emulator.reset()
    return tls_emulator


def tls_env(tls_emulator, **extra):
    env = {"UCPBX_HOST": tls_emulator.host, "UCPBX_PORT": tls_emulator.port, "UCPBX_USE_SSL": "true"}
    env.update(extra)
    return env


def test_untrusted_certificate_is_refused_by_default_before_anything_is_sent(tls, converge):
    returncode, output, result = converge([{"number": "7100", "name": "Over TLS"}], env=tls_env(tls),
                                          expect_failed=True)
    assert returncode == 0, output
    assert result["failed"] is True
    msg = result["msg"]
    assert "the TLS certificate of https://127.0.0.1:%d is not trusted" % tls.port in msg, msg
    assert "self-signed certificate" in msg, msg
    assert "nothing was sent" in msg and "ca_path" in msg and "UCPBX_CA_PATH" in msg, msg
    # Refused at the handshake: no retries, no raw urllib3 text.
    assert "giving up" not in msg and "HTTPSConnectionPool" not in msg, msg
    # The handshake failed, so the PBX never saw a request (not even the login).
    assert tls.requests() == []
    assert tls.extensions() == {}


def test_ca_path_trusts_the_private_certificate(tls, converge, run_playbook):
    returncode, output, result = converge([{"number": "7101", "name": "Trusted"}],
                                          env=tls_env(tls, UCPBX_CA_PATH=tls.cert))
    assert returncode == 0, output
    assert result["changed"] is True
    log = tls.requests()
    assert [(e["endpoint"], e["status"]) for e in log] == [
        ("login", "Success"), ("extension/query", "Success"), ("deviceinfo/query", "Success"),
        ("extension/add", "Success")], summary(log)
    assert sorted(tls.extensions()) == ["7101"]

    # Idempotent over TLS too, reusing the cached token.
    tls.clear_log()
    returncode, output, result = converge([{"number": "7101", "name": "Trusted"}],
                                          env=tls_env(tls, UCPBX_CA_PATH=tls.cert))
    assert returncode == 0, output
    assert result["changed"] is False
    assert [e["endpoint"] for e in tls.requests()] == ["extension/query"]


def test_ca_path_that_does_not_exist_is_named(tls, converge, tmp_path):
    missing = str(tmp_path / "no-such-ca.pem")
    returncode, output, result = converge([{"number": "7102"}], env=tls_env(tls, UCPBX_CA_PATH=missing),
                                          expect_failed=True)
    assert returncode == 0, output
    assert "ca_path %s does not exist" % missing in result["msg"], result["msg"]
    assert tls.requests() == []


def test_validate_certs_false_accepts_the_certificate(tls, converge):
    returncode, output, result = converge([{"number": "7103", "name": "Unverified"}],
                                          env=tls_env(tls, UCPBX_VALIDATE_CERTS="false"))
    assert returncode == 0, output
    assert result["changed"] is True
    assert sorted(tls.extensions()) == ["7103"]
    assert [e["endpoint"] for e in tls.requests()] == ["login", "extension/query", "deviceinfo/query", "extension/add"]
    # urllib3's per-request InsecureRequestWarning is not dumped into the output.
    assert "InsecureRequestWarning" not in output


def test_plain_http_client_against_the_tls_port_fails_clearly(tls, converge):
    returncode, output, result = converge([{"number": "7104"}], env=tls_env(tls, UCPBX_USE_SSL="false"),
                                          expect_failed=True, retries=0)
    assert returncode == 0, output
    assert result["failed"] is True
    msg = result["msg"]
    assert "http://127.0.0.1:%d dropped the connection before answering" % tls.port in msg, msg
    assert "a TLS proxy listens there: then set use_ssl=true" in msg, msg
    assert tls.extensions() == {}


def test_use_ssl_against_plain_http_names_the_mismatch(emulator, converge):
    returncode, output, result = converge([{"number": "7105"}], env={"UCPBX_USE_SSL": "true"},
                                          expect_failed=True)
    assert returncode == 0, output
    msg = result["msg"]
    assert "TLS handshake with https://127.0.0.1:%d failed" % emulator.port in msg, msg
    assert "plain HTTP on 9011" in msg, msg
    assert emulator.requests() == []
