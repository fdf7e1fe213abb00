# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Conference rooms: conference/query|update. Rooms are created in the web interface."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections import OrderedDict

from ansible_collections.openvox.ucpbx.plugins.module_utils.engine import (
    BOOL,
    Endpoint,
    Field,
    KeySource,
    Resource,
)

CONFERENCE_NUMBERS = KeySource("conferences", Endpoint("conference/query", key="number", all_value="all",
                                                       list_keys=("conferences",)), "number", label="conference room")

CONFERENCE = Resource(
    name="conference room",
    key="number",
    # As for paging groups, a missing room is errno 10011 (number does not exist).
    query=Endpoint("conference/query", key="number", all_value="all", list_keys=("conferences",),
                   not_found=("10011",)),
    update=Endpoint("conference/update", key="number"),
    fields=OrderedDict([
        ("number", Field("number", "Room number. Identifies the room.")),
        ("name", Field("name", "Room name, not empty and without any of C(& ' < > ` | $ ] \\ \"). A name the "
                               "web interface stored outside these rules reads back and is kept as it is.",
                       written=(r"^[^&'<>`|$\]\\\"]+$", "not empty, none of & ' < > ` | $ ] \\ \""))),
        # The PBX spells this field with an extra "e".
        ("participant_password", Field("participantepassword", "PIN participants enter (digits).", pattern=r"^\d*$",
                                       hint="digits only", secret=True)),
        ("moderator_password", Field("moderatorpassword", "PIN the moderator enters (digits).", pattern=r"^\d*$",
                                     hint="digits only", secret=True)),
        ("wait_for_moderator", Field("waitformoderator", "Participants wait until the moderator joins.", kind=BOOL,
                                     words=("yes", "no"))),
    ]),
)
