"""The running server's secret, kept for `bash run.sh`, and the checks around the port.

While a server runs, its secret, port and private name are in a 0600 file
in the 0700 data folder, so only the patient's account can read them.
Running `bash run.sh` again finds the file, checks that the server on that
port answers the health check AND proves it knows the secret (an HMAC of a
fresh nonce: the secret itself is never sent), and prints a fresh one-time
link to it instead of starting a second server. A stale file (the server was
killed) fails the check and is replaced by the next start.

Every connection made here goes to the numeric address of the link (by
default 127.0.0.1): no name is looked up.
"""

from __future__ import annotations

import errno
import http.client
import json
import os
import secrets
import socket
from dataclasses import asdict, dataclass
from pathlib import Path

from access.policy import HEALTH_PATH, PROOF_PATH, Policy
from store.privacy import write_private

STATE_NAME = ".journal-server.json"
CHECK_TIMEOUT_S = 2.0
# How far the launcher looks for a free port after a taken one.
PORT_SEARCH = 100


@dataclass(frozen=True)
class ServerState:
    """What a second start needs to reach this server and mint links to it."""

    secret: str
    port: int
    pid: int
    # The host of printed links: 127.0.0.1, or the address served with --allow-remote.
    host: str = "127.0.0.1"
    private_name: str | None = None
    https: bool = False

    def policy(self) -> Policy:
        return Policy(self.secret, self.port, https=self.https, private_name=self.private_name)

    def fresh_link(self) -> str:
        """A new one-time link to this server."""
        return self.policy().link(self.host)


def state_path(folder: Path) -> Path:
    return folder / STATE_NAME


def write(folder: Path, state: ServerState) -> None:
    write_private(state_path(folder), json.dumps(asdict(state)).encode("utf-8"))


def read(folder: Path) -> ServerState | None:
    try:
        record = json.loads(state_path(folder).read_text(encoding="utf-8"))
        name = record.get("private_name")
        state = ServerState(
            secret=str(record["secret"]),
            port=int(record["port"]),
            pid=int(record["pid"]),
            host=str(record.get("host") or "127.0.0.1"),
            private_name=None if name is None else str(name),
            https=bool(record.get("https", False)),
        )
        state.policy()  # a damaged file (a secret too short, a wrong name) is no state at all
        return state
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def remove_if_current(folder: Path, secret: str) -> None:
    """Remove the state file if it still describes this server (a newer one may have replaced it)."""
    current = read(folder)
    if current is not None and current.secret == secret:
        state_path(folder).unlink(missing_ok=True)


def _get(host: str, port: int, path: str) -> tuple[int, str] | None:
    connection = http.client.HTTPConnection(host, port, timeout=CHECK_TIMEOUT_S)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read(4096).decode("utf-8", "replace").strip()
    except (OSError, http.client.HTTPException):
        return None
    finally:
        connection.close()


def healthy(host: str, port: int) -> bool:
    return _get(host, port, HEALTH_PATH) == (200, "ok")


def proves_secret(host: str, port: int, secret: str) -> bool:
    """Whether the server on host:port knows `secret` (it answers our nonce's HMAC)."""
    try:
        policy = Policy(secret, port)
    except ValueError:
        return False
    nonce = secrets.token_urlsafe(16)
    answer = _get(host, port, f"{PROOF_PATH}?nonce={nonce}")
    return answer is not None and answer[0] == 200 and secrets.compare_digest(answer[1], policy.proof(nonce))


def running_server(folder: Path) -> ServerState | None:
    """The state of this journal's server if it is up and is really ours."""
    state = read(folder)
    if state is None or not state.secret or state.https:
        # An https server (--allow-remote) is not checked here: this plain client would not
        # speak TLS to it, and a second server then finds its port taken and moves on.
        return None
    if healthy(state.host, state.port) and proves_secret(state.host, state.port, state.secret):
        return state
    return None


def _bind_host(address: str) -> str:
    return "127.0.0.1" if address in ("", "localhost") else address.strip("[]")


def port_free(address: str, port: int) -> bool:
    """Whether the server could listen on address:port (bound the way Streamlit binds)."""
    host = _bind_host(address)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        if os.name != "nt":  # as Streamlit does: allows a port in TIME_WAIT, never a listening one
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise
    return True


def first_free_port(address: str, wanted: int) -> int | None:
    """`wanted` if free, else the next free port after it (None if none is within reach)."""
    for port in range(wanted, min(wanted + PORT_SEARCH, 65536)):
        if port_free(address, port):
            return port
    return None
