"""API resources. Each module lists its endpoints in ``ENDPOINTS``."""

from ..registry import Registry
from . import extensions, features, routes, session, system, trunks

MODULES = (session, system, extensions, trunks, routes, features)


def build_registry():
    return Registry(endpoint for module in MODULES for endpoint in module.ENDPOINTS)
