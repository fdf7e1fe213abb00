# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What AWX does with docs/awx/credential_type.yml, for the tests of that file.

AWX checks the injectors when the type is created and renders them for each job
(awx/main/fields.py, CredentialTypeInjectorField; awx/main/models/credential.py,
CredentialType.inject_credential). The rules that matter here, as AWX applies them:
an input left empty is undefined in the templates (so renders as ''), a missing boolean is False,
every env injector is set, and each file injector is written to a 0600 file under the job's
private data directory (env/), whose path the templates see as tower.filename.<name>.
Only jinja2 and PyYAML are imported, so the release tests can load this file too.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re
import stat
import tempfile

import yaml
from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment

COLLECTION_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CREDENTIAL_TYPE = os.path.join(COLLECTION_ROOT, "docs", "awx", "credential_type.yml")
FILE_LABEL = re.compile(r"^template(\.[a-zA-Z_]+[a-zA-Z0-9_]*)?$")


class _Namespace(object):
    pass


def load():
    with open(CREDENTIAL_TYPE) as handle:
        return yaml.safe_load(handle)


def saved_inputs(credential_type, **given):
    """The inputs of a credential created in the web interface, which pre-fills each field's default."""
    inputs = dict((field["id"], field["default"]) for field in credential_type["inputs"]["fields"] if "default" in field)
    inputs.update(given)
    missing = set(credential_type["inputs"]["required"]) - set(name for name, value in inputs.items() if value != "")
    assert not missing, "AWX refuses a credential without %s" % ", ".join(sorted(missing))
    return inputs


def validate(credential_type):
    """The check AWX makes when the type is created: every template renders with every input set."""
    injectors = credential_type["injectors"]
    assert set(injectors) <= set(["file", "env", "extra_vars"]), injectors
    tower = _Namespace()
    tower.filename = _Namespace()
    for label in injectors.get("file", {}):
        assert FILE_LABEL.match(label), label
        setattr(tower.filename, label.split(".")[1], "EXAMPLE_FILENAME")
    namespace = dict((field["id"], "EXAMPLE") for field in credential_type["inputs"]["fields"])
    sandbox = ImmutableSandboxedEnvironment(undefined=StrictUndefined)
    for section in ("file", "env"):
        for name, template in injectors.get(section, {}).items():
            # AWX refuses ANSIBLE_* (and a few of its own names) in env injectors.
            assert section != "env" or name.startswith("UCPBX_"), name
            sandbox.from_string(template).render(tower=tower, **namespace)


def inject(credential_type, inputs, private_data_dir):
    """The environment AWX gives a job that uses a credential with these inputs."""
    namespace = {}
    for name, value in inputs.items():
        if isinstance(value, bool) or len(value):
            namespace[name] = value
    for field in credential_type["inputs"]["fields"]:
        if field["type"] == "boolean" and field["id"] not in inputs:
            namespace[field["id"]] = False
    tower = _Namespace()
    sandbox = ImmutableSandboxedEnvironment()
    env_dir = os.path.join(str(private_data_dir), "env")
    if not os.path.isdir(env_dir):
        os.makedirs(env_dir)
    injectors = credential_type["injectors"]
    for label, template in injectors.get("file", {}).items():
        data = sandbox.from_string(template).render(tower=tower, **namespace)
        handle, path = tempfile.mkstemp(dir=env_dir)
        with os.fdopen(handle, "w") as stream:
            stream.write(data)
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
        if "." not in label:
            tower.filename = path
        else:
            if not hasattr(tower, "filename"):
                tower.filename = _Namespace()
            setattr(tower.filename, label.split(".")[1], path)
    return dict((name, sandbox.from_string(template).render(tower=tower, **namespace))
                for name, template in injectors.get("env", {}).items())
