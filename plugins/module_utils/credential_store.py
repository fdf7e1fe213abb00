# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the PBX client keeps between tasks on this host: the token cache, the memory of refused logins
and the lock that serialises logins, with the fingerprints that key them and the messages of a refusal."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import contextlib
import fcntl
import hashlib
import json
import os
import tempfile

from ansible_collections.openvox.ucpbx.plugins.module_utils.errors import PbxLoginError, describe_errno

# The PBX erases a token after 30 idle minutes; stop reusing it a little earlier so a
# cached token is never sent just as it dies.
TOKEN_IDLE_SECONDS = 1800
TOKEN_SAFETY_MARGIN = 120
# Five failed logins lock the client address for ten minutes.
LOCKOUT_SECONDS = 600


def md5_hex(text):
    return hashlib.md5(text.encode("utf-8")).hexdigest()


def sha256_hex(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def default_cache_dir():
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "openvox.ucpbx")


def login_keys(username, password_md5, login_body):
    """(credentials, fingerprint): the key of the refusal memory and the key of cached tokens.

    The refusal memory is keyed by the credentials alone: a wrong password is wrong whatever report fields
    ride along, and the PBX counts every failed login of this address towards its lockout. Without report
    fields it is the digest the token fingerprint gives, so refusals remembered before stay in force.
    Tokens are keyed by the whole login body: a token obtained without the report fields never registered
    a receiver, so a report login must not reuse it (nor a plain login a report one).
    """
    credentials = json.dumps(sorted({"username": username, "password": password_md5}.items()))
    return sha256_hex(credentials), sha256_hex(json.dumps(sorted(login_body.items())))


class CredentialStore:
    """Token cache and failed-login memory shared by every task and fork on this host.

    One lock file per PBX serialises logins, so parallel forks log in once, not once each.
    Files are created 0600 because a token grants the same access as the password.
    """

    def __init__(self, directory, pbx_key, user_key, guard_directory=None):
        self.directory = directory
        self.guard_directory = guard_directory or directory
        self.pbx_key = pbx_key
        self.token_path = os.path.join(directory, "%s-%s.token.json" % (pbx_key, user_key))
        self.guard_path = os.path.join(self.guard_directory, "%s.logins.json" % pbx_key)
        self.lock_path = os.path.join(directory, "%s.lock" % pbx_key)

    @contextlib.contextmanager
    def locked(self):
        # Parallel forks on a fresh machine create the directories at the same moment.
        for directory in set((self.directory, self.guard_directory)):
            os.makedirs(directory, mode=0o700, exist_ok=True)
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
        # Written beside its final name: a rename is atomic only within one file system.
        fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".tmp-")
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
        """Return (errno, seconds left) of a refusal still in force for these credentials, or None."""
        guard = self._read(self.guard_path)
        locked_until = float(guard.get("locked_until", 0))
        if now < locked_until:
            return "20002", locked_until - now
        failed = guard.get("failed", {}).get(fingerprint)
        if failed and now - float(failed) < LOCKOUT_SECONDS:
            return "20003", LOCKOUT_SECONDS - (now - float(failed))
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

    def not_attempted(self, base_url, username, refused):
        """The error for a login this memory holds back: `refused` is what refused_login() returned."""
        errno, seconds_left = refused
        minutes = max(1, int(round(seconds_left / 60.0)))
        if errno == "20002":
            why = ("the PBX answered errno 20002 (%s) less than %d minutes ago, so no login is tried from here "
                   "for about %d more minute(s)" % (describe_errno(errno), LOCKOUT_SECONDS // 60, minutes))
        else:
            why = ("the same credentials were refused (errno 20003, %s) less than %d minutes ago; the PBX locks "
                   "the client address after 5 failed logins, so they are not tried again for about %d more "
                   "minute(s): fix the username/password" % (describe_errno(errno), LOCKOUT_SECONDS // 60, minutes))
        return PbxLoginError(
            "login to %s as %r not attempted: %s (memory of refused logins: %s)"
            % (base_url, username, why, self.guard_path),
            endpoint="login", errno=errno)

    def refused(self, base_url, username, errno):
        """The error for a login the PBX has just refused (errno 20002 or 20003), once remembered."""
        if errno == "20002":
            consequence = ("the PBX has locked this controller's address after repeated failed logins and refuses "
                           "every login from it for up to %d minutes; check the username/password before the "
                           "lock ends" % (LOCKOUT_SECONDS // 60))
        else:
            consequence = ("fix the username/password; the PBX locks the client address after 5 failed logins")
        return PbxLoginError(
            "login to %s as %r refused: errno %s (%s); %s. Runs that share the memory of refused logins "
            "(%s) will not try a login %sfor %d minutes; a run that does not share it (for example a fresh "
            "container without state_dir on a persistent path) would try again"
            % (base_url, username, errno, describe_errno(errno), consequence, self.guard_path,
               "" if errno == "20002" else "with these credentials ", LOCKOUT_SECONDS // 60),
            endpoint="login", errno=errno)
