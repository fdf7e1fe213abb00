"""Wake-up alarms of the hotel application (OpenVox UC API: Hotel Application, v2.0.0 field names).

Alarms belong to an extension; ``wakeupid`` is a PBX-wide increasing number (as text),
never reused while the emulator runs.
"""

import re

from .errors import MISSING_PARAMETER, ApiError
from .registry import split_list

ALARM_FAILED = "10020"
NO_SUCH_ALARM = "10021"
ALARM_EXISTS = "10022"
ALARM_TYPES = ("onetime", "custom")
TIME = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")
WEEKDAYS = tuple(str(day) for day in range(7))


def checked_alarm(body):
    """time/type/weekdays/prompt of a create or update body, validated.

    weekdays is required for ``custom`` (10004 when missing); a bad time, type or weekday,
    or a weekday listed twice, answers 10020. A one-time alarm keeps no weekdays.
    """
    alarm_time = body["time"]
    kind = body["type"]
    if TIME.fullmatch(alarm_time) is None or kind not in ALARM_TYPES:
        raise ApiError(ALARM_FAILED)
    weekdays = ""
    if kind == "custom":
        days = split_list(body.get("weekdays", ""))
        if not days:
            raise ApiError(MISSING_PARAMETER)
        if len(set(days)) != len(days) or not set(days) <= set(WEEKDAYS):
            raise ApiError(ALARM_FAILED)
        weekdays = ",".join(sorted(days))
    return {"type": kind, "weekdays": weekdays, "time": alarm_time, "prompt": body.get("prompt", "")}


def _same(alarm, values):
    return all(alarm[key] == values[key] for key in ("type", "weekdays", "time"))


class AlarmTable:
    def __init__(self):
        # extension -> [alarm]; an alarm has the keys of wakeupcall/query's "wakeup" items.
        self.alarms = {}
        self.next_id = 1

    def of(self, number):
        return self.alarms.get(number, [])

    def create(self, numbers, values):
        if any(_same(alarm, values) for number in numbers for alarm in self.of(number)):
            raise ApiError(ALARM_EXISTS)
        for number in numbers:
            self.alarms.setdefault(number, []).append({"wakeupid": str(self.next_id), **values})
            self.next_id += 1

    def find(self, number, wakeupid):
        for alarm in self.of(number):
            if alarm["wakeupid"] == wakeupid:
                return alarm
        raise ApiError(NO_SUCH_ALARM)

    def update(self, number, wakeupid, values):
        alarm = self.find(number, wakeupid)
        if any(other is not alarm and _same(other, values) for other in self.of(number)):
            raise ApiError(ALARM_EXISTS)
        alarm.update(values)

    def delete(self, numbers, wakeupids):
        """Delete the given ids (or every alarm, ``wakeupids`` None) of the numbers; each
        id named must be an alarm of one of them, or nothing is deleted (10021)."""
        if wakeupids is not None:
            known = {alarm["wakeupid"] for number in numbers for alarm in self.of(number)}
            if not set(wakeupids) <= known:
                raise ApiError(NO_SUCH_ALARM)
        for number in numbers:
            self.alarms[number] = [alarm for alarm in self.of(number)
                                   if wakeupids is not None and alarm["wakeupid"] not in wakeupids]

    def clear(self, number):
        self.alarms.pop(number, None)

    def to_json(self):
        return {number: [dict(alarm) for alarm in alarms]
                for number, alarms in self.alarms.items() if alarms}
