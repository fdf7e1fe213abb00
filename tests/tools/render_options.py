#!/usr/bin/env python
"""Print the documentation of a resource module's `config` suboptions from its resource description.

Usage (with the collection importable, e.g. PYTHONPATH=.build/collections):
    python tests/tools/render_options.py extension EXTENSION

Paste the output under `suboptions:` in the module's DOCUMENTATION. ansible-test sanity
(validate-modules) then checks that the documentation and the argument spec agree.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib
import json
import sys
import textwrap

from ansible_collections.openvox.ucpbx.plugins.module_utils import engine


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
    if field.allowed:
        lines.append("The API accepts %s; other values set in the web interface are read and compared as they are."
                     % ", ".join("V(%s)" % v for v in field.allowed))
    if field.secret:
        lines.append("A secret, never shown in results, diffs or logs; compared according to O(update_password). "
                     "Left as it is by O(state=replaced) and O(state=overridden) when not given.")
    elif name == resource.key:
        pass
    elif resource.edit_only:
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
    """A YAML list item holding `text`, wrapped; double-quoted when plain style would misparse it."""
    if ": " in text or " #" in text or text[0] in "[]{}&*!|>'\"%@`-?:,":
        text = json.dumps(text)
    wrapped = textwrap.wrap(text, 100, break_on_hyphens=False)
    return [indent + "- " + wrapped[0]] + [indent + "  " + rest for rest in wrapped[1:]]


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
    return "\n".join(out)


def main():
    module = importlib.import_module("ansible_collections.openvox.ucpbx.plugins.module_utils.resources." + sys.argv[1])
    sys.stdout.write(render(getattr(module, sys.argv[2])) + "\n")


if __name__ == "__main__":
    main()
