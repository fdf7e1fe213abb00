# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The declarative engine shared by every resource module, and by uc_config for a whole tree.

A resource is described as data (`Resource`, `Field`, `Endpoint`). The engine turns PBX
records into option-shaped records, compares them with the desired state, plans the
add/update/delete calls and applies them. Nothing here knows about a particular resource.
One file per job, in resource_engine/ (this module gathers their names):

  model.py     the vocabulary: field kinds, states, `Endpoint`, `Field`
  resource.py  `Resource` (validation of desired records, wire format, views) and the light
               reads of other resources' keys (`KeySource`, `Reference`, `ReadOnlyKinds`)
  planner.py   one read of a resource, and the operations from actual to desired
  applier.py   operations as API requests: sent (serially or in parallel), or reported
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.openvox.ucpbx.plugins.module_utils.resource_engine.applier import (
    ApplyError,
    apply,
    as_list,
    changed_objects,
    command,
    diff_of,
    mask_body,
    planned_commands,
    rendered,
    requests_for,
    retry_advice,
)
from ansible_collections.openvox.ucpbx.plugins.module_utils.resource_engine.model import (
    BOOL,
    CHOICE,
    DELETE_BATCH,
    INT,
    LIST,
    LISTED_NAME,
    MASK,
    MASK_CHANGED,
    RENAME_FROM,
    RENAME_STATES,
    STATES,
    STR,
    WRITE_STATES,
    ConfigError,
    Endpoint,
    Field,
)
from ansible_collections.openvox.ucpbx.plugins.module_utils.resource_engine.planner import (
    Operation,
    check_required_when,
    missing_references,
    natural_key,
    plan,
    read_all,
    split_read_only,
)
from ansible_collections.openvox.ucpbx.plugins.module_utils.resource_engine.resource import (
    KeySource,
    ReadOnlyKinds,
    Reference,
    Resource,
    Snapshot,
)

# The engine's public names, whichever part defines them.
__all__ = [
    "ApplyError",
    "BOOL",
    "CHOICE",
    "ConfigError",
    "DELETE_BATCH",
    "Endpoint",
    "Field",
    "INT",
    "LISTED_NAME",
    "KeySource",
    "LIST",
    "MASK",
    "MASK_CHANGED",
    "Operation",
    "RENAME_FROM",
    "RENAME_STATES",
    "ReadOnlyKinds",
    "Reference",
    "Resource",
    "STATES",
    "STR",
    "Snapshot",
    "WRITE_STATES",
    "apply",
    "as_list",
    "changed_objects",
    "check_required_when",
    "command",
    "diff_of",
    "mask_body",
    "missing_references",
    "natural_key",
    "plan",
    "planned_commands",
    "read_all",
    "rendered",
    "requests_for",
    "retry_advice",
    "split_read_only",
]
