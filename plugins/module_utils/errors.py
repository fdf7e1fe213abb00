# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Error numbers the PBX answers with, and the exceptions the collection raises."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import logging
import re

ERRNO_MEANINGS = {
    "10002": "the XML body could not be parsed",
    "10003": "the API endpoint is not supported",
    "10004": "a required parameter is missing or empty",
    "10005": "the call id does not exist",
    "10006": "the extension does not exist",
    "10007": "the call does not exist",
    "10008": "the extension is not idle",
    "10009": "the extension may not be monitored",
    "10010": "the monitor mode does not match",
    "10011": "the called number does not exist",
    "10012": "the IVR does not exist",
    "10013": "the queue does not exist",
    "10014": "the ring group does not exist",
    "10015": "the call is not connected",
    "10016": "accepting or refusing the inbound call timed out",
    "10017": "the extension could not be configured (invalid value or number already in use)",
    "10018": "the IVR could not be configured",
    "10019": "the queue could not be configured",
    "10020": "the wake-up call could not be added or changed",
    "10021": "the wake-up call does not exist",
    "10022": "the wake-up call already exists",
    "10023": "the prompt file does not exist",
    "10024": "the extension has no permission for outbound calls",
    "10025": "configuration is being applied too often",
    "10028": "the number must not be empty",
    "10031": "the callee number is not acceptable",
    "10032": "wrong password",
    "10033": "the extension's outbound route settings could not be saved",
    "10042": "the trunk name is invalid",
    "10043": "the trunk name is already in use",
    "10044": "the trunk type is invalid",
    "10045": "the trunk host is invalid",
    "10046": "the trunk port is invalid",
    "10047": "the trunk domain is invalid",
    "10048": "the trunk username is invalid",
    "10049": "the trunk username is already in use",
    "10050": "the trunk authentication name is invalid",
    "10051": "the trunk From user is invalid",
    "10052": "the trunk password is invalid",
    "10060": "the trunk limit is reached",
    "10061": "the trunk could not be deleted",
    "10062": "the trunk does not exist",
    "10063": "the inbound route name is invalid",
    "10064": "the inbound route already exists",
    "10065": "the inbound route DID is invalid",
    "10066": "the inbound route caller ID pattern is invalid",
    "10067": "the inbound route trunk does not exist",
    "10068": "the inbound route destination type is invalid",
    "10069": "the inbound route destination is invalid",
    "10070": "the inbound route limit is reached",
    "10071": "the inbound route could not be deleted",
    "10072": "the inbound route does not exist",
    "10073": "the outbound route name is invalid",
    "10074": "the outbound route already exists",
    "10075": "the outbound route pattern or prefix is invalid",
    "10077": "the outbound route prepend digits are invalid",
    "10078": "the outbound route trunk does not exist",
    "10081": "the outbound route limit is reached",
    "10082": "the outbound route could not be deleted",
    "10083": "the outbound route does not exist",
    "20000": "the body is not valid JSON",
    "20001": "only POST is supported",
    "20002": "login refused: this client address is locked out after repeated failed logins",
    "20003": "login refused: wrong API username or password",
    "20004": "the token is unknown or has expired",
    "20005": "the token is missing",
    "20006": "the token has timed out",
    "20007": "the request body is empty",
    "20008": "the event report port is invalid",
    "20009": "the request is empty",
    "20010": "the PBX could not forward the request to its API service",
    "20011": "the heartbeat could not be configured",
    "20012": "the recording download random string is invalid, used or expired",
    "20013": "the verification code is wrong",
    "20014": "the recording file does not exist",
    "20015": "this client address is not allowed to use the API (or to download the file)",
    "20016": "the voicemail status is invalid",
    "20017": "the voicemail download random string is invalid, used or expired",
    "20018": "the voicemail file does not exist",
    "20019": "the CDR time is invalid",
    "20020": "the CDR download random string is invalid, used or expired",
    "20021": "there is no CDR record for this query",
    "30001": "the PBX API service failed internally",
    "30003": "the PBX API service is not running",
}

# Errnos the modules act on, by what they mean.
NO_SUCH_CALL = ("10005", "10007")
NO_SUCH_EXTENSION = "10006"
NO_SUCH_QUEUE = "10013"
PROMPT_MISSING = "10023"
WRONG_PASSWORD = "10032"

TOKEN_ERRNOS = frozenset(("20004", "20005", "20006"))
LOGIN_REFUSED_ERRNOS = frozenset(("20002", "20003"))
BUSY_ERRNO = "10025"

_TOKEN_IN_TEXT = re.compile(r"(token=)[^&\s'\"]+", re.IGNORECASE)


def redact(text):
    """Remove API tokens from text that may quote a URL (exception messages do)."""
    return _TOKEN_IN_TEXT.sub(r"\1********", str(text))


class RedactingFilter(logging.Filter):
    """A logging filter that removes API tokens from records.

    urllib3 logs every request line at DEBUG, and the API takes its token in the query string. A process
    that configures logging (the event source inside ansible-rulebook) puts this on urllib3's logger.
    """

    def filter(self, record):
        message = record.getMessage()
        if _TOKEN_IN_TEXT.search(message):
            record.msg = redact(message)
            record.args = None
        return True


def quoted(text, limit=120):
    """Text from the network, fit for a message: one line, in double quotes, escaped, at most `limit`
    characters (a server controls it, and a message must not be made to say something else)."""
    text = str(text)
    shown = json.dumps(text[:limit])
    return shown + ("..." if len(text) > limit else "")


def describe_errno(errno):
    return ERRNO_MEANINGS.get(str(errno), "undocumented error")


class PbxError(Exception):
    """Any failure talking to the PBX; the message is safe to show."""

    def __init__(self, message, endpoint=None, errno=None):
        super(PbxError, self).__init__(redact(message))
        self.endpoint = endpoint
        self.errno = errno


class PbxApiError(PbxError):
    """The PBX answered with status Failed."""

    def __init__(self, endpoint, errno, subject=None):
        what = "%s: PBX answered errno %s (%s)" % (endpoint, errno, describe_errno(errno))
        if subject:
            what = "%s for %s" % (what, subject)
        super(PbxApiError, self).__init__(what, endpoint=endpoint, errno=str(errno))


class PbxTransportError(PbxError):
    """The request did not get an API answer (connection, timeout, HTTP error)."""


class PbxAnswerError(PbxError):
    """The PBX answered Success, but not in the documented shape; nothing in it is used."""

    def __init__(self, endpoint, problem, subject=None):
        target = " for %s" % subject if subject else ""
        super(PbxAnswerError, self).__init__(
            "%s%s: the answer is not in the documented shape: %s. The task stops rather than read it as an empty "
            "or partial PBX" % (endpoint, target, problem), endpoint=endpoint)


class PbxLoginError(PbxError):
    """Login was refused or is being withheld to protect the client from a lockout."""


def _kind_of(value):
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), "a number")


def listed_records(answer, endpoint, list_keys, key_field=None, subject=None):
    """The records a query answer lists under one of `list_keys`, each an object with a `key_field`.

    Anything else (no list, a list of something else, a record without its key) raises PbxAnswerError:
    read as "no objects", it would make a run add, or delete, everything.
    """
    present = [name for name in list_keys if name in answer]
    if not present:
        raise PbxAnswerError(endpoint, "it has no %s list" % " or ".join("'%s'" % name for name in list_keys), subject)
    name = present[0]
    value = answer[name]
    if not isinstance(value, list):
        raise PbxAnswerError(endpoint, "'%s' is %s, not a list of records" % (name, _kind_of(value)), subject)
    for position, record in enumerate(value, 1):
        if not isinstance(record, dict):
            raise PbxAnswerError(endpoint, "record %d of '%s' is %s, not an object" % (position, name, _kind_of(record)),
                                 subject)
        if key_field is None:
            continue
        key = record.get(key_field)
        if isinstance(key, (dict, list, bool)) or key is None or not str(key).strip():
            why = "missing" if key_field not in record else ("empty" if key == "" else _kind_of(key))
            raise PbxAnswerError(endpoint, "record %d of '%s' has no '%s' (%s)" % (position, name, key_field, why),
                                 subject)
    return value


def answer_object(answer, endpoint, name, subject=None):
    """The object an answer holds under `name` ({} when the answer leaves it out), or PbxAnswerError."""
    value = answer.get(name)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise PbxAnswerError(endpoint, "'%s' is %s, not an object" % (name, _kind_of(value)), subject)
    return value


def objects(value):
    """The objects of an answer field: the device's examples give one object where other
    firmware gives a list of them."""
    if isinstance(value, list):
        return [item for item in value if isinstance(item, dict)]
    return [value] if isinstance(value, dict) else []
