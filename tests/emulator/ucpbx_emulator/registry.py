"""The table of API endpoints: name → handler, plus the two facts the request pipeline
needs before calling it (does it need a token, may it be fetched with a body-less GET).

A resource module declares its endpoints above their handlers in its ``ENDPOINTS``;
listing the module in ``resources`` is all it takes to serve them.
"""

from dataclasses import dataclass
from typing import Any, Callable, Optional

from .errors import MISSING_PARAMETER, UNKNOWN_ENDPOINT, ApiError


@dataclass(frozen=True)
class Endpoint:
    name: str
    handler: Callable[["Call"], Optional[dict]]
    token_required: bool = True
    # Body-less queries: production clients fetch these with GET and the device obliges.
    get_allowed: bool = False


class Endpoints(list):
    """A resource module's endpoints: ``@ENDPOINTS("extension/add")`` above a handler."""

    def __call__(self, *names, token_required=True, get_allowed=False):
        def register(handler):
            self.extend(Endpoint(name, handler, token_required, get_allowed) for name in names)
            return handler
        return register

    def query(self, *names):
        """Body-less queries, which clients may fetch with GET."""
        return self(*names, get_allowed=True)

    def switch(self, on, off):
        """Two endpoints that set and clear one flag, for a handler taking ``(call, flag)``."""
        def register(handler):
            self(on)(lambda call: handler(call, True))
            self(off)(lambda call: handler(call, False))
            return handler
        return register

    # Endpoints that only hand the request to a table of the state (``state.<table>``).

    def selects(self, name, table, selector, answer, render=dict):
        """``name`` answers ``{answer: [render(record), ...]}`` for the records the body's
        ``selector`` names."""
        def handler(call):
            records = getattr(call.emulator.state, table).select(require(call.body, selector))
            return {answer: [render(record) for record in records]}
        self(name)(handler)

    def writes(self, name, table, method):
        """``name`` hands the body and the state to the table's ``method`` (add, update)."""
        def handler(call):
            state = call.emulator.state
            getattr(getattr(state, table), method)(call.body, state)
        self(name)(handler)

    def deletes(self, name, table, selector):
        """``name`` deletes the records the body's ``selector`` names."""
        def handler(call):
            getattr(call.emulator.state, table).delete(require(call.body, selector))
        self(name)(handler)


@dataclass
class Call:
    """What a handler gets: the emulator (state, settings, clock...) and the request."""

    emulator: Any
    body: dict
    token: Optional[str]
    remote: str


class Registry:
    def __init__(self, endpoints=()):
        self._endpoints = {}
        for endpoint in endpoints:
            self.add(endpoint)

    def add(self, endpoint):
        if endpoint.name in self._endpoints:
            raise ValueError(f"endpoint {endpoint.name} registered twice")
        self._endpoints[endpoint.name] = endpoint

    def get(self, name):
        endpoint = self._endpoints.get(name)
        if endpoint is None:
            raise ApiError(UNKNOWN_ENDPOINT)
        return endpoint

    def names(self):
        return sorted(self._endpoints)


def require(body, *names):
    """The values of required keys; a missing or empty one answers 10004."""
    values = []
    for name in names:
        value = body.get(name, "")
        if value == "":
            raise ApiError(MISSING_PARAMETER)
        values.append(value)
    return values[0] if len(values) == 1 else values


def split_list(value):
    """Selectors travel as comma-joined strings ("101,102"), never as arrays."""
    return [item.strip() for item in value.split(",") if item.strip()]
