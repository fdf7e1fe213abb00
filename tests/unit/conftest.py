# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Make `ansible_collections.openvox.ucpbx` importable when pytest runs inside a collection tree.

The tests are run from the copy under .build/collections/ansible_collections/openvox/ucpbx
(`make unit`); the directory that holds `ansible_collections` is put on sys.path.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import sys

_COLLECTION_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
_NAMESPACE_DIR = os.path.dirname(_COLLECTION_ROOT)
_ANSIBLE_COLLECTIONS_DIR = os.path.dirname(_NAMESPACE_DIR)
_COLLECTIONS_ROOT = os.path.dirname(_ANSIBLE_COLLECTIONS_DIR)

if os.path.basename(_ANSIBLE_COLLECTIONS_DIR) != "ansible_collections":
    raise RuntimeError(
        "the unit tests must run from a collection tree (.../ansible_collections/openvox/ucpbx); "
        "use `make unit`, which copies the collection there first (found %s)" % _COLLECTION_ROOT)

if _COLLECTIONS_ROOT not in sys.path:
    sys.path.insert(0, _COLLECTIONS_ROOT)
