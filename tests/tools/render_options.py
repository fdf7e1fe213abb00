#!/usr/bin/env python
"""The `config` suboptions and the RETURN block of each resource module, generated from its resource.

Usage (from the source tree; no `make collection` needed):
    python tests/tools/render_options.py --write [kind ...]   # rewrite the modules' suboptions and RETURN
    python tests/tools/render_options.py --check [kind ...]   # exit 1 and name the modules that differ
    python tests/tools/render_options.py [kind ...]           # print them

Kinds are those of plugins/module_utils/resources/catalog.py (default: all). The suboptions block
of a module is everything indented under `config:` / `suboptions:`; RETURN is the whole literal (sanity
wants it written in the module file). Its samples are the first item of the module's first EXAMPLES task
that writes, as the resource reads, masks, gathers and renders it. tests/unit/test_catalog.py runs
the check, and ansible-test sanity (validate-modules) checks that documentation and argument spec
agree.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import atexit
import os
import shutil
import sys
import tempfile

import yaml

COLLECTION = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _importable_collection():
    """Make `ansible_collections.openvox.ucpbx` this source tree when nothing installed provides it."""
    try:
        __import__("ansible_collections.openvox.ucpbx.plugins.module_utils.engine")
        return
    except ImportError:
        pass
    root = tempfile.mkdtemp(prefix="ucpbx-source-")
    atexit.register(shutil.rmtree, root, True)
    os.makedirs(os.path.join(root, "ansible_collections", "openvox"))
    os.symlink(COLLECTION, os.path.join(root, "ansible_collections", "openvox", "ucpbx"))
    sys.path.insert(0, root)


_importable_collection()

from ansible_collections.openvox.ucpbx.plugins.module_utils import engine  # noqa: E402
from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.catalog import MODULES, RESOURCES  # noqa: E402

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


def _module_source(kind):
    with open(module_path(kind)) as handle:
        return handle.read()


def _literal(source, name):
    """Start and end offsets of the text of the module's `NAME = r\"\"\"...\"\"\"` literal."""
    opening = '\n%s = r"""\n' % name
    start = source.index(opening) + len(opening)
    return start, source.index('"""', start)


def example_item(kind):
    """The first config item of the module's first EXAMPLES task that writes, templated values left out."""
    examples = yaml.safe_load(_module_source(kind)[slice(*_literal(_module_source(kind), "EXAMPLES"))])
    for task in examples:
        args = task.get("openvox.ucpbx." + MODULES[kind]) or {}
        if args.get("state", "merged") in ("merged", "replaced") and isinstance(args.get("config"), list):
            return args["config"][0]
    raise ValueError("%s: no EXAMPLES task with state merged or replaced and a config list" % MODULES[kind])


def samples(resource, item):
    """before/after, gathered, rendered and commands for one object, as the module returns them."""
    templated = [name for name, value in item.items() if "{{" in str(value)]
    record = resource.desired([dict((k, v) for k, v in item.items() if k not in templated)])[0]
    shown = resource.masked(record)
    shown.update((name, engine.MASK) for name in templated if resource.fields[name].secret)
    body = engine.rendered(resource, [record], "merged")[0]
    body.update((resource.fields[name].api, engine.MASK) for name in templated if resource.fields[name].secret)
    return dict(record=[shown], gathered=[resource.gathered_view(record)], rendered=[body],
                commands=[{"endpoint": (resource.add or resource.update).path, "body": body}],
                existing=[record[resource.key]])


def _value(name, description, returned, kind, sample=None, elements=None):
    out = ["%s:" % name]
    if isinstance(description, str):
        out.extend(yaml_item(description, "  ")[0].replace("  - ", "  description: ", 1).split("\n"))
    else:
        out.append("  description:")
        for line in description:
            out.extend(yaml_item(line, "    "))
    out.append("  returned: %s" % returned)
    out.append("  type: %s" % kind)
    if elements:
        out.append("  elements: %s" % elements)
    if sample is not None:
        out.append("  sample:")
        dumped = yaml.safe_dump(sample, default_flow_style=False, sort_keys=False, allow_unicode=True, width=100)
        out.extend("    " + line for line in dumped.rstrip("\n").split("\n"))
    return out


def render_return(kind):
    """The RETURN block of the module of `kind`."""
    resource = RESOURCES[kind]
    plural = resource.name + "s"
    writes = [state for state in resource.states() if state in engine.WRITE_STATES]
    when = "when O(state) is %s or V(%s)" % (", ".join("V(%s)" % state for state in writes[:-1]), writes[-1])
    example = samples(resource, example_item(kind))
    after = ["The same %s after the change, secrets masked; deleted ones are not listed." % plural,
             "Computed from what was read and what was sent, not read again."]
    if resource.creatable:
        after[1] += (" For %s %s created with O(state=merged), only the options that were given are known."
                     % ("an" if resource.name[0] in "aeiouAEIOU" else "a", resource.name))
    out = _value("changed", "Whether the PBX was changed (or, in check mode, would be).", "always", "bool")
    out += _value("before", ["The %s this task changes (or, in check mode, would change) as they were on the PBX, "
                             "secrets masked." % plural,
                             "%s the task leaves alone are not listed; see RV(existing) and O(state=gathered)."
                             % (plural[0].upper() + plural[1:])],
                  when, "list", example["record"], "dict")
    out += _value("after", after, when, "list", example["record"], "dict")
    out += _value("existing", "The %s of every %s on the PBX before the task, in order."
                  % (resource.key + "s" if resource.key != "number" else "numbers", resource.name),
                  when, "list", example["existing"], "str")
    out += _value("commands", ["The API requests sent, or in check mode the ones that would be sent, in order, "
                               "secrets masked.", "On failure, the requests that had already been applied."],
                  when, "list", example["commands"], "dict")
    out += _value("gathered", "The %s on the PBX in the format of O(config), without secrets or default values."
                  % plural, "when O(state=gathered)", "list", example["gathered"], "dict")
    out += _value("rendered", "The bodies of the %s requests O(config) translates to, secrets masked."
                  % ("add" if resource.creatable else "update"), "when O(state=rendered)", "list",
                  example["rendered"], "dict")
    return "\n".join(out) + "\n"


def documented_return(kind):
    source = _module_source(kind)
    return source[slice(*_literal(source, "RETURN"))]


def write_return(kind, text):
    source = _module_source(kind)
    start, end = _literal(source, "RETURN")
    with open(module_path(kind), "w") as handle:
        handle.write(source[:start] + text + source[end:])


def main(argv):
    mode = argv[0] if argv and argv[0] in ("--write", "--check") else None
    kinds = [kind for kind in argv if kind != mode] or list(RESOURCES)
    stale = []
    for kind in kinds:
        text, returns = render(RESOURCES[kind]), render_return(kind)
        if mode == "--write":
            write(kind, text)
            write_return(kind, returns)
        elif mode == "--check":
            if documented(kind) != text or documented_return(kind) != returns:
                stale.append(MODULES[kind])
        else:
            sys.stdout.write(text + "\n" + returns)
    if stale:
        sys.stderr.write("out of date: %s; run tests/tools/render_options.py --write\n" % ", ".join(stale))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
