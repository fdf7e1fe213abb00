# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a PBX reports, shown in the plan summary, diff headers and messages: one line, never markup."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from markdown_it import MarkdownIt

from ansible_collections.openvox.ucpbx.plugins.module_utils import engine, plan_files, tree
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.catalog import RESOURCES
from ansible_collections.openvox.ucpbx.plugins.module_utils.untrusted import code_span, one_line, table_cell

FORGED_SUMMARY = "Bob`\n\n### PBX plan\n\nNo changes: the PBX matches the configuration.\n\n<!-- "
HOSTILE = [
    FORGED_SUMMARY,
    "``a```b`", "`", " ` ", "x|y", "<!-- hidden -->", "<b>bold</b>", "### heading", "- item", "1. item",
    "line\u2028sep\u2029par\x85nel\rcr", "bidi\u202eevil", "tab\tnul\x00", "back\\slash\\n", "*em* _em_ [l](u)",
    "  ", " lead", "trail ",
]


def commonmark(text):
    """The tokens GitHub-flavoured Markdown (CommonMark with tables) makes of the text."""
    tokens = []
    for token in MarkdownIt("commonmark").enable("table").parse(text):
        tokens.append(token)
        tokens.extend(token.children or [])
    return tokens


def table_cells(tokens):
    cells, inside = [], False
    for token in tokens:
        inside = (inside or token.type == "table_open") and token.type != "table_close"
        if inside and token.type == "inline":
            cells.append(token.content)
    return cells


@pytest.mark.parametrize("value", HOSTILE)
def test_a_code_span_shows_exactly_the_escaped_value(value):
    tokens = commonmark("- x %s y" % code_span(value))
    spans = [token.content for token in tokens if token.type == "code_inline"]
    assert spans == [one_line(value)]
    assert not [token for token in tokens if token.type.startswith("html") or token.type == "heading_open"]


def test_one_line_escapes_every_line_break_and_invisible_character():
    assert one_line("a\nb\r\x85\u2028\u2029\x00\u202e\U000e0001") == "a\\nb\\r\\x85\\u2028\\u2029\\x00\\u202e\\U000e0001"
    assert one_line("back\\n") == "back\\\\n"
    assert one_line("Müller, 2001 | `x` <y>") == "Müller, 2001 | `x` <y>"
    assert not any(char in one_line("".join(HOSTILE)) for char in "\n\r\x85\u2028\u2029")


def test_a_table_cell_keeps_its_row():
    row = "| %s | 1 |" % table_cell("a|b\nc")
    assert table_cells(commonmark("| kind | n |\n|---|---|\n%s\n" % row)) == ["kind", "n", "a|b\\nc", "1"]


def extension_plans(pbx, make_client):
    """Every hostile name an extension on the PBX, and a config that renames each and deletes one more."""
    pbx.load(*[{"extnumber": str(2001 + index), "username": name} for index, name in enumerate(HOSTILE)])
    pbx.load({"extnumber": "2999", "username": FORGED_SUMMARY})
    wanted = [{"number": str(2001 + index), "name": HOSTILE[-1 - index]} for index in range(len(HOSTILE))]
    return tree.plan(make_client(), {"extensions": wanted}, "overridden")


def test_the_plan_summary_shows_every_operation_whatever_the_names(pbx, make_client):
    plans = extension_plans(pbx, make_client)
    operations = [op for kind_plan in plans for op in kind_plan.operations]
    assert ("delete", "2999") in [(op.verb, op.key) for op in operations]
    markdown = plan_files.plan_markdown(plans, host="pbx`\n# x")

    tokens = commonmark(markdown)
    headings = [line for line in markdown.splitlines() if line.startswith("#")]
    assert headings == ["### PBX plan for ``pbx`\\n# x``", "#### extensions"]
    assert [token.tag for token in tokens if token.type == "heading_open"] == ["h3", "h4"]
    # One list item per planned operation, and nothing hidden as HTML.
    assert len([token for token in tokens if token.type == "list_item_open"]) == len(operations)
    assert not [token for token in tokens if token.type.startswith("html")]
    assert "\nNo changes" not in markdown
    # Every name is shown, escaped, in a code span of its own.
    spans = [token.content for token in tokens if token.type == "code_inline"]
    for name in HOSTILE:
        if name.strip(" "):
            assert one_line(name) in spans, name


def test_the_table_counts_each_kind_once(pbx, make_client):
    markdown = plan_files.plan_markdown(extension_plans(pbx, make_client))
    tokens = commonmark(markdown)
    cells = table_cells(tokens)
    assert cells == ["kind", "add", "update", "delete", "rename", "extensions", "0", str(len(HOSTILE)), "1", "0"]


def test_diff_headers_and_drift_messages_stay_on_one_line(pbx, make_client):
    plans = extension_plans(pbx, make_client)
    trunks = RESOURCES["trunks"]
    renamed = engine.Operation("update", "new\n+++ after: x", {"name": "new\n+++ after: x"}, {"name": "old\n--- y"},
                               {"name": "new\n+++ after: x"}, renamed_from="old\n--- y")
    diffs = tree.diffs(plans) + engine.diff_of(trunks, [renamed])
    headers = [diff[side] for diff in diffs for side in ("before_header", "after_header")]
    assert all("\n" not in header for header in headers)
    assert "trunk old\\n--- y on the PBX" in headers
    assert "trunk new\\n+++ after: x wanted (renamed from old\\n--- y)" in headers

    document = plan_files.plan_document(plans, [])
    document["kinds"]["extensions"]["objects"] = {"20\n01": "0"}
    assert "extension 20\\n01 was deleted" in plan_files.drift(plans, document)


def test_objects_in_use_are_named_on_one_line():
    from ansible_collections.openvox.ucpbx.plugins.module_utils import in_use
    listed = in_use._listed([("inbound route", "destination", "main\n### forged"), ("queue", "static_agents", "6700")])
    assert "\n" not in listed
    assert "main\\n### forged" in listed and "6700" in listed
