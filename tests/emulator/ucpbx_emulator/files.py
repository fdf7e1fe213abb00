"""Files the PBX keeps and hands out (OpenVox UC API: Voicemails, Download Recording Files,
Download CDR Files): voicemail messages,
call recordings, CDR rows, the prompt catalogue, and the one-time random strings that
authorise a download.

A random is valid for 30 seconds of the emulator clock, once, for the file (or CDR
query) it was issued for, from the IP that asked for it or the ``allowedip`` it named.
"""

import csv
import io
import re
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

from .errors import ApiError

RANDOM_TTL_SECONDS = 30
CDR_COLUMNS = ("callid", "timestart", "callfrom", "callto", "callduraction", "talkduraction",
               "srctrunkname", "dsttrunkname", "status", "type", "pincode", "recording",
               "didnumber", "sn")
TIME_FORMAT = "%Y-%m-%d %H:%M:%S"
TIME_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}")
# Custom prompts and system recordings a fresh emulator has (file names without suffix).
DEFAULT_PROMPTS = ("welcome", "welcome1", "goodbye", "greet", "menu2", "afterhours",
                   "holiday", "pleasewait", "wakeup1")
VOICEMAIL_STATUSES = ("read", "unread")

RECORDING_RANDOM_INVALID = "20012"
RECORDING_MISSING = "20014"
IP_NOT_ALLOWED = "20015"
VOICEMAIL_STATUS_INVALID = "20016"
VOICEMAIL_RANDOM_INVALID = "20017"
VOICEMAIL_MISSING = "20018"
CDR_TIME_INVALID = "20019"
CDR_RANDOM_INVALID = "20020"
CDR_MISSING = "20021"
RANDOM_INVALID = {"voicemail": VOICEMAIL_RANDOM_INVALID, "recording": RECORDING_RANDOM_INVALID,
                  "cdr": CDR_RANDOM_INVALID}


class FileError(ValueError):
    """A control request seeding a file that cannot be stored (HTTP 400)."""


def parse_time(value):
    """Epoch seconds of a ``YYYY-MM-DD HH:MM:SS`` text, or None."""
    if not isinstance(value, str) or TIME_PATTERN.fullmatch(value) is None:
        return None
    try:
        return time.mktime(time.strptime(value, TIME_FORMAT))
    except ValueError:
        return None


def prompt_names(value):
    """The ``+``-joined names of a prompt parameter, or None if one is not a valid name."""
    names = value.split("+")
    if any(not name or not any(char.isalpha() for char in name) for name in names):
        return None
    return names


@dataclass
class FileStore:
    """Voicemail, recordings, CDR rows and prompts, and the download grants (randoms)
    handed out for them; ``clock`` dates the grants."""

    clock: Any
    # extension -> [message]; a message has the voicemail/query keys plus "content".
    voicemails: dict = field(default_factory=dict)
    recordings: dict = field(default_factory=dict)
    cdr_rows: list = field(default_factory=list)
    prompts: list = field(default_factory=lambda: list(DEFAULT_PROMPTS))
    randoms: dict = field(default_factory=dict)

    # -- voicemail --------------------------------------------------------------------------

    def add_voicemail(self, extension, sender, length, date, status, content):
        box = self.voicemails.setdefault(extension, [])
        used = {message["voicemailfile"] for message in box}
        index = 0
        # The lowest free number, as the voicemail application picks it.
        while f"msg{index:04d}.wav" in used:
            index += 1
        message = {"voicemailfile": f"msg{index:04d}.wav", "messagefrom": sender,
                   "voicemaildate": date, "voicemaillength": length,
                   "voicemailstatus": status, "content": content}
        box.append(message)
        box.sort(key=lambda item: item["voicemailfile"])
        return message

    def voicemail(self, extension, name, status=None):
        for message in self.voicemails.get(extension, []):
            if message["voicemailfile"] == name and status in (None, message["voicemailstatus"]):
                return message
        return None

    def delete_voicemails(self, extension, name, status):
        """Delete one file or ``all`` of the given status; an unknown file answers 20018."""
        box = self.voicemails.get(extension, [])
        keep = []
        hit = False
        for message in box:
            matches = name in ("all", message["voicemailfile"]) and status in (
                "all", message["voicemailstatus"])
            hit = hit or matches
            if not matches:
                keep.append(message)
        if not hit and name != "all":
            raise ApiError(VOICEMAIL_MISSING)
        self.voicemails[extension] = keep

    # -- recordings and CDR -----------------------------------------------------------------

    def add_recording(self, name, content):
        if not name or "/" in name or name in (".", ".."):
            raise FileError("file must be a plain file name")
        self.recordings[name] = content

    def add_cdr_rows(self, rows, sn):
        checked = []
        for row in rows:
            if not isinstance(row, dict):
                raise FileError("a CDR record must be an object")
            unknown = set(row) - set(CDR_COLUMNS)
            if unknown:
                raise FileError(f"unknown CDR columns {sorted(unknown)}")
            record = {column: str(row.get(column, "")) for column in CDR_COLUMNS}
            if not record["sn"]:
                record["sn"] = sn
            if parse_time(record["timestart"]) is None:
                raise FileError(f"timestart {record['timestart']!r} is not YYYY-MM-DD HH:MM:SS")
            checked.append(record)
        self.cdr_rows.extend(checked)
        return len(checked)

    def cdr_rows_between(self, finished_calls, extensions, start, end, sn):
        """Seeded rows and the simulator's finished calls, oldest first."""
        rows = list(self.cdr_rows)
        for call_row in finished_calls:
            row = {column: call_row.get(column, "") for column in CDR_COLUMNS}
            row["sn"] = sn
            rows.append(row)
        selected = []
        for row in rows:
            moment = parse_time(row["timestart"])
            if moment is None or not start <= moment <= end:
                continue
            if extensions is not None and not {row["callfrom"], row["callto"]} & set(extensions):
                continue
            selected.append(row)
        selected.sort(key=lambda row: parse_time(row["timestart"]))
        return selected

    @staticmethod
    def render_csv(rows):
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(CDR_COLUMNS)
        for row in rows:
            writer.writerow([row[column] for column in CDR_COLUMNS])
        return buffer.getvalue().encode("utf-8")

    # -- one-time randoms ---------------------------------------------------------------------

    def issue_random(self, kind, params, remote, allowedip):
        self._forget_stale()
        random = secrets.token_hex(16)
        allowed = {remote}
        if allowedip:
            allowed.add(allowedip)
        self.randoms[random] = {"kind": kind, "params": dict(params), "issued": self.clock.now(),
                                "allowed": allowed}
        return random

    def redeem(self, kind, random, params, remote):
        """Check a download's random; it is used up once it matches."""
        grant = self.randoms.get(random or "")
        invalid = RANDOM_INVALID[kind]
        if grant is None or grant["kind"] != kind:
            raise ApiError(invalid)
        if self.clock.now() - grant["issued"] > RANDOM_TTL_SECONDS:
            del self.randoms[random]
            raise ApiError(invalid)
        if any(params.get(key) != value for key, value in grant["params"].items()):
            raise ApiError(invalid)
        if remote not in grant["allowed"]:
            raise ApiError(IP_NOT_ALLOWED)
        del self.randoms[random]

    def _forget_stale(self):
        now = self.clock.now()
        for random in [r for r, grant in self.randoms.items()
                       if now - grant["issued"] > RANDOM_TTL_SECONDS]:
            del self.randoms[random]

    # -- control listing ----------------------------------------------------------------------

    def to_json(self):
        return {
            "voicemails": {extension: [_listed(message) for message in box]
                           for extension, box in self.voicemails.items() if box},
            "recordings": {name: len(content) for name, content in self.recordings.items()},
            "cdr": list(self.cdr_rows),
            "prompts": list(self.prompts),
        }


def _listed(message):
    listed = {key: value for key, value in message.items() if key != "content"}
    listed["size"] = len(message["content"])
    return listed
