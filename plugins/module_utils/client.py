# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP client for the OpenVox UC PBX API: login, token reuse, retries, lockout guard."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import fcntl
import hashlib
import json
import os
import random
import tempfile
import threading
import time

try:
    import requests
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - reported by the module
    requests = None
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = exc

from ansible_collections.openvox.ucpbx.plugins.module_utils.errors import (
    BUSY_ERRNO,
    LOGIN_REFUSED_ERRNOS,
    TOKEN_ERRNOS,
    PbxApiError,
    PbxLoginError,
    PbxTransportError,
    describe_errno,
    redact,
)

# The PBX erases a token after 30 idle minutes; stop reusing it a little earlier so a
# cached token is never sent just as it dies.
TOKEN_IDLE_SECONDS = 1800
TOKEN_SAFETY_MARGIN = 120
# Five failed logins lock the client address for ten minutes.
LOCKOUT_SECONDS = 600


def md5_hex(text):
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def default_cache_dir():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "openvox.ucpbx")


class _Unanswered(Exception):
    """A request that got no API answer; `maybe_applied` when the PBX may have acted on it."""

    def __init__(self, message, maybe_applied):
        super(_Unanswered, self).__init__(message)
        self.maybe_applied = maybe_applied


class CredentialStore:
    """Token cache and failed-login memory shared by every task and fork on this host.

    One lock file per PBX serialises logins, so parallel forks log in once, not once each.
    Files are created 0600 because a token grants the same access as the password.
    """

    def __init__(self, directory, pbx_key, user_key):
        self.directory = directory
        self.pbx_key = pbx_key
        self.token_path = os.path.join(directory, "%s-%s.token.json" % (pbx_key, user_key))
        self.guard_path = os.path.join(directory, "%s.logins.json" % pbx_key)
        self.lock_path = os.path.join(directory, "%s.lock" % pbx_key)

    @contextlib.contextmanager
    def locked(self):
        if not os.path.isdir(self.directory):
            os.makedirs(self.directory, mode=0o700)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    @staticmethod
    def _read(path):
        try:
            with open(path) as handle:
                data = json.load(handle)
            return data if isinstance(data, dict) else {}
        except (IOError, OSError, ValueError):
            return {}

    def _write(self, path, data):
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-")
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w") as handle:
                json.dump(data, handle)
            os.rename(tmp, path)
        except Exception:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise

    def load_token(self, fingerprint, now):
        entry = self._read(self.token_path)
        if entry.get("fingerprint") != fingerprint or not entry.get("token"):
            return None
        if now - float(entry.get("last_used", 0)) > TOKEN_IDLE_SECONDS - TOKEN_SAFETY_MARGIN:
            return None
        return entry["token"]

    def save_token(self, token, fingerprint, last_used):
        self._write(self.token_path, {"token": token, "fingerprint": fingerprint, "last_used": last_used})

    def touch_token(self, token, last_used):
        entry = self._read(self.token_path)
        if entry.get("token") == token and float(entry.get("last_used", 0)) < last_used:
            entry["last_used"] = last_used
            self._write(self.token_path, entry)

    def forget_token(self, token):
        if self._read(self.token_path).get("token") == token:
            os.unlink(self.token_path)

    def refused_login(self, fingerprint, now):
        """Return the errno of a refusal still in force for these credentials, if any."""
        guard = self._read(self.guard_path)
        if now < float(guard.get("locked_until", 0)):
            return "20002"
        failed = guard.get("failed", {}).get(fingerprint)
        if failed and now - float(failed) < LOCKOUT_SECONDS:
            return "20003"
        return None

    def remember_refusal(self, fingerprint, errno, now):
        guard = self._read(self.guard_path)
        failed = dict((k, v) for k, v in guard.get("failed", {}).items() if now - float(v) < LOCKOUT_SECONDS)
        if errno == "20002":
            guard["locked_until"] = now + LOCKOUT_SECONDS
        else:
            failed[fingerprint] = now
        guard["failed"] = failed
        self._write(self.guard_path, guard)

    def forget_refusals(self, fingerprint):
        guard = self._read(self.guard_path)
        if fingerprint in guard.get("failed", {}) or guard.get("locked_until"):
            guard.get("failed", {}).pop(fingerprint, None)
            guard.pop("locked_until", None)
            self._write(self.guard_path, guard)


class PbxClient:
    """One PBX, one API user. Every module talks to the PBX through this class."""

    def __init__(self, host, username, password, port=9011, use_ssl=False, validate_certs=True,
                 timeout=10, api_version="v0.0.1", retries=3, token_cache=True, cache_dir=None,
                 report_port=None, report_url=None, report_url_absolute=False,
                 backoff_base=0.5, backoff_cap=8.0, clock=time.time, sleep=time.sleep):
        if not HAS_REQUESTS:
            raise PbxTransportError("the Python library 'requests' is required: %s" % REQUESTS_IMPORT_ERROR)
        scheme = "https" if use_ssl else "http"
        self.base_url = "%s://%s:%s/api/%s/" % (scheme, host, port, api_version)
        self.username = username
        self._password_md5 = md5_hex(password or "")
        self.timeout = timeout
        self.validate_certs = validate_certs
        self.retries = max(0, int(retries))
        self.token_cache = token_cache
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self._clock = clock
        self._sleep = sleep
        self._login_body = {"username": username, "password": self._password_md5}
        if report_port is not None:
            # Login re-points the PBX's event reports: only send these when asked to.
            self._login_body["port"] = str(report_port)
            if report_url:
                self._login_body["url"] = report_url
            self._login_body["urltag"] = "1" if report_url_absolute else "0"
        report_settings = json.dumps(sorted(self._login_body.items()))
        self._fingerprint = hashlib.sha256(report_settings.encode("utf-8")).hexdigest()
        self._store = CredentialStore(
            cache_dir or default_cache_dir(),
            hashlib.sha256(self.base_url.encode("utf-8")).hexdigest()[:24],
            hashlib.sha256(username.encode("utf-8")).hexdigest()[:16],
        )
        self._session = requests.Session()
        # Parallel writes share one client; the file lock only orders processes, not threads.
        self._token_lock = threading.Lock()
        self._token = None
        self._last_used = 0.0
        self.stats = {"requests": 0, "logins": 0, "retries": 0}

    # ------------------------------------------------------------------ public API
    def call(self, endpoint, body=None, subject=None, verify=None):
        """POST one API request and return the decoded success envelope.

        `verify` is called before replaying a request whose first attempt may have been
        applied (the connection dropped after sending); it returns True when the PBX
        already holds the intended result, so an `add` is never sent twice.
        """
        with self._token_lock:
            self._ensure_token()
        relogged = False
        attempt = 0
        while True:
            token = self._token
            try:
                answer = self._post(endpoint, body, token)
            except _Unanswered as exc:
                attempt = self._next_attempt(attempt, endpoint, subject, str(exc))
                if exc.maybe_applied and verify is not None and verify():
                    return {"status": "Success", "verified": True}
                continue
            if answer.get("status") == "Success":
                self._last_used = self._clock()
                return answer
            errno = str(answer.get("errno", ""))
            if errno in TOKEN_ERRNOS and not relogged:
                # A stale token (PBX rebooted, idle expiry, logout elsewhere): one fresh login.
                relogged = True
                with self._token_lock:
                    if self._token == token:
                        self._login(discard=token)
                continue
            if errno == BUSY_ERRNO:
                attempt = self._next_attempt(attempt, endpoint, subject, "errno 10025 (%s)" % describe_errno(errno))
                continue
            raise PbxApiError(endpoint, errno, subject)

    def close(self):
        """Record when the token was last used so the next task can reuse it, or log out."""
        if self._token is None:
            return
        try:
            if self.token_cache:
                with self._store.locked():
                    self._store.touch_token(self._token, self._last_used)
            else:
                self._post("logout", None, self._token)
        except (_Unanswered, PbxTransportError, OSError):
            # Saving the token's last use or logging out is a courtesy; the task's result stands.
            pass
        finally:
            self._token = None
            self._session.close()

    # ------------------------------------------------------------------ internals
    def _next_attempt(self, attempt, endpoint, subject, reason):
        attempt += 1
        if attempt > self.retries:
            target = " for %s" % subject if subject else ""
            raise PbxTransportError(
                "%s%s: giving up after %d attempts: %s" % (endpoint, target, attempt, reason), endpoint=endpoint)
        self.stats["retries"] += 1
        delay = min(self.backoff_cap, self.backoff_base * (2 ** (attempt - 1)))
        self._sleep(delay * random.uniform(0.5, 1.0))
        return attempt

    def _ensure_token(self):
        if self._token is not None:
            return
        with self._store.locked():
            if self.token_cache:
                self._token = self._store.load_token(self._fingerprint, self._clock())
            if self._token is None:
                self._login_locked()

    def _login(self, discard=None):
        with self._store.locked():
            if self.token_cache:
                if discard:
                    self._store.forget_token(discard)
                # Another fork may have logged in while this one waited for the lock.
                cached = self._store.load_token(self._fingerprint, self._clock())
                if cached and cached != discard:
                    self._token = cached
                    return
            self._login_locked()

    def _login_locked(self):
        now = self._clock()
        refused = self._store.refused_login(self._fingerprint, now)
        if refused:
            raise PbxLoginError(
                "login to %s as %r not attempted: the same credentials were refused less than %d minutes ago "
                "(errno %s, %s); the PBX locks the client address after 5 failed logins, so fix the "
                "username/password (or wait) before trying again"
                % (self.base_url, self.username, LOCKOUT_SECONDS // 60, refused, describe_errno(refused)),
                endpoint="login", errno=refused)
        attempt = 0
        while True:
            try:
                answer = self._post("login", self._login_body, None)
            except _Unanswered as exc:
                attempt = self._next_attempt(attempt, "login", None, str(exc))
                continue
            if str(answer.get("errno", "")) != BUSY_ERRNO:
                break
            attempt = self._next_attempt(attempt, "login", None, "errno 10025 (%s)" % describe_errno(BUSY_ERRNO))
        self.stats["logins"] += 1
        if answer.get("status") == "Success" and answer.get("token"):
            self._token = str(answer["token"])
            self._last_used = self._clock()
            self._store.forget_refusals(self._fingerprint)
            if self.token_cache:
                self._store.save_token(self._token, self._fingerprint, self._last_used)
            return
        errno = str(answer.get("errno", ""))
        if errno in LOGIN_REFUSED_ERRNOS:
            self._store.remember_refusal(self._fingerprint, errno, now)
            raise PbxLoginError(
                "login to %s as %r refused: errno %s (%s); later tasks will not retry these credentials "
                "for %d minutes so the PBX does not lock this address"
                % (self.base_url, self.username, errno, describe_errno(errno), LOCKOUT_SECONDS // 60),
                endpoint="login", errno=errno)
        raise PbxApiError("login", errno or "(none)", "user %r" % self.username)

    def _post(self, endpoint, body, token):
        params = {"type": "json"}
        if token:
            params["token"] = token
        self.stats["requests"] += 1
        try:
            response = self._session.post(
                self.base_url + endpoint,
                params=params,
                data=json.dumps(body or {}),
                headers={"Content-Type": "application/json; charset=utf-8"},
                timeout=self.timeout,
                verify=self.validate_certs,
            )
        except requests.exceptions.ConnectTimeout as exc:
            raise _Unanswered("connection timed out: %s" % redact(exc), maybe_applied=False)
        except requests.exceptions.SSLError as exc:
            raise PbxTransportError("%s: TLS error: %s" % (endpoint, redact(exc)), endpoint=endpoint)
        except requests.exceptions.RequestException as exc:
            raise _Unanswered("%s: %s" % (type(exc).__name__, redact(exc)), maybe_applied=True)
        if response.status_code >= 500:
            raise _Unanswered("HTTP %d" % response.status_code, maybe_applied=True)
        if response.status_code != 200:
            raise PbxTransportError(
                "%s: HTTP %d from %s; is this the PBX API port (9011 by default)?"
                % (endpoint, response.status_code, self.base_url), endpoint=endpoint)
        try:
            answer = response.json()
        except ValueError:
            raise PbxTransportError("%s: the answer is not JSON; is %s the PBX API?" % (endpoint, self.base_url),
                                    endpoint=endpoint)
        if not isinstance(answer, dict) or "status" not in answer:
            raise PbxTransportError("%s: unexpected answer without a status" % endpoint, endpoint=endpoint)
        return answer
