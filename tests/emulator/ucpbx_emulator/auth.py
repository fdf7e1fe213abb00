"""Tokens (sliding idle expiry) and the per-IP login lockout."""

import secrets

from .errors import NO_SUCH_TOKEN, TOKEN_MISSING, TOKEN_TIMED_OUT, ApiError


class TokenStore:
    """Issued tokens and when each was last used, on the emulator clock."""

    def __init__(self, clock, settings):
        self.clock = clock
        self.settings = settings
        self.last_used = {}
        # Only filled when expired tokens answer 20006: the device would need to
        # remember a timed-out token to tell it apart from one it never issued.
        self.timed_out = set()

    def issue(self):
        if self.settings.single_token:
            self.last_used.clear()
        token = secrets.token_hex(16)
        self.last_used[token] = self.clock.now()
        return token

    def authenticate(self, token):
        """Accept a live token and restart its idle period, or raise the device's errno."""
        if not token:
            raise ApiError(TOKEN_MISSING)
        if token in self.timed_out:
            raise ApiError(TOKEN_TIMED_OUT)
        last = self.last_used.get(token)
        if last is None:
            raise ApiError(NO_SUCH_TOKEN)
        now = self.clock.now()
        if now - last >= self.settings.token_idle_seconds:
            self._expire(token)
        self.last_used[token] = now

    def is_alive(self, token):
        """Whether a token would still be accepted (without touching its idle timer)."""
        last = self.last_used.get(token)
        return last is not None and self.clock.now() - last < self.settings.token_idle_seconds

    def touch(self, token):
        if self.is_alive(token):
            self.last_used[token] = self.clock.now()

    def _expire(self, token):
        del self.last_used[token]
        errno = str(self.settings.expired_token_errno)
        if errno == TOKEN_TIMED_OUT:
            self.timed_out.add(token)
        raise ApiError(errno)

    def revoke(self, token):
        self.last_used.pop(token, None)

    def clear(self):
        self.last_used.clear()
        self.timed_out.clear()


class LoginGuard:
    """Counts consecutive failed logins per caller IP and locks the IP at the threshold."""

    def __init__(self, clock, settings):
        self.clock = clock
        self.settings = settings
        self.failures = {}
        self.locked_until = {}

    def is_locked(self, ip):
        until = self.locked_until.get(ip)
        if until is None:
            return False
        if self.clock.now() < until:
            return True
        # The lock has run out: the IP starts again with a clean slate.
        del self.locked_until[ip]
        self.failures.pop(ip, None)
        return False

    def record_failure(self, ip):
        threshold = self.settings.lockout_threshold
        count = self.failures.get(ip, 0) + 1
        self.failures[ip] = count
        if threshold > 0 and count >= threshold:
            self.locked_until[ip] = self.clock.now() + self.settings.lockout_seconds
            self.failures[ip] = 0

    def record_success(self, ip):
        self.failures.pop(ip, None)

    def clear(self):
        self.failures.clear()
        self.locked_until.clear()
