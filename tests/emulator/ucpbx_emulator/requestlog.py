"""The log of API requests that tests read through ``GET /_emulator/requests``.

Secrets are masked so a test can assert on a log without the log becoming a leak, and
the token itself is never kept (only whether one was sent).
"""

SECRET_KEYS = frozenset(
    ("password", "registerpassword", "loginpassword", "vmsecret", "secret", "token",
     "participantepassword", "moderatorpassword"))
MASK = "********"


def mask_secrets(body):
    if body is None:
        return None
    return {key: MASK if key in SECRET_KEYS else value for key, value in body.items()}


class RequestLog:
    def __init__(self, clock):
        self.clock = clock
        self.entries = []
        # Sequence numbers keep counting across clears, so ?since= never goes backwards.
        self.last_seq = 0

    def open(self, *, method, path, base, endpoint, fmt, remote, token_present, body):
        """Record a request as it arrives; the outcome is filled in by :meth:`close`.

        Entries are created up front so that requests cut short by a fault still show.
        """
        self.last_seq += 1
        entry = {
            "seq": self.last_seq,
            "time": self.clock.wall(),
            "method": method,
            "path": path,
            "base": base,
            "endpoint": endpoint,
            "type": fmt,
            "remote": remote,
            "token_present": token_present,
            "body": mask_secrets(body),
            "status": None,
            "errno": None,
            "fault": None,
        }
        self.entries.append(entry)
        return entry

    @staticmethod
    def close(entry, payload):
        entry["status"] = payload.get("status")
        entry["errno"] = payload.get("errno")

    def since(self, seq=0):
        return [entry for entry in self.entries if entry["seq"] > seq]

    def clear(self):
        self.entries.clear()
