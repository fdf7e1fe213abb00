"""Voicemail, recording and CDR files (OpenVox UC API: Voicemails, Download Recording
Files, Download CDR Files).

The ``*/get_random`` endpoints are ordinary API endpoints; the ``*/download`` links are
plain GETs served by :func:`download`, which the HTTP layer calls with the query string.
"""

from .. import files as store
from ..errors import MISSING_PARAMETER, NO_SUCH_EXTENSION, ApiError
from ..records import number_order
from ..registry import Endpoints, require, split_list

ENDPOINTS = Endpoints()


def _files(call):
    return call.emulator.files


def _extension(emulator, number):
    if number not in emulator.state.extensions.records:
        raise ApiError(NO_SUCH_EXTENSION)


def _status(value, allowed):
    if value not in allowed:
        raise ApiError(store.VOICEMAIL_STATUS_INVALID)
    return value


# -- voicemail --------------------------------------------------------------------------------

@ENDPOINTS.query("voicemail/query")
def query_voicemail(call):
    emulator = call.emulator
    selector = call.body.get("extid", "")
    records = emulator.state.extensions.records
    numbers = split_list(selector) if selector else list(_files(call).voicemails)
    for number in numbers:
        _extension(emulator, number)
    listed = []
    for number in sorted(set(numbers), key=number_order):
        box = _files(call).voicemails.get(number, [])
        if box and number in records:
            listed.append({"extid": number, "voicemail": [
                {key: message[key] for key in ("voicemailfile", "messagefrom", "voicemaildate",
                                               "voicemaillength", "voicemailstatus")}
                for message in box]})
    # An extension without messages yields the bare status (Query Voicemail Files).
    return {"voicemails": listed} if listed else None


@ENDPOINTS("voicemail/delete")
def delete_voicemail(call):
    extid, name = require(call.body, "extid", "voicemailfile")
    _extension(call.emulator, extid)
    status = _status(call.body.get("voicemailstatus", "all") or "all", ("read", "unread", "all"))
    _files(call).delete_voicemails(extid, name, status)


@ENDPOINTS("voicemail/get_random")
def voicemail_random(call):
    extid, name = require(call.body, "extid", "voicemailfile")
    _extension(call.emulator, extid)
    status = call.body.get("voicemailstatus") or None
    if status is not None:
        _status(status, store.VOICEMAIL_STATUSES)
    message = _files(call).voicemail(extid, name, status)
    if message is None:
        raise ApiError(store.VOICEMAIL_MISSING)
    params = {"extid": extid, "voicemailfile": name}
    random = _files(call).issue_random("voicemail", params, call.remote, call.body.get("allowedip"))
    return {"extid": extid, "voicemailfile": name,
            "voicemailstatus": message["voicemailstatus"], "random": random}


# -- recordings ----------------------------------------------------------------------------------

@ENDPOINTS("recording/get_random")
def recording_random(call):
    name = require(call.body, "recording")
    if name not in _files(call).recordings:
        raise ApiError(store.RECORDING_MISSING)
    random = _files(call).issue_random("recording", {"recording": name}, call.remote,
                                       call.body.get("allowedip"))
    return {"recording": name, "random": random}


# -- CDR -------------------------------------------------------------------------------------------

def _cdr_query(emulator, values):
    """(extension numbers or None for all, start epoch, end epoch) of a CDR request."""
    extid = values.get("extid", "")
    start = store.parse_time(values.get("starttime", ""))
    end = store.parse_time(values.get("endtime", ""))
    if start is None or end is None or start > end:
        raise ApiError(store.CDR_TIME_INVALID)
    if extid.strip() == "all":
        return None, start, end
    numbers = split_list(extid)
    if not numbers:
        raise ApiError(MISSING_PARAMETER)
    for number in numbers:
        _extension(emulator, number)
    return numbers, start, end


def _cdr_rows(emulator, values):
    numbers, start, end = _cdr_query(emulator, values)
    return emulator.files.cdr_rows_between(emulator.calls.cdrs, numbers, start, end,
                                           emulator.state.deviceinfo.values["sn"])


@ENDPOINTS("cdr/get_random")
def cdr_random(call):
    extid, starttime, endtime = require(call.body, "extid", "starttime", "endtime")
    if not _cdr_rows(call.emulator, call.body):
        raise ApiError(store.CDR_MISSING)
    params = {"extid": extid, "starttime": starttime, "endtime": endtime}
    random = _files(call).issue_random("cdr", params, call.remote, call.body.get("allowedip"))
    return {**params, "random": random}


# -- the download links ------------------------------------------------------------------------

def download(emulator, kind, query, remote):
    """Bytes, content type and file name for a download link, or ApiError."""
    files = emulator.files
    if kind == "voicemail":
        extid, name = query.get("extid", ""), query.get("voicemailfile", "")
        status = query.get("voicemailstatus") or None
        if status is not None:
            _status(status, store.VOICEMAIL_STATUSES)
        files.redeem("voicemail", query.get("random"), {"extid": extid, "voicemailfile": name}, remote)
        message = files.voicemail(extid, name, status)
        if message is None:
            raise ApiError(store.VOICEMAIL_MISSING)
        return message["content"], "audio/x-wav", name
    if kind == "recording":
        name = query.get("recording", "")
        files.redeem("recording", query.get("random"), {"recording": name}, remote)
        if name not in files.recordings:
            raise ApiError(store.RECORDING_MISSING)
        return files.recordings[name], "audio/x-wav", name
    params = {key: query.get(key, "") for key in ("extid", "starttime", "endtime")}
    files.redeem("cdr", query.get("random"), params, remote)
    rows = _cdr_rows(emulator, params)
    if not rows:
        raise ApiError(store.CDR_MISSING)
    return files.render_csv(rows), "text/csv", "cdr.csv"


DOWNLOADS = {"voicemail/download": "voicemail", "recording/download": "recording",
             "cdr/download": "cdr"}
