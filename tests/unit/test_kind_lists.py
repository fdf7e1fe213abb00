# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every list of the kinds follows plugins/module_utils/resources/catalog.py.

Python derives its lists from the catalog; hand-written files (YAML, Markdown, module documentation, the
emulator) are compared with it here, and a failure names the file that lacks a kind. The last test adds a
kind to the catalog and shows both: the derived places pick it up, and the checks name exactly the files a
new kind has to be written into (the list in docs/design.md, "A new resource").
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ast
import importlib.util
import json
import os
from collections import OrderedDict

import yaml

from ansible_collections.openvox.ucpbx.plugins.module_utils.engine import Endpoint, Field, Resource
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources import catalog
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.catalog import MODULES, RESOURCES

COLLECTION = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def read(name):
    with open(os.path.join(COLLECTION, name)) as handle:
        return handle.read()


def flowing(name):
    """The file's text with every run of white space made one space, so wrapped lists read as one line."""
    return " ".join(read(name).split())


def load(name, relative):
    """A fresh copy of a Python file of the collection, built from the catalog as it is now."""
    spec = importlib.util.spec_from_file_location(name, os.path.join(COLLECTION, relative))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def module_docs(module, name):
    """DOCUMENTATION or RETURN of a module, or None when the module file does not exist."""
    relative = os.path.join("plugins", "modules", module + ".py")
    if not os.path.exists(os.path.join(COLLECTION, relative)):
        return None
    for node in ast.parse(read(relative)).body:
        if isinstance(node, ast.Assign) and node.targets[0].id == name:
            return yaml.safe_load(node.value.value)
    return None


def missing_kinds(resources, modules):
    """{file: what it lacks} for every hand-written file that must name each kind of `resources`."""
    kinds = list(resources)
    names = ", ".join(resource.name + "s" for resource in resources.values())
    texts = OrderedDict([
        ("roles/pbx_config/README.md", [names, ", ".join("`%s`" % kind for kind in kinds)]),
        ("roles/pbx_config/meta/main.yml", [names]),
        ("roles/pbx_config/meta/argument_specs.yml", [names, ", ".join("C(%s)" % kind for kind in kinds)]),
        ("plugins/modules/uc_config.py", [names, ", ".join("V(%s)" % kind for kind in kinds)]
         + ["M(openvox.ucpbx.%s)" % module for module in modules.values()]),
        ("meta/runtime.yml", ["- %s" % module for module in modules.values()]),
        ("README.md", ["`openvox.ucpbx.%s`" % module for module in modules.values()]),
        # The emulator is an independent package: it is read, not imported.
        ("tests/emulator/ucpbx_emulator/state.py", ['"%s"' % kind for kind in kinds]),
    ])
    missing = OrderedDict()
    for name, wanted in texts.items():
        text = flowing(name)
        lacking = [item for item in wanted if item not in text]
        if lacking:
            missing[name] = lacking
    config = module_docs("uc_config", "DOCUMENTATION")["options"]
    if config["gather"]["choices"] != kinds:
        missing.setdefault("plugins/modules/uc_config.py", []).append("gather choices %s" % kinds)
    info = module_docs("uc_pbx_info", "DOCUMENTATION")["options"]["gather_subset"]["choices"]
    returned = module_docs("uc_pbx_info", "RETURN")["pbx"]["contains"]
    lacking = [kind for kind in kinds if kind not in info or kind not in returned]
    if lacking:
        missing["plugins/modules/uc_pbx_info.py"] = ["gather_subset choice and RV(pbx.%s)" % kind for kind in lacking]
    schema = json.loads(read("roles/pbx_config/files/ucpbx_config.schema.json"))
    lacking = [kind for kind in kinds if kind not in schema["properties"]]
    if lacking:
        missing["roles/pbx_config/files/ucpbx_config.schema.json (tests/tools/render_schema.py)"] = lacking
    for kind, module in modules.items():
        if module_docs(module, "DOCUMENTATION") is None:
            missing["plugins/modules/%s.py" % module] = [kind]
    return missing


def test_every_hand_written_kind_list_follows_the_catalog():
    missing = missing_kinds(RESOURCES, MODULES)
    assert missing == {}, "these files do not list every kind of the catalog, in its order: %s" % json.dumps(
        missing, indent=1)


def test_every_kind_list_in_python_is_the_catalog():
    playbooks = load("playbook_tests", "tests/playbooks/test_pbx_config.py")
    assert [kind for kind, _query in playbooks.QUERIES] == list(RESOURCES)
    tree = load("resilience_tree", "tests/resilience/tree.py")
    assert sorted(tree.CONFIG_KEYS) == sorted(kind for kind, resource in RESOURCES.items() if resource.creatable)


# A kind the collection does not have, added the way catalog.py adds one.
SPEED_DIAL = Resource(
    name="speed dial",
    key="number",
    query=Endpoint("speeddial/query", key="number", all_value="all", list_keys=("speeddial",)),
    add=Endpoint("speeddial/add", key="number"),
    update=Endpoint("speeddial/update", key="number"),
    delete=Endpoint("speeddial/delete", key="number", batch=True),
    fields=OrderedDict([
        ("number", Field("number", "Speed dial code.", pattern=r"^\d+$", hint="digits only")),
        ("name", Field("name", "Speed dial name.")),
        ("pin", Field("pin", "PIN that unlocks the speed dial.", secret=True)),
    ]),
)


class _Client:
    """Answers uc_pbx_info's reads: the device, and one speed dial."""

    def call(self, endpoint, body=None, subject=None, verify=None):
        if endpoint == "deviceinfo/query":
            return {"status": "Success", "deviceinfo": {"model": "UC500"}}
        assert endpoint == "speeddial/query", endpoint
        return {"status": "Success", "speeddial": [{"number": "6600", "name": "front desk", "pin": "1234"}]}


class _Module:
    params = {"gather_subset": ["speed_dials"]}


def test_a_new_kind_reaches_every_derived_list_and_the_checks_name_the_files_to_write(monkeypatch):
    monkeypatch.setattr(catalog, "CATALOG", catalog.CATALOG + (("speed_dials", SPEED_DIAL, "uc_speed_dial"),))
    # In place: every module that imported these dicts sees the new kind, as a fresh import would.
    monkeypatch.setitem(RESOURCES, "speed_dials", SPEED_DIAL)
    monkeypatch.setitem(MODULES, "speed_dials", "uc_speed_dial")

    # Derived: the Python that lists kinds.
    assert load("config_task_copy", "plugins/module_utils/config_task.py").ARGUMENT_SPEC["gather"]["choices"][-1] \
        == "speed_dials"
    info = load("uc_pbx_info_copy", "plugins/modules/uc_pbx_info.py").read_pbx(_Module(), _Client())
    assert info["pbx"]["speed_dials"] == [{"number": "6600", "name": "front desk"}]
    assert info["secret_options"] == {"speed_dials": ["pin"]}
    exported = load("export_filter_copy", "plugins/filter/export_host_vars.py").export_host_vars(
        info, host="pbx", secrets="placeholder")
    assert "speed_dials:" in exported["config"] and "vault_ucpbx_pbx_speed_dials_6600_pin" in exported["config"]
    playbooks = load("playbook_tests_copy", "tests/playbooks/test_pbx_config.py")
    assert playbooks.QUERIES[-1] == ("speed_dials", "speeddial/query") and playbooks.WRITE_PREFIXES[-1] == "speeddial/"
    tree = load("resilience_tree_copy", "tests/resilience/tree.py")
    assert (tree.STATE_KEYS["speed_dials"], tree.CONFIG_KEYS["speed_dials"]) == ("number", "number")
    assert (tree.ADD_ENDPOINTS["speeddial/add"], tree.ADD_KEYS["speeddial/add"]) == ("speed_dials", "number")
    collections = os.path.dirname(os.path.dirname(os.path.dirname(COLLECTION)))
    assert load("whole_pbx_copy", "benchmarks/whole_pbx.py").kinds_by_prefix(collections)["speeddial"] == "speed_dials"
    schema = load("render_schema_copy", "tests/tools/render_schema.py").render()
    assert "speed_dials" in schema["properties"]
    options = load("render_options_copy", "tests/tools/render_options.py").render(SPEED_DIAL)
    assert "      pin:" in options

    # Written by hand: each file that must name the new kind is named by the checks above.
    assert sorted(missing_kinds(RESOURCES, MODULES)) == sorted([
        "README.md",
        "meta/runtime.yml",
        "plugins/modules/uc_config.py",
        "plugins/modules/uc_pbx_info.py",
        "plugins/modules/uc_speed_dial.py",
        "roles/pbx_config/README.md",
        "roles/pbx_config/files/ucpbx_config.schema.json (tests/tools/render_schema.py)",
        "roles/pbx_config/meta/argument_specs.yml",
        "roles/pbx_config/meta/main.yml",
        "tests/emulator/ucpbx_emulator/state.py",
    ])
