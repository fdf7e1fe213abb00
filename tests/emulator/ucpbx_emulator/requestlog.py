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
        # Named steps of a test ({name, after}): the requests after `after` up to the next
        # step belong to it, so a test reads the log by step name instead of counting requests.
        self.steps = []

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

    def mark(self, name):
        """Start step `name` (unique until the log is cleared): the requests from now on are its own."""
        if any(step["name"] == name for step in self.steps):
            raise ValueError(f"step {name!r} is already marked")
        step = {"name": name, "after": self.last_seq}
        self.steps.append(step)
        return step

    def of_step(self, name):
        """The requests of step `name`: after its mark, up to the next step's mark."""
        for index, step in enumerate(self.steps):
            if step["name"] == name:
                end = self.steps[index + 1]["after"] if index + 1 < len(self.steps) else self.last_seq
                return [entry for entry in self.since(step["after"]) if entry["seq"] <= end]
        raise KeyError(name)

    def clear(self):
        self.entries.clear()
        self.steps.clear()
