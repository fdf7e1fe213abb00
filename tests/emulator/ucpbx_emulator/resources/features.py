"""Queue settings, IVRs, conference rooms and paging groups (OpenVox UC API: Queues,
IVR, Conference, Paging Group).

Queues, IVRs and rooms are made in the device's web UI: the API only queries and
updates them. Paging groups can also be added and deleted.
"""

from ..feature_model import render_paging_list_entry
from ..registry import Endpoints, require

ENDPOINTS = Endpoints()


def _extensions(call):
    return call.emulator.state.extensions.records


# -- queues ----------------------------------------------------------------------------

@ENDPOINTS.query("queue/query")
def query_queues(call):
    queues = call.emulator.state.queues
    selector = call.body.get("queueid", "")
    # Leaving queueid out (or an empty body) asks for every queue.
    records = queues.select(selector, allow_all=False) if selector else queues.sorted_records()
    return {"queues": [dict(record) for record in records]}


@ENDPOINTS("queue/update")
def update_queue(call):
    call.emulator.state.queues.update(require(call.body, "queueid"), call.body, _extensions(call))


# -- IVRs ------------------------------------------------------------------------------

@ENDPOINTS.query("ivr/query")
def query_ivrs(call):
    ivrs = call.emulator.state.ivrs
    # OpenVox documents "name"; Yeastar v1.1.0 calls the same selector "ivrid".
    selector = call.body.get("name", "") or call.body.get("ivrid", "")
    records = ivrs.select_by_number_or_name(selector) if selector else ivrs.sorted_records()
    return {"ivr": [dict(record) for record in records]}


@ENDPOINTS("ivr/update")
def update_ivr(call):
    call.emulator.state.ivrs.update(require(call.body, "ivrid"), call.body, _extensions(call))


# -- conference rooms --------------------------------------------------------------------

ENDPOINTS.selects("conference/query", "conferences", "number", "conferences")


@ENDPOINTS("conference/update")
def update_conference(call):
    call.emulator.state.conferences.update(require(call.body, "number"), call.body,
                                           _extensions(call))


# -- paging groups -----------------------------------------------------------------------

# The docs spell the list endpoint three ways (Paging Group: Query list).
@ENDPOINTS.query("paginggroup/lists", "paginggrouplist/lists", "paginggrouplist/query")
def list_paging_groups(call):
    records = call.emulator.state.paging_groups.sorted_records()
    return {"paginggrouplist": [render_paging_list_entry(record) for record in records]}


ENDPOINTS.selects("paginggroup/query", "paging_groups", "number", "paginggroup")
ENDPOINTS.writes("paginggroup/add", "paging_groups", "add")


@ENDPOINTS("paginggroup/update")
def update_paging_group(call):
    number, _unused = require(call.body, "number", "type")
    call.emulator.state.paging_groups.update(number, call.body, _extensions(call))


ENDPOINTS.deletes("paginggroup/delete", "paging_groups", "number")
