"""Queue settings, IVRs, conference rooms and paging groups (OpenVox UC API: Queues,
IVR, Conference, Paging Group).

Queues, IVRs and rooms are made in the device's web UI: the API only queries and
updates them. Paging groups can also be added and deleted.
"""

from ..feature_model import render_paging_list_entry
from ..registry import Endpoint, require


def _extensions(call):
    return call.emulator.state.extensions.records


# -- queues ----------------------------------------------------------------------------

def query_queues(call):
    queues = call.emulator.state.queues
    selector = call.body.get("queueid", "")
    # Leaving queueid out (or an empty body) asks for every queue.
    records = queues.select(selector, allow_all=False) if selector else queues.sorted_records()
    return {"queues": [dict(record) for record in records]}


def update_queue(call):
    call.emulator.state.queues.update(require(call.body, "queueid"), call.body, _extensions(call))


# -- IVRs ------------------------------------------------------------------------------

def query_ivrs(call):
    ivrs = call.emulator.state.ivrs
    # OpenVox documents "name"; Yeastar v1.1.0 calls the same selector "ivrid".
    selector = call.body.get("name", "") or call.body.get("ivrid", "")
    records = ivrs.select_by_number_or_name(selector) if selector else ivrs.sorted_records()
    return {"ivr": [dict(record) for record in records]}


def update_ivr(call):
    call.emulator.state.ivrs.update(require(call.body, "ivrid"), call.body, _extensions(call))


# -- conference rooms --------------------------------------------------------------------

def query_conferences(call):
    records = call.emulator.state.conferences.select(require(call.body, "number"))
    return {"conferences": [dict(record) for record in records]}


def update_conference(call):
    call.emulator.state.conferences.update(require(call.body, "number"), call.body,
                                           _extensions(call))


# -- paging groups -----------------------------------------------------------------------

def list_paging_groups(call):
    records = call.emulator.state.paging_groups.sorted_records()
    return {"paginggrouplist": [render_paging_list_entry(record) for record in records]}


def query_paging_groups(call):
    records = call.emulator.state.paging_groups.select(require(call.body, "number"))
    return {"paginggroup": [dict(record) for record in records]}


def add_paging_group(call):
    call.emulator.state.paging_groups.add(call.body, _extensions(call))


def update_paging_group(call):
    number, _unused = require(call.body, "number", "type")
    call.emulator.state.paging_groups.update(number, call.body, _extensions(call))


def delete_paging_group(call):
    call.emulator.state.paging_groups.delete(require(call.body, "number"))


ENDPOINTS = (
    Endpoint("queue/query", query_queues, get_allowed=True),
    Endpoint("queue/update", update_queue),
    Endpoint("ivr/query", query_ivrs, get_allowed=True),
    Endpoint("ivr/update", update_ivr),
    Endpoint("conference/query", query_conferences),
    Endpoint("conference/update", update_conference),
    # The docs spell the list endpoint three ways (Paging Group: Query list).
    Endpoint("paginggroup/lists", list_paging_groups, get_allowed=True),
    Endpoint("paginggrouplist/lists", list_paging_groups, get_allowed=True),
    Endpoint("paginggrouplist/query", list_paging_groups, get_allowed=True),
    Endpoint("paginggroup/query", query_paging_groups),
    Endpoint("paginggroup/add", add_paging_group),
    Endpoint("paginggroup/update", update_paging_group),
    Endpoint("paginggroup/delete", delete_paging_group),
)
