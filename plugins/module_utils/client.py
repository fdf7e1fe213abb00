# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""HTTP client for the OpenVox UC PBX API: login, token reuse, retries, lockout guard."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import random
import threading
import time
from collections import OrderedDict, namedtuple

try:
    import requests
    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError as exc:  # pragma: no cover - reported by the module
    requests = None
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = exc

try:
    from urllib.parse import quote
except ImportError:  # pragma: no cover - Python 2
    from urllib import quote

try:
    from urllib3.exceptions import InsecureRequestWarning
except ImportError:  # pragma: no cover - urllib3 comes with requests
    InsecureRequestWarning = None

from ansible_collections.openvox.ucpbx.plugins.module_utils.credential_store import (
    CredentialStore,
    default_cache_dir,
    login_keys,
    md5_hex,
    sha256_hex,
)
from ansible_collections.openvox.ucpbx.plugins.module_utils.errors import (
    BUSY_ERRNO,
    LOGIN_REFUSED_ERRNOS,
    TOKEN_ERRNOS,
    PbxApiError,
    PbxTransportError,
    describe_errno,
    quoted,
    redact,
)
from ansible_collections.openvox.ucpbx.plugins.module_utils.transport import (
    MEGABYTE,
    AnswerDeadline,
    AnswerTooLarge,
    mount_deadline_adapter,
    read_body,
    unsent_reason,
    verify_failure,
)

# The largest answer read: 50,000 extensions, the most any PBX of the series could report, take about 25 MB.
DEFAULT_MAX_ANSWER_MB = 64

# Everything a PbxClient is built from; host, username and password have no default. `clock` and `sleep`
# are there so tests can stand in for time.
_DEFAULTS = OrderedDict((
    ("port", 9011), ("use_ssl", False), ("validate_certs", True), ("ca_path", None), ("connect_timeout", 5),
    ("timeout", 10), ("max_answer_mb", DEFAULT_MAX_ANSWER_MB), ("api_version", "v0.0.1"), ("retries", 3),
    ("token_cache", True), ("cache_dir", None), ("state_dir", None), ("report_port", None), ("report_url", None),
    ("report_url_absolute", False), ("report_version", None), ("backoff_base", 0.5), ("backoff_cap", 8.0),
    ("clock", time.time), ("sleep", time.sleep),
))
ClientSettings = namedtuple("ClientSettings", ("host", "username", "password") + tuple(_DEFAULTS),
                            defaults=tuple(_DEFAULTS.values()))


def _is_write(endpoint):
    return endpoint.rsplit("/", 1)[-1] in ("add", "update", "delete")


class _Unanswered(Exception):
    """A request that got no API answer; `maybe_applied` when the PBX may have acted on it."""

    def __init__(self, message, maybe_applied, hint=None):
        super(_Unanswered, self).__init__(message)
        self.maybe_applied = maybe_applied
        self.hint = hint


class PbxClient:
    """One PBX, one API user. Every module talks to the PBX through this class."""

    def __init__(self, settings):
        if not HAS_REQUESTS:
            raise PbxTransportError("the Python library 'requests' is required: %s" % REQUESTS_IMPORT_ERROR)
        self.settings = settings
        self.host, self.port, self.use_ssl = settings.host, settings.port, settings.use_ssl
        self.username = settings.username
        self.base_url = "%s/api/%s/" % (self._server(), settings.api_version)
        self.timeout, self.connect_timeout = settings.timeout, settings.connect_timeout
        self.max_answer_bytes = int(settings.max_answer_mb) * MEGABYTE
        self.ca_path = settings.ca_path
        self._verify = self._verification(settings)
        self.retries = max(0, int(settings.retries))
        self.token_cache = settings.token_cache
        self._clock, self._sleep = settings.clock, settings.sleep
        password_md5 = md5_hex(settings.password or "")
        self._login_body = {"username": self.username, "password": password_md5}
        if settings.report_port is not None:
            # Login re-points the PBX's event reports: only send these when asked to.
            self._login_body["port"] = str(settings.report_port)
            if settings.report_url:
                self._login_body["url"] = settings.report_url
            self._login_body["urltag"] = "1" if settings.report_url_absolute else "0"
            if settings.report_version:
                # The report format version (1.0.2 makes older firmware send well-formed JSON).
                self._login_body["version"] = str(settings.report_version)
        self._credentials, self._fingerprint = login_keys(self.username, password_md5, self._login_body)
        self._store = CredentialStore(settings.cache_dir or default_cache_dir(), sha256_hex(self.base_url)[:24],
                                      sha256_hex(self.username)[:16], guard_directory=settings.state_dir)
        self._session = requests.Session()
        mount_deadline_adapter(self._session)
        # Parallel writes share one client; the file lock only orders processes, not threads.
        self._token_lock = threading.Lock()
        self._token = None
        self._last_used = 0.0
        self.stats = {"requests": 0, "logins": 0, "retries": 0}
        # Set by a caller that must stop when whoever started it is gone: a callable that returns why
        # no further request may be sent, or None to go on. It is asked before every request.
        self.stop_check = None

    def _verification(self, settings):
        """The `verify` argument of requests: a CA path, or whether to check against the system's CAs."""
        if settings.use_ssl and not settings.validate_certs and InsecureRequestWarning is not None:
            # The choice is documented and deliberate; a warning per request would only bury the result.
            import warnings
            warnings.simplefilter("ignore", InsecureRequestWarning)
        if not (settings.use_ssl and settings.validate_certs and settings.ca_path):
            return bool(settings.validate_certs)
        if not os.path.isfile(settings.ca_path) and not os.path.isdir(settings.ca_path):
            raise PbxTransportError("ca_path %s does not exist: it must name the PEM certificate of the CA that "
                                    "signed the certificate of %s (or a directory of such files)"
                                    % (settings.ca_path, self.base_url))
        return settings.ca_path

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
        started = time.monotonic()
        while True:
            token = self._token
            try:
                answer = self._post(endpoint, body, token)
            except _Unanswered as exc:
                attempt = self._next_attempt(attempt, endpoint, subject, exc, started)
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
                attempt = self._next_attempt(attempt, endpoint, subject, _Unanswered(
                    "errno 10025 (%s)" % describe_errno(errno), maybe_applied=False), started)
                continue
            raise PbxApiError(endpoint, errno, subject)

    def login(self):
        """Log in now rather than on the first call, in place of the token held (which is not logged out).

        For a caller whose login does more than authenticate: a login with report fields registers the
        event receiver, so the event source logs in when it starts and after its session was lost. The
        rules of call() apply: bounded retries on transient faults, no login with credentials the PBX has
        just refused (PbxLoginError), and with token_cache a token cached for the same login fields is
        taken instead.
        """
        with self._token_lock:
            self._login(discard=self._token)

    def download(self, endpoint, query, subject=None):
        """GET a download link (`<kind>/download?...`) with the current token; the open,
        streaming response. The caller reads and closes it. The token never reaches a message:
        every error text is redacted."""
        self._ensure_token()
        values = dict(query, token=self._token)
        link = "%s%s?%s" % (self.base_url, endpoint, "&".join(
            "%s=%s" % (name, quote(str(value), safe="")) for name, value in values.items() if value not in (None, "")))
        self.stats["requests"] += 1
        target = " for %s" % subject if subject else ""
        try:
            response = self._session.get(link, stream=True, timeout=(self.connect_timeout, self.timeout),
                                         verify=self._verify, allow_redirects=False)
        except requests.exceptions.RequestException as exc:
            raise PbxTransportError("%s%s: %s: %s" % (endpoint, target, type(exc).__name__, redact(exc)),
                                    endpoint=endpoint)
        self._refuse_redirect(endpoint, response)
        if response.status_code != 200:
            response.close()
            raise PbxTransportError("%s%s: HTTP %d" % (endpoint, target, response.status_code), endpoint=endpoint)
        self._last_used = self._clock()
        return response

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
    def _next_attempt(self, attempt, endpoint, subject, failure, started):
        attempt += 1
        if attempt > self.retries:
            target = " for %s" % subject if subject else ""
            message = "%s%s: giving up after %d attempt(s) in %.0f s: %s" % (
                endpoint, target, attempt, time.monotonic() - started, failure)
            if failure.hint:
                message += "; %s" % failure.hint
            if failure.maybe_applied and _is_write(endpoint):
                message += ("; the last attempt may have reached the PBX and been applied without an answer "
                            "(a rerun reads the PBX first and sends only what is still missing)")
            raise PbxTransportError(message, endpoint=endpoint)
        self.stats["retries"] += 1
        delay = min(self.settings.backoff_cap, self.settings.backoff_base * (2 ** (attempt - 1)))
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
        refused = self._store.refused_login(self._credentials, now)
        if refused:
            raise self._store.not_attempted(self.base_url, self.username, refused)
        attempt = 0
        started = time.monotonic()
        while True:
            try:
                answer = self._post("login", self._login_body, None)
            except _Unanswered as exc:
                attempt = self._next_attempt(attempt, "login", None, exc, started)
                continue
            if str(answer.get("errno", "")) != BUSY_ERRNO:
                break
            attempt = self._next_attempt(attempt, "login", None, _Unanswered(
                "errno 10025 (%s)" % describe_errno(BUSY_ERRNO), maybe_applied=False), started)
        self.stats["logins"] += 1
        if answer.get("status") == "Success" and answer.get("token"):
            self._token = str(answer["token"])
            self._last_used = self._clock()
            self._store.forget_refusals(self._credentials)
            if self.token_cache:
                self._store.save_token(self._token, self._fingerprint, self._last_used)
            return
        errno = str(answer.get("errno", ""))
        if errno in LOGIN_REFUSED_ERRNOS:
            self._store.remember_refusal(self._credentials, errno, now)
            raise self._store.refused(self.base_url, self.username, errno)
        raise PbxApiError("login", errno or "(none)", "user %r" % self.username)

    def _post(self, endpoint, body, token):
        stop = self.stop_check() if self.stop_check is not None else None
        if stop:
            raise PbxTransportError("%s: not sent: %s" % (endpoint, stop), endpoint=endpoint)
        params = {"type": "json"}
        if token:
            params["token"] = token
        self.stats["requests"] += 1
        with AnswerDeadline(self.timeout) as deadline:
            try:
                response = self._session.post(
                    self.base_url + endpoint,
                    params=params,
                    data=json.dumps(body or {}),
                    headers={"Content-Type": "application/json; charset=utf-8"},
                    timeout=(self.connect_timeout, self.timeout),
                    verify=self._verify,
                    allow_redirects=False,
                    stream=True,
                )
                self._refuse_redirect(endpoint, response)
                if response.status_code >= 500:
                    response.close()
                    raise _Unanswered("HTTP %d" % response.status_code, maybe_applied=True)
                if response.status_code != 200:
                    response.close()
                    raise PbxTransportError(
                        "%s: HTTP %d from %s; is this the PBX API port (9011 by default)?"
                        % (endpoint, response.status_code, self.base_url), endpoint=endpoint)
            except (requests.exceptions.RequestException, OSError) as exc:
                if deadline.expired:
                    exc = requests.exceptions.ReadTimeout()
                raise self._unanswered(endpoint, exc)
            try:
                content = read_body(response, self.max_answer_bytes, deadline)
            except AnswerTooLarge as exc:
                raise PbxTransportError(self._too_large_message(endpoint, exc), endpoint=endpoint)
            except (requests.exceptions.RequestException, OSError) as exc:
                response.close()
                if deadline.expired:
                    raise _Unanswered(
                        "the answer from %s was not complete within %s s (timeout)" % (self._server(), self.timeout),
                        maybe_applied=True,
                        hint="the server sent it too slowly; timeout bounds a whole answer, not each read")
                raise self._unanswered(endpoint, exc)
        return self._decoded(endpoint, response, content)

    def _unanswered(self, endpoint, exc):
        """The error for a request that got no answer: _Unanswered when worth retrying."""
        if isinstance(exc, requests.exceptions.ConnectTimeout):
            return _Unanswered(
                "no connection to %s within %s s (connect_timeout)" % (self._server(), self.connect_timeout),
                maybe_applied=False,
                hint="nothing was sent; check that host is the PBX's address and that no firewall drops traffic "
                     "from this controller to port %s" % self.port)
        if isinstance(exc, requests.exceptions.SSLError):
            return PbxTransportError(self._tls_message(endpoint, exc), endpoint=endpoint)
        if isinstance(exc, requests.exceptions.ReadTimeout):
            return _Unanswered(
                "no answer from %s within %s s (timeout) after the request was sent" % (self._server(), self.timeout),
                maybe_applied=True,
                hint="the connection was accepted but the API did not answer in time: check that port %s is the PBX "
                     "API (9011 on the device) and that its API service runs; raise timeout if the PBX is only slow"
                     % self.port)
        if isinstance(exc, requests.exceptions.ConnectionError):
            unsent = unsent_reason(exc)
            if unsent:
                return PbxTransportError(self._unsent_message(endpoint, unsent), endpoint=endpoint)
            hint = "%s dropped the connection before answering (PBX restarting or overloaded%s)" % (
                self._server(), "" if self.use_ssl else "; or a TLS proxy listens there: then set use_ssl=true")
            return _Unanswered("%s: %s" % (type(exc).__name__, redact(exc)), maybe_applied=True, hint=hint)
        return _Unanswered("%s: %s" % (type(exc).__name__, redact(exc)), maybe_applied=True)

    def _refuse_redirect(self, endpoint, response):
        """Never follow a redirect: the login body and the token would go wherever the server points."""
        if response.status_code not in (301, 302, 303, 307, 308):
            return
        location = response.headers.get("Location", "")
        response.close()
        raise PbxTransportError(
            "%s: %s answered HTTP %d, a redirect to %s; requests are never sent to another address, so nothing "
            "was sent there. Point host, port and use_ssl at the PBX API itself"
            % (endpoint, self._server(), response.status_code, quoted(location, 200) if location else "(no Location)"),
            endpoint=endpoint)

    def _too_large_message(self, endpoint, exc):
        size = ("announced as %d bytes" % exc.announced) if exc.announced else "still coming"
        return ("%s: the answer from %s is larger than max_answer_mb (%d MB; %s), so it was not read%s. A PBX's "
                "answers are far smaller (50,000 extensions take about 25 MB): check that host and port name the "
                "PBX API, or raise max_answer_mb"
                % (endpoint, self._server(), self.max_answer_bytes // MEGABYTE, size,
                   "; the request was sent and may have been applied" if _is_write(endpoint) else ""))

    def _decoded(self, endpoint, response, content):
        try:
            answer = json.loads(content.decode("utf-8"))
        except ValueError:
            raise PbxTransportError(
                "%s: the answer is not JSON (Content-Type %s, %d bytes, starting %s); is %s the PBX API?"
                % (endpoint, quoted(response.headers.get("Content-Type", "none"), 60), len(content),
                   quoted(content[:60].decode("utf-8", "replace"), 60), self.base_url), endpoint=endpoint)
        if not isinstance(answer, dict) or "status" not in answer:
            raise PbxTransportError("%s: the answer is not an API answer (a JSON %s without a status)"
                                    % (endpoint, type(answer).__name__ if not isinstance(answer, dict) else "object"),
                                    endpoint=endpoint)
        return answer

    def _server(self):
        return "%s://%s:%s" % ("https" if self.use_ssl else "http", self.host, self.port)

    def _unsent_message(self, endpoint, reason):
        if reason == "dns":
            return ("%s: cannot resolve the PBX host name %r, so nothing was sent: check host (and the "
                    "controller's DNS)" % (endpoint, self.host))
        if reason == "unreachable":
            return ("%s: no route from this controller to %s, so nothing was sent: check host and the network "
                    "between the controller and the PBX" % (endpoint, self._server()))
        hint = ("is the PBX API enabled (web interface, API settings)? Is %s the API port (9011 on the device)? "
                % self.port)
        if self.use_ssl:
            hint += "use_ssl=true needs a TLS proxy listening there. "
        return ("%s: connection to %s refused, so nothing was sent: %sThe API must also allow this controller's "
                "address." % (endpoint, self._server(), hint))

    def _tls_message(self, endpoint, exc):
        text = redact(exc)
        if "CERTIFICATE_VERIFY_FAILED" in text or "certificate verify failed" in text:
            reason = verify_failure(text)
            trusted = ("the CA in ca_path %s" % self.ca_path) if self.ca_path else "the system's CA bundle"
            return ("%s: the TLS certificate of %s is not trusted (%s; checked against %s), so nothing was sent. "
                    "If the TLS proxy in front of the PBX uses a private CA or a self-signed certificate, set "
                    "ca_path (or UCPBX_CA_PATH) to that CA's certificate in PEM format; validate_certs=false turns "
                    "the check off and lets anyone on the network path impersonate the PBX"
                    % (endpoint, self._server(), reason, trusted))
        return ("%s: TLS handshake with %s failed (%s), so nothing was sent: with use_ssl=true, port %s must be a "
                "TLS proxy in front of the PBX (the device itself serves plain HTTP on 9011)"
                % (endpoint, self._server(), text, self.port))
