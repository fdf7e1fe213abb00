# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The execution environment: ansible-builder writes a build context, and the collection tells it its needs.

No image is built here (that needs a container engine); the build's own dependency step, the
context's introspect script, runs against an install of the tarball instead.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import subprocess

import yaml

from conftest import BIN, REPO


def test_ansible_builder_creates_a_context_that_installs_the_collection_and_its_requirements(installed, tmp_path):
    context = tmp_path / "context"
    result = subprocess.run([os.path.join(BIN, "ansible-builder"), "create", "-f", "execution-environment.yml",
                             "--context", str(context), "--output-filename", "Containerfile"],
                            cwd=REPO, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    containerfile = (context / "Containerfile").read_text()
    galaxy = yaml.safe_load((context / "_build" / "requirements.yml").read_text())
    assert galaxy == {"collections": [{"name": "openvox.ucpbx"}]}
    assert "ansible-galaxy collection install" in containerfile
    assert "introspect.py introspect" in containerfile

    # What the build does after installing the collection: collect its Python requirements.
    requirements = tmp_path / "requirements.txt"
    result = subprocess.run([os.path.join(BIN, "python"), str(context / "_build" / "scripts" / "introspect.py"),
                             "introspect", str(installed), "--write-pip", str(requirements)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    found = [line.split("#")[0].strip() for line in requirements.read_text().splitlines() if line.strip()]
    assert found == ["requests>=2.25", "jsonschema>=4.0"]
    with open(os.path.join(REPO, "meta", "execution-environment.yml")) as handle:
        meta = yaml.safe_load(handle)
    assert meta["version"] == 3 and meta["dependencies"] == {"python": "requirements.txt"}
