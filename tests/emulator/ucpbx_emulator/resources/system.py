"""deviceinfo/query."""

from ..registry import Endpoint


def query_deviceinfo(call):
    emulator = call.emulator
    state = emulator.state
    return {"deviceinfo": state.deviceinfo.render(emulator.clock.wall(), len(state.extensions))}


ENDPOINTS = (
    Endpoint("deviceinfo/query", query_deviceinfo, get_allowed=True),
)
