"""deviceinfo/query."""

from ..registry import Endpoints

ENDPOINTS = Endpoints()


@ENDPOINTS.query("deviceinfo/query")
def query_deviceinfo(call):
    emulator = call.emulator
    state = emulator.state
    return {"deviceinfo": state.deviceinfo.render(emulator.clock.wall(), len(state.extensions))}
