"""The device's XML flavour: a flat ``<xml>`` root for requests, nested elements and
``<item id="N">`` list entries for responses."""

import xml.etree.ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

ROOT = "xml"
DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'


class XmlFormatError(ValueError):
    """The body is not well-formed XML, or not the flat ``<xml>`` document expected."""


def parse_request(text):
    """Return the children of the ``<xml>`` root as a dict of strings."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise XmlFormatError(str(exc)) from exc
    if root.tag != ROOT:
        raise XmlFormatError(f"root element is <{root.tag}>, expected <{ROOT}>")
    fields = {}
    for child in root:
        if len(child):
            # Requests are flat key/value lists; nesting has no meaning for any endpoint.
            raise XmlFormatError(f"<{child.tag}> has child elements")
        fields[child.tag] = child.text or ""
    return fields


def render_response(payload):
    """Serialise a response payload (strings, dicts, lists of dicts) as device XML."""
    return DECLARATION + _element(ROOT, payload)


def _element(tag, value, attrs=""):
    return f"<{tag}{attrs}>{_content(value)}</{tag}>"


def _content(value):
    if isinstance(value, dict):
        return "".join(_element(key, item) for key, item in value.items())
    if isinstance(value, list):
        return "".join(
            _element("item", item, f" id={quoteattr(str(index))}")
            for index, item in enumerate(value)
        )
    return escape(str(value))
