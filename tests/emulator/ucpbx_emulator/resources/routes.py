"""inroute/query|add|update|delete (OpenVox UC API: Inbound Route) and outroute/query|add|update|delete (Outbound Route).

Keys: ``name`` everywhere for inbound routes; ``name`` for outbound routes except in
update, which takes ``id``. Yeastar-only keys (``trunks`` on inbound routes, ``strip``,
``extensions``, ``extensionsgroup`` on outbound routes) are ignored.
"""

from ..registry import Endpoints
from ..route_model import render_inroute

ENDPOINTS = Endpoints()
ENDPOINTS.selects("inroute/query", "inbound_routes", "name", "inroutes", render=render_inroute)
ENDPOINTS.writes("inroute/add", "inbound_routes", "add")
ENDPOINTS.writes("inroute/update", "inbound_routes", "update")
ENDPOINTS.deletes("inroute/delete", "inbound_routes", "name")
ENDPOINTS.selects("outroute/query", "outbound_routes", "name", "outroutes")
ENDPOINTS.writes("outroute/add", "outbound_routes", "add")
ENDPOINTS.writes("outroute/update", "outbound_routes", "update")
ENDPOINTS.deletes("outroute/delete", "outbound_routes", "name")
