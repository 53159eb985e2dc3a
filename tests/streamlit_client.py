"""A minimal Streamlit client over the real WebSocket, for tests that need many page runs.

A browser takes about a second per click on this machine; this client asks the
server for a run (a `rerun_script` BackMsg, exactly what the browser sends)
and waits for the run's `script_finished`, so a thousand page runs take a
minute or two. It goes through the launcher's gate as a browser does: a
one-time link's code is exchanged for the access cookie first, at 127.0.0.1
as the gate's hand-over does for a browser that cannot reach the private
name (Python's resolver need not know `*.localhost` names).

Also: what a process holds (open file descriptors and resident memory, read
from /proc) for the leak and soak tests.
"""

from __future__ import annotations

import http.client
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.sync.client import ClientConnection, connect

RUN_TIMEOUT_S = 60


def access_cookie(link: str) -> str:
    """The `name=value` of the access cookie the gate sets for a fresh one-time link."""
    parts = urlsplit(link)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=30)
    try:
        connection.request("GET", f"/?{parts.query}&here=1")
        response = connection.getresponse()
        response.read()
        cookie = response.getheader("set-cookie")
    finally:
        connection.close()
    assert cookie, f"the gate set no cookie for {link} (status {response.status})"
    return cookie.split(";", 1)[0]


@dataclass(frozen=True)
class Page:
    name: str
    script_hash: str
    url_path: str


class StreamlitSession:
    """One browser-like session: connect, run pages, close."""

    def __init__(self, link: str):
        """`link`: a fresh one-time link (tests.browser.fresh_link)."""
        parts = urlsplit(link)
        self.origin = f"http://{parts.hostname}:{parts.port}"
        self._connection = connect(
            f"ws://{parts.hostname}:{parts.port}/_stcore/stream",
            additional_headers={"Cookie": access_cookie(link), "Origin": self.origin},
            subprotocols=["streamlit"],  # type: ignore[list-item]
            max_size=None,
            open_timeout=30,
        )
        self.socket: ClientConnection = self._connection.__enter__()
        self.pages: dict[str, Page] = {}
        self.runs = 0

    def run(self, page: Page | None = None) -> list[ForwardMsg]:
        """One script run (of `page`, or the default page); the messages it sent."""
        message = BackMsg()
        state = message.rerun_script
        state.query_string = ""
        state.widget_states.SetInParent()
        if page is not None:
            state.page_script_hash = page.script_hash
            state.page_name = page.url_path
        self.socket.send(message.SerializeToString())
        received = []
        while True:
            raw = self.socket.recv(timeout=RUN_TIMEOUT_S)
            assert isinstance(raw, bytes)
            forward = ForwardMsg()
            forward.ParseFromString(raw)
            received.append(forward)
            kind = forward.WhichOneof("type")
            if kind == "navigation":
                for app_page in forward.navigation.app_pages:
                    self.pages[app_page.url_pathname or "home"] = Page(
                        app_page.page_name, app_page.page_script_hash, app_page.url_pathname
                    )
            if kind == "script_finished":
                self.runs += 1
                return received

    def close(self) -> None:
        self._connection.__exit__(None, None, None)


def exceptions(messages: list[ForwardMsg]) -> list[str]:
    """Tracebacks a run showed (st.exception elements)."""
    found = []
    for message in messages:
        if message.WhichOneof("type") == "delta" and message.delta.WhichOneof("type") == "new_element":
            element = message.delta.new_element
            if element.WhichOneof("type") == "exception":
                found.append(f"{element.exception.type}: {element.exception.message}")
    return found


# --- what a process holds ---------------------------------------------------------------


def open_files(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def resident_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no VmRSS for process {pid}")


def journal_files(pid: int) -> int:
    """Descriptors open on the journal's database (the leak of issue 12 was two per run)."""
    count = 0
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        count += "journal.sqlite3" in target
    return count


def listening_pid(port: int) -> int:
    """The process listening on 127.0.0.1:`port` (the server launch.py became)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":  # 0A: LISTEN
                inodes.add(fields[9])
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            targets = {os.readlink(fd) for fd in (entry / "fd").iterdir()}
        except OSError:
            continue
        if any(f"socket:[{inode}]" in targets for inode in inodes):
            return int(entry.name)
    raise AssertionError(f"no process listens on port {port}")
