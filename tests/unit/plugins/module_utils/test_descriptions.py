# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Field and Resource refuse contradictory descriptions when they are built, one rule per case."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from collections import OrderedDict

import pytest

from ansible_collections.openvox.ucpbx.plugins.module_utils.engine import BOOL, CHOICE, INT, LIST, Endpoint, Field, ReadOnlyKinds, Reference, Resource
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.extension import EXTENSION_NUMBERS

COLOURS = OrderedDict([("red", "Red"), ("blue", "Blue")])


@pytest.mark.parametrize("arguments, message", [
    (dict(kind="float"), "unknown kind"),
    (dict(kind=CHOICE), "a CHOICE needs choices"),
    (dict(kind=CHOICE, choices=["red"]), "a CHOICE needs choices"),
    (dict(kind=INT, choices=["15"]), "the choices of an INT are numbers"),
    (dict(choices={"a": "A"}), "choices belong to CHOICE and INT fields"),
    (dict(kind=BOOL, reported_values={"x": "y"}), "reported_values belong to CHOICE fields"),
    (dict(kind=INT, pattern=r"^\d+$"), "a pattern belongs to STR and CHOICE fields"),
    (dict(between=(1, 5)), "between belongs to INT fields"),
    (dict(ordered=True), "only a LIST can be ordered"),
    (dict(kind=INT, words=("yes", "no")), "words belong to BOOL fields"),
    (dict(secret=True, default="x"), "a secret has no default"),
    (dict(kind=BOOL, runtime=True, default=False), "a runtime field has no default"),
    (dict(sent_blank=True), "sent_blank needs only_for"),
    (dict(kind=INT, between=(1, 5), default=9), "its default is refused by its own checks"),
    (dict(pattern=r"^\d+$", hint="digits", default="abc"), "its default is refused by its own checks"),
    (dict(kind=CHOICE, choices=COLOURS, writable=["red", "green"]), "writable value 'green' is refused"),
])
def test_a_contradictory_field_is_refused(arguments, message):
    with pytest.raises(ValueError, match=message):
        Field("colour", "A colour.", **arguments)


def test_consistent_fields_are_accepted():
    Field("colour", "A colour.", kind=CHOICE, choices=COLOURS, default="red", writable=["red"])
    Field("n", "A number.", kind=INT, between=(1, 5), default=3, writable=[1, 2])
    Field("items", "Items.", kind=LIST, ordered=True, default=[])
    Field("flag", "A flag.", kind=BOOL, words=("yes", "no"), runtime=True)


def resource(**overrides):
    arguments = dict(
        name="thing",
        key="name",
        query=Endpoint("thing/query", list_keys=("things",)),
        add=Endpoint("thing/add", key="name"),
        update=Endpoint("thing/update", key="name"),
        delete=Endpoint("thing/delete", key="name"),
        fields=OrderedDict([
            ("name", Field("name", "Name.")),
            ("colour", Field("colour", "Colour.", kind=CHOICE, choices=COLOURS)),
            ("shade", Field("shade", "Shade.", only_for=("colour", ["red"]))),
            ("members", Field("members", "Members.", kind=LIST)),
        ]),
    )
    arguments.update(overrides)
    return Resource(**arguments)


@pytest.mark.parametrize("overrides, message", [
    (dict(key="id"), "key 'id' is not a field"),
    (dict(delete=None), "also needs update and delete endpoints"),
    (dict(add=None), "a delete endpoint without an add endpoint"),
    (dict(add=None, delete=None, update=None, full_update=True), "full_update without an update endpoint"),
    (dict(update=Endpoint("thing/update", key="id", key_from="id", rename_as="newname")), "renames through the key"),
    (dict(required_if=[("colour", "red", ("size",))]), "'size' is named in a rule but is not a field"),
    (dict(required_when=[("kind", "x", ("name",))]), "'kind' is named in a rule but is not a field"),
    (dict(create_requires=("size",)), "'size' is named in a rule"),
    (dict(references=[Reference("owners", EXTENSION_NUMBERS)]), "'owners' is named in a rule"),
    (dict(read_only=ReadOnlyKinds(EXTENSION_NUMBERS, "type", {"FXS": "fxs"})), "'type' is named in a rule"),
])
def test_a_contradictory_resource_is_refused(overrides, message):
    with pytest.raises(ValueError, match=message):
        resource(**overrides)


def test_only_for_must_name_a_choice_field_and_its_values():
    fields = OrderedDict([("name", Field("name", "Name.")), ("colour", Field("colour", "Colour.")),
                          ("shade", Field("shade", "Shade.", only_for=("colour", ["red"])))])
    with pytest.raises(ValueError, match="only_for needs a CHOICE field"):
        resource(fields=fields)
    fields = OrderedDict([("name", Field("name", "Name.")),
                          ("colour", Field("colour", "Colour.", kind=CHOICE, choices=COLOURS)),
                          ("shade", Field("shade", "Shade.", only_for=("colour", ["green"])))])
    with pytest.raises(ValueError, match="only_for names values colour has not"):
        resource(fields=fields)


def test_a_secret_key_is_refused():
    fields = OrderedDict([("name", Field("name", "Name.", secret=True))])
    with pytest.raises(ValueError, match="the key cannot be a secret"):
        resource(fields=fields)


def test_the_consistent_resource_is_accepted():
    assert resource().creatable
