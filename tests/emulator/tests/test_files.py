"""Voicemail (OpenVox UC API: Voicemails), recording (OpenVox UC API: Login) and CDR (OpenVox UC API: Login) files: queries, one-time
randoms and byte-exact downloads."""

import base64
import csv
import io
import os

import pytest
import requests

from livehelpers import inbound

WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(range(256)) + b"\x00\xff\r\n"


def seed_voicemail(emu, extension="201", content=WAV, **extra):
    body = {"extension": extension, "from": "0755123456", "duration": "12",
            "date": "2024-03-01 09:15:02",
            "content_b64": base64.b64encode(content).decode(), **extra}
    return emu.ctl("POST", "voicemails", body)


def download(emu, path, params):
    return requests.get(f"{emu.url}/api/v0.0.1/{path}", params=params, timeout=10)


# -- voicemail -------------------------------------------------------------------------------

def test_voicemail_query_example(pbx):
    emu, token = pbx
    assert seed_voicemail(emu) == {"extid": "201", "voicemailfile": "msg0000.wav"}
    assert emu.api("voicemail/query", {"extid": "201"}, token=token) == {
        "status": "Success", "voicemails": [{"extid": "201", "voicemail": [
            {"voicemailfile": "msg0000.wav", "messagefrom": "0755123456",
             "voicemaildate": "2024-03-01 09:15:02", "voicemaillength": "12",
             "voicemailstatus": "unread"}]}]}


def test_voicemail_query_all_empty_and_unknown(pbx):
    emu, token = pbx
    assert emu.api("voicemail/query", {"extid": "202"}, token=token) == {"status": "Success"}
    assert emu.api("voicemail/query", token=token) == {"status": "Success"}
    seed_voicemail(emu, "202")
    seed_voicemail(emu, "201")
    seed_voicemail(emu, "201", status="read")
    listed = emu.api("voicemail/query", token=token)["voicemails"]
    assert [(box["extid"], [m["voicemailfile"] for m in box["voicemail"]]) for box in listed] == [
        ("201", ["msg0000.wav", "msg0001.wav"]), ("202", ["msg0000.wav"])]
    assert emu.api("voicemail/query", {"extid": "201,299"}, token=token)["errno"] == "10006"


def test_voicemail_delete(pbx):
    emu, token = pbx
    for status in ("unread", "read", "read"):
        seed_voicemail(emu, status=status)
    body = {"extid": "201", "voicemailfile": "msg0001.wav"}
    assert emu.api("voicemail/delete", body, token=token) == {"status": "Success"}
    assert emu.api("voicemail/delete", body, token=token)["errno"] == "20018"
    assert emu.api("voicemail/delete", {"extid": "201", "voicemailfile": "all",
                                        "voicemailstatus": "read"}, token=token) == {"status": "Success"}
    files = [m["voicemailfile"] for m in
             emu.api("voicemail/query", {"extid": "201"}, token=token)["voicemails"][0]["voicemail"]]
    assert files == ["msg0000.wav"]
    # The freed number is used again.
    assert seed_voicemail(emu)["voicemailfile"] == "msg0001.wav"
    assert emu.api("voicemail/delete", {"extid": "201", "voicemailfile": "all"},
                   token=token) == {"status": "Success"}
    assert emu.api("voicemail/query", {"extid": "201"}, token=token) == {"status": "Success"}


@pytest.mark.parametrize("body,errno", [
    ({"extid": "201"}, "10004"),
    ({"voicemailfile": "all"}, "10004"),
    ({"extid": "299", "voicemailfile": "all"}, "10006"),
    ({"extid": "201", "voicemailfile": "all", "voicemailstatus": "new"}, "20016"),
    ({"extid": "201", "voicemailfile": "msg0009.wav"}, "20018"),
])
def test_voicemail_delete_errors(pbx, body, errno):
    emu, token = pbx
    seed_voicemail(emu)
    emu.refused("voicemail/delete", body, errno, token=token)


def test_voicemail_download_byte_exact_and_one_time(pbx):
    emu, token = pbx
    seed_voicemail(emu)
    answer = emu.api("voicemail/get_random", {"extid": "201", "voicemailfile": "msg0000.wav",
                                              "voicemailstatus": "unread"}, token=token)
    assert answer["status"] == "Success"
    random = answer.pop("random")
    assert len(random) == 32 and int(random, 16) >= 0
    assert answer == {"status": "Success", "extid": "201", "voicemailfile": "msg0000.wav",
                      "voicemailstatus": "unread"}
    params = {"extid": "201", "voicemailstatus": "unread", "token": token,
              "voicemailfile": "msg0000.wav", "random": random}
    response = download(emu, "voicemail/download", params)
    assert response.status_code == 200 and response.content == WAV
    assert response.headers["Content-Type"] == "audio/x-wav"
    # Single use.
    assert download(emu, "voicemail/download", params).json() == {"status": "Failed", "errno": "20017"}
    entry = emu.requests_log()[-1]
    assert entry["endpoint"] == "voicemail/download" and "token" not in entry["body"]


def test_voicemail_random_errors_and_expiry(pbx):
    emu, token = pbx
    seed_voicemail(emu)
    base = {"extid": "201", "voicemailfile": "msg0000.wav"}
    assert emu.api("voicemail/get_random", {"extid": "201"}, token=token)["errno"] == "10004"
    assert emu.api("voicemail/get_random", {**base, "extid": "299"}, token=token)["errno"] == "10006"
    assert emu.api("voicemail/get_random", {**base, "voicemailstatus": "x"}, token=token)["errno"] == "20016"
    assert emu.api("voicemail/get_random", {**base, "voicemailstatus": "read"},
                   token=token)["errno"] == "20018"
    assert emu.api("voicemail/get_random", {**base, "voicemailfile": "msg0001.wav"},
                   token=token)["errno"] == "20018"
    random = emu.api("voicemail/get_random", base, token=token)["random"]
    params = {**base, "token": token, "random": random}
    # Not for another file, not with a bad token.
    assert download(emu, "voicemail/download", {**params, "voicemailfile": "msg0001.wav"}).json()[
        "errno"] == "20017"
    assert download(emu, "voicemail/download", {**params, "token": "0" * 32}).json()["errno"] == "20004"
    assert download(emu, "voicemail/download", {**base, "random": random}).json()["errno"] == "20005"
    emu.advance(31)
    token = emu.login()
    assert download(emu, "voicemail/download", {**params, "token": token}).json() == {
        "status": "Failed", "errno": "20017"}
    random = emu.api("voicemail/get_random", base, token=token)["random"]
    emu.advance(29)
    assert download(emu, "voicemail/download", {**base, "token": token, "random": random}).content == WAV


# -- recordings ----------------------------------------------------------------------------------

def test_recording_download(pbx):
    emu, token = pbx
    name = "exten-101-106-20200505-042135-1588641695.1772.wav"
    content = os.urandom(2048)
    assert emu.ctl("POST", "recordings", {"file": name, "content_b64": base64.b64encode(
        content).decode()}) == {"recording": name}
    answer = emu.api("recording/get_random", {"recording": name}, token=token)
    assert set(answer) == {"status", "recording", "random"} and answer["recording"] == name
    params = {"recording": name, "random": answer["random"], "token": token}
    response = download(emu, "recording/download", params)
    assert response.content == content
    assert download(emu, "recording/download", params).json() == {"status": "Failed", "errno": "20012"}
    assert emu.api("recording/get_random", {"recording": "nope.wav"}, token=token) == {
        "status": "Failed", "errno": "20014"}
    assert emu.api("recording/get_random", {}, token=token)["errno"] == "10004"
    random = emu.api("recording/get_random", {"recording": name}, token=token)["random"]
    emu.advance(31)
    token = emu.login()
    assert download(emu, "recording/download", {**params, "random": random, "token": token}).json()[
        "errno"] == "20012"


def test_allowedip(pbx):
    emu, token = pbx
    emu.ctl("POST", "recordings", {"file": "a.wav", "content_b64": "AAEC"})
    # The only caller here is 127.0.0.1, which may always download: allowedip adds one.
    random = emu.api("recording/get_random", {"recording": "a.wav", "allowedip": "10.1.1.1"},
                     token=token)["random"]
    assert download(emu, "recording/download", {"recording": "a.wav", "random": random,
                                                "token": token}).content == b"\x00\x01\x02"


# -- CDR ---------------------------------------------------------------------------------------

CDR_ROWS = [
    {"callid": "1700000000.501", "timestart": "2024-01-02 10:00:00", "callfrom": "201",
     "callto": "202", "callduraction": "31", "talkduraction": "25", "status": "ANSWERED",
     "type": "Internal"},
    {"callid": "1700000100.510", "timestart": "2024-01-03 11:00:00", "callfrom": "0755123456",
     "callto": "203", "callduraction": "10", "talkduraction": "0", "status": "NO ANSWER",
     "type": "Inbound", "srctrunkname": "sip-trunk-1", "didnumber": "88880000"},
]
HEADER = ("callid,timestart,callfrom,callto,callduraction,talkduraction,srctrunkname,"
          "dsttrunkname,status,type,pincode,recording,didnumber,sn\n")


def cdr_download(emu, token, body):
    answer = emu.api("cdr/get_random", body, token=token)
    assert answer["status"] == "Success", answer
    assert {key: answer[key] for key in ("extid", "starttime", "endtime")} == body
    return download(emu, "cdr/download", {**body, "token": token, "random": answer["random"]})


def test_cdr_download(pbx):
    emu, token = pbx
    assert emu.ctl("POST", "cdr", {"records": CDR_ROWS}) == {"added": 2}
    body = {"extid": "all", "starttime": "2024-01-01 00:00:00", "endtime": "2024-01-31 23:59:59"}
    response = cdr_download(emu, token, body)
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.content.decode() == HEADER + (
        "1700000000.501,2024-01-02 10:00:00,201,202,31,25,,,ANSWERED,Internal,,,,a09805021987\n"
        "1700000100.510,2024-01-03 11:00:00,0755123456,203,10,0,sip-trunk-1,,NO ANSWER,Inbound,,,"
        "88880000,a09805021987\n")
    only = cdr_download(emu, token, {**body, "extid": "203"}).content.decode()
    assert only.splitlines()[1].startswith("1700000100.510,")
    assert len(only.splitlines()) == 2


def test_cdr_from_csv_and_from_calls(pbx):
    emu, token = pbx
    text = HEADER + "1.2,2024-01-05 08:00:00,202,201,5,3,,,ANSWERED,Internal,,,,\n"
    assert emu.ctl("POST", "cdr", {"content_csv": text}) == {"added": 1}
    created = inbound(emu)
    emu.ctl("POST", f"calls/{created['callid']}/hangup")
    body = {"extid": "201", "starttime": "2000-01-01 00:00:00", "endtime": "2099-01-01 00:00:00"}
    rows = list(csv.DictReader(io.StringIO(cdr_download(emu, token, body).content.decode())))
    assert [row["callid"] for row in rows] == ["1.2", created["inboundid"]]
    assert rows[1]["type"] == "Inbound" and rows[1]["status"] == "ANSWERED"
    assert rows[1]["callfrom"] == "0755123456" and rows[1]["callto"] == "201"
    assert rows[1]["srctrunkname"] == "sip-trunk-1" and rows[1]["didnumber"] == "88880000"


@pytest.mark.parametrize("body,errno", [
    ({"extid": "all", "starttime": "2024-01-01 00:00:00"}, "10004"),
    ({"extid": "all", "starttime": "2024-01-01", "endtime": "2024-01-31 23:59:59"}, "20019"),
    ({"extid": "all", "starttime": "2024-02-01 00:00:00", "endtime": "2024-01-01 00:00:00"}, "20019"),
    ({"extid": "299", "starttime": "2024-01-01 00:00:00", "endtime": "2024-01-31 23:59:59"}, "10006"),
    ({"extid": "all", "starttime": "2023-01-01 00:00:00", "endtime": "2023-01-31 23:59:59"}, "20021"),
])
def test_cdr_errors(pbx, body, errno):
    emu, token = pbx
    emu.ctl("POST", "cdr", {"records": CDR_ROWS})
    emu.refused("cdr/get_random", body, errno, token=token)


def test_cdr_random_one_time_and_expiry(pbx):
    emu, token = pbx
    emu.ctl("POST", "cdr", {"records": CDR_ROWS})
    body = {"extid": "all", "starttime": "2024-01-01 00:00:00", "endtime": "2024-01-31 23:59:59"}
    random = emu.api("cdr/get_random", body, token=token)["random"]
    params = {**body, "token": token, "random": random}
    assert download(emu, "cdr/download", {**params, "extid": "201"}).json()["errno"] == "20020"
    assert download(emu, "cdr/download", params).status_code == 200
    assert download(emu, "cdr/download", params).json() == {"status": "Failed", "errno": "20020"}
    random = emu.api("cdr/get_random", body, token=token)["random"]
    emu.advance(31)
    token = emu.login()
    assert download(emu, "cdr/download", {**body, "token": token, "random": random}).json()[
        "errno"] == "20020"


@pytest.mark.parametrize("body", [
    {"records": [{"callid": "1", "timestart": "yesterday"}]},
    {"records": [{"nosuch": "1", "timestart": "2024-01-01 00:00:00"}]},
    {"records": "x"},
    {"voicemail": 1},
])
def test_cdr_seed_validation(emu, body):
    assert emu.control("POST", "cdr", body).status_code == 400


def test_seed_validation(pbx):
    emu, _token = pbx
    assert emu.control("POST", "voicemails", {"extension": "299"}).status_code == 400
    assert emu.control("POST", "voicemails", {"extension": "201", "content_b64": "!!"}).status_code == 400
    assert emu.control("POST", "recordings", {"file": "../x"}).status_code == 400
    listing = emu.ctl("GET", "files")
    assert listing["voicemails"] == {} and listing["recordings"] == {}
    assert "greet" in listing["prompts"]
