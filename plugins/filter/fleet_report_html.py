# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: fleet_report_html
short_description: One static HTML page with the live state of every PBX, problems first
version_added: 0.1.0
author:
  - openvox.ucpbx maintainers (@openvox-ucpbx)
description:
  - Turns the results of M(openvox.ucpbx.uc_pbx_info) with O(openvox.ucpbx.uc_pbx_info#module:gather_subset=status),
    one per PBX, into one self-contained HTML page (inline CSS, no script, no external asset), the page
    C(playbooks/report.yml) writes to C(report/index.html).
  - "Per PBX: trunks registered and not registered, extensions online and offline, callers waiting in queues, the
    firmware version (and model), and what needs a look."
  - "A PBX has a problem when it could not be read (the task failed: unreachable, refused login, an answer not in the
    documented shape; or read without O(openvox.ucpbx.uc_pbx_info#module:gather_subset=status)), when a trunk is
    not registered (any status but C(Registered), or C(Idle) and C(Busy) for an analog line, except C(Disable): a
    trunk turned off on purpose is counted as not registered but is no problem), when a caller waits in a queue, or
    when an extension reports C(Malfunction). Offline extensions alone are no problem: phones are switched off."
  - PBXes that could not be read come first, then the other PBXes with a problem, then the rest, each group sorted
    by inventory name. A problem row is marked with the word C(PROBLEM) and in red.
  - Everything a PBX reports is untrusted, and so is the error message of a PBX that could not be read. Every such
    string is shown on one line (line breaks and invisible characters as escapes such as C(\n) and C(\u202e)),
    shortened to 200 characters (600 for an error message), and HTML-escaped, braces included (C(&#123;)), so it
    can add no element, no attribute and no template. The page's Content-Security-Policy forbids scripts and any
    load from elsewhere.
  - The inventory names and the counts are the only other text on the page; the names are escaped the same way.
options:
  _input:
    description:
      - Each PBX's inventory name and the registered result of its
        M(openvox.ucpbx.uc_pbx_info) task with O(openvox.ucpbx.uc_pbx_info#module:gather_subset=status), failed
        results included (register the task and set C(ignore_errors)).
      - A PBX whose result is missing or null is shown as not read.
    type: dict
    required: true
  generated:
    description: When the PBXes were read, shown under the title as it is given (escaped).
    type: str
    default: ""
"""

EXAMPLES = r"""
- name: Read the live state of the PBX
  openvox.ucpbx.uc_pbx_info:
    gather_subset: status
  register: report_pbx
  # A PBX that cannot be read still gets its row.
  ignore_errors: true

- name: Write report/index.html beside the playbook
  ansible.builtin.copy:
    dest: "{{ playbook_dir }}/report/index.html"
    content: "{{ dict(ansible_play_hosts_all | zip(ansible_play_hosts_all | map('extract', hostvars, 'report_pbx')))
                 | openvox.ucpbx.fleet_report_html(generated=now(utc=true, fmt='%Y-%m-%d %H:%M UTC')) }}"
    mode: "0644"
  run_once: true
  delegate_to: localhost
"""

RETURN = r"""
_value:
  description: The HTML page, a UTF-8 document with its CSS inline.
  type: str
"""

import html
from collections.abc import Mapping

from ansible.errors import AnsibleFilterError

from ansible_collections.openvox.ucpbx.plugins.module_utils.untrusted import one_line

try:
    from ansible.utils.unsafe_proxy import wrap_var
except ImportError:  # pragma: no cover
    wrap_var = None

LONGEST = 200
LONGEST_MESSAGE = 600
LISTED = 10
# Statuses of a working trunk: a registered VoIP trunk, an analog line that is idle or in a call.
TRUNK_UP = ("Registered", "Idle", "Busy")
TRUNK_OFF = ("Disable",)
EXTENSION_ONLINE = ("Registered", "Idle", "Ringing", "Busy", "Hold")
EXTENSION_FAULT = ("Malfunction",)

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:1.5rem;color:#1b1f24;background:#fff}
h1{font-size:1.5rem;margin:0 0 .25rem}
p.summary{margin:0 0 1rem;color:#444}
p.summary strong{color:#b00020}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border:1px solid #d0d7de;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f3f6}
td.count{text-align:right;font-variant-numeric:tabular-nums}
td.name{font-weight:600;overflow-wrap:anywhere}
tr.problem td{background:#fdecee}
tr.problem td.name{border-left:6px solid #b00020}
tr.ok td.name{border-left:6px solid #1a7f37}
span.badge{display:inline-block;padding:.1rem .45rem;border-radius:3px;font-weight:700;font-size:.8rem}
span.problem{background:#b00020;color:#fff}
span.ok{background:#1a7f37;color:#fff}
ul{margin:0;padding-left:1.1rem}
li,td.firmware{overflow-wrap:anywhere}
ul.notes{color:#57606a}
""".strip()


def shown(value, longest=LONGEST):
    """A string from a PBX as page text: on one line, shortened, and inert as HTML and as a template."""
    text = one_line("" if value is None else value)
    if len(text) > longest:
        text = text[:longest - 1] + "\u2026"
    return html.escape(text, quote=True).replace("{", "&#123;").replace("}", "&#125;")


def _records(value):
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _count(value):
    if isinstance(value, bool):
        return 0
    if isinstance(value, int):
        return max(value, 0)
    text = str(value or "").strip()
    return int(text) if text.isdigit() else 0


def _listed(lines, into):
    """At most LISTED lines; the rest counted, so one broken PBX cannot flood the page."""
    into.extend(lines[:LISTED])
    if len(lines) > LISTED:
        into.append("%d more" % (len(lines) - LISTED))


def pbx_row(name, result):
    """What the page shows of one PBX: counts, firmware, problems and notes (HTML-escaped)."""
    row = dict(name=shown(name), read=False, problems=[], notes=[], trunks_up=None, trunks_down=None,
               online=None, offline=None, waiting=None, firmware="")
    if not isinstance(result, Mapping) or result.get("failed") or not isinstance(result.get("pbx"), Mapping):
        message = result.get("msg") if isinstance(result, Mapping) else None
        row["problems"].append("Not read: %s" % shown(message or "no result", LONGEST_MESSAGE))
        return row
    row["read"] = True
    pbx = result["pbx"]
    device = pbx.get("device") if isinstance(pbx.get("device"), Mapping) else {}
    firmware = shown(device.get("firmware_version"))
    if device.get("model"):
        firmware += " (%s)" % shown(device.get("model"))
    row["firmware"] = firmware
    status = pbx.get("status")
    if not isinstance(status, Mapping):
        # Counts of zero would read as a PBX with nothing registered.
        row["problems"].append("No live status: read it with gather_subset status")
        return row

    trunks = _records(status.get("trunks"))
    down = [trunk for trunk in trunks if trunk.get("status") not in TRUNK_UP]
    row["trunks_up"], row["trunks_down"] = len(trunks) - len(down), len(down)
    _listed(["Trunk %s: %s" % (shown(trunk.get("name")), shown(trunk.get("status") or "no status"))
             for trunk in down if trunk.get("status") not in TRUNK_OFF], row["problems"])
    _listed(["Trunk %s: turned off" % shown(trunk.get("name")) for trunk in down if trunk.get("status") in TRUNK_OFF],
            row["notes"])

    extensions = _records(status.get("extensions"))
    row["online"] = len([item for item in extensions if item.get("status") in EXTENSION_ONLINE])
    row["offline"] = len(extensions) - row["online"]
    _listed(["Extension %s: %s" % (shown(item.get("number")), shown(item.get("status")))
             for item in extensions if item.get("status") in EXTENSION_FAULT], row["problems"])

    queues = [(queue.get("number"), _count(queue.get("callers_waiting"))) for queue in _records(status.get("queues"))]
    row["waiting"] = sum(waiting for _number, waiting in queues)
    _listed(["Queue %s: %d waiting" % (shown(number), waiting) for number, waiting in queues if waiting],
            row["problems"])
    return row


def _cell(value, css="count"):
    return '<td class="%s">%s</td>' % (css, "\u2013" if value is None else value)


def _items(lines, css):
    return '<ul class="%s">%s</ul>' % (css, "".join("<li>%s</li>" % line for line in lines)) if lines else ""


def _row_html(row):
    state = "problem" if row["problems"] else "ok"
    badge = '<span class="badge %s">%s</span>' % (state, "PROBLEM" if row["problems"] else "OK")
    return "".join([
        '<tr class="pbx %s">' % state,
        '<td class="name">%s</td>' % row["name"],
        "<td>%s</td>" % badge,
        _cell(row["trunks_up"]), _cell(row["trunks_down"]), _cell(row["online"]), _cell(row["offline"]),
        _cell(row["waiting"]),
        '<td class="firmware">%s</td>' % row["firmware"],
        '<td class="problems">%s%s</td>' % (_items(row["problems"], "problems"), _items(row["notes"], "notes")),
        "</tr>",
    ])


def fleet_report_html(results, generated=""):
    if not isinstance(results, Mapping):
        raise AnsibleFilterError("openvox.ucpbx.fleet_report_html takes a dict: each PBX's inventory name and its "
                                 "registered openvox.ucpbx.uc_pbx_info result")
    rows = [pbx_row(name, results[name]) for name in sorted(results, key=str)]
    # Unread PBXes first, then the other problems; sorted() keeps the name order within each group.
    rows = sorted(rows, key=lambda row: (row["read"], not row["problems"]))
    troubled = len([row for row in rows if row["problems"]])
    summary = "%d PBX%s" % (len(rows), "" if len(rows) == 1 else "es")
    title = "PBX fleet: %s, %d with problems" % (summary, troubled)
    lines = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        # Nothing runs and nothing is fetched, whatever a PBX managed to put into the page.
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>%s</title>" % title,
        "<style>%s</style>" % STYLE,
        "</head><body>",
        "<h1>PBX fleet</h1>",
        '<p class="summary">%s, %s.%s</p>' % (
            summary, "<strong>%d with problems</strong>" % troubled if troubled else "no problems",
            " Read %s." % shown(generated) if generated else ""),
        "<table><thead><tr><th>PBX</th><th>State</th><th>Trunks registered</th><th>Trunks not registered</th>"
        "<th>Extensions online</th><th>Extensions offline</th><th>Callers waiting</th><th>Firmware (model)</th>"
        "<th>What needs a look</th></tr></thead><tbody>",
    ]
    lines.extend(_row_html(row) for row in rows)
    lines.append("</tbody></table></body></html>")
    page = "\n".join(lines) + "\n"
    # Ansible before 2.19 would evaluate templates in a plain string held in a variable.
    return wrap_var(page) if wrap_var is not None else page


class FilterModule(object):
    """The fleet's live state as one HTML page."""

    def filters(self):
        return {"fleet_report_html": fleet_report_html}
