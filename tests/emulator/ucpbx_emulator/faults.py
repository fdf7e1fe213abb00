"""Injected failures: dropped connections, HTTP 500s, delays, held requests and API errors.

Two ways to ask for them: a count ("the next N matching requests") or a probability
with its own seeded RNG, so a flaky-network run can be replayed exactly.
"""

import asyncio
import random
from dataclasses import dataclass, field
from typing import Optional

from .errors import APPLY_TOO_OFTEN

# reset:       drop the connection before doing anything (the request had no effect)
# reset_after: do the request, then drop the connection (applied, but the client can't know)
# http500:     answer HTTP 500 without doing anything
# delay:       wait, then do the request and answer normally
# delay_after: do the request, then wait before answering (applied at once, answered late)
# errno:       answer {"status":"Failed","errno":...} without doing anything
# hold:        keep the request until the next request to the same endpoint arrives (at most
#              delay_ms), then do it ahead of that one: a write that lands after its client gave
#              up, ordered by events rather than by timing
KINDS = ("reset", "reset_after", "http500", "delay", "delay_after", "errno", "hold")
DEFAULT_DELAY_MS = 1000
DEFAULT_HOLD_MS = 30000


class FaultSpecError(ValueError):
    """A ``POST /_emulator/faults`` body that does not describe a fault."""


@dataclass(frozen=True)
class Fault:
    kind: str
    errno: Optional[str] = None
    delay_ms: int = 0


@dataclass
class CountedRule:
    fault: Fault
    endpoint: Optional[str]
    remaining: int


@dataclass
class RandomRule:
    faults: tuple
    endpoint: Optional[str]
    probability: float
    rng: random.Random


def _matches(rule_endpoint, endpoint):
    return rule_endpoint is None or rule_endpoint == endpoint


def _make_fault(kind, errno=None, delay_ms=None):
    """Build a fault; ``kind`` may carry its argument after a colon (``errno:10025``)."""
    kind, _separator, argument = str(kind).partition(":")
    if kind not in KINDS:
        raise FaultSpecError(f"unknown fault kind {kind!r}; expected one of {KINDS}")
    if kind == "errno":
        errno = str(argument or errno or APPLY_TOO_OFTEN)
        if not errno.isdigit():
            raise FaultSpecError(f"errno must be digits, got {errno!r}")
        return Fault(kind, errno=errno)
    if kind in ("delay", "delay_after", "hold"):
        default = DEFAULT_HOLD_MS if kind == "hold" else DEFAULT_DELAY_MS
        value = argument or (default if delay_ms is None else delay_ms)
        try:
            return Fault(kind, delay_ms=max(0, int(value)))
        except (TypeError, ValueError) as exc:
            raise FaultSpecError(f"delay_ms must be a whole number, got {value!r}") from exc
    return Fault(kind)


def _endpoint_filter(spec):
    endpoint = spec.get("endpoint")
    if endpoint is None:
        return None
    if not isinstance(endpoint, str) or not endpoint.strip("/"):
        raise FaultSpecError("endpoint must be a non-empty string such as 'extension/add'")
    return endpoint.strip("/")


class FaultPlan:
    def __init__(self):
        self.counted = []
        self.random_rules = []

    def add(self, spec):
        if not isinstance(spec, dict):
            raise FaultSpecError("fault spec must be a JSON object")
        endpoint = _endpoint_filter(spec)
        if "probability" in spec:
            self.random_rules.append(self._random_rule(spec, endpoint))
        elif "count" in spec:
            self.counted.append(self._counted_rule(spec, endpoint))
        else:
            raise FaultSpecError("fault spec needs either 'count' or 'probability'")

    @staticmethod
    def _counted_rule(spec, endpoint):
        count = spec["count"]
        if not isinstance(count, int) or isinstance(count, bool) or count < 1:
            raise FaultSpecError("count must be a positive integer")
        if "kind" not in spec:
            raise FaultSpecError("a counted fault needs 'kind'")
        fault = _make_fault(spec["kind"], spec.get("errno"), spec.get("delay_ms"))
        return CountedRule(fault, endpoint, count)

    @staticmethod
    def _random_rule(spec, endpoint):
        probability = spec["probability"]
        if not isinstance(probability, (int, float)) or not 0 <= probability <= 1:
            raise FaultSpecError("probability must be a number between 0 and 1")
        kinds = spec.get("kinds") or [spec.get("kind", "reset")]
        if not isinstance(kinds, list):
            raise FaultSpecError("kinds must be a list")
        faults = tuple(_make_fault(kind, spec.get("errno"), spec.get("delay_ms"))
                       for kind in kinds)
        return RandomRule(faults, endpoint, float(probability),
                          random.Random(spec.get("seed", 0)))

    def pick(self, endpoint):
        """The fault for this request, if any. Counted faults go first, oldest first."""
        for rule in self.counted:
            if _matches(rule.endpoint, endpoint):
                rule.remaining -= 1
                if rule.remaining == 0:
                    self.counted.remove(rule)
                return rule.fault
        for rule in self.random_rules:
            if _matches(rule.endpoint, endpoint) and rule.rng.random() < rule.probability:
                return rule.rng.choice(rule.faults)
        return None

    def clear(self):
        self.counted.clear()
        self.random_rules.clear()

    def describe(self):
        return {
            "counted": [{"kind": r.fault.kind, "endpoint": r.endpoint, "remaining": r.remaining}
                        for r in self.counted],
            "random": [{"kinds": [f.kind for f in r.faults], "endpoint": r.endpoint,
                        "probability": r.probability} for r in self.random_rules],
        }


@dataclass(eq=False)
class Held:
    release: asyncio.Event = field(default_factory=asyncio.Event)
    done: asyncio.Event = field(default_factory=asyncio.Event)
    dropped: bool = False


class HeldRequests:
    """Requests kept back by a ``hold`` fault, per endpoint.

    The next request to the same endpoint releases them and waits until they are done, so the
    held one is always applied first however slowly either client runs.
    """

    def __init__(self):
        self._waiting = {}
        self._running = {}

    async def hold(self, entry, seconds):
        """Wait for a release (or ``seconds``); False when a reset dropped the request."""
        held = Held()
        self._running[id(entry)] = held
        waiting = self._waiting.setdefault(entry["endpoint"], [])
        waiting.append(held)
        try:
            await asyncio.wait_for(held.release.wait(), seconds)
        except asyncio.TimeoutError:
            pass
        finally:
            if held in waiting:
                waiting.remove(held)
        return not held.dropped

    async def release(self, endpoint):
        for held in self._waiting.pop(endpoint, []):
            held.release.set()
            await held.done.wait()

    def finished(self, entry):
        held = self._running.pop(id(entry), None)
        if held is not None:
            held.done.set()

    def drop_all(self):
        """A reset: held requests end without being applied."""
        for waiting in self._waiting.values():
            for held in waiting:
                held.dropped = True
                held.release.set()
        self._waiting.clear()
