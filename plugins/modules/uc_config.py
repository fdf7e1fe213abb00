#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: uc_config
short_description: Make a whole OpenVox UC Series PBX match one configuration tree
version_added: 0.1.0
description:
  - Converges every kind of object of an OpenVox UC300, UC500 or UC501 PBX (trunks, extensions, queues,
    paging groups, IVRs, conference rooms, inbound routes, outbound routes) in one task, through the PBX HTTP API.
  - Logs in once and reads each kind listed in O(config) once. Every kind is validated and planned before the
    first write, references between kinds included (a route may point at an extension the same task creates).
  - Writes go kind by kind in dependency order (trunks first, outbound routes last) and deletes in the reverse
    order, so the PBX never holds a reference to an object that does not exist.
  - Each kind accepts exactly what the O(config) option of its own module accepts, with the same meaning;
    see M(openvox.ucpbx.uc_trunk), M(openvox.ucpbx.uc_extension), M(openvox.ucpbx.uc_queue),
    M(openvox.ucpbx.uc_paging_group), M(openvox.ucpbx.uc_ivr), M(openvox.ucpbx.uc_conference),
    M(openvox.ucpbx.uc_inbound_route) and M(openvox.ucpbx.uc_outbound_route).
  - The tree may come in layers (O(layers), O(layers_from)), for example a fleet's baseline and each site's
    differences; see C(docs/layers.md). O(owned) limits a run to part of each kind.
  - The role C(openvox.ucpbx.pbx_config) is this one task, with its layers, O(strict) and O(summary).
author:
  - openvox.ucpbx maintainers (@openvox-ucpbx)
extends_documentation_fragment:
  - openvox.ucpbx.connection
  - openvox.ucpbx.connection.ATTRIBUTES
  - openvox.ucpbx.connection.SECRETS
options:
  config:
    description:
      - The desired objects, by kind; the keys are V(trunks), V(extensions), V(queues), V(paging_groups),
        V(ivrs), V(conferences), V(inbound_routes), V(outbound_routes), each a list in the format of the
        O(config) option of its module.
      - A kind left out is never read nor touched, whatever the state.
      - An object given as its key and C(state=absent) takes the object an earlier layer (O(layers)) brought out of
        the tree; it sets nothing else. C(absent) is the only value C(state) takes.
      - Mutually exclusive with O(src). One of them (or O(layers)) is required unless O(state=gathered).
      - With O(layers), the last layer.
    type: dict
  layers:
    description:
      - Trees in the format of O(config), merged in order before it; later layers win. Kinds are merged, objects
        matched by their key (an object a later layer names is the earlier one with the later options set on it),
        and an object given as its key and C(state=absent) takes the object out of the tree.
      - Each layer is checked on its own first, so that a problem names the layer, the object and the option.
      - A kind that ends as an empty list through C(state=absent) is an empty list, as if it were given so (see
        O(allow_delete_all)).
      - O(layers_from) sets it from the host's variables.
    type: list
    elements: dict
    suboptions:
      name:
        description: The name problems give the layer, for example the variable it comes from.
        type: str
        required: true
      config:
        description: The layer's tree, in the format of O(config).
        type: dict
        required: true
  layers_from:
    description:
      - The name of a variable, for example V(ucpbx_config). The action plugin takes as O(layers) every variable of
        the host whose name is that name followed by C(__) (V(ucpbx_config__baseline), from group_vars, host_vars or
        extra vars), in name order, then the variable itself, then O(layers) and O(config) as given.
      - Read on the controller by the action plugin.
    type: str
  owned:
    description:
      - "Per kind, a Python regular expression searched in each key (anchor it with C(^) and C($)), for example
        C({extensions: '^2\\d{3}$'}). The run owns only the objects of that kind whose key matches it."
      - V(overridden) deletes and V(replaced) resets only owned objects; the others are never touched, and
        RV(kinds) and the plan (O(plan_out)) count them as C(left_alone). A tree (or a rename) that names an object
        outside the scope is refused before any request.
      - A kind left out is owned whole.
    type: dict
  strict:
    description:
      - Refuse a value that does not already have its option's type (an unquoted number where a string is expected,
        an empty value) instead of converting it, as the role's JSON Schema does. Unquoted in YAML, V(0140) is a
        number and would lose its leading zero.
    type: bool
    default: false
  summary:
    description:
      - Print, at default verbosity, the kinds changed on this PBX and what each came to (with V(rendered), the
        merged tree too), and set the fact C(ucpbx_summary) to the C(per_kind) of RV(summary). The role does.
    type: bool
    default: false
  src:
    description:
      - A YAML or JSON file on the controller holding the tree of O(config), either directly or under a
        C(ucpbx_config) key (a host_vars file). Relative paths are looked up like other controller files
        (the role's or playbook's C(files) directory first). Vault-encrypted files are decrypted.
      - The file is read by the module's action plugin, so large trees are not echoed in the task result.
    type: path
  state:
    description:
      - V(merged), V(replaced), V(overridden) and V(deleted) mean for each kind what they mean for its module.
        V(overridden) deletes, for each kind listed, the objects the list does not name; kinds whose objects the
        API cannot create or delete (queues, IVRs, conference rooms) are V(replaced).
      - Every kind is read and planned before the first write. Deleting or renaming an object that another object
        refers to, as the PBX holds it after this task, fails before any write, in check mode too, naming each
        referring object; kinds the tree leaves out are read for that. A tree that also changes or deletes the
        referring objects is fine (their writes go first, deletes in reverse dependency order); renumbering an
        extension in use is refused even then, since the PBX refuses it before the users can point at the new
        number. A reference to a key the tree renames away, or to an object that neither the PBX nor the tree
        has, and a value the PBX would refuse, fail the same way.
      - V(gathered) returns every object of the kinds in O(gather) in RV(gathered), in the format of O(config).
      - V(rendered) connects to nothing (no host or password needed) and returns the merged, checked tree in
        RV(rendered) and, in RV(commands), the requests it would send to an empty PBX (objects the API cannot create
        as the updates that set them). References to objects outside the tree are not checked.
    type: str
    default: merged
    choices: [merged, replaced, overridden, deleted, gathered, rendered]
  gather:
    description:
      - The kinds O(state=gathered) reads. Default is every kind.
    type: list
    elements: str
    choices: [trunks, extensions, queues, paging_groups, ivrs, conferences, inbound_routes, outbound_routes]
  allow_delete_all:
    description:
      - Allow an empty list for a kind under O(state=overridden) or O(state=deleted), which deletes every object of
        that kind. Without it such a list is refused, before any write and in check mode too, when the PBX has
        objects of that kind; on a PBX that has none it changes nothing, so a gathered or exported tree applies
        back with O(state=overridden) on any PBX.
      - Kinds the API cannot create (made in the web interface) are never deleted, so an empty list of them
        changes nothing.
    type: bool
    default: false
  parallel_writes:
    description:
      - How many write requests of one kind may be in flight at once. Objects of one kind are independent of
        each other; kinds still go one after the other, in dependency order.
      - V(1) sends one request at a time. Higher values shorten large first applies on links with latency; a
        PBX that is busy answers errno 10025, which is retried with back-off.
    type: int
    default: 1
  plan_out:
    description:
      - With check mode, a directory on the controller where the action plugin writes this PBX's plan,
        C(<inventory_hostname>.json), and its summary for a pull-request comment, C(<inventory_hostname>.md)
        (counts per kind, then each object with its changed fields, secrets masked).
      - The plan holds the requests the run would send and a digest of every object of each kind as read, so a
        later apply can be held to it with O(plan_in).
    type: path
  plan_in:
    description:
      - A plan written by O(plan_out) (the file, or the directory holding C(<inventory_hostname>.json)). The task
        sends exactly the planned requests, or refuses with no write when an object of a planned kind changed on
        the PBX since (naming each one) or when O(config) would now send something else.
      - Read on the controller by the action plugin, which passes its content as O(plan).
    type: path
  plan:
    description:
      - The content of the plan file of O(plan_in); set by the action plugin.
    type: dict
  snapshot_dir:
    description:
      - A directory on the controller where the action plugin keeps, before a real run writes anything, a snapshot
        of the objects the run changes, C(<inventory_hostname>-<UTC time>.json), and a copy named
        C(<inventory_hostname>-latest.json). O(rollback_from) puts them back.
      - The snapshot is stored between planning and the first write. When the task does not run on the
        controller (a connection other than C(local)), a check run made just before provides it, and the real
        run is held to that check run as to a plan.
      - Each C(ansible-playbook) run that changes PBXes gets a run id, C(<UTC time>-<token>), and a record
        C(runs/<run id>.json) in the directory, with the PBXes it changed, each one's snapshot file, when, and its state
        (V(applying), V(applied), V(failed), V(rolled back)). RV(run) is its id.
      - Secrets are stored only with O(snapshot_vault_id), encrypted. Without it a rollback leaves them as they are
        on the PBX (an object it re-creates gets whatever the PBX gives a new object, for example a generated SIP
        password) and says which objects' secrets it cannot restore (RV(secrets_not_restored)).
    type: path
  snapshot_vault_id:
    description:
      - A vault id given to C(ansible-playbook) (C(--vault-id <id>@prompt), or C(@) a password file; V(default) for
        C(--vault-password-file)). With O(snapshot_dir), the secrets of the objects the run changes (the PBX reports
        them) are kept in the snapshot, encrypted with Ansible Vault under that id; never written or shown in clear.
        A rollback needs the same vault secret given to C(ansible-playbook).
      - The task fails before anything is sent when no vault secret with that id was given.
    type: str
  rollback_from:
    description:
      - A directory of snapshots and run records written by O(snapshot_dir), or one snapshot file. From a directory
        the task undoes the run O(rollback_run) names, and every later run, on this PBX only if one of them changed
        it (otherwise nothing is read or sent). From a file, or a directory without run records, it undoes that
        snapshot (C(<inventory_hostname>-latest.json) in the directory).
      - The task deletes the objects the runs added and puts back the ones they changed, renamed or deleted as they
        were, in an order the PBX accepts, and ignores O(config) and O(state).
      - Read on the controller by the action plugin, which passes the snapshot as O(rollback).
    type: path
  rollback_run:
    description:
      - With O(rollback_from) a directory, the run to undo together with every later one, so that each PBX goes back
        to before it; a run id (RV(run)) or the start of exactly one. Default is the last recorded run.
      - After a run that failed halfway and its rerun, name the failed run to go back to before both.
    type: str
  secrets_out:
    description:
      - With O(state=gathered), a file on the controller where the action plugin writes every secret the PBX reports
        for the gathered kinds (SIP and portal passwords, PINs), encrypted with Ansible Vault under
        O(secrets_vault_id). It is a YAML file of variables named as the placeholders of the
        P(openvox.ucpbx.export_host_vars#filter) filter (C(vault_ucpbx_<pbx>_<kind>_<key>_<option>)), so that the
        exported tree applies elsewhere with the same secrets (C(playbooks/export.yml) with
        C(ucpbx_export_secrets=vault)). The secrets are never returned or written in clear.
    type: path
  secrets_vault_id:
    description:
      - The vault id, given to C(ansible-playbook) with C(--vault-id), whose secret encrypts O(secrets_out).
    type: str
    default: default
  rollback:
    description:
      - The snapshot to put back, read from O(rollback_from); set by the action plugin.
    type: dict
notes:
  - On a C(local) connection (how PBXes are usually reached) the action plugin runs the task in the controller's
    own process, without a module process; on any other connection the module runs it. Both run the same code.
  - Run in the controller's process, the task sends no further request once C(ansible-playbook) is gone (killed
    with its process group, a cancelled CI job), so a killed run never writes over the run that follows it.
  - Run in the controller's process, an apply that lasts more than 3 seconds prints its progress at the default
    verbosity (per kind, every 50 objects, at most one line every 2 seconds); a shorter one prints nothing more.
  - The result holds only the objects that change (RV(before), RV(after)) and counts per kind (RV(kinds)); the
    task's arguments are not echoed back, so a tree of thousands of objects does not produce megabytes of
    output.
  - If a write fails, the message names the kind and object that failed and what had been applied before it;
    RV(commands) lists the applied requests. It says whether running the task again converges (the request got
    no answer, or the PBX was busy) or fails the same way (the PBX refused it); after a pinned apply (O(plan_in))
    it says to make a new plan.
"""

EXAMPLES = r"""
# Connection options (host, username, password, ...) are left out: set them once for the play with
# module_defaults for group/openvox.ucpbx.ucpbx, or in UCPBX_* environment variables.

- name: Converge one PBX from its configuration tree
  openvox.ucpbx.uc_config:
    state: overridden
    config:
      trunks:
        - name: provider
          trunk_type: peer
          host: 203.0.113.10
          port: 5060
      extensions:
        - number: "2001"
          name: Alice
      outbound_routes:
        - name: national
          match_pattern: 0Z.
          trunks: [provider]

- name: The same kind of tree from a host_vars file on the controller, eight writes at a time
  openvox.ucpbx.uc_config:
    src: host_vars/pbx1/ucpbx.yml
    parallel_writes: 8

- name: A fleet's baseline and one site's differences, checked with no PBX
  openvox.ucpbx.uc_config:
    state: rendered
    layers:
      - name: baseline
        config:
          extensions:
            - number: "2000"
              name: Front desk
          outbound_routes:
            - name: international
              match_pattern: 00Z.
              trunks: [provider]
    config:
      extensions:
        - number: "2000"
          name: Reception
      outbound_routes:
        - name: international
          state: absent
  register: site

- name: Remove extensions 2000-2999 the tree does not list, and leave the others alone
  openvox.ucpbx.uc_config:
    state: overridden
    owned:
      extensions: '^2\d{3}$'
    config:
      extensions:
        - number: "2001"
          name: Alice

- name: Export the extensions and routes
  openvox.ucpbx.uc_config:
    state: gathered
    gather: [extensions, inbound_routes, outbound_routes]
  register: export

- name: Show what the PBX holds
  ansible.builtin.debug:
    msg: "{{ export.gathered.extensions | length }} extension(s), {{ export.gathered.outbound_routes | length }} outbound route(s)"
"""

RETURN = r"""
changed:
  description: Whether the PBX was changed (or, in check mode, would be).
  returned: always
  type: bool
kinds:
  description:
    - Per kind in O(config), what the task did (in check mode, would do) and how many API requests that took.
    - C(left_alone), for a kind in O(owned), counts the objects on the PBX outside the owned scope.
  returned: when O(state) is not V(gathered)
  type: dict
  sample: {"extensions": {"changed": true, "requests": 3, "added": 2, "updated": 1, "deleted": 0, "renamed": 0}}
summary:
  description:
    - What the task came to, as the role shows it. C(check_mode); C(changed), the kinds changed; C(api_requests);
      C(per_kind), per kind C(changed), C(added), C(updated), C(deleted), C(renamed), C(commands) (its requests)
      and, for a kind in O(owned), C(left_alone).
  returned: when O(state) is not V(gathered)
  type: dict
  sample: {"check_mode": false, "changed": ["extensions"], "api_requests": 1, "per_kind": {"extensions": {
           "changed": true, "added": 1, "updated": 0, "deleted": 0, "renamed": 0, "commands": 1}}}
rendered:
  description: The merged and checked tree, in the format of O(config), secrets masked.
  returned: when O(state=rendered)
  type: dict
  sample: {"extensions": [{"number": "2000", "name": "Reception"}]}
before:
  description: Per kind, the objects this task changes as they were on the PBX, secrets masked.
  returned: when O(state) is neither V(gathered) nor V(rendered)
  type: dict
  sample: {"extensions": [{"number": "2001", "name": "Alice"}]}
after:
  description:
    - Per kind, the same objects after the change, secrets masked; deleted ones are not listed. Computed from
      what was read and what was sent, not read again.
  returned: when O(state) is neither V(gathered) nor V(rendered)
  type: dict
  sample: {"extensions": [{"number": "2001", "name": "Alice Martin"}]}
commands:
  description:
    - The API requests sent, or in check mode the ones that would be sent, in order, secrets masked.
    - With O(state=rendered), the requests the tree would send to an empty PBX.
    - On failure, the requests that had already been applied.
  returned: when O(state) is not V(gathered)
  type: list
  elements: dict
  sample: [{"endpoint": "extension/update", "body": {"extid": "2001", "username": "Alice Martin"}}]
gathered:
  description: The objects of each kind read, in the format of O(config), without secrets or default values.
  returned: when O(state=gathered)
  type: dict
  sample: {"extensions": [{"number": "2001", "name": "Alice"}]}
plan_file:
  description: The plan file written, with its Markdown summary beside it.
  returned: when O(plan_out) is set
  type: str
  sample: plan/pbx-paris.json
plan_summary:
  description: The Markdown summary of the plan.
  returned: when O(plan_out) is set
  type: str
  sample: "### PBX plan for `pbx-paris`"
snapshot_file:
  description: The snapshot written before the first write.
  returned: when O(snapshot_dir) is set and the run changes something
  type: str
  sample: snapshots/pbx-paris-20261203T080000.000000Z.json
run:
  description: The id of this run in the run records of O(snapshot_dir).
  returned: when O(snapshot_dir) is set and the run changes something
  type: str
  sample: 20261203T080000.000000Z-1a2b3c4d
secrets_file:
  description: The vault-encrypted file of secrets written.
  returned: when O(secrets_out) is set
  type: str
  sample: inventory/host_vars/pbx-paris/vault.yml
rollback_run:
  description: The run O(rollback_from) undoes (with the later ones).
  returned: when O(rollback_from) is a directory with run records
  type: str
  sample: 20261203T080000.000000Z-1a2b3c4d
rolled_back_runs:
  description: The runs undone on this PBX, oldest first; absent when none of them changed it.
  returned: when O(rollback_from) is a directory with run records and a run to undo changed this PBX
  type: list
  elements: str
  sample: ["20261203T080000.000000Z-1a2b3c4d"]
secrets_not_restored:
  description:
    - Objects whose secrets the rollback cannot put back, because the snapshot does not hold them (kept without
      O(snapshot_vault_id)), that is objects it re-creates, and objects whose secrets the run changed.
  returned: when O(rollback_from) is set
  type: list
  elements: str
  sample: ["extension 2003"]
"""

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.openvox.ucpbx.plugins.module_utils import config_task


def main():
    module = AnsibleModule(argument_spec=config_task.ARGUMENT_SPEC, supports_check_mode=True,
                           mutually_exclusive=config_task.MUTUALLY_EXCLUSIVE)
    try:
        result = config_task.run(module.params, check_mode=module.check_mode, diff=module._diff,
                                 no_log_values=module.no_log_values)
    except config_task.TaskFailed as exc:
        module.fail_json(msg=exc.msg, invocation=config_task.invocation(module.params), **exc.result)
    module.exit_json(invocation=config_task.invocation(module.params), **result)


if __name__ == "__main__":
    main()
