# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The changelog of the first release reads as a first release.

Until 0.1.0 is cut, nothing has been released that could break, be deprecated, be removed or be
fixed: every fragment describes what the release offers, and changelogs/changelog.yaml records no
release other than the one galaxy.yml prepares (antsibull-changelog would otherwise render the
fragments against versions nobody could install).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os

import pytest
import yaml

COLLECTION = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FRAGMENTS = sorted(glob.glob(os.path.join(COLLECTION, "changelogs", "fragments", "*.yml"))
                   + glob.glob(os.path.join(COLLECTION, "changelogs", "fragments", "*.yaml")))
OFFERINGS = {"release_summary", "minor_changes"}


def load_yaml(*path):
    with open(os.path.join(COLLECTION, *path)) as handle:
        return yaml.safe_load(handle)


def test_there_are_fragments():
    assert FRAGMENTS, "no changelog fragments found under changelogs/fragments"


@pytest.mark.parametrize("path", FRAGMENTS, ids=os.path.basename)
def test_fragment_describes_what_the_release_offers(path):
    with open(path) as handle:
        fragment = yaml.safe_load(handle) or {}
    other = sorted(set(fragment) - OFFERINGS)
    assert not other, (
        "%s has the section(s) %s; before the first release there is nothing to fix, break or remove, so "
        "describe what the release offers under minor_changes" % (os.path.basename(path), ", ".join(other)))


def test_one_release_summary():
    summaries = []
    for path in FRAGMENTS:
        with open(path) as handle:
            if "release_summary" in (yaml.safe_load(handle) or {}):
                summaries.append(os.path.basename(path))
    assert len(summaries) <= 1, "several fragments have a release_summary: %s" % ", ".join(summaries)


def test_changelog_records_only_the_release_galaxy_yml_prepares():
    changelog = load_yaml("changelogs", "changelog.yaml")
    version = load_yaml("galaxy.yml")["version"]
    releases = sorted((changelog.get("releases") or {}).keys())
    assert set(releases) <= {version}, (
        "changelogs/changelog.yaml records releases %s; galaxy.yml prepares %s, the first release"
        % (", ".join(releases), version))
    assert changelog.get("ancestor") is None, "the first release has no ancestor"
