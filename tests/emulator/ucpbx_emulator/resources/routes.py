"""inroute/query|add|update|delete (OpenVox UC API: Inbound Route) and outroute/query|add|update|delete (Outbound Route).

Keys: ``name`` everywhere for inbound routes; ``name`` for outbound routes except in
update, which takes ``id``. Yeastar-only keys (``trunks`` on inbound routes, ``strip``,
``extensions``, ``extensionsgroup`` on outbound routes) are ignored.
"""

from ..registry import Endpoint, require
from ..route_model import render_inroute


def query_inbound(call):
    records = call.emulator.state.inbound_routes.select(require(call.body, "name"))
    return {"inroutes": [render_inroute(record) for record in records]}


def add_inbound(call):
    state = call.emulator.state
    state.inbound_routes.add(call.body, state)


def update_inbound(call):
    state = call.emulator.state
    state.inbound_routes.update(call.body, state)


def delete_inbound(call):
    call.emulator.state.inbound_routes.delete(require(call.body, "name"))


def query_outbound(call):
    records = call.emulator.state.outbound_routes.select(require(call.body, "name"))
    return {"outroutes": [dict(record) for record in records]}


def add_outbound(call):
    state = call.emulator.state
    state.outbound_routes.add(call.body, state.trunks.names())


def update_outbound(call):
    state = call.emulator.state
    state.outbound_routes.update(call.body, state.trunks.names())


def delete_outbound(call):
    call.emulator.state.outbound_routes.delete(require(call.body, "name"))


ENDPOINTS = (
    Endpoint("inroute/query", query_inbound),
    Endpoint("inroute/add", add_inbound),
    Endpoint("inroute/update", update_inbound),
    Endpoint("inroute/delete", delete_inbound),
    Endpoint("outroute/query", query_outbound),
    Endpoint("outroute/add", add_outbound),
    Endpoint("outroute/update", update_outbound),
    Endpoint("outroute/delete", delete_outbound),
)
