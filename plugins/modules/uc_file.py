#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: uc_file
short_description: Download a voicemail message, call recording or CDR file from an OpenVox UC Series PBX
version_added: 0.1.0
description:
  - Downloads a voicemail message, a call recording or the call detail records (CSV) of a time range from an
    OpenVox UC300, UC500 or UC501 PBX to a file on the controller.
  - The PBX hands out files in two steps. The module asks for a one-time download string (C(get_random)), then
    fetches the file with a plain HTTP GET of the download link.
  - The file is downloaded to a temporary file in the directory of O(dest) and its SHA-256 checksum compared with
    O(dest). O(dest) is replaced, atomically, only when the content differs, so a second run reports
    C(changed=false) and leaves O(dest) untouched.
  - A download the PBX refuses (for example a file that does not exist) fails with the PBX's error number and its
    meaning, and leaves O(dest) as it was.
author:
  - openvox.ucpbx maintainers (@openvox-ucpbx)
extends_documentation_fragment:
  - openvox.ucpbx.connection
  - ansible.builtin.files
options:
  kind:
    description:
      - What to download. V(voicemail) is one message of O(extension), V(recording) one call recording, V(cdr) the
        call detail records of O(extensions) between O(start_time) and O(end_time).
    type: str
    required: true
    choices: [voicemail, recording, cdr]
  dest:
    description:
      - The file to write. Its directory must exist.
    type: path
    required: true
  extension:
    description:
      - With O(kind=voicemail), the mailbox (extension number).
    type: str
  file:
    description:
      - With O(kind=voicemail), the message's file name, for example C(msg0000.wav), as listed by
        M(openvox.ucpbx.uc_voicemail).
    type: str
  status:
    description:
      - With O(kind=voicemail), the folder the message is in. By default the PBX finds it in either.
    type: str
    choices: [read, unread]
  recording:
    description:
      - With O(kind=recording), the recording's file name, as the PBX reports it in its CDR event
        (for example C(exten-101-106-20200505-042135-1588641695.1772.wav)).
    type: str
  extensions:
    description:
      - With O(kind=cdr), the extensions whose calls are listed, or the single item V(all) for every call.
    type: list
    elements: str
  start_time:
    description:
      - With O(kind=cdr), the start of the time range, C(YYYY-MM-DD HH:MM:SS) in the PBX's time.
    type: str
  end_time:
    description:
      - With O(kind=cdr), the end of the time range, C(YYYY-MM-DD HH:MM:SS), not before O(start_time).
    type: str
attributes:
  check_mode:
    support: full
    description:
      - Writes nothing and downloads nothing. It checks that the file exists on the PBX (a voicemail message through
        C(voicemail/query), a recording or CDR through C(get_random), which hands out a download string and
        changes nothing).
      - Whether the content differs from O(dest) cannot be known without downloading it, so check mode reports
        C(changed=true) whenever the PBX has the file, even if O(dest) already holds the same content. The result
        then gives the checksum of the current O(dest), if any.
  diff_mode:
    support: none
    description: File contents are not shown.
notes:
  - The download link works once, for 30 seconds, and only from the address that asked for it.
  - Dates and times of the CDR range are checked before any request is sent.
"""

EXAMPLES = r"""
# Connection options (host, username, password, ...) are left out: set them once for the play with
# module_defaults for group/openvox.ucpbx.ucpbx, or in UCPBX_* environment variables.
# archive_dir: a directory on the controller that keeps the files.

- name: Save a voicemail message
  openvox.ucpbx.uc_file:
    kind: voicemail
    extension: "201"
    file: msg0000.wav
    dest: "{{ archive_dir }}/201-msg0000.wav"
    mode: "0640"

- name: Save a call recording
  openvox.ucpbx.uc_file:
    kind: recording
    recording: exten-101-106-20200505-042135-1588641695.1772.wav
    dest: "{{ archive_dir }}/exten-101-106-20200505-042135-1588641695.1772.wav"

- name: Save yesterday's call detail records of every extension
  openvox.ucpbx.uc_file:
    kind: cdr
    extensions: all
    start_time: "{{ '%Y-%m-%d' | strftime(now().timestamp() - 86400) }} 00:00:00"
    end_time: "{{ '%Y-%m-%d' | strftime(now().timestamp() - 86400) }} 23:59:59"
    dest: "{{ archive_dir }}/cdr-yesterday.csv"
"""

RETURN = r"""
dest:
  description: The file written (or left as it was).
  returned: always
  type: str
  sample: /srv/voicemail/201-msg0000.wav
checksum:
  description:
    - SHA-256 of the downloaded content, which O(dest) now holds.
    - In check mode, the SHA-256 of the current O(dest).
  returned: when O(dest) holds a file
  type: str
  sample: 0d5f1c2a0e8f3b1f1e6ab7e2d1dfc0a1c4f0a77e7e0fcd2d6a4b1b0d5b2f3e4a
size:
  description:
    - Size of the downloaded content in bytes.
    - In check mode, the size of the current O(dest).
  returned: when O(dest) holds a file
  type: int
  sample: 48044
msg:
  description: What was done.
  returned: always
  type: str
  sample: downloaded recording exten-101-106-20200505-042135-1588641695.1772.wav
"""

import os

from ansible_collections.openvox.ucpbx.plugins.module_utils.direct_module import ActionFailed, run_action
from ansible_collections.openvox.ucpbx.plugins.module_utils.voicemail_alarms_downloads import (
    check_time,
    download_to_temp,
    get_random,
    list_voicemails,
    sha256_of,
)


def request_of(params):
    """(get_random body, what the file is) for the options given; raises ActionFailed when they are wrong."""
    kind = params["kind"]
    if kind == "voicemail":
        body = {"extid": params["extension"], "voicemailfile": params["file"]}
        if params["status"]:
            body["voicemailstatus"] = params["status"]
        return body, "voicemail %s of extension %s" % (params["file"], params["extension"])
    if kind == "recording":
        return {"recording": params["recording"]}, "recording %s" % params["recording"]
    extensions = [item.strip() for item in params["extensions"] if item.strip()]
    if not extensions or ("all" in extensions and len(extensions) > 1):
        raise ActionFailed("extensions must list extension numbers, or be all")
    problems = [problem for problem in (check_time("start_time", params["start_time"]),
                                        check_time("end_time", params["end_time"])) if problem]
    if not problems and params["start_time"] > params["end_time"]:
        problems.append("end_time %s is before start_time %s" % (params["end_time"], params["start_time"]))
    if problems:
        raise ActionFailed("; ".join(problems))
    body = {"extid": ",".join(extensions), "starttime": params["start_time"], "endtime": params["end_time"]}
    who = "every extension" if extensions == ["all"] else "extension %s" % ", ".join(extensions)
    return body, "CDR of %s from %s to %s" % (who, params["start_time"], params["end_time"])


def exists_on_pbx(client, params, body, subject):
    """Check mode: make sure the PBX has the file, with reads only."""
    if params["kind"] == "voicemail":
        for message in list_voicemails(client, [params["extension"]]):
            if message["file"] == params["file"] and params["status"] in (None, message.get("status", params["status"])):
                return
        raise ActionFailed("%s does not exist%s" % (subject, " in the %s folder" % params["status"] if params["status"] else ""))
    # get_random hands out a one-time string and changes nothing on the PBX.
    get_random(client, params["kind"], body, subject)


def fetch(module, client):
    params = module.params
    body, subject = request_of(params)
    dest = params["dest"]
    directory = os.path.dirname(os.path.abspath(dest))
    if os.path.isdir(dest):
        raise ActionFailed("dest %s is a directory; give the path of the file to write" % dest)
    if not os.path.isdir(directory):
        raise ActionFailed("the directory of dest %s does not exist" % dest)
    existing = os.path.exists(dest)
    result = dict(dest=dest)
    if module.check_mode:
        exists_on_pbx(client, params, body, subject)
        if existing:
            result.update(checksum=sha256_of(dest), size=os.path.getsize(dest))
        result.update(changed=True, msg="would download %s to %s%s (check mode)" % (
            subject, dest, " and replace it if the content differs" if existing else ""))
        return result
    if not os.access(directory, os.W_OK):
        raise ActionFailed("cannot write in the directory of dest %s" % dest)
    temp, checksum, size = download_to_temp(client, params["kind"], body, subject, directory)
    try:
        changed = not existing or sha256_of(dest) != checksum
        if changed:
            module.atomic_move(temp, dest, unsafe_writes=params["unsafe_writes"])
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
    file_args = module.load_file_common_arguments(params, path=dest)
    changed = module.set_fs_attributes_if_different(file_args, changed)
    if changed and not existing:
        msg = "downloaded %s to %s" % (subject, dest)
    elif changed:
        msg = "downloaded %s; %s updated" % (subject, dest)
    else:
        msg = "downloaded %s; %s already holds this content" % (subject, dest)
    result.update(changed=changed, checksum=checksum, size=size, msg=msg)
    return result


def main():
    argument_spec = dict(
        kind=dict(type="str", required=True, choices=["voicemail", "recording", "cdr"]),
        dest=dict(type="path", required=True),
        extension=dict(type="str"),
        file=dict(type="str"),
        status=dict(type="str", choices=["read", "unread"]),
        recording=dict(type="str"),
        extensions=dict(type="list", elements="str"),
        start_time=dict(type="str"),
        end_time=dict(type="str"),
    )
    run_action(
        argument_spec,
        fetch,
        add_file_common_args=True,
        required_if=[
            ("kind", "voicemail", ("extension", "file")),
            ("kind", "recording", ("recording",)),
            ("kind", "cdr", ("extensions", "start_time", "end_time")),
        ],
    )


if __name__ == "__main__":
    main()
