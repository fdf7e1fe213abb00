# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Write the docs site's extra docs (docs/docsite/rst/<name>.rst) from docs/<name>.md.

The Markdown files stay the one source that GitHub shows and the README links to; antsibull-docs
reads extra docs in RST only. Every page listed in docs/docsite/extra-docs.yml is converted with
pandoc. Links to another listed page become references to its label, links to other files of the
repository point at the repository named in galaxy.yml.

usage: docsite_rst.py COLLECTION_DIR   (a copy of the collection; its docs/docsite/rst is rewritten)
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import posixpath
import shutil
import sys

import pypandoc
import yaml

LABEL_PREFIX = "ansible_collections.openvox.ucpbx.docsite."


def pages(collection):
    with open(os.path.join(collection, "docs", "docsite", "extra-docs.yml")) as handle:
        index = yaml.safe_load(handle)
    for section in index["sections"]:
        for entry in section["toctree"]:
            yield entry if isinstance(entry, str) else entry["ref"]


def plain_text(inlines):
    text = []
    for inline in inlines:
        if inline["t"] == "Str" or inline["t"] == "Code":
            text.append(inline["c"] if inline["t"] == "Str" else inline["c"][1])
        elif inline["t"] == "Space" or inline["t"] == "SoftBreak":
            text.append(" ")
        elif isinstance(inline.get("c"), list):
            text.append(plain_text([c for c in inline["c"] if isinstance(c, dict)]))
    return "".join(text)


def rewrite_links(node, listed, blob_base):
    """Point relative links at a page of the site or at the repository, in place."""
    if isinstance(node, list):
        for index, child in enumerate(node):
            replacement = rewrite_links(child, listed, blob_base)
            if replacement is not None:
                node[index] = replacement
        return None
    if not isinstance(node, dict):
        return None
    if node.get("t") == "Link":
        attributes, text, (target, title) = node["c"]
        if "://" not in target and not target.startswith(("#", "mailto:")):
            path, dummy, anchor = target.partition("#")
            page = posixpath.splitext(posixpath.basename(path))[0]
            if path.endswith(".md") and posixpath.dirname(path) in ("", ".") and page in listed:
                return {"t": "RawInline", "c": ["rst", ":ref:`%s <%s%s>`" % (
                    plain_text(text).replace("<", "\\<").replace("`", ""), LABEL_PREFIX, page)]}
            # RST cannot nest a literal in a link's text.
            node["c"][1] = [{"t": "Str", "c": plain_text(text)}]
            node["c"][2][0] = blob_base + posixpath.normpath(posixpath.join("docs", path)) + (
                "#" + anchor if anchor else "")
        return None
    for value in node.values():
        rewrite_links(value, listed, blob_base)
    return None


def convert(collection, page, listed, blob_base):
    tree = json.loads(pypandoc.convert_file(os.path.join(collection, "docs", page + ".md"), "json", format="gfm-gfm_auto_identifiers"))
    rewrite_links(tree["blocks"], listed, blob_base)
    body = pypandoc.convert_text(json.dumps(tree), "rst", format="json", extra_args=["--wrap=preserve"])
    return ".. Written from docs/%s.md by tests/tools/docsite_rst.py; edit that file.\n\n.. _%s%s:\n\n%s" % (
        page, LABEL_PREFIX, page, body)


def main(collection):
    with open(os.path.join(collection, "galaxy.yml")) as handle:
        blob_base = yaml.safe_load(handle)["repository"].rstrip("/") + "/blob/main/"
    listed = list(pages(collection))
    out = os.path.join(collection, "docs", "docsite", "rst")
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    for page in listed:
        if not os.path.isfile(os.path.join(collection, "docs", page + ".md")):
            sys.exit("docs/docsite/extra-docs.yml lists %s, but there is no docs/%s.md" % (page, page))
        with open(os.path.join(out, page + ".rst"), "w") as handle:
            handle.write(convert(collection, page, listed, blob_base))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
