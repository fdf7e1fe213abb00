# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The plan summary of a big change fits a pull-request comment, and the fleet's index counts each PBX."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

from ansible_collections.openvox.ucpbx.plugins.module_utils import plan_files, tree
from ansible_collections.openvox.ucpbx.tests.unit.plugins.module_utils.test_untrusted import (
    FORGED_SUMMARY,
    commonmark,
    table_cells,
)

COUNT = 500


def many_adds(pbx, make_client, state="overridden", count=COUNT, more=()):
    pbx.load({"extnumber": "2999", "username": "Old"})
    wanted = [{"number": str(3000 + index), "name": "User %d with a long enough display name" % index,
               "email": "user%d@branch.example" % index, "mobile": "0170%07d" % index, "caller_id": "5550%03d" % index,
               "dnd": True} for index in range(count)]
    return tree.plan(make_client(), {"extensions": wanted + list(more)}, state)


def test_500_adds_stay_under_the_cap_with_every_operation_counted(pbx, make_client):
    plans = many_adds(pbx, make_client)
    markdown = plan_files.named_summary(plan_files.plan_markdown(plans), "pbx1", "plan/pbx1.json")
    assert len(markdown) < 60000
    assert len(plan_files.plan_markdown(plans, limit=10 ** 9)) > 60000   # the cap is what made it fit

    tokens = commonmark(markdown)
    assert table_cells(tokens) == ["kind", "add", "update", "delete", "rename", "extensions", str(COUNT), "0", "1", "0"]
    listed = len([token for token in tokens if token.type == "list_item_open"])
    more = re.findall(r"^_(\d+) more, see `plan/pbx1.json`\._$", markdown, re.M)
    assert len(more) == 1 and listed + int(more[0]) == COUNT + 1
    assert listed > 100
    # Folded: the list sits in <details>, which GitHub shows closed, and nothing else is HTML.
    html = [token.content.strip() for token in tokens if token.type.startswith("html")]
    assert html == ["<details><summary>%d operations</summary>" % (COUNT + 1), "</details>"]


def test_adds_list_the_options_the_tree_sets_in_yaml_spelling(pbx, make_client):
    markdown = plan_files.plan_markdown(many_adds(pbx, make_client, count=2))
    line = [line for line in markdown.splitlines() if line.startswith("- add `3000`")][0]
    # overridden adds with every default of the kind; only what differs from a default is shown.
    assert line == ("- add `3000`: caller_id: `5550000`; dnd: `true`; email: `user0@branch.example`; "
                    "mobile: `01700000000`; name: `User 0 with a long enough display name`"), line
    assert "True" not in markdown
    assert len(many_adds(pbx, make_client, count=2)[0].writes[0].fields) > 4


def test_a_short_plan_is_not_folded(pbx, make_client):
    markdown = plan_files.plan_markdown(many_adds(pbx, make_client, count=3))
    assert "<details>" not in markdown and " more, " not in markdown


def test_the_more_line_gets_its_path_and_nothing_else_does(pbx, make_client):
    pbx.load({"extnumber": "2998", "username": "_1 more, see the plan's JSON file._"})
    plans = many_adds(pbx, make_client, count=300, more=[{"number": "2998", "name": "Reception"}])
    markdown = plan_files.named_summary(plan_files.plan_markdown(plans, limit=5000), "pbx", "plan/pbx.json")
    assert "`_1 more, see the plan's JSON file._`" in markdown
    assert len(re.findall(r"^_\d+ more, see `plan/pbx.json`\._$", markdown, re.M)) == 1
    assert markdown.startswith("### PBX plan for `pbx`\n")


def test_the_fleet_index_has_one_row_per_pbx():
    counts = {"extensions": {"added": 3, "updated": 1, "deleted": 0, "renamed": 1},
              "trunks": {"added": 0, "updated": 2, "deleted": 1, "renamed": 0}}
    none = {"extensions": {"added": 0, "updated": 0, "deleted": 0, "renamed": 0}}
    index = plan_files.fleet_index([("pbx10", none, "pbx10.md"), ("pbx2", counts, "pbx2.md"),
                                    (FORGED_SUMMARY, none, "odd name.md")])
    tokens = commonmark(index)
    cells = table_cells(tokens)
    assert cells[:6] == ["PBX", "add", "update", "delete", "rename", "summary"]
    rows = [cells[index:index + 6] for index in range(6, len(cells), 6)]
    assert [row[0] for row in rows if row[0].startswith("pbx")] == ["pbx2", "pbx10"]
    assert rows[1][1:5] == ["3", "3", "1", "1"] and rows[2][1:5] == ["0", "0", "0", "0"]
    assert "3 PBX(es), 1 with changes." in index
    assert "(odd%20name.md)" in index
    assert [token.tag for token in tokens if token.type == "heading_open"] == ["h3"]
