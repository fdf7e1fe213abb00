"""login, heartbeat, logout: tokens and the address event reports go to."""

import hashlib
import ipaddress

from ..errors import (BAD_CREDENTIALS, HEARTBEAT_FAILED, INVALID_PORT, LOCKED_OUT,
                      ApiError)
from ..registry import Endpoints, require

ENDPOINTS = Endpoints()


def parse_port(value):
    if not (value.isascii() and value.isdigit() and 0 <= int(value) <= 65535):
        raise ApiError(INVALID_PORT)
    return str(int(value))


def url_tag(body):
    # OpenVox spells it urltag; one Yeastar model's heartbeat spells it urlflag.
    return body.get("urltag", body.get("urlflag", "0"))


def expected_password_hash(settings):
    return hashlib.md5(settings.password.encode("utf-8")).hexdigest()


@ENDPOINTS("login", token_required=False)
def login(call):
    username, password = require(call.body, "username", "password")
    emulator = call.emulator
    guard = emulator.login_guard
    # A locked IP is refused before its credentials are even looked at.
    if guard.is_locked(call.remote):
        raise ApiError(LOCKED_OUT)
    settings = emulator.settings
    if username != settings.username or password != expected_password_hash(settings):
        guard.record_failure(call.remote)
        raise ApiError(BAD_CREDENTIALS)
    receiver = None
    # Real clients log in without a port; only a login that names one re-points reports.
    if "port" in call.body:
        receiver = {
            "ipaddr": call.remote,
            "port": parse_port(call.body["port"]),
            "url": call.body.get("url", ""),
            "urltag": url_tag(call.body),
            "version": call.body.get("version", ""),
        }
    guard.record_success(call.remote)
    token = emulator.tokens.issue()
    if receiver is not None:
        emulator.state.event_receiver = receiver
        emulator.state.receiver_token = token
    return {"token": token}


@ENDPOINTS("heartbeat")
def heartbeat(call):
    ipaddr, port = require(call.body, "ipaddr", "port")
    port = parse_port(port)
    try:
        ipaddress.ip_address(ipaddr)
    except ValueError as exc:
        raise ApiError(HEARTBEAT_FAILED) from exc
    state = call.emulator.state
    previous = state.event_receiver or {}
    state.event_receiver = {
        "ipaddr": ipaddr,
        "port": port,
        "url": call.body.get("url", ""),
        "urltag": url_tag(call.body),
        # heartbeat carries no report-format version; the one chosen at login stays.
        "version": previous.get("version", ""),
    }
    state.receiver_token = call.token
    # The token's idle timer was already restarted when the request was authenticated.
    return None


@ENDPOINTS("logout")
def logout(call):
    call.emulator.tokens.revoke(call.token)
    return None
