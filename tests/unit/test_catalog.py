# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Everything that lists the kinds of object agrees with plugins/module_utils/resources/catalog.py.

A new resource is its Resource, its module and its emulator table; these tests say what else is
missing when one of them is added.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ast
import importlib
import importlib.util
import json
import os
import re
import subprocess
import sys

import yaml

from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.catalog import CATALOG, MODULES, RESOURCES

COLLECTION = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def path(*parts):
    return os.path.join(COLLECTION, *parts)


def read(*parts):
    with open(path(*parts)) as handle:
        return handle.read()


def documentation(module):
    tree = ast.parse(read("plugins", "modules", module + ".py"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and node.targets[0].id == "DOCUMENTATION":
            return yaml.safe_load(node.value.value)
    raise AssertionError("%s has no DOCUMENTATION" % module)


def load_tool(name):
    spec = importlib.util.spec_from_file_location(name, path("tests", "tools", name + ".py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_each_kind_has_a_module_that_runs_its_resource():
    for _kind, resource, module in CATALOG:
        source = read("plugins", "modules", module + ".py")
        imported = re.search(r"^from ansible_collections\.openvox\.ucpbx\.plugins\.module_utils\.resources\.(\w+) "
                             r"import (\w+)$", source, re.M)
        assert imported, module
        resources = importlib.import_module("ansible_collections.openvox.ucpbx.plugins.module_utils.resources."
                                            + imported.group(1))
        assert getattr(resources, imported.group(2)) is resource, module
        assert "run(%s)" % imported.group(2) in source, module


def test_module_documentation_is_generated_from_the_resources():
    render_options = load_tool("render_options")
    stale = [MODULES[kind] for kind in RESOURCES if render_options.documented(kind) != render_options.render(
        RESOURCES[kind])]
    assert stale == [], "config suboptions differ; run: python tests/tools/render_options.py --write"
    stale = [MODULES[kind] for kind in RESOURCES
             if render_options.documented_return(kind) != render_options.render_return(kind)]
    assert stale == [], "RETURN differs; run: python tests/tools/render_options.py --write"


def test_render_options_runs_from_a_source_tree(tmp_path):
    # Nothing on the path provides the collection: the tool finds it through its own location.
    env = dict((name, value) for name, value in os.environ.items() if name != "PYTHONPATH")
    answer = subprocess.run([sys.executable, path("tests", "tools", "render_options.py"), "--check"],
                            cwd=str(tmp_path), env=env, capture_output=True, text=True, check=False)
    assert answer.returncode == 0, answer.stderr


def test_the_action_group_lists_every_module():
    runtime = yaml.safe_load(read("meta", "runtime.yml"))
    modules = sorted(name[:-3] for name in os.listdir(path("plugins", "modules")) if name.endswith(".py"))
    assert sorted(runtime["action_groups"]["ucpbx"]) == modules
    assert set(MODULES.values()) <= set(modules)


def test_every_module_documents_its_action_groups():
    # Read as ansible-doc renders the documentation, so that the attribute the modules take from the
    # connection doc fragment counts and one a module overrides is seen.
    runtime = yaml.safe_load(read("meta", "runtime.yml"))
    modules = sorted(name[:-3] for name in os.listdir(path("plugins", "modules")) if name.endswith(".py"))
    collections = os.path.dirname(os.path.dirname(os.path.dirname(COLLECTION)))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections, ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false")
    answer = subprocess.run([sys.executable, "-m", "ansible.cli.doc", "--json", "-t", "module"]
                            + ["openvox.ucpbx." + module for module in modules],
                            env=env, capture_output=True, text=True, check=False)
    assert answer.returncode == 0, answer.stderr
    docs = json.loads(answer.stdout)
    wrong = {}
    for module in modules:
        groups = sorted("openvox.ucpbx." + group for group, members in runtime["action_groups"].items() if module in members)
        attribute = docs["openvox.ucpbx." + module]["doc"].get("attributes", {}).get("action_group", {})
        if sorted(attribute.get("membership", [])) != groups or attribute.get("support") != "full":
            wrong[module] = attribute
    assert wrong == {}, "attributes.action_group must be support full, membership as in meta/runtime.yml"


def test_uc_pbx_info_and_uc_config_offer_every_kind():
    subsets = documentation("uc_pbx_info")["options"]["gather_subset"]["choices"]
    assert sorted(set(subsets) - {"all", "status"}) == sorted(RESOURCES)
    config = documentation("uc_config")["options"]
    assert config["gather"]["choices"] == list(RESOURCES)
    for kind in RESOURCES:
        assert "V(%s)" % kind in " ".join(config["config"]["description"]), kind
        assert "M(openvox.ucpbx.%s)" % MODULES[kind] in " ".join(documentation("uc_config")["description"]), kind


def test_the_readme_lists_every_module():
    readme = read("README.md")
    for module in sorted(name[:-3] for name in os.listdir(path("plugins", "modules")) if name.endswith(".py")):
        assert "`openvox.ucpbx.%s`" % module in readme, module
