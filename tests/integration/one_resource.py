# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run one task of a resource module through playbooks/one_resource.yml and return its result."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import itertools

from conftest import result_of, tree_fact

_counter = itertools.count(1)


def run_resource(run_playbook, tmp_path, resource, config=None, state="merged", check=False, diff=False,
                 expect_failed=False, retries=None, env=None):
    """(returncode, output, module result with `failed`) of one task of uc_<resource>."""
    extra = {"resource": resource, "res_state": state, "expect_failed": expect_failed}
    if config is not None:
        extra["res_config"] = config
    if retries is not None:
        extra["retries"] = retries
    tree = tmp_path / ("one-resource-%d" % next(_counter))
    returncode, output = run_playbook("one_resource", extra, check=check, diff=diff, env=env, tree=tree)
    return returncode, output, result_of(tree_fact(tree, "res_outcome"))
