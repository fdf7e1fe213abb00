# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Secrets never appear in Ansible's output, whatever the verbosity, with --diff."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import json
import os

import pytest

from conftest import API_PASSWORD, md5_hex

SECRETS = {
    "secret_sip_1": "SipSecretQ7w3",
    "secret_login_1": "PortalSecretK9x2",
    "secret_pin_1": "73915824",
    "secret_sip_2": "SipSecretZ4m8",
    "secret_sip_3": "SipSecretR2d6",
    "secret_login_3": "PortalSecretH5j1",
    "secret_pin_3": "86240571",
}


@pytest.mark.parametrize("verbosity", [1, 3])
def test_diff_and_verbose_output_mask_secrets(emulator, run_playbook, token_cache_dir, verbosity):
    returncode, output = run_playbook("secrets", SECRETS, diff=True, verbosity=verbosity)
    assert returncode == 0, output

    # The secrets did reach the PBX, so their absence from the output means something.
    pbx = emulator.extensions()
    assert pbx["3101"]["registerpassword"] == SECRETS["secret_sip_3"]
    assert pbx["3101"]["loginpassword"] == SECRETS["secret_login_3"]
    assert pbx["3101"]["vmsecret"] == SECRETS["secret_pin_3"]
    assert pbx["3102"]["registerpassword"] == SECRETS["secret_sip_2"]
    assert pbx["3102"]["username"] == "Dave Changed"
    # ... and the diffs were shown: a secret change is announced, not revealed.
    assert "******** (changed)" in output
    assert "Carol Changed" in output and "Dave Replaced" in output
    if verbosity >= 3:
        assert "invocation" in output  # -vvv shows the module arguments (no_log-masked)

    # The API token the run used is cached (0600) for the next task; it is not printed either.
    token_files = glob.glob(os.path.join(token_cache_dir, "*.token.json"))
    assert len(token_files) == 1, token_files
    assert oct(os.stat(token_files[0]).st_mode & 0o777) == "0o600"
    with open(token_files[0]) as handle:
        token = json.load(handle)["token"]
    assert len(token) >= 16

    leaks = dict((name, value) for name, value in SECRETS.items())
    leaks.update(("md5 of %s" % name, md5_hex(value)) for name, value in SECRETS.items())
    leaks["api password"] = API_PASSWORD
    leaks["md5 of the api password"] = md5_hex(API_PASSWORD)
    leaks["api token"] = token
    found = sorted(name for name, value in leaks.items() if value in output)
    assert found == [], "secrets in the -%s output: %s" % ("v" * verbosity, found)


def test_update_password_on_create_and_always(emulator, converge):
    extensions = [{"number": "3201", "name": "Erin", "register_password": "FirstSip3201",
                   "login_password": "FirstPortal3201", "voicemail_pin": "3201"}]
    returncode, output, result = converge(extensions, update_password="on_create")
    assert returncode == 0, output
    assert result["changed"] is True
    assert emulator.extensions()["3201"]["registerpassword"] == "FirstSip3201"

    rotated = [dict(extensions[0], register_password="SecondSip3201", login_password="SecondPortal3201",
                    voicemail_pin="99887766")]
    emulator.clear_log()
    returncode, output, result = converge(rotated, update_password="on_create")
    assert returncode == 0, output
    assert result["changed"] is False
    assert emulator.writes() == []
    assert emulator.extensions()["3201"]["registerpassword"] == "FirstSip3201"

    returncode, output, result = converge(rotated, update_password="always")
    assert returncode == 0, output
    assert result["changed"] is True
    writes = emulator.writes()
    assert [(w["endpoint"], w["body"]) for w in writes] == [("extension/update", {
        "extid": "3201", "registerpassword": "********", "loginpassword": "********", "vmsecret": "********"})]
    pbx = emulator.extensions()["3201"]
    assert (pbx["registerpassword"], pbx["loginpassword"], pbx["vmsecret"]) == (
        "SecondSip3201", "SecondPortal3201", "99887766")
