# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Progress lines of a long apply: none for a short run, a few for a long one."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.openvox.ucpbx.plugins.plugin_utils.controller import Progress


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def progress_of(seconds_per_object, kinds):
    clock, shown = Clock(), []
    progress = Progress("pbx1", clock=clock, show=shown.append)
    for kind, total in kinds:
        progress(kind, 0, total, "adds and updates")
        for done in range(1, total + 1):
            clock.now += seconds_per_object
            progress(kind, done, total, "adds and updates")
    return shown


def test_a_short_run_says_nothing():
    assert progress_of(0.002, [("trunks", 10), ("extensions", 1000)]) == []


def test_a_long_run_says_how_far_it_got_every_so_many_objects():
    shown = progress_of(0.02, [("trunks", 10), ("extensions", 500)])
    # Quiet for 3 s (about 140 objects at 20 ms), then every 50 objects but at most one line every
    # 2 s (100 objects), and the end.
    done = [int(line.split(": ")[2].split(" of ")[0]) for line in shown]
    assert all(line.startswith("pbx1: extensions: ") and " of 500 adds and updates done (" in line for line in shown)
    assert 140 <= done[0] <= 160 and done[-1] == 500, shown
    assert all(later - earlier >= 99 for earlier, later in zip(done, done[1:-1])), shown
    assert len(shown) == 5, shown


def test_a_kind_that_starts_late_is_announced():
    shown = progress_of(0.02, [("extensions", 200), ("paging_groups", 5)])
    assert [line for line in shown if "paging_groups" in line][0].startswith(
        "pbx1: paging_groups: 5 adds and updates to send (")
    assert shown[-1].startswith("pbx1: paging_groups: 5 of 5 adds and updates done (")
