# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The release tarball: its content, the README's steps run from an install of it, galaxy-importer."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import re
import subprocess
import tarfile
import textwrap

import yaml

from conftest import BIN, PASSWORD, REPO, ansible_env

# Development files that must never be shipped.
UNWANTED = re.compile(r"(^|/)(\.venv|\.build|\.git|\.tox|\.cache|\.ansible|\.pytest_cache|__pycache__|collections)(/|$)"
                      r"|^tests/output(/|$)|^context(/|$)|\.tar\.gz$|\.pyc$|\.egg-info(/|$)")


def version():
    with open(os.path.join(REPO, "galaxy.yml")) as handle:
        return yaml.safe_load(handle)["version"]


def test_tarball_holds_the_collection_and_nothing_else(tarball):
    assert os.path.basename(tarball) == "openvox-ucpbx-%s.tar.gz" % version()
    with tarfile.open(tarball) as archive:
        names = archive.getnames()
        manifest = json.load(archive.extractfile("MANIFEST.json"))
    assert not [name for name in names if UNWANTED.search(name)]
    for expected in ("LICENSE", "README.md", "requirements.txt", "meta/runtime.yml", "meta/execution-environment.yml",
                     "plugins/modules/uc_extension.py", "roles/pbx_config/tasks/main.yml", "playbooks/site.yml",
                     "docs/awx/credential_type.yml", "changelogs/changelog.yaml"):
        assert expected in names
    info = manifest["collection_info"]
    assert info["version"] == version()
    assert info["license"] == ["GPL-3.0-or-later"]
    assert info["repository"] == "https://github.com/openvox-ucpbx/openvox.ucpbx"
    assert info["issues"] == "https://github.com/openvox-ucpbx/openvox.ucpbx/issues"
    with open(os.path.join(REPO, "LICENSE")) as handle:
        assert "GNU GENERAL PUBLIC LICENSE\n                       Version 3, 29 June 2007" in handle.read()


def readme_section(title):
    with open(os.path.join(REPO, "README.md")) as handle:
        text = handle.read()
    start = text.index("## %s\n" % title)
    end = text.find("\n## ", start + 1)
    return text[start:end if end >= 0 else None]


def code_blocks(section, language):
    return [textwrap.dedent(block) for block in re.findall(r"```%s\n(.*?)\n *```" % language, section, re.S)]


def test_readme_steps_run_from_the_installed_tarball(installed, emulator, tmp_path):
    section = readme_section("Using it with a real PBX")
    # Step 2 installs the tarball this version builds and the runtime requirements.
    console = "\n".join(code_blocks(section, "console"))
    assert "ansible-galaxy collection build" in console
    assert "ansible-galaxy collection install openvox-ucpbx-%s.tar.gz" % version() in console
    assert "pip install -r requirements.txt" in console
    with open(os.path.join(REPO, "requirements.txt")) as handle:
        requirements = [re.split(r"[<>=]", line)[0] for line in handle.read().splitlines()
                        if line and not line.startswith("#")]
    assert requirements == ["requests", "jsonschema"]

    # Steps 3 and 4, as written, against the emulator in place of the PBX at 10.1.0.10.
    inventory, play = code_blocks(section, "yaml")[:2]
    assert inventory.startswith("# inventory.yml")
    (tmp_path / "inventory.yml").write_text(inventory)
    (tmp_path / "pbx.yml").write_text(play)
    extensions = [{"number": "2001", "name": "Alice", "voicemail": True}, {"number": "2002", "name": "Bob"}]
    extra_vars = {"pbx_address": "127.0.0.1", "vault_pbx_api_password": PASSWORD, "pbx_extensions": extensions}
    command = [os.path.join(BIN, "ansible-playbook"), "-i", "inventory.yml", "pbx.yml", "--limit", "pbx-paris",
               "-e", json.dumps(extra_vars)]
    env = ansible_env(installed, UCPBX_PORT=str(emulator.port), UCPBX_TOKEN_CACHE_DIR=str(tmp_path / "tokens"))

    first = subprocess.run(command, cwd=str(tmp_path), env=env, capture_output=True, text=True, check=False)
    assert first.returncode == 0, first.stdout + first.stderr
    assert re.search(r"pbx-paris\s*: ok=1\s+changed=1\s+unreachable=0\s+failed=0", first.stdout), first.stdout
    numbers = dict((e["number"], e) for e in emulator.state()["extensions"])
    assert sorted(numbers) == ["2001", "2002"]
    assert (numbers["2001"]["username"], numbers["2002"]["username"]) == ("Alice", "Bob")

    second = subprocess.run(command, cwd=str(tmp_path), env=env, capture_output=True, text=True, check=False)
    assert second.returncode == 0, second.stdout + second.stderr
    assert re.search(r"pbx-paris\s*: ok=1\s+changed=0\s+unreachable=0\s+failed=0", second.stdout), second.stdout


def test_galaxy_importer_finds_no_error(tarball, tmp_path):
    config = tmp_path / "galaxy-importer.cfg"
    # Its ansible-test step needs a container engine; ansible-test sanity runs in `make sanity`.
    config.write_text("[galaxy-importer]\nRUN_ANSIBLE_TEST = False\nOFFLINE_ANSIBLE_LINT = True\n")
    env = dict(os.environ, GALAXY_IMPORTER_CONFIG=str(config))
    # Without the tools on PATH galaxy-importer skips ansible-doc and ansible-lint silently.
    env["PATH"] = BIN + os.pathsep + env.get("PATH", "")
    result = subprocess.run([os.path.join(BIN, "python"), "-m", "galaxy_importer.main", tarball],
                            cwd=str(tmp_path), env=env, capture_output=True, text=True, check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "Importer processing completed successfully" in output
    assert "Getting doc strings via ansible-doc" in output and "Linting collection via ansible-lint" in output
    assert not [line for line in output.splitlines() if re.match(r"\s*(ERROR|CRITICAL)", line)], output
    with open(str(tmp_path / "importer_result.json")) as handle:
        result = json.load(handle)
    modules = [c["name"] for c in result["contents"] if c["content_type"] == "module"]
    assert len(modules) == len(os.listdir(os.path.join(REPO, "plugins", "modules")))
    # ansible-doc read every module's documentation.
    documented = [c for c in result["docs_blob"]["contents"] if c["content_type"] == "module" and c["doc_strings"]]
    assert len(documented) == len(modules)
