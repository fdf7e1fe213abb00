# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The playbooks benchmarks/one_task.py times, as text it writes into its work directory."""

from __future__ import annotations

NEW_ROLE = """\
- name: Whole PBX through the pbx_config role (one uc_config task)
  hosts: pbx
  gather_facts: false
  roles:
    - role: openvox.ucpbx.pbx_config
"""

SINGLE_KIND = """\
- name: One single-kind module task
  hosts: pbx
  gather_facts: false
  tasks:
    - name: Extensions
      openvox.ucpbx.uc_extension:
        config: "{{ ucpbx_config.extensions }}"
"""

# The pbx_config role before uc_config existed, task for task (merged state): the argument
# validation Ansible adds for a role with meta/argument_specs.yml, validate.yml, apply.yml (one
# module task per kind), prune.yml (skipped unless overridden) and summary.yml. The schema and
# the argument specs are read from the collection copy under test.
OLD_ROLE_VARS = """\
  vars:
    ucpbx_state: merged
    ucpbx_update_password: always
    ucpbx_allow_delete_all: false
    pbx_config_write_state: "{{ 'replaced' if ucpbx_state == 'overridden' else 'merged' }}"
    pbx_config_kinds:
      - {name: trunks, key: name, deletable: true}
      - {name: extensions, key: number, deletable: true}
      - {name: queues, key: number, deletable: false}
      - {name: paging_groups, key: number, deletable: true}
      - {name: ivrs, key: number, deletable: false}
      - {name: conferences, key: number, deletable: false}
      - {name: inbound_routes, key: name, deletable: true}
      - {name: outbound_routes, key: name, deletable: true}
"""

OLD_ROLE_VALIDATE = """\
    - name: Validating arguments against arg spec main
      ansible.builtin.validate_argument_spec:
        argument_spec: "{{ (lookup('ansible.builtin.file', __pbx_config_specs) | ansible.builtin.from_yaml).argument_specs.main.options }}"
      vars:
        __pbx_config_specs: "{{ collection_dir }}/roles/pbx_config/meta/argument_specs.yml"
    - name: Check ucpbx_config against the schema
      ansible.builtin.set_fact:
        __pbx_config_errors: "{{ ucpbx_config | openvox.ucpbx.schema_errors(__pbx_config_schema) }}"
      vars:
        __pbx_config_schema: "{{ lookup('ansible.builtin.file', __pbx_config_schema_file) | ansible.builtin.from_json }}"
        __pbx_config_schema_file: "{{ collection_dir }}/roles/pbx_config/files/ucpbx_config.schema.json"
    - name: List the problems in ucpbx_config
      ansible.builtin.debug:
        var: __pbx_config_errors
      when: __pbx_config_errors | length > 0
    - name: Stop when ucpbx_config is invalid
      ansible.builtin.fail:
        msg: "ucpbx_config has {{ __pbx_config_errors | length }} problem(s): {{ __pbx_config_errors | join('; ') }}"
      when: __pbx_config_errors | length > 0
    - name: Refuse to delete every object of a kind unless ucpbx_allow_delete_all is set
      ansible.builtin.fail:
        msg: "ucpbx_config has an empty list for {{ __pbx_config_emptied | join(', ') }}"
      vars:
        __pbx_config_emptied: >-
          {{ ucpbx_config | ansible.builtin.dict2items | selectattr('value', 'equalto', []) | map(attribute='key')
             | ansible.builtin.intersect(pbx_config_kinds | selectattr('deletable') | map(attribute='name')) }}
      when:
        - ucpbx_state == 'overridden'
        - not ucpbx_allow_delete_all
        - __pbx_config_emptied | length > 0
"""

# (kind, module, whether the module takes update_password), in dependency order.
OLD_ROLE_KINDS = (
    ("trunks", "uc_trunk", True), ("extensions", "uc_extension", True), ("queues", "uc_queue", True),
    ("paging_groups", "uc_paging_group", False), ("ivrs", "uc_ivr", False),
    ("conferences", "uc_conference", True), ("inbound_routes", "uc_inbound_route", False),
    ("outbound_routes", "uc_outbound_route", False),
)
DELETABLE = ("outbound_routes", "inbound_routes", "paging_groups", "extensions", "trunks")

OLD_ROLE_SUMMARY = """\
    - name: Summarise the changes per kind
      ansible.builtin.set_fact:
        ucpbx_summary: >-
          {%- set summary = namespace(by_kind={}) -%}
          {%- for kind in pbx_config_kinds if kind.name in ucpbx_config -%}
          {%-   set runs = [lookup('ansible.builtin.vars', '__pbx_config_apply_' ~ kind.name),
                            lookup('ansible.builtin.vars', '__pbx_config_prune_' ~ kind.name, default={})] -%}
          {%-   set commands = runs | map(attribute='commands', default=[]) | ansible.builtin.flatten(levels=1) -%}
          {%-   set deleted = namespace(count=0) -%}
          {%-   for command in commands if command.endpoint is ansible.builtin.match('.*/delete$') -%}
          {%-     set deleted.count = deleted.count + (command.body.values() | first | ansible.builtin.split(',') | length) -%}
          {%-   endfor -%}
          {%-   set summary.by_kind = summary.by_kind | combine({kind.name: {
                  'changed': runs | selectattr('changed', 'defined') | selectattr('changed') | list | length > 0,
                  'commands': commands | length,
                  'added': commands | selectattr('endpoint', 'ansible.builtin.match', '.*/add$') | list | length,
                  'updated': commands | selectattr('endpoint', 'ansible.builtin.match', '.*/update$') | list | length,
                  'deleted': deleted.count}}) -%}
          {%- endfor -%}
          {{ summary.by_kind }}
    - name: Show the summary
      ansible.builtin.debug:
        var: ucpbx_summary
"""


def old_role_playbook():
    """The pre-uc_config pbx_config role as one playbook (20 tasks, 8 of them module tasks)."""
    tasks = []
    for kind, module, update_password in OLD_ROLE_KINDS:
        tasks.append("    - name: Apply the %s\n"
                     "      openvox.ucpbx.%s:\n"
                     "        config: \"{{ ucpbx_config.%s }}\"\n"
                     "        state: \"{{ pbx_config_write_state }}\"\n" % (kind.replace("_", " "), module, kind))
        if update_password:
            tasks.append("        update_password: \"{{ ucpbx_update_password }}\"\n")
        tasks.append("      register: __pbx_config_apply_%s\n"
                     "      when: \"'%s' in ucpbx_config\"\n" % (kind, kind))
    # prune.yml: one set_fact and one delete task per deletable kind, all skipped unless overridden.
    tasks.append("    - name: Find the objects that ucpbx_config does not list\n"
                 "      ansible.builtin.set_fact:\n"
                 "        __pbx_config_extras: {}\n"
                 "      when: ucpbx_state == 'overridden'\n")
    modules = dict((kind, module) for kind, module, _u in OLD_ROLE_KINDS)
    for kind in DELETABLE:
        tasks.append("    - name: Delete the %s that ucpbx_config does not list\n"
                     "      openvox.ucpbx.%s:\n"
                     "        config: \"{{ __pbx_config_extras.%s }}\"\n"
                     "        state: deleted\n"
                     "      register: __pbx_config_prune_%s\n"
                     "      when: ucpbx_state == 'overridden' and __pbx_config_extras.%s | default([]) | length > 0\n"
                     % (kind.replace("_", " "), modules[kind], kind, kind, kind))
    return ("- name: Whole PBX through the pbx_config role as it was (one module task per kind)\n"
            "  hosts: pbx\n  gather_facts: false\n" + OLD_ROLE_VARS + "  tasks:\n"
            + OLD_ROLE_VALIDATE + "".join(tasks) + OLD_ROLE_SUMMARY)


FLEET_ROLE = """\
- name: Fleet through the pbx_config role
  hosts: pbxes
  gather_facts: false
  module_defaults:
    group/openvox.ucpbx.ucpbx:
      port: "{{ pbx_port }}"
  vars:
    ucpbx_config:
      extensions: "{{ extensions }}"
  roles:
    - role: openvox.ucpbx.pbx_config
"""

FLEET_TASK = """\
- name: Fleet through one plain uc_config task
  hosts: pbxes
  gather_facts: false
  tasks:
    - name: Extensions
      openvox.ucpbx.uc_config:
        port: "{{ pbx_port }}"
        config:
          extensions: "{{ extensions }}"
"""

# What a user without the collection would write: log in (MD5 of the password), read every
# extension, compare in Jinja. On a no-op there is nothing to write, so no write task is timed.
FLEET_URI = """\
- name: Fleet through ansible.builtin.uri
  hosts: pbxes
  gather_facts: false
  vars:
    api: "http://127.0.0.1:{{ pbx_port }}/api/v0.0.1"
  tasks:
    - name: Log in
      ansible.builtin.uri:
        url: "{{ api }}/login?type=json"
        method: POST
        body_format: json
        body:
          username: "{{ pbx_username }}"
          password: "{{ pbx_password | ansible.builtin.hash('md5') }}"
      register: login
      no_log: true
      failed_when: login.json.status != 'Success'

    - name: Read every extension
      ansible.builtin.uri:
        url: "{{ api }}/extension/query?token={{ login.json.token }}&type=json"
        method: POST
        body_format: json
        body: {}
      register: query
      failed_when: query.json.status != 'Success'

    - name: Compare with the wanted extensions
      ansible.builtin.set_fact:
        drift: >-
          {%- set actual = dict(query.json.extinfos | map(attribute='extnumber') | zip(query.json.extinfos)) -%}
          {%- set out = namespace(numbers=[]) -%}
          {%- for wanted in extensions -%}
          {%-   set found = actual.get(wanted.number, {}) -%}
          {%-   if found.get('username') != wanted.name or found.get('email') != wanted.email -%}
          {%-     set out.numbers = out.numbers + [wanted.number] -%}
          {%-   endif -%}
          {%- endfor -%}
          {{ out.numbers }}
      changed_when: drift | length > 0
"""

EXTENSIONS_TASK = """\
- name: {title}
  hosts: pbx
  gather_facts: false
  tasks:
    - name: Extensions
      openvox.ucpbx.uc_config:
        {arguments}
      register: big_result
"""
BIG_NOOP = EXTENSIONS_TASK.format(title="uc_config, one task for every extension",
                                  arguments='config:\n          extensions: "{{ extensions }}"')


def big_src_playbook(tree_file):
    return EXTENSIONS_TASK.format(title="uc_config, the tree read from a file by the action plugin",
                                  arguments="src: %s" % tree_file)


ADDS = """\
- name: uc_config, first apply
  hosts: pbx
  gather_facts: false
  tasks:
    - name: Extensions
      openvox.ucpbx.uc_config:
        config:
          extensions: "{{ extensions }}"
        parallel_writes: "{{ writes | int }}"
"""

# --task-times: a callback that prints, after the recap, how long each task took (all hosts).
TASK_TIMES_PLUGIN = """\
# Written by benchmarks/one_task.py --task-times: seconds from one task's start to the next's.
import time

from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "task_times"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.started = time.monotonic()
        self.current = None
        self.rows = []

    def _close(self):
        if self.current:
            self.rows.append((self.current[0], time.monotonic() - self.current[1]))
            self.current = None

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._close()
        self.current = (task.get_name(), time.monotonic())

    def v2_playbook_on_stats(self, stats):
        self._close()
        for name, seconds in self.rows:
            self._display.display("TASKTIME %.3f %s" % (seconds, name))
        self._display.display("TASKTIME %.3f (from the callback's start to the recap)" % (time.monotonic() - self.started))
"""


FLEET_INVENTORY_HEAD = """\
all:
  children:
    pbxes:
      vars:
        ansible_connection: local
        ansible_python_interpreter: "{wrapper}"
        pbx_username: "{username}"
        pbx_password: "{password}"
      hosts:
"""
