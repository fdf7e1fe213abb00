"""Command line: ``ucpbx-emulator --port 0 --port-file F ...``.

Once the socket is bound it prints one ``listening on`` line and writes the port file,
so a Makefile or a pytest fixture can wait for either.
"""

import argparse
import asyncio
import json
import os
import signal
import ssl
import sys
import tempfile

from aiohttp import web

from .app import Emulator, build_app
from .config import add_options, settings_from
from .state import StateError


def parse_args(argv):
    parser = argparse.ArgumentParser(
        prog="ucpbx-emulator",
        description="Emulator of the OpenVox UC Series IP PBX HTTP API.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9011,
                        help="TCP port; 0 picks a free one (default: 9011, the device's)")
    parser.add_argument("--state-file",
                        help="initial state (GET /_emulator/state format), loaded if it exists")
    add_options(parser)
    parser.add_argument("--port-file", help="write the bound port here once listening")
    parser.add_argument("--tls-cert", help="PEM certificate (chain): serve HTTPS instead of HTTP")
    parser.add_argument("--tls-key", help="PEM private key of --tls-cert")
    args = parser.parse_args(argv)
    if bool(args.tls_cert) != bool(args.tls_key):
        parser.error("--tls-cert and --tls-key go together")
    return args


def tls_context(cert, key):
    """Server-side TLS, standing in for the reverse proxy a real PBX needs for HTTPS."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def load_state_file(path):
    if not path or not os.path.exists(path):
        return None
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def write_atomically(path, text):
    """Readers must never see a half-written file: write beside it, then rename."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, temporary = tempfile.mkstemp(dir=directory, prefix=".port-")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def display_host(host):
    return f"[{host}]" if ":" in host else host


async def serve(emulator, host, port, port_file, ssl_context=None):
    runner = web.AppRunner(build_app(emulator), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port, reuse_address=True, ssl_context=ssl_context)
    await site.start()
    bound_port = runner.addresses[0][1]
    scheme = "https" if ssl_context else "http"
    print(f"ucpbx-emulator listening on {scheme}://{display_host(host)}:{bound_port}", flush=True)
    if port_file:
        write_atomically(port_file, f"{bound_port}\n")

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()
        # A stale port file would send the next waiter to a dead port.
        if port_file and os.path.exists(port_file):
            os.unlink(port_file)


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        emulator = Emulator(settings_from(args), load_state_file(args.state_file))
    except (OSError, ValueError, StateError) as exc:
        print(f"ucpbx-emulator: cannot load state: {exc}", file=sys.stderr)
        return 2
    try:
        context = tls_context(args.tls_cert, args.tls_key) if args.tls_cert else None
    except (OSError, ssl.SSLError) as exc:
        print(f"ucpbx-emulator: cannot load the TLS certificate or key: {exc}", file=sys.stderr)
        return 2
    try:
        asyncio.run(serve(emulator, args.host, args.port, args.port_file, context))
    except OSError as exc:
        print(f"ucpbx-emulator: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
