"""Request body decoding and response encoding, selected by the ``type`` query parameter.

The device picks the format from ``type`` alone (the docs send XML with a JSON
Content-Type), so the request's Content-Type is never consulted.
"""

import json

from . import xmlcodec
from .errors import NOT_JSON, XML_MALFORMED, ApiError

JSON = "json"
XML = "xml"
CONTENT_TYPES = {JSON: "application/json", XML: "application/xml"}


def body_format(query):
    """``type=xml`` selects XML; anything else (or nothing) means JSON."""
    return XML if query.get("type", "").strip().lower() == XML else JSON


def decode_body(raw, fmt):
    """Turn the raw request body into a flat dict of strings.

    An empty body stands for ``{}`` (clients POST nothing to mean "no parameters").
    """
    parse_errno = XML_MALFORMED if fmt == XML else NOT_JSON
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ApiError(parse_errno) from exc
    if not text.strip():
        return {}
    if fmt == XML:
        try:
            return xmlcodec.parse_request(text)
        except xmlcodec.XmlFormatError as exc:
            raise ApiError(XML_MALFORMED) from exc
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise ApiError(NOT_JSON) from exc
    if not isinstance(document, dict):
        raise ApiError(NOT_JSON)
    return _flatten_scalars(document)


def _flatten_scalars(document):
    """Strings stay, numbers become their decimal text, ``null`` means "not sent".

    Nested objects or arrays are not part of the wire format; such a body is refused
    like any other body the device cannot read.
    """
    fields = {}
    for key, value in document.items():
        if value is None:
            continue
        if isinstance(value, bool):
            fields[key] = "true" if value else "false"
        elif isinstance(value, int):
            fields[key] = str(value)
        elif isinstance(value, float):
            fields[key] = str(int(value)) if value.is_integer() else repr(value)
        elif isinstance(value, str):
            fields[key] = value
        else:
            raise ApiError(NOT_JSON)
    return fields


def encode_response(payload, fmt):
    """Return ``(bytes, content_type)`` for a response payload."""
    if fmt == XML:
        text = xmlcodec.render_response(payload)
    else:
        text = json.dumps(payload, ensure_ascii=False)
    return text.encode("utf-8"), CONTENT_TYPES[fmt]


def success(payload=None):
    return {"status": "Success", **(payload or {})}


def failure(errno):
    return {"status": "Failed", "errno": str(errno)}
