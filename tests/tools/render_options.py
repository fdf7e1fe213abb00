#!/usr/bin/env python
"""The `config` suboptions of each resource module's DOCUMENTATION, generated from its resource.

Usage (with the collection importable, e.g. PYTHONPATH=.build/collections):
    python tests/tools/render_options.py --write [kind ...]   # rewrite the modules' suboptions
    python tests/tools/render_options.py --check [kind ...]   # exit 1 and name the modules that differ
    python tests/tools/render_options.py [kind ...]           # print them

Kinds are those of plugins/module_utils/resources/catalog.py (default: all). The suboptions block
of a module is everything indented under `config:` / `suboptions:`. tests/unit/test_catalog.py runs
the check, and ansible-test sanity (validate-modules) checks that documentation and argument spec
agree.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import sys

import yaml

from ansible_collections.openvox.ucpbx.plugins.module_utils import engine
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.catalog import MODULES, RESOURCES

COLLECTION = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# The same words as the role's schema (tests/tools/render_schema.py), in Ansible markup.
RENAME_DESCRIPTION = ("The %(key)s the %(name)s has on the PBX before this run, to rename it in place. Ignored once "
                      "the %(name)s has the new %(key)s, so a second run changes nothing. When neither exists, the "
                      "task fails before any write, in check mode too.")


def describe(resource, name, field):
    lines = [field.description]
    if field.kind == engine.BOOL:
        lines.append("The PBX stores it as C(%s)/C(%s) in C(%s)." % (field.words[0], field.words[1], field.api))
    elif field.kind == engine.CHOICE and any(k != v for k, v in field.choices.items()):
        lines.append("PBX field C(%s); option values map to %s." % (
            field.api, ", ".join("V(%s)=C(%s)" % (k, v) for k, v in field.choices.items())))
    elif field.kind == engine.LIST:
        lines.append("PBX field C(%s), a comma-separated list." % field.api)
    else:
        aliases = [n for n in field.read_names if n != field.api]
        lines.append("PBX field C(%s)%s." % (field.api, ", reported as C(%s)" % "/".join(aliases) if aliases else ""))
    if field.writable:
        lines.append("The API accepts %s; other values set in the web interface are read and compared as they are."
                     % ", ".join("V(%s)" % v for v in field.writable))
    if field.only_for:
        selector, values = field.only_for
        lines.append("Only for objects whose O(config[].%s) is %s; refused on the others%s." % (
            selector, ", ".join("V(%s)" % v for v in values),
            ", which send it empty" if field.sent_blank else " and never sent for them"))
    if field.runtime:
        lines.append("Also changed while the PBX runs, so it is written only when given: O(state=replaced) and "
                     "O(state=overridden) leave it as it is, and RV(gathered) leaves it out.")
        return lines
    if field.secret:
        lines.append("A secret, never shown in results, diffs or logs; compared according to O(update_password). "
                     "Left as it is by O(state=replaced) and O(state=overridden) when not given.")
    elif name == resource.key:
        pass
    elif not resource.creatable:
        pass
    elif field.default is None:
        lines.append("Left as it is by O(state=replaced) and O(state=overridden) when not given.")
    elif field.default == "":
        lines.append("O(state=replaced) and O(state=overridden) clear it when it is not given.")
    else:
        shown = str(field.default).lower() if isinstance(field.default, bool) else field.default
        lines.append("O(state=replaced) and O(state=overridden) set V(%s) when it is not given." % shown)
    return lines


def yaml_item(text, indent):
    """A YAML list item holding `text`, wrapped, quoted by the YAML emitter where plain style would not do."""
    dumped = yaml.safe_dump([text], width=100 - len(indent), allow_unicode=True, default_flow_style=False)
    return [indent + line for line in dumped.rstrip("\n").split("\n")]


def render(resource):
    out = []
    for name, field in resource.fields.items():
        spec = field.argument_spec()
        out.append("      %s:" % name)
        out.append("        description:")
        for line in describe(resource, name, field):
            out.extend(yaml_item(line, "          "))
        out.append("        type: %s" % spec["type"])
        if "elements" in spec:
            out.append("        elements: %s" % spec["elements"])
        if spec.get("choices"):
            out.append("        choices: [%s]" % ", ".join(str(c) for c in spec["choices"]))
        if name == resource.key:
            out.append("        required: true")
    if resource.renamable:
        out.append("      %s:" % engine.RENAME_FROM)
        out.append("        description:")
        for line in (RENAME_DESCRIPTION % dict(name=resource.name, key="O(config[].%s)" % resource.key),
                     "The PBX renames through its update call, so the %s keeps its settings (no delete and "
                     "re-create); a rename shows in RV(commands) and the diff. Not used with O(state=deleted)."
                     % resource.name):
            out.extend(yaml_item(line, "          "))
        out.append("        type: str")
    return "\n".join(out)


def _block(lines):
    """Start and end line of the suboptions of the `config` option."""
    config = lines.index("  config:")
    start = lines.index("    suboptions:", config) + 1
    end = start
    while end < len(lines) and (lines[end].startswith("      ") or lines[end] == ""):
        end += 1
    while lines[end - 1] == "":
        end -= 1
    return start, end


def module_path(kind):
    return os.path.join(COLLECTION, "plugins", "modules", MODULES[kind] + ".py")


def documented(kind):
    """The suboptions the module documents now."""
    with open(module_path(kind)) as handle:
        lines = handle.read().split("\n")
    start, end = _block(lines)
    return "\n".join(lines[start:end])


def write(kind, text):
    """Replace the suboptions of the `config` option in a module's DOCUMENTATION."""
    with open(module_path(kind)) as handle:
        lines = handle.read().split("\n")
    start, end = _block(lines)
    lines[start:end] = text.split("\n")
    with open(module_path(kind), "w") as handle:
        handle.write("\n".join(lines))


def main(argv):
    mode = argv[0] if argv and argv[0] in ("--write", "--check") else None
    kinds = [kind for kind in argv if kind != mode] or list(RESOURCES)
    stale = []
    for kind in kinds:
        text = render(RESOURCES[kind])
        if mode == "--write":
            write(kind, text)
        elif mode == "--check":
            if documented(kind) != text:
                stale.append(MODULES[kind])
        else:
            sys.stdout.write(text + "\n")
    if stale:
        sys.stderr.write("out of date: %s; run tests/tools/render_options.py --write\n" % ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
