"""extensionlist/query and extension/query|add|update|delete.

Keys differ by verb, as on the device: ``extid`` selects for query/update, ``number``
for add/delete, and ``extnumber`` renumbers in update.
"""

from .. import extension_model as model
from ..errors import EXTENSION_CONFIG_FAILED, ApiError
from ..registry import Endpoints, require, split_list

ENDPOINTS = Endpoints()


def _shown(call, record):
    """The record with the status a live call gives it (Ringing, Busy, Hold)."""
    status = call.emulator.calls.effective_status(record["number"])
    return record if status == record["status"] else {**record, "status": status}


@ENDPOINTS.query("extensionlist/query")
def query_list(call):
    records = call.emulator.state.extensions.sorted_records()
    return {"extlist": [model.render_list_entry(_shown(call, record)) for record in records]}


@ENDPOINTS.query("extension/query")
def query_settings(call):
    table = call.emulator.state.extensions
    selector = call.body.get("extid", "")
    # Leaving extid out is how a client asks for every extension.
    records = table.select(selector, allow_all=False) if split_list(selector) else table.sorted_records()
    live = call.emulator.calls
    # An extension in a call also carries the call's inbound/outbound/ext object.
    return {"extinfos": [{**model.render_settings(_shown(call, record)),
                          **live.live_object(record["number"])} for record in records]}


@ENDPOINTS("extension/add")
def add(call):
    number = require(call.body, "number")
    emulator = call.emulator
    emulator.state.extensions.add(
        number, model.pick_settable(call.body), emulator.rng,
        emulator.state.deviceinfo.capacity)


@ENDPOINTS("extension/update")
def update(call):
    extid = require(call.body, "extid")
    state = call.emulator.state
    new_number = call.body.get("extnumber")
    if new_number not in (None, extid) and state.extension_in_use(extid):
        # Renumbering would leave a route, queue or paging group pointing at nothing.
        raise ApiError(EXTENSION_CONFIG_FAILED)
    state.extensions.update(extid, model.pick_settable(call.body), new_number)
    call.emulator.calls.forget_extensions(state.extensions.records)


@ENDPOINTS("extension/delete")
def delete(call):
    state = call.emulator.state
    state.extensions.delete(require(call.body, "number"), allow_all=False,
                            in_use=lambda record: state.extension_in_use(record["number"]))
    call.emulator.calls.forget_extensions(state.extensions.records)
