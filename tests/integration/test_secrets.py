# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Secrets never appear in Ansible's output, whatever the verbosity, with --diff.

Each scenario plays once in a module-scoped fixture (the secrets playbook once per verbosity); each
test checks one behaviour.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import json
import os

from conftest import API_PASSWORD, md5_hex
from live_helpers import extensions_of, runs_fixture
from resources_helpers import writes_of

SECRETS = {
    "secret_sip_1": "SipSecretQ7w3",
    "secret_login_1": "PortalSecretK9x2",
    "secret_pin_1": "73915824",
    "secret_sip_2": "SipSecretZ4m8",
    "secret_sip_3": "SipSecretR2d6",
    "secret_login_3": "PortalSecretH5j1",
    "secret_pin_3": "86240571",
}


# The secrets playbook at -v and at -vvv, with --diff -----------------------------------------------------

@runs_fixture(params=[1, 3])
def shown(runs, verbosity):
    played = runs.play("secrets", SECRETS, fact=None, diff=True, verbosity=verbosity)
    return verbosity, played, glob.glob(os.path.join(runs.token_cache_dir, "*.token.json"))


def test_secrets_reach_the_pbx(shown):
    # So their absence from the output means something.
    played = shown[1]
    assert played.returncode == 0, played.output
    pbx = extensions_of(played)
    assert pbx["3101"]["registerpassword"] == SECRETS["secret_sip_3"]
    assert pbx["3101"]["loginpassword"] == SECRETS["secret_login_3"]
    assert pbx["3101"]["vmsecret"] == SECRETS["secret_pin_3"]
    assert pbx["3102"]["registerpassword"] == SECRETS["secret_sip_2"]
    assert pbx["3102"]["username"] == "Dave Changed"


def test_diff_announces_a_secret_change_without_revealing_it(shown):
    verbosity, output = shown[0], shown[1].output
    assert "******** (changed)" in output
    assert "Carol Changed" in output and "Dave Replaced" in output
    if verbosity >= 3:
        assert "invocation" in output  # -vvv shows the module arguments (no_log-masked)


def test_api_token_is_cached_private(shown):
    token_files = shown[2]
    assert len(token_files) == 1, token_files
    assert oct(os.stat(token_files[0]).st_mode & 0o777) == "0o600"
    assert len(cached_token(token_files)) >= 16


def test_output_holds_no_secret_nor_token(shown):
    verbosity, output = shown[0], shown[1].output
    leaks = dict((name, value) for name, value in SECRETS.items())
    leaks.update(("md5 of %s" % name, md5_hex(value)) for name, value in SECRETS.items())
    leaks["api password"] = API_PASSWORD
    leaks["md5 of the api password"] = md5_hex(API_PASSWORD)
    leaks["api token"] = cached_token(shown[2])
    found = sorted(name for name, value in leaks.items() if value in output)
    assert found == [], "secrets in the -%s output: %s" % ("v" * verbosity, found)


def cached_token(token_files):
    with open(token_files[0]) as handle:
        return json.load(handle)["token"]


# update_password on_create, then always ----------------------------------------------------------------------

@runs_fixture()
def rotation(runs):
    extensions = [{"number": "3201", "name": "Erin", "register_password": "FirstSip3201",
                   "login_password": "FirstPortal3201", "voicemail_pin": "3201"}]
    rotated = [dict(extensions[0], register_password="SecondSip3201", login_password="SecondPortal3201",
                    voicemail_pin="99887766")]
    return (runs.converge(extensions, update_password="on_create"),
            runs.converge(rotated, update_password="on_create"),
            runs.converge(rotated, update_password="always"))


def test_on_create_sets_the_passwords_of_a_new_extension(rotation):
    created = rotation[0]
    assert created.returncode == 0, created.output
    assert created.outcome["changed"] is True
    assert extensions_of(created)["3201"]["registerpassword"] == "FirstSip3201"


def test_on_create_leaves_the_passwords_of_an_existing_extension(rotation):
    kept = rotation[1]
    assert kept.returncode == 0, kept.output
    assert kept.outcome["changed"] is False
    assert writes_of(kept.log) == []
    assert extensions_of(kept)["3201"]["registerpassword"] == "FirstSip3201"


def test_always_sends_the_passwords_masked_in_one_update(rotation):
    rotated = rotation[2]
    assert rotated.returncode == 0, rotated.output
    assert rotated.outcome["changed"] is True
    assert [(w["endpoint"], w["body"]) for w in writes_of(rotated.log)] == [("extension/update", {
        "extid": "3201", "registerpassword": "********", "loginpassword": "********", "vmsecret": "********"})]


def test_always_rotates_the_passwords_on_the_pbx(rotation):
    pbx = extensions_of(rotation[2])["3201"]
    assert (pbx["registerpassword"], pbx["loginpassword"], pbx["vmsecret"]) == (
        "SecondSip3201", "SecondPortal3201", "99887766")
