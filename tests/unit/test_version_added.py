# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every plugin and the role say they were added in a release that exists or in the one galaxy.yml prepares.

antsibull-changelog lists a plugin as new in the release whose version equals its version_added; a
version_added that names no release would hide the plugin from every changelog.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ast
import glob
import os

import pytest
import yaml

COLLECTION = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def load_yaml(*path):
    with open(os.path.join(COLLECTION, *path)) as handle:
        return yaml.safe_load(handle)


def known_versions():
    released = set((load_yaml("changelogs", "changelog.yaml").get("releases") or {}).keys())
    return released | {load_yaml("galaxy.yml")["version"]}


def documentation(path):
    with open(path) as handle:
        tree = ast.parse(handle.read())
    for node in tree.body:
        if isinstance(node, ast.Assign) and [t.id for t in node.targets if isinstance(t, ast.Name)] == ["DOCUMENTATION"]:
            return yaml.safe_load(node.value.value)
    return None


PLUGINS = sorted(glob.glob(os.path.join(COLLECTION, "plugins", "modules", "*.py"))
                 + glob.glob(os.path.join(COLLECTION, "plugins", "filter", "*.py"))
                 + glob.glob(os.path.join(COLLECTION, "extensions", "eda", "plugins", "event_source", "*.py")))


@pytest.mark.parametrize("path", PLUGINS, ids=os.path.basename)
def test_plugin_version_added_names_a_release(path):
    doc = documentation(path)
    assert doc is not None, "%s has no DOCUMENTATION" % path
    assert doc.get("version_added") in known_versions(), (
        "%s: version_added %s, releases %s" % (os.path.basename(path), doc.get("version_added"), sorted(known_versions())))


def test_role_version_added_names_a_release():
    main = load_yaml("roles", "pbx_config", "meta", "argument_specs.yml")["argument_specs"]["main"]
    assert main.get("version_added") in known_versions()
