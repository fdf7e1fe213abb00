"""trunklist/query. The emulator has no trunks yet, so the list is always empty;
what matters today is the top-level key, which the docs give two ways."""

from ..registry import Endpoint


def query_list(call):
    return {call.emulator.settings.trunk_list_key: []}


ENDPOINTS = (
    Endpoint("trunklist/query", query_list, get_allowed=True),
)
