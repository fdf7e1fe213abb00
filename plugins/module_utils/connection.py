# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Connection options shared by every module (documented in the connection doc fragment)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.basic import env_fallback

from ansible_collections.openvox.ucpbx.plugins.module_utils.client import (
    DEFAULT_MAX_ANSWER_MB,
    ClientSettings,
    PbxClient,
)


def _env(name):
    return (env_fallback, ["UCPBX_%s" % name])


CONNECTION_ARGUMENT_SPEC = dict(
    host=dict(type="str", fallback=_env("HOST")),
    port=dict(type="int", default=9011, fallback=_env("PORT")),
    username=dict(type="str", fallback=_env("USERNAME")),
    password=dict(type="str", no_log=True, fallback=_env("PASSWORD")),
    use_ssl=dict(type="bool", default=False, fallback=_env("USE_SSL")),
    validate_certs=dict(type="bool", default=True, fallback=_env("VALIDATE_CERTS")),
    ca_path=dict(type="path", fallback=_env("CA_PATH")),
    connect_timeout=dict(type="int", default=5, fallback=_env("CONNECT_TIMEOUT")),
    timeout=dict(type="int", default=10, fallback=_env("TIMEOUT")),
    max_answer_mb=dict(type="int", default=DEFAULT_MAX_ANSWER_MB, fallback=_env("MAX_ANSWER_MB")),
    api_version=dict(type="str", default="v0.0.1", choices=["v0.0.1", "v1.1.0"], fallback=_env("API_VERSION")),
    retries=dict(type="int", default=3, fallback=_env("RETRIES")),
    token_cache=dict(type="bool", default=True, fallback=_env("TOKEN_CACHE")),
    token_cache_dir=dict(type="path", fallback=_env("TOKEN_CACHE_DIR")),
    state_dir=dict(type="path", fallback=_env("STATE_DIR")),
    report_port=dict(type="int", fallback=_env("REPORT_PORT")),
    report_url=dict(type="str", fallback=_env("REPORT_URL")),
    report_url_absolute=dict(type="bool", default=False, fallback=_env("REPORT_URL_ABSOLUTE")),
)


def connection_problem(params):
    """Why the options name no PBX to talk to, or timeouts that could never be met; else None."""
    missing = [name for name in ("host", "username", "password") if not params.get(name)]
    if missing:
        return "missing connection options: %s (or the UCPBX_%s environment variables)" % (
            ", ".join(missing), "/UCPBX_".join(name.upper() for name in missing))
    for name in ("connect_timeout", "timeout", "max_answer_mb"):
        if params[name] < 1:
            return "%s must be at least 1 (%s), got %d" % (
                name, "megabytes" if name == "max_answer_mb" else "seconds", params[name])
    return None


def require_connection(module):
    """Fail the module when it has no PBX to talk to, or timeouts that could never be met."""
    problem = connection_problem(module.params)
    if problem:
        module.fail_json(msg=problem)


def client_from_params(params):
    options = dict((name, params[name]) for name in CONNECTION_ARGUMENT_SPEC if name != "token_cache_dir")
    return PbxClient(ClientSettings(cache_dir=params["token_cache_dir"], **options))
