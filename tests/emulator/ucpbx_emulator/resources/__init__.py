"""API resources. Each module declares its endpoints in ``ENDPOINTS`` (``registry.Endpoints``)."""

from ..registry import Registry
from . import calls, extensions, features, files, hotel, live_features, routes, session, system, trunks

MODULES = (session, system, extensions, trunks, routes, features, calls, live_features, files, hotel)


def build_registry():
    return Registry(endpoint for module in MODULES for endpoint in module.ENDPOINTS)
