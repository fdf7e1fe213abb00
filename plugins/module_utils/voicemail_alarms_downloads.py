# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Voicemail, file downloads and the hotel application (OpenVox UC API: Voicemails, Download
Recording Files, Download CDR Files, Hotel Application, under
https://help.openvox.cn/docs/uc-series-ippbx/api-documentation/api-interface-example/).

Shared by uc_voicemail, uc_file, uc_wakeup_call and uc_hotel_checkout: reading voicemail
messages and wake-up alarms in one stable shape, and the two-step download (``get_random``
through the client, then a plain GET of the download link).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import hashlib
import json
import os
import re
import tempfile
import time
from collections import OrderedDict

try:
    import requests
except ImportError:  # pragma: no cover - the client reports it
    requests = None

from ansible_collections.openvox.ucpbx.plugins.module_utils.direct_module import ActionFailed
from ansible_collections.openvox.ucpbx.plugins.module_utils.errors import (
    NO_SUCH_EXTENSION,
    PbxApiError,
    PbxTransportError,
    describe_errno,
    objects,
    redact,
)

TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
TIME_PATTERN = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$")
ALARM_TIME = re.compile(r"^([0-9]{1,2}):([0-9]{2})$")
CHUNK_SIZE = 64 * 1024
# A failure envelope is small; anything bigger is file content.
ENVELOPE_LIMIT = 64 * 1024


def _int(value):
    try:
        return int(str(value).strip())
    except ValueError:
        return 0


# -- voicemail ---------------------------------------------------------------------------------

def list_voicemails(client, extensions=None):
    """voicemail/query: [{extension, file, from, date, duration, status?}] (the PBX's order)."""
    body = {"extid": ",".join(extensions)} if extensions else {}
    subject = "extension %s" % ", ".join(extensions) if extensions else "every extension"
    try:
        answer = client.call("voicemail/query", body, subject=subject)
    except PbxApiError as exc:
        if exc.errno == NO_SUCH_EXTENSION and extensions:
            raise ActionFailed("%s does not exist on the PBX" % (
                "extension %s" % extensions[0] if len(extensions) == 1 else
                "one of the extensions %s" % ", ".join(extensions)), errno=exc.errno)
        raise
    messages = []
    # An extension without messages yields no `voicemails` key at all.
    for box in objects(answer.get("voicemails")):
        number = str(box.get("extid", ""))
        for raw in objects(box.get("voicemail")):
            message = {
                "extension": number,
                "file": str(raw.get("voicemailfile", "")),
                "from": str(raw.get("messagefrom", "")),
                "date": str(raw.get("voicemaildate", "")),
                "duration": _int(raw.get("voicemaillength", 0)),
            }
            if raw.get("voicemailstatus") not in (None, ""):
                message["status"] = str(raw["voicemailstatus"])
            messages.append(message)
    return messages


# -- wake-up alarms --------------------------------------------------------------------------------

def normalise_time(value):
    """`HH:MM` (24 h) of a time text, or None when it is not one."""
    match = ALARM_TIME.match(str(value).strip())
    if not match:
        return None
    hours, minutes = int(match.group(1)), int(match.group(2))
    if hours > 23 or minutes > 59:
        return None
    return "%02d:%02d" % (hours, minutes)


def list_alarms(client, number):
    """wakeupcall/query of one extension: [{id, time, type, weekdays, prompt}]."""
    try:
        answer = client.call("wakeupcall/query", {"number": number}, subject="alarms of extension %s" % number)
    except PbxApiError as exc:
        if exc.errno == NO_SUCH_EXTENSION:
            raise ActionFailed("extension %s does not exist on the PBX" % number, errno=exc.errno)
        raise
    alarms = []
    for entry in objects(answer.get("wakeups")):
        if str(entry.get("number", number)) != number:
            continue
        for raw in objects(entry.get("wakeup")):
            days = [part.strip() for part in str(raw.get("weekdays") or "").split(",") if part.strip()]
            alarms.append({
                "id": str(raw.get("wakeupid", "")),
                "time": normalise_time(raw.get("time", "")) or str(raw.get("time", "")),
                "type": str(raw.get("type", "")),
                "weekdays": sorted(_int(day) for day in days),
                "prompt": str(raw.get("prompt") or ""),
            })
    return alarms


# -- downloads ------------------------------------------------------------------------------------

# Query parameters of each download link, in the order the API pages give them (Query Voicemail Files,
# Download Recording Files, Download CDR Files).
LINK_PARAMETERS = {
    "voicemail": ("extid", "voicemailstatus", "token", "voicemailfile", "random"),
    "recording": ("recording", "random", "token"),
    "cdr": ("extid", "starttime", "endtime", "token", "random"),
}


def check_time(name, value):
    """A `YYYY-MM-DD HH:MM:SS` text, or an error message."""
    if not TIME_PATTERN.match(value or ""):
        return "%s %r is not YYYY-MM-DD HH:MM:SS" % (name, value)
    try:
        time.strptime(value, TIME_FORMAT)
    except ValueError:
        return "%s %r is not a valid date and time" % (name, value)
    return None


def get_random(client, kind, body, subject):
    """Step 1: the one-time random string for a download (a read: nothing changes on the PBX)."""
    try:
        answer = client.call("%s/get_random" % kind, body, subject=subject)
    except PbxApiError as exc:
        raise ActionFailed(str(exc), errno=exc.errno)
    random = str(answer.get("random") or "")
    if not random:
        raise ActionFailed("%s/get_random for %s: the PBX answered without a random string" % (kind, subject))
    return answer, random


def _envelope(head, content_type):
    """The decoded failure envelope if the answer is one, else None."""
    if "json" not in content_type and not head.lstrip().startswith(b"{"):
        return None
    try:
        answer = json.loads(head.decode("utf-8"))
    except ValueError:
        return None
    if isinstance(answer, dict) and answer.get("status") in ("Failed", "Success") and (
            "json" in content_type or "errno" in answer):
        return answer
    return None


def _fetch(client, kind, values, subject, handle, digest):
    """Step 2: GET the link, streaming the body into handle; returns the size."""
    endpoint = "%s/download" % kind
    query = OrderedDict((name, values.get(name)) for name in LINK_PARAMETERS[kind])
    response = client.download(endpoint, query, subject)
    try:
        content_type = (response.headers.get("Content-Type") or "").lower()
        size = 0
        head = b""
        try:
            for chunk in response.iter_content(CHUNK_SIZE):
                if not chunk:
                    continue
                if size < ENVELOPE_LIMIT:
                    head += chunk[:ENVELOPE_LIMIT - size]
                size += len(chunk)
                digest.update(chunk)
                handle.write(chunk)
        except requests.exceptions.RequestException as exc:
            raise PbxTransportError("%s for %s: the download broke off after %d bytes: %s"
                                    % (endpoint, subject, size, redact(exc)), endpoint=endpoint)
        if size <= ENVELOPE_LIMIT:
            answer = _envelope(head, content_type)
            if answer is not None:
                errno = str(answer.get("errno") or "(none)")
                raise ActionFailed("%s for %s: PBX answered errno %s (%s) instead of the file"
                                   % (endpoint, subject, errno, describe_errno(errno)), errno=errno)
        return size
    finally:
        response.close()


def download_to_temp(client, kind, body, subject, directory, link_values=None):
    """get_random, then the download, into a new temporary file in directory.

    Returns (temporary path, sha256 hex, size). On any failure the temporary file is removed
    and nothing else on disk is touched.
    """
    answer, random = get_random(client, kind, body, subject)
    values = dict(body)
    values.update(link_values or {})
    if kind == "voicemail" and not values.get("voicemailstatus") and answer.get("voicemailstatus"):
        values["voicemailstatus"] = str(answer["voicemailstatus"])
    values["random"] = random
    fd, path = tempfile.mkstemp(dir=directory, prefix=".ucpbx-", suffix=".part")
    digest = hashlib.sha256()
    try:
        with os.fdopen(fd, "wb") as handle:
            size = _fetch(client, kind, values, subject, handle, digest)
    except BaseException:
        os.unlink(path)
        raise
    return path, digest.hexdigest(), size


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK_SIZE), b""):
            digest.update(chunk)
    return digest.hexdigest()
