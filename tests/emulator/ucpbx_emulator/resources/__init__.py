"""API resources. Each module lists its endpoints in ``ENDPOINTS``."""

from ..registry import Registry
from . import extensions, session, system, trunks

MODULES = (session, system, extensions, trunks)


def build_registry():
    return Registry(endpoint for module in MODULES for endpoint in module.ENDPOINTS)
