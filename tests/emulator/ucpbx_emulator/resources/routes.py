"""inroute/query|add|update|delete (OpenVox UC API: Inbound Route) and outroute/query|add|update|delete (Outbound Route).

Keys: ``name`` everywhere for inbound routes; ``name`` for outbound routes except in
update, which takes ``id``. Yeastar-only keys (``trunks`` on inbound routes, ``strip``,
``extensions``, ``extensionsgroup`` on outbound routes) are ignored.
"""

from ..registry import Endpoints, require
from ..route_model import render_inroute

ENDPOINTS = Endpoints()


@ENDPOINTS("inroute/query")
def query_inbound(call):
    records = call.emulator.state.inbound_routes.select(require(call.body, "name"))
    return {"inroutes": [render_inroute(record) for record in records]}


@ENDPOINTS("inroute/add")
def add_inbound(call):
    state = call.emulator.state
    state.inbound_routes.add(call.body, state)


@ENDPOINTS("inroute/update")
def update_inbound(call):
    state = call.emulator.state
    state.inbound_routes.update(call.body, state)


@ENDPOINTS("inroute/delete")
def delete_inbound(call):
    call.emulator.state.inbound_routes.delete(require(call.body, "name"))


@ENDPOINTS("outroute/query")
def query_outbound(call):
    records = call.emulator.state.outbound_routes.select(require(call.body, "name"))
    return {"outroutes": [dict(record) for record in records]}


@ENDPOINTS("outroute/add")
def add_outbound(call):
    state = call.emulator.state
    state.outbound_routes.add(call.body, state.trunks.names())


@ENDPOINTS("outroute/update")
def update_outbound(call):
    state = call.emulator.state
    state.outbound_routes.update(call.body, state.trunks.names())


@ENDPOINTS("outroute/delete")
def delete_outbound(call):
    call.emulator.state.outbound_routes.delete(require(call.body, "name"))
