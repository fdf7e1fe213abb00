# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The execution environment: ansible-builder writes a build context that holds the release tarball.

No image is built here (that needs a container engine). The build's collection step (ansible-galaxy
in the context's _build directory, which the image copies to /build) and its dependency step (the
context's introspect script) run here instead, on the context ansible-builder wrote.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import shutil
import subprocess

import yaml

from conftest import BIN, REPO, ansible_env


def ee_definition():
    with open(os.path.join(REPO, "execution-environment.yml")) as handle:
        return yaml.safe_load(handle)


def requirement_lines(path):
    with open(path) as handle:
        lines = [line.split("#")[0].strip() for line in handle]
    return [line for line in lines if line]


def create_context(tarball, tmp_path):
    """What `make ee` does: the tarball where execution-environment.yml looks for it, then ansible-builder."""
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(os.path.join(REPO, "execution-environment.yml"), str(project))
    [extra] = ee_definition()["additional_build_files"]
    (project / extra["src"]).parent.mkdir(parents=True)
    shutil.copy(tarball, str(project / extra["src"]))
    context = tmp_path / "context"
    result = subprocess.run([os.path.join(BIN, "ansible-builder"), "create", "--file", "execution-environment.yml",
                             "--context", str(context), "--output-filename", "Containerfile"],
                            cwd=str(project), capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No matches" not in result.stdout + result.stderr
    return context


def test_the_context_installs_the_collection_from_the_release_tarball_and_its_requirements(tarball, tmp_path):
    context = create_context(tarball, tmp_path)
    build = context / "_build"
    containerfile = (context / "Containerfile").read_text()
    assert not (context / "Dockerfile").exists()

    # The image copies _build to /build and installs the collections of requirements.yml from there.
    assert "COPY _build /build\nWORKDIR /build\n" in containerfile
    assert 'ansible-galaxy collection install $ANSIBLE_GALAXY_CLI_COLLECTION_OPTS -r requirements.yml' in containerfile
    requirements = yaml.safe_load((build / "requirements.yml").read_text())
    [collection] = requirements["collections"]
    assert collection.get("type") == "file", "the collection would be fetched from Galaxy: %r" % collection
    with open(tarball, "rb") as handle:
        assert (build / collection["name"]).read_bytes() == handle.read()

    # That install step, from the same directory; there is no Galaxy to reach here, so it only
    # succeeds from the tarball.
    collections = tmp_path / "usr-share-ansible-collections"
    result = subprocess.run([os.path.join(BIN, "ansible-galaxy"), "collection", "install", "-r", "requirements.yml",
                             "--collections-path", str(collections)],
                            cwd=str(build), env=ansible_env(collections, ANSIBLE_GALAXY_DISABLE_GPG_VERIFY="1"),
                            capture_output=True, text=True, check=False, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    with open(os.path.join(REPO, "galaxy.yml")) as handle:
        version = yaml.safe_load(handle)["version"]
    assert "openvox.ucpbx:%s was installed successfully" % version in result.stdout, result.stdout

    # The dependency step: introspection of the installed collections lists what the image's pip installs.
    assert "introspect.py introspect" in containerfile
    wanted = tmp_path / "requirements.txt"
    result = subprocess.run([os.path.join(BIN, "python"), str(build / "scripts" / "introspect.py"), "introspect",
                             str(collections), "--write-pip", str(wanted)],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert requirement_lines(str(wanted)) == requirement_lines(os.path.join(REPO, "requirements.txt"))
    with open(os.path.join(REPO, "meta", "execution-environment.yml")) as handle:
        meta = yaml.safe_load(handle)
    assert meta["version"] == 3 and meta["dependencies"] == {"python": "requirements.txt"}
