"""The emulator's own clock: real time plus an offset that tests can advance.

Token idle expiry and login lockout windows are measured on this clock, so a test can
jump 30 minutes ahead instead of waiting.
"""

import time


class Clock:
    def __init__(self):
        self.offset = 0.0

    def now(self):
        """Monotonic seconds, for measuring durations (expiry, lockout)."""
        return time.monotonic() + self.offset

    def wall(self):
        """Epoch seconds, for what the device reports as its system time."""
        return time.time() + self.offset

    def advance(self, seconds):
        self.offset += float(seconds)

    def reset(self):
        self.offset = 0.0
