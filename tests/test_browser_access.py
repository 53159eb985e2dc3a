"""Only the patient's own browser gets in: the real launcher, server and Chromium.

- The printed link opens the journal (at the run's private name); the bare
  address shows the locked page. (tests/test_browser_attacks.py tries what
  another account on the computer could.)
- A photo's /media address without the cookie is refused; so is any request
  naming another Host, or coming from another Origin, cookie or not.
- Every response forbids framing; the journal's files are private (0600/0700).
- `bash run.sh` again prints a fresh link to the running server; a taken
  port is announced and the next free one used.
- The optional app lock: set on the profile page, asked in a new browser,
  wrong passphrases slowed down, the right one opens the journal.
- A whole session, a cross-origin WebSocket attempt included, makes no
  connection or name lookup beyond the loopback (socket hook in the server:
  tests/netaudit/sitecustomize.py; Chromium's own request log).

These tests never skip: without Chromium they fail (see tests/browser.py).
"""

from __future__ import annotations

import base64
import datetime as dt
import http.client
import json
import os
import secrets
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from access.launch_state import STATE_NAME
from access.notices import LOCKED_TEXT
from access.policy import cookie_name
from store.app_lock import APP_LOCK_NAME
from tests.browser import (
    ARTIFACTS,
    HOST,
    ROOT,
    UI_TIMEOUT_MS,
    Screenshots,
    access_cookie,
    base_of,
    first_photo_src,
    free_port,
    fresh_link,
    goto_page,
    journal_server,
    journal_url,
    open_journal,
    port_of,
    printed_link,
    server_env,
    wait_idle,
)
from tests.demo_journals import DemoJournals

pytestmark = pytest.mark.browser

TODAY = dt.date(2026, 11, 24)
NETAUDIT = ROOT / "tests" / "netaudit"
LOCKED = LOCKED_TEXT
FOREIGN = "evil.example"
PASSPHRASE = "blue heron at dawn"


# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory, demo_journals: DemoJournals) -> Path:
    """A small demo journal written by this (test) process, so with its umask: opening must tighten it."""
    folder = tmp_path_factory.mktemp("access") / "journal"
    demo_journals.copy(folder, days=3, areas=["face"], today=TODAY)
    return folder


@pytest.fixture(scope="module")
def audit_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("netaudit") / "connections.jsonl"


@pytest.fixture(scope="module")
def server(data_dir: Path, audit_log: Path):
    """The server under the network audit hook; yields the printed link."""
    env = {"PYTHONPATH": str(NETAUDIT), "HJ_NET_AUDIT_LOG": str(audit_log)}
    with journal_server(data_dir, TODAY, log_path=ARTIFACTS / "access-server.log", env=env) as link:
        yield link


# --- plain HTTP helpers (no browser, no cookie unless given) -----------------------------------


def request(
    link: str, path: str, *, host: str | None = None, headers: dict[str, str] | None = None, method: str = "GET"
) -> tuple[int, dict[str, str], bytes]:
    """One request to the server behind `link`, with the Host header we choose."""
    connection = http.client.HTTPConnection(HOST, port_of(link), timeout=30)
    try:
        connection.putrequest(method, path, skip_host=True)
        connection.putheader("Host", host or f"{HOST}:{port_of(link)}")
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def websocket_status(link: str, *, host: str, origin: str | None, cookie: str | None) -> int:
    """The HTTP status of a WebSocket handshake to /_stcore/stream (101 = accepted)."""
    headers = {
        "Connection": "Upgrade",
        "Upgrade": "websocket",
        "Sec-WebSocket-Version": "13",
        "Sec-WebSocket-Key": base64.b64encode(secrets.token_bytes(16)).decode(),
        "Sec-WebSocket-Protocol": "streamlit",
    }
    if origin is not None:
        headers["Origin"] = origin
    if cookie is not None:
        headers["Cookie"] = cookie
    status, _, _ = request(link, "/_stcore/stream", host=host, headers=headers)
    return status


# --- the link and the locked page ----------------------------------------------------------------


def test_printed_link_opens_the_journal_and_the_bare_address_is_locked(server: str, browser_page) -> None:
    page = browser_page
    shots = Screenshots("access")
    assert printed_link(server + "\n") == server, "the link has the shape http://127.0.0.1:PORT/?code=CODE"

    response = page.goto(base_of(server) + "/")
    assert response is not None and response.status == 403
    assert LOCKED in page.inner_text("body")
    assert page.locator("script").count() == 0, "the locked page carries no app"
    shots.take(page, "locked page", full_page=False)

    open_journal(page, server)
    assert "code" not in page.url, f"the code stays out of the address bar and history: {page.url}"
    (cookie,) = [c for c in page.context.cookies() if c["name"] == cookie_name(port_of(server))]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert cookie["domain"].startswith("journal-") and cookie["domain"].endswith(".localhost"), cookie
    assert server.split("code=")[1] not in cookie["value"], "the cookie is not the code itself"
    page.get_by_text("Demo journal: synthetic data, not a real patient.").wait_for()
    shots.take(page, "journal through the link", full_page=False)

    # Another page of the app opened directly, with the cookie, works too.
    page.goto(journal_url(page, "gallery"))
    page.get_by_role("heading", name="Photos", exact=True).wait_for()


def test_a_forged_code_gets_the_locked_page(server: str) -> None:
    status, headers, body = request(server, "/?code=" + secrets.token_urlsafe(16) + "." + secrets.token_urlsafe(32))
    assert status == 403 and LOCKED.encode() in body
    assert "set-cookie" not in headers


def test_without_the_cookie_nothing_of_the_app_is_served(server: str, browser_page) -> None:
    page = browser_page
    open_journal(page, server)
    media = first_photo_src(page)
    cookie = access_cookie(page, port_of(server))

    status, headers, body = request(server, media)
    assert status == 403 and LOCKED.encode() in body, "a photo without the cookie"
    status, headers, body = request(server, media, headers={"Cookie": cookie})
    assert status == 200 and headers["content-type"] == "image/jpeg" and body[:2] == b"\xff\xd8"

    static = page.evaluate("() => [...document.scripts].map(s => s.src).find(src => src.includes('/static/'))")
    static_path = static[static.index("/static/") :]
    for path in (static_path, "/favicon.png", "/_stcore/host-config", "/_stcore/metrics", "/gallery"):
        status, _, body = request(server, path)
        assert status == 403 and LOCKED.encode() in body, path
    status, _, _ = request(server, static_path, headers={"Cookie": cookie})
    assert status == 200

    upload = request(server, "/_stcore/upload_file/session/file", method="PUT", headers={"Content-Length": "0"})
    assert upload[0] == 403
    assert websocket_status(server, host=f"{HOST}:{port_of(server)}", origin=None, cookie=None) == 403
    # Positive control: the same handshake with the cookie is accepted.
    assert websocket_status(server, host=f"{HOST}:{port_of(server)}", origin=base_of(server), cookie=cookie) == 101


def test_foreign_host_and_origin_are_refused_even_with_the_cookie(server: str, browser_page) -> None:
    page = browser_page
    open_journal(page, server)
    cookie = access_cookie(page, port_of(server))
    port = port_of(server)
    with_cookie = {"Cookie": cookie}

    assert request(server, "/", headers=with_cookie)[0] == 200
    for host in (f"{FOREIGN}:{port}", f"{HOST}:{port + 1}", f"{HOST}", f"127.0.0.2:{port}"):
        assert request(server, "/", host=host, headers=with_cookie)[0] == 403, host
        assert request(server, "/_stcore/health", host=host)[0] == 403, host
        assert websocket_status(server, host=host, origin=f"http://{host}", cookie=cookie) == 403, host
    # DNS rebinding keeps the page's own Origin; another local port is another origin too.
    for origin in (f"http://{FOREIGN}:{port}", f"http://{HOST}:{port + 1}", f"http://[::1]:{port}", "null"):
        status = websocket_status(server, host=f"{HOST}:{port}", origin=origin, cookie=cookie)
        assert status == 403, origin
        assert request(server, "/", headers={**with_cookie, "Origin": origin})[0] == 403, origin
    # localhost is this computer too.
    assert websocket_status(server, host=f"localhost:{port}", origin=f"http://localhost:{port}", cookie=cookie) == 101


def test_every_response_forbids_framing(server: str, browser_page) -> None:
    page = browser_page
    open_journal(page, server)
    cookie = {"Cookie": access_cookie(page, port_of(server))}
    media = first_photo_src(page)
    for path, headers in (
        ("/", {}),
        ("/", cookie),
        (media, cookie),
        ("/_stcore/health", {}),
        (server[len(base_of(server)) :], {}),
    ):
        status, response_headers, _ = request(server, path, headers=headers)
        assert response_headers.get("x-frame-options") == "DENY", (path, status)
        assert "frame-ancestors 'none'" in response_headers.get("content-security-policy", ""), (path, status)


def test_the_journal_files_are_private(server: str, data_dir: Path, browser_page) -> None:
    open_journal(browser_page, server)  # the journal is open, with its -wal and -shm

    def mode(path: Path) -> int:
        return stat.S_IMODE(path.stat().st_mode)

    assert mode(data_dir) == 0o700
    for name in ("journal.sqlite3", "journal.sqlite3-wal", "journal.sqlite3-shm", ".journal.lock", STATE_NAME):
        assert mode(data_dir / name) == 0o600, name
    photos = [p for tree in ("photos", "thumbs") for p in (data_dir / tree).rglob("*")]
    assert any(p.suffix == ".jpg" for p in photos)
    for path in photos:
        assert mode(path) == (0o700 if path.is_dir() else 0o600), path
    state = json.loads((data_dir / STATE_NAME).read_text())
    assert state["port"] == port_of(server) and state["private_name"] in browser_page.url


# --- the launcher: one server per journal, never a silently different port ---------------------


def run_launcher(data_dir: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "launch.py", *args, "--server.headless", "true"],
        cwd=ROOT,
        env=server_env(data_dir, TODAY),
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def test_running_again_prints_a_fresh_link_to_the_same_server(server: str, data_dir: Path) -> None:
    result = run_launcher(data_dir, "--server.port", str(free_port()))
    assert result.returncode == 0, result.stderr
    assert "already running" in result.stdout
    fresh = printed_link(result.stdout)
    assert fresh is not None and fresh != server and base_of(fresh) == base_of(server)
    status, headers, _ = request(fresh, fresh[len(base_of(fresh)) :] + "&here=1")
    assert status == 303 and "set-cookie" in headers


def test_a_taken_port_is_announced_and_the_next_free_one_used(tmp_path: Path) -> None:
    with socket.socket() as impostor:
        impostor.bind((HOST, 0))
        impostor.listen()
        taken = impostor.getsockname()[1]
        with journal_server(tmp_path / "journal", TODAY, port=taken, log_path=tmp_path / "server.log") as link:
            output = (tmp_path / "server.log").read_text()
            assert f"Port {taken} is already used by another program" in output
            assert f"starts on port {port_of(link)}" in output
            assert port_of(link) > taken
            assert request(link, "/_stcore/health")[0] == 200


# --- the optional app lock -------------------------------------------------------------------------


def test_app_lock_asks_once_slows_down_wrong_tries_and_opens(tmp_path: Path, chromium) -> None:
    folder = tmp_path / "journal"
    shots = Screenshots("applock")
    with journal_server(folder, TODAY, log_path=ARTIFACTS / "applock-server.log") as link:
        owner = chromium.new_context(viewport={"width": 1200, "height": 900})
        page = owner.new_page()
        page.set_default_timeout(UI_TIMEOUT_MS)
        try:
            open_journal(page, link)
            goto_page(page, "treatments", "Profile & treatments")
            page.get_by_text("does not encrypt your journal").wait_for()
            form = page.locator('[data-testid="stForm"]').filter(has=page.get_by_role("button", name="Lock the app"))
            form.get_by_label("New passphrase").fill("short")
            form.get_by_label("The same passphrase again").fill("short")
            form.get_by_role("button", name="Lock the app with this passphrase").click()
            page.get_by_text("The passphrase is too short").wait_for()
            form.get_by_label("New passphrase").fill(PASSPHRASE)
            form.get_by_label("The same passphrase again").fill(PASSPHRASE)
            form.get_by_role("button", name="Lock the app with this passphrase").click()
            page.get_by_text("The app lock is on: each browser now asks").wait_for()
            wait_idle(page)
            shots.take(page, "lock set")
            record = json.loads((folder / APP_LOCK_NAME).read_text())
            assert record["kdf"] == "scrypt" and PASSPHRASE not in json.dumps(record)
            assert stat.S_IMODE(os.stat(folder / APP_LOCK_NAME).st_mode) == 0o600
            # The browser that set it stays in, in a new tab as well.
            again = owner.new_page()
            again.goto(journal_url(page, "/"))
            again.get_by_role("heading", name="Healing Journal", exact=True).wait_for()
            again.close()
        except Exception:
            shots.take(page, "failure")
            raise

        # Another browser (another person at the same account) gets the unlock gate.
        other = chromium.new_context(viewport={"width": 1200, "height": 900})
        page = other.new_page()
        page.set_default_timeout(UI_TIMEOUT_MS)
        try:
            page.goto(fresh_link(link))
            page.get_by_role("heading", name="Healing Journal is locked").wait_for()
            wait_idle(page)
            assert page.locator('[data-testid="stSidebarNav"]').count() == 0, "no page list before the passphrase"
            assert "Demo" not in page.inner_text("body") and str(folder) not in page.inner_text("body")
            shots.take(page, "unlock gate")
            for attempt in range(2):
                page.get_by_label("Passphrase").fill(f"wrong guess {attempt}")
                page.get_by_role("button", name="Unlock").click()
                seconds = f"{2**attempt} second{'s' if attempt else ''}"
                page.get_by_text(f"The next try can be checked in {seconds}").wait_for()
                wait_idle(page)
            shots.take(page, "wrong passphrase")
            page.get_by_label("Passphrase").fill(PASSPHRASE)
            page.get_by_role("button", name="Unlock").click()
            page.get_by_role("heading", name="Healing Journal", exact=True).wait_for()
            page.locator('[data-testid="stSidebarNav"]').wait_for()
            wait_idle(page)
            shots.take(page, "unlocked")
        except Exception:
            shots.take(page, "failure")
            raise
        finally:
            other.close()
            owner.close()
    result = subprocess.run(
        [sys.executable, "-m", "healing_journal", "app-lock", "--remove", "--folder", str(folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0 and "removed" in result.stdout
    assert not (folder / APP_LOCK_NAME).exists()


# --- nothing leaves this computer ------------------------------------------------------------------


def audit_entries(log: Path) -> list[tuple[str, str, str]]:
    return [tuple(json.loads(line)) for line in log.read_text().splitlines()]


def test_a_whole_session_talks_to_nobody_but_this_computer(server: str, audit_log: Path, browser_page) -> None:
    page = browser_page
    port = port_of(server)
    open_journal(page, server)
    goto_page(page, "treatments", "Profile & treatments")
    form = page.locator('[data-testid="stForm"]').filter(has=page.get_by_role("button", name="Save profile"))
    form.get_by_label("Name or pseudonym (optional, printed on the summary)").fill("Audit")
    form.get_by_role("button", name="Save profile").click()
    page.get_by_text("Profile saved.").wait_for()
    media = first_photo_src(page)
    cookie = access_cookie(page, port_of(server))
    assert request(server, media, headers={"Cookie": cookie})[0] == 200
    # Cross-origin WebSocket attempts: a rebinding page, a foreign Origin, [::1] (which Streamlit
    # itself would have checked by asking an outside service for this computer's address).
    attempts = [
        (f"{FOREIGN}:{port}", f"http://{FOREIGN}:{port}"),
        (f"{HOST}:{port}", f"http://{FOREIGN}"),
        (f"{HOST}:{port}", f"http://[::1]:{port}"),
    ]
    for host, origin in attempts:
        assert websocket_status(server, host=host, origin=origin, cookie=cookie) == 403

    entries = audit_entries(audit_log)
    calls = {call for _, call, _ in entries}
    assert "installed" in calls and "bind" in calls, f"the audit hook ran in the server: {sorted(calls)}"
    refused = [entry for entry in entries if entry[0] != "local"]
    assert not refused, f"the server tried to reach other computers: {refused}"
    binds = [target for _, call, target in entries if call == "bind" and "'" in target]
    assert binds and all(target.startswith(("('127.0.0.1'", "('::1'")) for target in binds), binds
    leaks = sorted(set(page.requests.outside(HOST)))
    assert not leaks, f"the browser asked other computers for {len(leaks)} address(es): {leaks}"


def test_the_audit_hook_catches_streamlits_outside_lookup(tmp_path: Path) -> None:
    """The control: without the launcher's guards, Streamlit's external-IP check is seen (and stopped)."""
    log = tmp_path / "audit.jsonl"
    code = "from streamlit import net_util; print(net_util.get_external_ip(), net_util.get_internal_ip())"
    env = {key: value for key, value in os.environ.items() if not key.lower().endswith("_proxy")}
    env.update(PYTHONPATH=str(NETAUDIT), HJ_NET_AUDIT_LOG=str(log))
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    refused = [target for verdict, _, target in audit_entries(log) if verdict == "refused"]
    assert any("checkip.amazonaws.com" in target for target in refused), refused
    assert any("8.8.8.8" in target for target in refused), refused
