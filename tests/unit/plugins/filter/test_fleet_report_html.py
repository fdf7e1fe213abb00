# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The openvox.ucpbx.fleet_report_html filter: what needs a look comes first, and PBX text stays text."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from html.parser import HTMLParser

import pytest

from ansible.errors import AnsibleFilterError
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

from ansible_collections.openvox.ucpbx.plugins.filter.fleet_report_html import FilterModule, fleet_report_html

try:
    from ansible.template import trust_as_template
except ImportError:  # ansible-core before 2.19 evaluates every plain string
    def trust_as_template(text):
        return text

HOSTILE = [
    '<script>alert("x")</script>',
    "<img src=x onerror=alert(1)>",
    "{{ lookup('ansible.builtin.pipe', 'id') }}",
    "{% if true %}x{% endif %}{# c #}",
    "\"quoted\" 'single' & amp",
    "</td></tr></tbody></table><h1>forged</h1>",
    "rtl\u202eliart\nline\u2028sep",
]
ELEMENTS = {"html", "head", "meta", "title", "style", "body", "h1", "p", "strong", "table", "thead", "tbody", "tr",
            "th", "td", "span", "ul", "li"}


class Parsed(HTMLParser):
    def __init__(self, page):
        HTMLParser.__init__(self)
        self.tags, self.rows, self.cells, self.text = [], [], None, []
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "tr" and "pbx" in (dict(attrs).get("class") or ""):
            self.rows.append((dict(attrs)["class"].split()[-1], []))
        elif tag == "td" and self.rows:
            self.cells = []

    def handle_endtag(self, tag):
        if tag == "td" and self.cells is not None:
            self.rows[-1][1].append("".join(self.cells))
            self.cells = None

    def handle_data(self, data):
        self.text.append(data)
        if self.cells is not None:
            self.cells.append(data)


def read(trunks=(), extensions=(), waiting=(), firmware="4.3.6", model="UC500"):
    return {"changed": False, "pbx": {
        "device": {"model": model, "firmware_version": firmware},
        "status": {
            "trunks": [{"name": name, "type": "SIP", "status": status} for name, status in trunks],
            "extensions": [{"number": number, "type": "pjsip", "status": status, "agent_id": None}
                           for number, status in extensions],
            "queues": [{"number": number, "callers_waiting": count, "agents": []} for number, count in waiting],
        }}}


def rows(page):
    """(class, name, [counts], what needs a look) per PBX row, in page order."""
    return [(state, cells[0], cells[2:7], cells[-1]) for state, cells in Parsed(page).rows]


def test_problems_first_then_by_name():
    page = fleet_report_html({
        "a-fine": read(trunks=[("t", "Registered")]),
        "b-waiting": read(waiting=[("6700", 0), ("6701", 2)]),
        "c-down": {"failed": True, "msg": "connection refused"},
        "d-unregistered": read(trunks=[("t", "Failure")]),
        "e-no-result": None,
    })
    assert [(state, name) for state, name, _counts, _look in rows(page)] == [
        ("problem", "c-down"), ("problem", "e-no-result"), ("problem", "b-waiting"),
        ("problem", "d-unregistered"), ("ok", "a-fine")]
    looks = dict((name, look) for _state, name, _counts, look in rows(page))
    assert looks["c-down"] == "Not read: connection refused"
    assert looks["e-no-result"] == "Not read: no result"
    assert looks["b-waiting"] == "Queue 6701: 2 waiting"
    assert "<title>PBX fleet: 5 PBXes, 4 with problems</title>" in page


@pytest.mark.parametrize("status, problem", [
    ("Registered", False), ("Idle", False), ("Busy", False), ("Disable", False),
    ("Registering", True), ("Failure", True), ("failure", True), ("Unknown", True), ("Fault", True), ("", True),
])
def test_trunk_statuses(status, problem):
    (state, _name, counts, look), = rows(fleet_report_html({"pbx": read(trunks=[("t", status)])}))
    assert state == ("problem" if problem else "ok")
    registered = status in ("Registered", "Idle", "Busy")
    assert counts[:2] == (["1", "0"] if registered else ["0", "1"])
    if status == "Disable":
        assert look == "Trunk t: turned off"


def test_offline_extensions_are_counted_but_only_a_malfunction_is_a_problem():
    extensions = [("1", "Idle"), ("2", "Registered"), ("3", "Ringing"), ("4", "Busy"), ("5", "Hold"),
                  ("6", "Unavailable"), ("7", "Fxsnoport")]
    (state, _name, counts, _look), = rows(fleet_report_html({"pbx": read(extensions=extensions)}))
    assert (state, counts) == ("ok", ["0", "0", "5", "2", "0"])
    (state, _name, counts, look), = rows(fleet_report_html({"pbx": read(extensions=[("8", "Malfunction")])}))
    assert (state, counts[3], look) == ("problem", "1", "Extension 8: Malfunction")


def test_pbx_strings_stay_text():
    results = dict(("pbx-%d" % index, read(trunks=[(name, "Failure")], firmware=name, model=name,
                                           waiting=[(name, 1)]))
                   for index, name in enumerate(HOSTILE))
    results[HOSTILE[0]] = {"failed": True, "msg": HOSTILE[-1]}
    page = fleet_report_html(results, generated=HOSTILE[2])
    parsed = Parsed(page)
    assert set(parsed.tags) <= ELEMENTS
    assert "{" not in page.split("</style>")[1] and "}" not in page.split("</style>")[1]
    text = "".join(parsed.text)
    shown = [name.replace("\n", "\\n").replace("\u2028", "\\u2028").replace("\u202e", "\\u202e") for name in HOSTILE]
    for name in shown:
        assert "Trunk %s: Failure" % name in text
        assert "%s (%s)" % (name, name) in text
    assert "Not read: %s" % shown[-1] in text
    assert "\u202e" not in text and "\u2028" not in text
    assert len(Parsed(page).rows) == len(HOSTILE) + 1


def test_the_page_is_the_same_even_evaluated_as_a_template():
    page = fleet_report_html({"pbx": read(trunks=[("{{ 7 * 6 }}", "Failure")], firmware="{% raw %}")},
                             generated="{{ 6 * 7 }}")
    # The plain text of the page, as if trusted: whatever later templates it, it stays the page.
    template = trust_as_template("%s" % page)
    assert Templar(loader=DataLoader(), variables={}).template(template) == page


def test_a_result_without_live_status_is_a_problem_not_zero_counts():
    result = read()
    del result["pbx"]["status"]
    (state, _name, counts, look), = rows(fleet_report_html({"pbx": result}))
    assert (state, counts, look) == ("problem", ["\u2013"] * 5, "No live status: read it with gather_subset status")


def test_long_strings_are_shortened():
    (_state, _name, _counts, look), = rows(fleet_report_html({"pbx": read(trunks=[("x" * 5000, "Failure")])}))
    assert look == "Trunk %s\u2026: Failure" % ("x" * 199)


@pytest.mark.parametrize("bad", [None, [], "pbx"])
def test_bad_input_is_refused(bad):
    with pytest.raises(AnsibleFilterError, match="takes a dict"):
        fleet_report_html(bad)


def test_filter_is_registered():
    assert FilterModule().filters() == {"fleet_report_html": fleet_report_html}
