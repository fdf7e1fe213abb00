"""Hotel application (OpenVox UC API: Hotel Application): wake-up alarms and check-out."""

from ..errors import NO_SUCH_EXTENSION, ApiError
from ..hotel import checked_alarm
from ..registry import Endpoints, require, split_list

ENDPOINTS = Endpoints()


def _numbers(call, value, allow_all=False):
    """Extensions named by a comma list (every one must exist: 10006)."""
    records = call.emulator.state.extensions.records
    if allow_all and value.strip() == "all":
        return list(call.emulator.alarms.alarms)
    numbers = split_list(value)
    if not numbers or any(number not in records for number in numbers):
        raise ApiError(NO_SUCH_EXTENSION)
    return list(dict.fromkeys(numbers))


@ENDPOINTS("wakeupcall/create")
def create_alarm(call):
    number, _time, _type = require(call.body, "number", "time", "type")
    numbers = _numbers(call, number)
    call.emulator.alarms.create(numbers, checked_alarm(call.body))


@ENDPOINTS("wakeupcall/query")
def query_alarms(call):
    numbers = _numbers(call, require(call.body, "number"))
    alarms = call.emulator.alarms
    listed = [{"number": number, "wakeup": [dict(alarm) for alarm in alarms.of(number)]}
              for number in numbers if alarms.of(number)]
    return {"wakeups": listed} if listed else None


@ENDPOINTS("wakeupcall/update")
def update_alarm(call):
    number, wakeupid, _time, _type = require(call.body, "number", "wakeupid", "time", "type")
    _numbers(call, number)
    alarms = call.emulator.alarms
    alarms.find(number, wakeupid)
    alarms.update(number, wakeupid, checked_alarm(call.body))


@ENDPOINTS("wakeupcall/delete")
def delete_alarms(call):
    numbers = _numbers(call, require(call.body, "number"), allow_all=True)
    selector = call.body.get("wakeupid", "")
    wakeupids = None if selector.strip() in ("", "all") else split_list(selector)
    call.emulator.alarms.delete(numbers, wakeupids)


@ENDPOINTS("hotel/checkout")
def checkout(call):
    numbers = _numbers(call, require(call.body, "number"))
    emulator = call.emulator
    for number in numbers:
        emulator.alarms.clear(number)
        emulator.files.voicemails.pop(number, None)
