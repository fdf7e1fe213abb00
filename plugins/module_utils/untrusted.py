# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Showing text a PBX reported where a reader could mistake it for the collection's own words.

Names, patterns and any other string of an object are chosen by whoever can edit the PBX (its
web interface, anyone on the path of its plain-HTTP API, the PBX itself). Written raw into a
one-line message, a diff header or a Markdown plan, a line break or a Markdown construct in
such a string could forge lines of its own: a fake "No changes", a hidden delete.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

_NAMED = {"\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_BACKTICKS = re.compile(r"`+")


def _escape(char):
    if char in _NAMED:
        return _NAMED[char]
    if char.isprintable():
        return char
    code = ord(char)
    if code < 0x100:
        return "\\x%02x" % code
    if code < 0x10000:
        return "\\u%04x" % code
    return "\\U%08x" % code


def one_line(value):
    """The text with every line break, control, format (bidi) or separator character written as a
    Python-style escape (`\\n`, `\\x85`, `\\u2028`), and backslashes doubled so that the escapes
    are unambiguous. Printable text, spaces included, is unchanged."""
    text = str(value)
    if text.isprintable() and "\\" not in text:
        return text
    return "".join(_escape(char) for char in text)


def code_span(value):
    """A Markdown (CommonMark, GitHub) code span that shows the value as one line of literal text.

    Inside a code span nothing is markup (no emphasis, link, heading or raw HTML); the fence is one
    backtick longer than any run of backticks in the value, so the value cannot close it.
    """
    text = one_line(value)
    if text == "":
        return "(empty)"
    fence = "`" * (max([len(run) for run in _BACKTICKS.findall(text)] or [0]) + 1)
    # A space pads a value that starts or ends with a backtick (it would join the fence) or a
    # space; Markdown strips one padding space from each side, not more.
    if text.strip(" ") and (text[0] in "` " or text[-1] in "` "):
        text = " %s " % text
    return "%s%s%s" % (fence, text, fence)


def table_cell(value):
    """A value for one cell of a Markdown table row: `|` escaped, on one line."""
    return one_line(value).replace("|", "\\|")
