# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Invalid input fails before anything is written, naming the field and the extension."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from conftest import summary


def test_bad_values_fail_before_any_write(emulator, converge):
    emulator.put_extensions([{"number": "5004", "username": "Unchanged"}])
    state = emulator.state()
    returncode, output, result = converge([
        {"number": "12a", "name": "Bad number"},
        {"number": "5002", "mobile": "abc"},
        {"number": "5003", "max_registrations": 9},
        {"number": "5004", "name": "Valid change, still not sent"},
        {"number": "5005", "register_password": "has space"},
    ], expect_failed=True)
    assert returncode == 0, output
    assert result["failed"] is True
    msg = result["msg"]
    assert "nothing was changed" in msg, msg
    # Every problem is reported at once, each with its extension and field.
    assert "extension 12a): number '12a' is not valid" in msg, msg
    assert "extension 5002): mobile 'abc' is not valid" in msg, msg
    assert "extension 5003): max_registrations 9 is out of range 1-5" in msg, msg
    assert "extension 5005): register_password the value is not valid" in msg, msg
    assert "has space" not in msg  # a secret is not quoted back
    assert "5004" not in msg
    assert emulator.writes() == [], summary(emulator.writes())
    assert emulator.state() == state
