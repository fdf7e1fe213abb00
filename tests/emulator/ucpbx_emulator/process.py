"""Start and stop an emulator process on a free loopback port, for test suites and benchmarks.

Every suite that needs a PBX starts it this way, so the start-up handshake (``--port 0`` and
the port file) lives in one place.
"""

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request


def executable(name="ucpbx-emulator"):
    """The console script beside the running interpreter (a venv), else on PATH."""
    candidate = os.path.join(os.path.dirname(sys.executable), name)
    if os.access(candidate, os.X_OK):
        return candidate
    found = shutil.which(name)
    if not found:
        raise RuntimeError("%s not found beside %s nor on PATH" % (name, sys.executable))
    return found


class EmulatorProcess:
    """One running emulator: its port, URL and control API; `stop()` returns its exit status."""

    def __init__(self, workdir, *arguments, timeout=20):
        workdir = str(workdir)
        self.port_file = os.path.join(workdir, "port")
        self.log_path = os.path.join(workdir, "emulator.log")
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(  # pylint: disable=consider-using-with
                [executable(), "--host", "127.0.0.1", "--port", "0", "--port-file", self.port_file]
                + [str(argument) for argument in arguments], stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while not (os.path.exists(self.port_file) and os.path.getsize(self.port_file)):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the emulator did not start (exit %s): %s" % (self.process.returncode, self.log()))
            time.sleep(0.02)
        with open(self.port_file) as handle:
            self.port = int(handle.read().strip())
        self.host = "127.0.0.1"
        self.url = "http://127.0.0.1:%d" % self.port

    def log(self):
        with open(self.log_path) as handle:
            return handle.read()

    def control(self, method, path, body=None):
        """One request to the control API (/_emulator/<path>); the decoded JSON answer."""
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(self.url + "/_emulator/" + path, data=data, method=method)
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.loads(answer.read().decode("utf-8"))

    def stop(self):
        """Stop the process (SIGTERM, then SIGKILL after 15 s); its exit status."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode
