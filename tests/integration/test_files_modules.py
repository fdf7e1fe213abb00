# -*- coding: utf-8 -*-
# Copyright: (c) 2026, openvox.ucpbx contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""uc_voicemail, uc_file, uc_wakeup_call and uc_hotel_checkout against the emulator.

Downloads are compared byte for byte with what was seeded; writes, downloads and check-outs are
counted in the emulator's request log, alarms and files are read from its control API.
Each playbook runs once in a module-scoped fixture; each test checks one behaviour.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import csv
import hashlib
import io
import json
import os
import sys

import pytest
import requests

from conftest import API_PASSWORD, API_USERNAME, COLLECTIONS_PATH, summary

CDR_COLUMNS = ("callid", "timestart", "callfrom", "callto", "callduraction", "talkduraction", "srctrunkname",
               "dsttrunkname", "status", "type", "pincode", "recording", "didnumber", "sn")
RECORDING = "exten-201-202-20240301-091502-1709284502.1772.wav"
# Requests that change the PBX or hand out a file.
ACTIONS = ("voicemail/delete", "voicemail/download", "recording/download", "cdr/download", "wakeupcall/create",
           "wakeupcall/update", "wakeupcall/delete", "hotel/checkout")


def control(emulator, method, path, body=None):
    response = requests.request(method, "%s/_emulator/%s" % (emulator.url, path),
                                data=None if body is None else json.dumps(body), timeout=10)
    assert response.status_code == 200, "%s %s -> %d %s" % (method, path, response.status_code, response.text)
    return response.json()


def content(seed, size):
    """Deterministic bytes that are not text (a WAV header, then noise)."""
    data = b"RIFF" + hashlib.sha256(seed.encode()).digest()
    while len(data) < size:
        data += hashlib.sha256(data[-32:]).digest()
    return data[:size]


def add_voicemail(emulator, extension, data, status="unread", sender="0755123456", duration="12",
                  date="2024-03-01 09:15:02"):
    return control(emulator, "POST", "voicemails", {
        "extension": extension, "from": sender, "duration": duration, "date": date, "status": status,
        "content_b64": base64.b64encode(data).decode("ascii")})["voicemailfile"]


def add_recording(emulator, name, data):
    control(emulator, "POST", "recordings", {"file": name, "content_b64": base64.b64encode(data).decode("ascii")})


def cdr_row(callid, timestart, callfrom, callto):
    return {"callid": callid, "timestart": timestart, "callfrom": callfrom, "callto": callto, "callduraction": "30",
            "talkduraction": "25", "status": "ANSWERED", "type": "Internal", "sn": "UC5000000001"}


def cdr_csv(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CDR_COLUMNS)
    for row in rows:
        writer.writerow([row.get(column, "") for column in CDR_COLUMNS])
    return buffer.getvalue().encode("utf-8")


def extensions(*numbers):
    return {"extensions": [{"number": number} for number in numbers]}


def endpoints(log):
    return [entry["endpoint"] for entry in log if entry["endpoint"] != "login"]


def actions(log):
    return [entry for entry in log if entry["endpoint"] in ACTIONS]


MESSAGES = {
    "msg0000.wav": content("201-0", 3000),
    "msg0001.wav": content("201-1", 4500),
    "msg0002.wav": content("201-2", 10),
}


def voicemail_files(emulator):
    return control(emulator, "GET", "files")["voicemails"]


@pytest.fixture(scope="module")
def voicemail(play_scenario, tmp_path_factory):
    """playbooks/files_voicemail.yml: (the run, its destination directory); `before` holds the names the
    PBX gave the seeded messages, `extra` the voicemails it keeps after the run."""
    dest_dir = tmp_path_factory.mktemp("voicemail-dest")

    def before(emulator):
        names = [add_voicemail(emulator, "201", MESSAGES["msg0000.wav"]),
                 add_voicemail(emulator, "201", MESSAGES["msg0001.wav"], status="read"),
                 add_voicemail(emulator, "201", MESSAGES["msg0002.wav"], status="read")]
        add_voicemail(emulator, "202", content("202-0", 100), sender="201", duration="7")
        return names

    return play_scenario("files_voicemail", {"dest_dir": str(dest_dir)}, seed=extensions("201", "202", "203"),
                         before=before, after=voicemail_files, verbosity=0, diff=False), dest_dir


def test_voicemail_play_passes(voicemail):
    assert voicemail[0].before == ["msg0000.wav", "msg0001.wav", "msg0002.wav"]
    voicemail[0].check_passed()


def test_voicemail_downloads_are_byte_for_byte(voicemail):
    # Byte for byte, and the refused download in the wrong folder left the earlier file alone.
    scenario, dest_dir = voicemail
    assert (dest_dir / "201-msg0000.wav").read_bytes() == MESSAGES["msg0000.wav"]
    assert (dest_dir / "201-msg0001.wav").read_bytes() == MESSAGES["msg0001.wav"]
    assert oct((dest_dir / "201-msg0001.wav").stat().st_mode & 0o777) == "0o640"
    assert scenario.outcome["first_download"]["checksum"] == hashlib.sha256(MESSAGES["msg0000.wav"]).hexdigest()


def test_voicemail_downloads_leave_no_temporary_file(voicemail):
    assert sorted(os.listdir(str(voicemail[1]))) == ["201-msg0000.wav", "201-msg0001.wav"], "temporary files left"


def test_voicemail_downloads_request_each_file_with_the_token_in_the_url(voicemail):
    log = voicemail[0].log
    downloads = [entry for entry in log if entry["endpoint"] == "voicemail/download"]
    # Three downloads (the second one of msg0000 too: only the content tells whether it changed).
    assert [(entry["body"]["voicemailfile"], entry["body"]["voicemailstatus"]) for entry in downloads] == [
        ("msg0000.wav", "unread"), ("msg0000.wav", "unread"), ("msg0001.wav", "read")], summary(downloads)
    assert all("token" not in entry["body"] and entry["token_present"] for entry in downloads)


def test_refused_voicemail_downloads_stop_at_get_random(voicemail):
    log = voicemail[0].log
    assert [entry["errno"] for entry in log if entry["endpoint"] == "voicemail/get_random"] == [
        None, None, None, "20018", "20018"], summary(log)


def test_voicemail_deletes_send_one_request_each(voicemail):
    log = voicemail[0].log
    deletes = [(entry["body"], entry["status"]) for entry in log if entry["endpoint"] == "voicemail/delete"]
    assert deletes == [
        ({"extid": "201", "voicemailfile": "msg0000.wav", "voicemailstatus": "all"}, "Success"),
        ({"extid": "201", "voicemailfile": "all", "voicemailstatus": "read"}, "Success"),
    ], summary(log)


def test_pbx_keeps_the_voicemail_not_deleted(voicemail):
    files = voicemail[0].extra
    assert list(files) == ["202"]
    assert [message["voicemailfile"] for message in files["202"]] == ["msg0000.wav"]


RECORDING_CONTENT = content("recording", 70000)
CDR_ROWS = [cdr_row("1709284502.1001", "2024-03-01 09:15:02", "201", "202"),
            cdr_row("1709290000.1010", "2024-03-01 10:46:40", "203", "0755123456"),
            cdr_row("1709370000.1020", "2024-03-02 09:00:00", "0755123456", "202"),
            cdr_row("1709200000.1000", "2024-02-29 09:46:40", "202", "201")]


@pytest.fixture(scope="module")
def downloads(play_scenario, tmp_path_factory):
    """playbooks/files_downloads.yml: (the run, its destination directory, holding keep.wav beforehand)."""
    dest_dir = tmp_path_factory.mktemp("downloads-dest")
    (dest_dir / "keep.wav").write_bytes(b"keep me")

    def before(emulator):
        add_recording(emulator, RECORDING, RECORDING_CONTENT)
        control(emulator, "POST", "cdr", {"records": CDR_ROWS})

    return play_scenario("files_downloads", {"dest_dir": str(dest_dir), "recording": RECORDING},
                         seed=extensions("201", "202", "203"), before=before, verbosity=0, diff=False), dest_dir


def test_downloads_play_passes(downloads):
    downloads[0].check_passed()


def test_recording_download_is_byte_for_byte_and_private(downloads):
    dest_dir = downloads[1]
    assert (dest_dir / "recording.wav").read_bytes() == RECORDING_CONTENT
    assert oct((dest_dir / "recording.wav").stat().st_mode & 0o777) == "0o600"
    assert (dest_dir / "keep.wav").read_bytes() == b"keep me"


def test_cdr_downloads_hold_the_records_asked_for(downloads):
    scenario, dest_dir = downloads
    assert (dest_dir / "cdr-all.csv").read_bytes() == cdr_csv(CDR_ROWS[:2])
    assert (dest_dir / "cdr-202.csv").read_bytes() == cdr_csv([CDR_ROWS[0], CDR_ROWS[2]])
    assert scenario.outcome["cdr_all"]["size"] == len(cdr_csv(CDR_ROWS[:2]))


def test_downloads_leave_only_the_files_asked_for(downloads):
    assert sorted(os.listdir(str(downloads[1]))) == ["cdr-202.csv", "cdr-all.csv", "keep.wav", "recording.wav"]


def test_invalid_cdr_ranges_are_refused_before_any_request(downloads):
    log = downloads[0].log
    # The invalid and reversed ranges were refused before any request; the empty day reached the PBX.
    cdr_randoms = [entry["body"] for entry in log if entry["endpoint"] == "cdr/get_random"]
    assert [(body["extid"], body["starttime"]) for body in cdr_randoms] == [
        ("all", "2024-03-01 00:00:00"), ("202", "2024-03-01 00:00:00"), ("202", "2024-03-01 00:00:00"),
        ("all", "2023-01-01 00:00:00")], summary(log)


def test_cdr_download_times_arrive_intact(downloads):
    # The spaces of the times travel URL-encoded and arrive intact.
    first_cdr = [dict(entry["body"]) for entry in downloads[0].log if entry["endpoint"] == "cdr/download"][0]
    assert len(first_cdr.pop("random")) == 32
    assert first_cdr == {"extid": "all", "starttime": "2024-03-01 00:00:00", "endtime": "2024-03-01 23:59:59"}


def test_recording_destination_is_checked_before_any_request(downloads):
    log = downloads[0].log
    assert len([entry for entry in log if entry["endpoint"] == "recording/download"]) == 3
    # The directory check comes before any request: four recording/get_random, not five.
    assert len([entry for entry in log if entry["endpoint"] == "recording/get_random"]) == 4, summary(log)


def files_and_alarms(emulator):
    return control(emulator, "GET", "files"), control(emulator, "GET", "alarms")


@pytest.fixture(scope="module")
def checked(play_scenario, tmp_path_factory):
    """playbooks/files_check.yml under --check: (the run, its destination directory holding existing.wav);
    `before` and `extra` hold the PBX's files and alarms before and right after it."""
    dest_dir = tmp_path_factory.mktemp("check-dest")
    (dest_dir / "existing.wav").write_bytes(b"old bytes")
    os.utime(str(dest_dir / "existing.wav"), (1577836800, 1577836800))

    def before(emulator):
        add_voicemail(emulator, "201", content("201-0", 500))
        add_recording(emulator, RECORDING, content("recording", 2000))
        control(emulator, "POST", "cdr", {"records": [cdr_row("1709284502.1001", "2024-03-01 09:15:02", "201", "202")]})
        # The alarm to be replaced, set through the API as any client would.
        seed_alarm(emulator, "301", {"time": "06:00", "type": "onetime"})
        emulator.clear_log()
        return files_and_alarms(emulator)

    extra_vars = {"dest_dir": str(dest_dir), "recording": RECORDING,
                  "existing_checksum": hashlib.sha256(b"old bytes").hexdigest()}
    return play_scenario("files_check", extra_vars, seed=extensions("201", "301"), before=before,
                         after=files_and_alarms, check=True, verbosity=0, diff=False), dest_dir


def test_check_mode_play_passes(checked):
    assert checked[0].returncode == 0, checked[0].output


def test_check_mode_sends_reads_only(checked):
    log = checked[0].log
    assert actions(log) == [], summary(actions(log))
    assert endpoints(log) == [
        "voicemail/query",  # delete: read the mailbox
        "voicemail/query",  # download of a message: does it exist?
        "voicemail/query",  # the missing message
        "recording/get_random",
        "cdr/get_random",
        "wakeupcall/query",
        "extension/query", "wakeupcall/query", "voicemail/query",  # check-out
    ], summary(log)


def test_check_mode_leaves_the_pbx_files_and_alarms(checked):
    files_before, alarms_before = checked[0].before
    files_after, alarms_after = checked[0].extra
    assert files_after == files_before
    assert alarms_after == alarms_before


def test_check_mode_leaves_the_destination_alone(checked):
    dest_dir = checked[1]
    assert sorted(os.listdir(str(dest_dir))) == ["existing.wav"]
    assert (dest_dir / "existing.wav").read_bytes() == b"old bytes"
    assert (dest_dir / "existing.wav").stat().st_mtime == 1577836800


def seed_alarm(emulator, number, alarm):
    """Create an alarm through the API itself (the control API has no alarm seeding)."""
    base = "%s/api/v0.0.1/" % emulator.url
    credentials = {"username": API_USERNAME, "password": hashlib.md5(API_PASSWORD.encode()).hexdigest()}
    login = requests.post(base + "login", data=json.dumps(credentials), timeout=10).json()
    answer = requests.post(base + "wakeupcall/create", params={"token": login["token"]},
                           data=json.dumps(dict(alarm, number=number)), timeout=10).json()
    assert answer == {"status": "Success"}, answer


@pytest.fixture(scope="module")
def hotel(play_scenario):
    """playbooks/files_hotel.yml with --diff; `extra` holds the alarms and voicemails right after it."""

    def before(emulator):
        add_voicemail(emulator, "302", content("302-0", 50))
        add_voicemail(emulator, "302", content("302-1", 60), status="read")
        add_voicemail(emulator, "303", content("303-0", 70))
        seed_alarm(emulator, "303", {"time": "08:00", "type": "onetime"})
        emulator.clear_log()

    def after(emulator):
        return control(emulator, "GET", "alarms")["alarms"], voicemail_files(emulator)

    return play_scenario("files_hotel", seed=extensions("301", "302", "303"), before=before, after=after,
                         verbosity=0, diff=True)


def wakeup_writes(log):
    return [(entry["endpoint"], entry["body"]) for entry in log if entry["endpoint"].startswith("wakeupcall/")
            and not entry["endpoint"].endswith("/query")]


def test_hotel_play_passes(hotel):
    assert hotel.returncode == 0, hotel.output


def test_wakeup_calls_are_created_updated_and_deleted(hotel):
    writes = wakeup_writes(hotel.log)
    assert [endpoint for endpoint, body in writes] == [
        "wakeupcall/create", "wakeupcall/create", "wakeupcall/create",  # room 301
        "wakeupcall/update",  # prompt
        "wakeupcall/delete",  # exclusive
        "wakeupcall/create",  # room 302
    ], summary(hotel.log)
    assert all(entry["status"] == "Success" for entry in hotel.log if entry["endpoint"] in ACTIONS), summary(hotel.log)


def test_exclusive_alarms_delete_the_others_in_one_request(hotel):
    writes = wakeup_writes(hotel.log)
    assert writes[4][1]["number"] == "301" and len(writes[4][1]["wakeupid"].split(",")) == 2


def test_invalid_alarms_are_refused_before_any_request(hotel):
    # The task after them queried room 399 only.
    queries = [entry["body"]["number"] for entry in hotel.log if entry["endpoint"] == "wakeupcall/query"]
    assert queries == ["301"] * 7 + ["399"] + ["302"] * 4, summary(hotel.log)


def test_checkout_clears_the_room(hotel):
    assert [entry["body"] for entry in hotel.log if entry["endpoint"] == "hotel/checkout"] == [{"number": "302"}]
    alarms, files = hotel.extra
    assert sorted(alarms) == ["301", "303"]
    assert list(files) == ["303"]


def test_pbx_holds_the_alarms_asked_for(hotel):
    alarms = hotel.extra[0]
    assert [(a["time"], a["type"], a["weekdays"], a["prompt"]) for a in alarms["301"]] == [
        ("06:30", "custom", "1,2,3,4,5", "custom/wakeup2")]
    assert [(a["time"], a["type"]) for a in alarms["303"]] == [("08:00", "onetime")]


def test_hotel_diffs_are_shown(hotel):
    assert "--- before" in hotel.output and "+++ after" in hotel.output


def test_download_refused_after_get_random_leaves_nothing(emulator, tmp_path):
    """A download link answered with the failure envelope instead of the file fails with its meaning.

    The emulator cannot make a download fail after a successful get_random, so this drives the
    helper directly with a random the PBX never issued.
    """
    if COLLECTIONS_PATH not in sys.path:
        sys.path.insert(0, COLLECTIONS_PATH)
    from ansible_collections.openvox.ucpbx.plugins.module_utils import voicemail_alarms_downloads as helper
    from ansible_collections.openvox.ucpbx.plugins.module_utils.direct_module import ActionFailed
    from ansible_collections.openvox.ucpbx.plugins.module_utils.client import ClientSettings, PbxClient

    emulator.put_state(extensions("201"))
    add_recording(emulator, RECORDING, content("recording", 100))
    client = PbxClient(ClientSettings(emulator.host, API_USERNAME, API_PASSWORD, port=emulator.port,
                                      cache_dir=str(tmp_path / "cache")))
    real_get_random = helper.get_random
    helper.get_random = lambda client, kind, body, subject: ({}, "0" * 32)
    try:
        client.call("voicemail/query", {})
        with pytest.raises(ActionFailed) as failure:
            helper.download_to_temp(client, "recording", {"recording": RECORDING}, "recording %s" % RECORDING,
                                    str(tmp_path))
    finally:
        helper.get_random = real_get_random
        client.close()
    message = str(failure.value)
    assert "recording/download" in message and "20012" in message and "random string is invalid" in message
    assert failure.value.result["errno"] == "20012"
    assert [name for name in os.listdir(str(tmp_path)) if name.startswith(".ucpbx-")] == []
    download = [entry for entry in emulator.requests() if entry["endpoint"] == "recording/download"]
    assert [(entry["status"], entry["errno"]) for entry in download] == [("Failed", "20012")]
