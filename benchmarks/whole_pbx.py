# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Whole-PBX benchmark of the openvox.ucpbx.pbx_config role against the PBX emulator.

Applies one variable tree (200 extensions, 10 trunks, 50 inbound routes, 20 outbound routes,
2 queues, 5 paging groups) through the role, then runs it again unchanged, and prints the
API requests of each run by resource type, the logins and the wall seconds. The no-op goal:
one read per resource type plus at most one login. A report, not a test: it exits 0.

    .venv/bin/python benchmarks/whole_pbx.py
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extensions import COLLECTION_PARTS, PASSWORD, REPO, USERNAME, Emulator  # noqa: E402  pylint: disable=wrong-import-position

# Requests that read or write no kind of their own.
OTHER_REQUESTS = {"trunklist": "trunks", "extensionlist": "extensions", "login": "login"}


def kinds_by_prefix(collections):
    """Each kind by the first part of its API paths (`siptrunk` -> trunks), from the copied collection's catalog."""
    if str(collections) not in sys.path:
        sys.path.insert(0, str(collections))
    from ansible_collections.openvox.ucpbx.plugins.module_utils.resources.catalog import RESOURCES
    kinds = dict((resource.query.path.split("/")[0], kind) for kind, resource in RESOURCES.items())
    kinds.update(OTHER_REQUESTS)
    return kinds


PLAYBOOK = """\
- name: Whole PBX through the pbx_config role
  hosts: pbx
  gather_facts: false
  roles:
    - role: openvox.ucpbx.pbx_config
"""

INVENTORY = """\
all:
  hosts:
    pbx:
      ansible_connection: local
      ansible_python_interpreter: "{python}"
"""


def var_tree():
    trunks = [{"name": "itsp%d" % n, "trunk_type": "register", "host": "sip%d.example.net" % n, "port": 5060,
               "username": "61%02d" % n, "auth_name": "61%02d" % n, "password": "Trunk-secret-%d" % n}
              for n in range(1, 11)]
    extensions = [{"number": str(2000 + n), "name": "User %d" % n, "voicemail": n % 2 == 0,
                   "max_registrations": 1 + n % 3} for n in range(200)]
    queues = [{"number": "6700", "static_agents": ["2000", "2001", "2002"]},
              {"number": "6701", "static_agents": ["2003", "2004"]}]
    paging = [{"number": str(6300 + n), "name": "zone%d" % n, "type": "paging",
               "members": [str(2000 + 10 * n + k) for k in range(4)]} for n in range(5)]
    inbound = [{"name": "did%d" % n, "did": str(88880000 + n), "destination_type": "extension",
                "destination": str(2000 + n)} for n in range(50)]
    outbound = [{"name": "route%d" % n, "prefix": str(n), "match_pattern": "X.",
                 "trunks": ["itsp%d" % (1 + n % 10), "itsp%d" % (1 + (n + 1) % 10)]} for n in range(20)]
    return {"ucpbx_state": "merged", "ucpbx_config": {
        "trunks": trunks, "extensions": extensions, "queues": queues, "paging_groups": paging,
        "inbound_routes": inbound, "outbound_routes": outbound}}


def copy_collection(workdir):
    target = workdir / "collections" / "ansible_collections" / "openvox" / "ucpbx"
    target.mkdir(parents=True)
    for part in COLLECTION_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif source.exists():
            shutil.copy2(source, target / part)
    return workdir / "collections"


def run(workdir, emulator, collections, bin_dir, label):
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith(("ANSIBLE_", "UCPBX_")))
    env.update({
        "ANSIBLE_COLLECTIONS_PATH": str(collections), "ANSIBLE_COLLECTIONS_SCAN_SYS_PATH": "false",
        "ANSIBLE_HOME": str(workdir / "ansible-home"), "ANSIBLE_LOCAL_TEMP": str(workdir / "tmp"),
        "ANSIBLE_NOCOLOR": "1", "UCPBX_HOST": "127.0.0.1", "UCPBX_PORT": str(emulator.port),
        "UCPBX_USERNAME": USERNAME, "UCPBX_PASSWORD": PASSWORD, "UCPBX_TOKEN_CACHE_DIR": str(workdir / "tokens"),
    })
    emulator.control("DELETE", "requests")
    command = [str(bin_dir / "ansible-playbook"), "-i", str(workdir / "inventory.yml"), str(workdir / "site.yml"),
               "-e", "@%s" % (workdir / "vars.json")]
    start = time.monotonic()
    completed = subprocess.run(command, cwd=workdir, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, check=False)
    seconds = time.monotonic() - start
    (workdir / ("%s.log" % label)).write_text(completed.stdout)
    if completed.returncode != 0:
        raise SystemExit("%s failed (rc %d):\n%s" % (label, completed.returncode, completed.stdout[-3000:]))
    counts = Counter()
    writes = 0
    kinds = kinds_by_prefix(collections)
    for entry in emulator.requests():
        endpoint = entry.get("endpoint") or ""
        resource, _sep, verb = endpoint.partition("/")
        kind = kinds.get(resource, resource)
        counts["%s %s" % (kind, "read" if verb in ("query", "lists", "") or resource == "login" else "write")] += 1
        writes += verb in ("add", "update", "delete")
    return seconds, counts, writes


def main():
    bin_dir = REPO / ".venv" / "bin"
    with tempfile.TemporaryDirectory(prefix="ucpbx-whole-pbx-") as tmp:
        workdir = Path(tmp)
        collections = copy_collection(workdir)
        (workdir / "site.yml").write_text(PLAYBOOK)
        (workdir / "inventory.yml").write_text(INVENTORY.format(python=bin_dir / "python"))
        (workdir / "vars.json").write_text(json.dumps(var_tree()))
        emulator = Emulator(bin_dir, workdir)
        try:
            emulator.control("PUT", "state", {"deviceinfo": {"capacity": "1000"}})
            results = [(label,) + run(workdir, emulator, collections, bin_dir, label)
                       for label in ("first apply", "no-op rerun")]
        finally:
            emulator.stop()
    kinds = sorted(set(key for _label, _s, counts, _w in results for key in counts))
    print("openvox.ucpbx pbx_config whole-PBX benchmark: 200 extensions, 10 trunks, 50 inbound routes,")
    print("20 outbound routes, 2 queues, 5 paging groups; %d CPUs" % os.cpu_count())
    print("%-28s %12s %12s" % ("requests", results[0][0], results[1][0]))
    for kind in kinds:
        print("%-28s %12d %12d" % (kind, results[0][2][kind], results[1][2][kind]))
    print("%-28s %12d %12d" % ("total", sum(results[0][2].values()), sum(results[1][2].values())))
    print("%-28s %12d %12d" % ("writes", results[0][3], results[1][3]))
    print("%-28s %12.2f %12.2f" % ("wall seconds", results[0][1], results[1][1]))
    noop = results[1][2]
    reads_ok = all(count == 1 for key, count in noop.items() if key.endswith(" read") and not key.startswith("login"))
    logins = noop["login read"]
    print("no-op goal (one read per resource type, at most one login, no writes): %s"
          % ("PASS" if reads_ok and logins <= 1 and results[1][3] == 0 else "MISS"))


if __name__ == "__main__":
    main()
