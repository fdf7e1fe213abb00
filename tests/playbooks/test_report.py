# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/report.yml: one page for the fleet, as headless Chromium renders it.

One playbook run over three PBXes (a healthy one, one with hostile names, an unregistered trunk
and a waiting caller, and one that cannot be reached), then one Chromium run that takes the
screenshot and dumps the DOM it built.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import shutil
import socket
import subprocess
from html.parser import HTMLParser

from PIL import Image

SCRIPT_NAME = '<script>alert("pwned")</script>'
IMG_NAME = "<img src=x onerror=alert(1)>"
TEMPLATE_NAME = "{{ 7 * 6 }}"
FIRMWARE = "4.3.6\"'><script>alert(2)</script>{% raw %}"
PROBLEM_RED = (0xB0, 0x00, 0x20)
OK_GREEN = (0x1A, 0x7F, 0x37)

HEALTHY = {
    "deviceinfo": {"firmwarever": "4.3.6", "devicename": "UC500"},
    "extensions": [{"number": "2001", "status": "Idle"}, {"number": "2002"}],
    "trunks": [{"trunkname": "itsp", "trunktype": "register", "host": "sip.example.net", "username": "6100",
                "authname": "6100", "password": "Trunk-Pw7", "status": "Registered"}],
}
HOSTILE = {
    "deviceinfo": {"firmwarever": FIRMWARE, "devicename": "UC300"},
    "extensions": [{"number": "3001", "status": "Idle"}],
    "trunks": [
        {"trunkname": "itsp", "trunktype": "register", "host": "sip.example.net", "username": "6100",
         "authname": "6100", "password": "Trunk-Pw7", "status": "Registered"},
        {"trunkname": TEMPLATE_NAME, "trunktype": "peer", "host": "10.0.0.7", "status": "Registering"},
        {"trunkname": SCRIPT_NAME, "trunktype": "peer", "host": "10.0.0.9", "status": "Failure"},
        {"trunkname": IMG_NAME, "trunktype": "peer", "host": "10.0.0.8", "status": "Disable"},
    ],
}


class Page(HTMLParser):
    """What Chromium built: every element by tag, each PBX row's cells and class, all text."""

    def __init__(self):
        HTMLParser.__init__(self)
        self.tags, self.attributes, self.rows, self.text = [], set(), [], []
        self._cell = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attributes.update(name for name, _value in attrs)
        classes = (dict(attrs).get("class") or "").split()
        if tag == "tr" and "pbx" in classes:
            self.rows.append({"classes": classes, "cells": []})
        elif tag == "td" and self.rows:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "td" and self._cell is not None:
            self.rows[-1]["cells"].append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def chromium(page, png, profile):
    """One headless Chromium run: the screenshot, and the DOM it built from the page."""
    binary = shutil.which("chromium")
    assert binary, "chromium is not installed: make playbooks installs it (apt-get install chromium)"
    profile.mkdir()
    process = subprocess.run(
        [binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--user-data-dir=%s" % profile, "--screenshot=%s" % png, "--window-size=1200,700", "--dump-dom",
         page.as_uri()],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, universal_newlines=True, timeout=120, check=False)
    assert process.returncode == 0 and png.exists(), process.stderr
    return process.stdout


def test_report_lists_every_pbx_problems_first_and_escaped(start_emulator, ansible_playbook, tmp_path):
    healthy, hostile = start_emulator(), start_emulator()
    healthy.control("PUT", "state", HEALTHY)
    hostile.control("PUT", "state", HOSTILE)
    hostile.control("POST", "calls", {"direction": "inbound", "trunk": "itsp", "queue": "6701",
                                      "from": "0755000000", "to": "88880001", "answer": False})
    # Names in reverse of the expected order, so only the problems can put them there.
    inventory = tmp_path / "hosts.yml"
    inventory.write_text(json.dumps({"pbxes": {
        "hosts": {"branch-a": {"pbx_port": healthy.port}, "branch-m": {"pbx_port": hostile.port},
                  "branch-z": {"pbx_port": free_port()}},
        "vars": {"pbx_host": "127.0.0.1", "ansible_connection": "local",
                 "ansible_python_interpreter": "{{ ansible_playbook_python }}"}}}))

    run = ansible_playbook("report.yml", [inventory])
    assert run.recap("branch-z")["ignored"] == 1
    page = tmp_path / "report" / "index.html"
    png = tmp_path / "report.png"
    dom = Page()
    dom.feed(chromium(page, png, tmp_path / "chromium-profile"))

    # The PBX's strings are text: Chromium built no element or attribute from them, and no template ran.
    assert "script" not in dom.tags and "img" not in dom.tags, dom.tags
    assert dom.attributes == {"lang", "charset", "http-equiv", "content", "name", "class"}, dom.attributes
    # Self-contained: the one style sheet is inline and fetches nothing.
    assert dom.tags.count("style") == 1 and "link" not in dom.tags
    assert "url(" not in page.read_text(encoding="utf-8").split("</style>")[0]
    text = "".join(dom.text)
    for name in (SCRIPT_NAME, TEMPLATE_NAME, IMG_NAME, FIRMWARE):
        assert name in text, name
    assert "42" not in text

    rows = [(row["cells"][0], row["classes"][-1], row["cells"][2:7]) for row in dom.rows]
    assert [row[:2] for row in rows] == [("branch-z", "problem"), ("branch-m", "problem"), ("branch-a", "ok")]
    # Trunks registered / not, extensions online / offline, callers waiting.
    assert rows[1][2] == ["1", "3", "1", "0", "1"]
    assert rows[2][2] == ["1", "0", "1", "1", "0"]
    unreachable, troubled, fine = [row["cells"][-1] for row in dom.rows]
    assert unreachable.startswith("Not read: ") and "127.0.0.1" in unreachable
    assert troubled == "Trunk %s: RegisteringTrunk %s: FailureQueue 6701: 1 waitingTrunk %s: turned off" % (
        TEMPLATE_NAME, SCRIPT_NAME, IMG_NAME)
    assert fine == ""
    assert dom.rows[2]["cells"][7] == "4.3.6 (UC500)"

    # The screenshot shows the page: more than one colour, the problem rows' red and the healthy row's green.
    colours = set(colour for _count, colour in Image.open(str(png)).convert("RGB").getcolors(1 << 24))
    assert len(colours) > 1 and PROBLEM_RED in colours and OK_GREEN in colours, len(colours)
