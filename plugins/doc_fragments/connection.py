# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):

    DOCUMENTATION = r"""
options:
  host:
    description:
      - Address or name of the PBX.
      - Required unless the module renders without contacting the PBX.
      - If not set, the value of the E(UCPBX_HOST) environment variable is used.
    type: str
  port:
    description:
      - TCP port of the PBX HTTP API. The UC Series serves it on 9011.
      - If not set, the value of the E(UCPBX_PORT) environment variable is used.
    type: int
    default: 9011
  username:
    description:
      - API user name, as configured on the PBX under the API settings.
      - If not set, the value of the E(UCPBX_USERNAME) environment variable is used.
    type: str
  password:
    description:
      - API password in plain text. It is sent to the PBX only as its MD5 digest, as the API requires.
      - If not set, the value of the E(UCPBX_PASSWORD) environment variable is used.
    type: str
  use_ssl:
    description:
      - Use HTTPS. The PBX itself serves the API over plain HTTP on port 9011, so set this only when a TLS
        proxy stands in front of it (see the collection's README, section on TLS), and point O(port) at the proxy.
      - Over plain HTTP the login sends the MD5 digest of the password, which anyone who can watch the network
        can replay to log in, and every later request carries the API token in its URL.
      - If not set, the value of the E(UCPBX_USE_SSL) environment variable is used.
    type: bool
    default: false
  validate_certs:
    description:
      - Verify the TLS certificate when O(use_ssl=true), against the system's CA bundle or O(ca_path).
      - "V(false) accepts any certificate: the traffic is still encrypted, but anyone on the network path can
        impersonate the PBX and receive the password digest and the token. Prefer O(ca_path) for a private CA
        or a self-signed certificate."
      - If not set, the value of the E(UCPBX_VALIDATE_CERTS) environment variable is used.
    type: bool
    default: true
  ca_path:
    description:
      - PEM file of the certificate authority (or the self-signed certificate itself) to trust instead of the
        system's CA bundle when O(use_ssl=true) and O(validate_certs=true). A directory of PEM files prepared with
        C(openssl rehash) also works.
      - If not set, the value of the E(UCPBX_CA_PATH) environment variable is used.
    type: path
  connect_timeout:
    description:
      - Seconds to wait for the TCP (and TLS) connection to the PBX to be set up. Nothing has been sent when
        this runs out, so the request is simply tried again (see O(retries)).
      - A refused connection or a host name that does not resolve fails at once, without retries, since
        nothing was sent.
      - If not set, the value of the E(UCPBX_CONNECT_TIMEOUT) environment variable is used.
    type: int
    default: 5
  timeout:
    description:
      - Seconds a whole answer may take, from the moment the request is sent to the last byte of the answer.
        A server that keeps sending a byte now and then does not extend it.
      - A request that gets no complete answer in time may still have been applied; a write is only sent again
        after reading the PBX back shows it did not take effect.
      - One request takes at most (O(retries) + 1) x (O(connect_timeout) + O(timeout)) seconds plus the back-off
        pauses between attempts (0.5, 1, 2, 4, then 8 seconds at most, each shortened by a random part), and a
        task fails at the first request that runs out of attempts. With the defaults, a PBX that accepts
        connections but never answers makes a task fail after at most about 44 seconds (4 x 10 s waiting for
        the answer, 3.5 s of back-off), and a host that drops the connection requests silently after about
        24 seconds; the message names the address, the attempts and the time they took.
      - File downloads (M(openvox.ucpbx.uc_file)) may be large, so for them O(timeout) bounds each read.
      - If not set, the value of the E(UCPBX_TIMEOUT) environment variable is used.
    type: int
    default: 10
  max_answer_mb:
    description:
      - Largest API answer read, in megabytes. A larger answer fails the task, naming the request, before
        anything is read into memory past this size and before any write that depends on it.
      - The largest answer a PBX of the series gives (the extensions of a PBX with 50,000 of them) takes about
        25 MB.
      - If not set, the value of the E(UCPBX_MAX_ANSWER_MB) environment variable is used.
    type: int
    default: 64
  api_version:
    description:
      - API path version. V(v0.0.1) is the OpenVox path; V(v1.1.0) is the alias some firmware also serves.
      - If not set, the value of the E(UCPBX_API_VERSION) environment variable is used.
    type: str
    default: v0.0.1
    choices: [v0.0.1, v1.1.0]
  retries:
    description:
      - How many times a request is repeated after a dropped connection, a timeout, an HTTP 5xx answer or
        errno 10025 (configuration applied too often), with exponential back-off and jitter.
      - A refused connection, a host name that does not resolve and a TLS certificate that is not trusted are
        not retried.
      - A write whose answer was lost is only repeated after reading the PBX back shows it did not take effect,
        so an add is never applied twice.
      - If not set, the value of the E(UCPBX_RETRIES) environment variable is used.
    type: int
    default: 3
  token_cache:
    description:
      - Reuse the API token between tasks and forks. The token is kept in a file readable only by the
        user running Ansible, in O(token_cache_dir); parallel forks take a file lock so that only one of
        them logs in.
      - Whatever this is set to, the PBX is logged in to again once when it reports the token as unknown or
        expired, and a login refused for the same credentials is not repeated for 10 minutes by runs that share
        O(state_dir) (the PBX locks the client address after 5 failed logins).
      - When V(false), each task logs in and logs out.
      - If not set, the value of the E(UCPBX_TOKEN_CACHE) environment variable is used.
    type: bool
    default: true
  token_cache_dir:
    description:
      - Directory of the token cache and, unless O(state_dir) is set, of the memory of refused logins.
      - Defaults to C(openvox.ucpbx) under E(XDG_CACHE_HOME), or C(~/.cache/openvox.ucpbx).
      - If not set, the value of the E(UCPBX_TOKEN_CACHE_DIR) environment variable is used.
    type: path
  state_dir:
    description:
      - Directory of the memory of refused logins (the lockout guard), when it must outlive the token cache.
      - The PBX locks the client address for 10 minutes after 5 failed logins. The guard makes a run skip the
        login for 10 minutes after a refusal, but only runs that find its file profit from it. Where the home
        directory is thrown away after each run (AWX and other execution environments, CI containers), set this
        (or E(UCPBX_STATE_DIR)) to a persistent, mounted path; otherwise each run makes one failed login and
        the sixth locks the controller out.
      - Defaults to O(token_cache_dir).
      - If not set, the value of the E(UCPBX_STATE_DIR) environment variable is used.
    type: path
  report_port:
    description:
      - TCP port on which an application listens for the PBX's event reports.
      - B(A login with this option re-points the PBX's event reports) to the address Ansible connects from
        (or to O(report_url)). Leave it unset for configuration work so existing event receivers keep their
        reports; when it is unset the login sends no report address at all.
      - If not set, the value of the E(UCPBX_REPORT_PORT) environment variable is used.
    type: int
  report_url:
    description:
      - Path (or, with O(report_url_absolute=true), C(host:port/path)) that receives the event reports.
      - Only sent together with O(report_port).
      - If not set, the value of the E(UCPBX_REPORT_URL) environment variable is used.
    type: str
  report_url_absolute:
    description:
      - Whether O(report_url) is an absolute C(host:port/path) rather than a path on the connecting address.
      - If not set, the value of the E(UCPBX_REPORT_URL_ABSOLUTE) environment variable is used.
    type: bool
    default: false
attributes:
  action_group:
    description: Use C(group/openvox.ucpbx.ucpbx) in C(module_defaults) to set the connection options once for every
      module of the collection.
    support: full
    membership:
      - openvox.ucpbx.ucpbx
notes:
  - The API user must be enabled on the PBX (web interface, API settings), and the address Ansible
    connects from must be allowed there.
  - Modules run on the controller; use O(host) to name the PBX, or run them against C(localhost) with
    connection options per PBX in inventory variables.
requirements:
  - requests
"""

    RESOURCE = r"""
options:
  state:
    description:
      - V(merged) adds the objects in O(config) that are missing and changes the given options of those that
        exist. Options not given are not touched.
      - V(replaced) makes each object in O(config) exactly as given; options not given are set to their
        documented default, or left as they are when the option documents no default.
      - V(overridden) is V(replaced) for the objects in O(config), and deletes every other object on the PBX.
        With an empty O(config) it refuses to run when the PBX has objects of this kind, unless
        O(allow_delete_all=true).
      - V(deleted) deletes the objects in O(config) (only their key is needed). Without O(config) it deletes
        every object, and only when O(allow_delete_all=true).
      - V(gathered) reads the PBX and returns its objects in RV(gathered), in the format of O(config), without
        secrets and without options that have their default value, so that the output can be fed back.
      - V(rendered) returns in RV(rendered) the API requests O(config) translates to, without contacting the
        PBX.
      - The PBX is read once per task, whatever the size of O(config); only the writes needed are sent.
      - Deleting or renaming an object that another object on the PBX refers to (an inbound route, a queue,
        a paging group, another extension's forward, an outbound route's trunks) fails before anything is
        changed, in check mode too, and names each referring object; the kinds that can refer to it are read
        for that, only when a delete or rename is planned. A trunk may be renamed while routes use it (the PBX
        renames it in the routes too). To renumber an extension in use, create the new one, point its users at
        it, then delete the old one.
      - A reference to an object the PBX does not have, and a value the PBX would refuse in what the task
        writes, fail the same way. Values read from the PBX and left as they are stay as they are.
    type: str
    default: merged
    choices: [merged, replaced, overridden, deleted, gathered, rendered]
  allow_delete_all:
    description:
      - Allow O(state=overridden) with an empty O(config), and O(state=deleted) without O(config), both of
        which delete every object of this kind on the PBX.
    type: bool
    default: false
"""

    EDIT_ONLY = r"""
options:
  state:
    description:
      - These objects are created and deleted in the PBX web interface; the API can only change them.
        Naming one that does not exist is an error, reported before anything is changed.
      - A reference to an object the PBX does not have, and a value the PBX would refuse in what the task
        writes, are errors too, reported before anything is changed, in check mode too. Values read from the
        PBX and left as they are stay as they are (the web interface stores texts the API refuses).
      - V(merged) changes the given options of each object in O(config). Options not given are not touched.
      - V(replaced) is the same as V(merged) for these objects, since none of their options has a default
        the API could reset it to; it is accepted so that a whole-PBX configuration can use one state.
      - V(gathered) reads the PBX and returns its objects in RV(gathered), in the format of O(config),
        without secrets, so that the output can be fed back.
      - V(rendered) returns in RV(rendered) the API requests O(config) translates to, without contacting the
        PBX.
      - The PBX is read once per task, whatever the size of O(config); only the writes needed are sent.
    type: str
    default: merged
    choices: [merged, replaced, gathered, rendered]
"""

    SECRETS = r"""
options:
  update_password:
    description:
      - V(always) compares secrets with what the PBX reports and sends them when they differ.
      - V(on_create) sends secrets only when an object is created; later runs never change them.
    type: str
    default: always
    choices: [always, on_create]
"""

    # Resource modules whose action plugin runs them in the controller's process.
    CONTROLLER = r"""
options: {}
notes:
  - On a C(local) connection (how PBXes are usually reached) the module's action plugin runs it in the
    controller's own process, without a module process, and then sends no further request once
    C(ansible-playbook) is gone (killed with its process group, a cancelled CI job). On any other connection,
    with C(async), or with a task C(environment), the module runs in a process of its own. Both run the same code.
  - The echo of the arguments (C(invocation), at C(-vvv)) leaves O(config) out.
"""

    ATTRIBUTES = r"""
attributes:
  check_mode:
    support: full
    description: Reads the PBX, computes the same plan and reports it in RV(commands), sending no write.
  diff_mode:
    support: full
    description: Shows the objects that change, with secrets masked.
"""
