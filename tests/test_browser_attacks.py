"""Another account on this computer tries to get in: the real launcher, server, Chromium and a second account.

The other account runs a web server on a loopback port (tests/attacker.py,
dropped to the unprivileged `nobody` account when the tests run as root).
The patient's browser is sent there the way any web page can send it: by
address, under every name of this computer, and to the port of an old
bookmark. Whatever the browser delivers is then replayed against the
journal, which must refuse it all. The launcher opens the browser on a
private file, so no command line shows a secret; a printed link opens the
journal once; --allow-remote needs TLS and its cookie is Secure; a browser
that cannot reach the private name (as Safari) still gets in, and is told
what that costs.

These tests never skip: without Chromium they fail (see tests/browser.py).
"""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import re
import ssl
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from access import launch_state
from access.notices import LOCKED_TEXT, USED_TEXT
from access.policy import cookie_name
from access.serving import LANDING_NAME
from phone import certificate
from tests.browser import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    HOST,
    ROOT,
    UI_TIMEOUT_MS,
    Screenshots,
    access_cookie,
    base_of,
    first_photo_src,
    free_port,
    fresh_link,
    journal_server,
    journal_url,
    new_page,
    open_journal,
    origin_of,
    port_of,
    printed_link,
    server_env,
)
from tests.demo_journals import DemoJournals

pytestmark = pytest.mark.browser

TODAY = dt.date(2026, 11, 24)
ATTACKER = ROOT / "tests" / "attacker.py"
NOBODY = 65534
# The other account's interpreter: the test's own may sit in a folder only the patient can read.
SYSTEM_PYTHON = Path("/usr/bin/python3")


# --- the other account -------------------------------------------------------------------------


def _as_nobody() -> None:
    os.setgroups([])
    os.setgid(NOBODY)
    os.setuid(NOBODY)


class Attacker:
    """The other account's server: what it caught, as it caught it."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.records: list[dict] = []
        self.ready = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            try:
                record = json.loads(line)
            except ValueError:  # kept, so a test that counts requests sees it was not understood
                record = {"unreadable": line}
            self.records.append(record)
            if "listening" in record:
                self.ready.set()

    @property
    def requests(self) -> list[dict]:
        unreadable = [record for record in self.records if "unreadable" in record]
        assert not unreadable, f"the other account's server wrote lines that are not JSON: {unreadable}"
        return [record for record in self.records if "method" in record]

    def caught(self, at_least: int, timeout_s: float = 20) -> list[dict]:
        """The requests, once at least `at_least` have been read (the reader thread may lag under load)."""
        deadline = time.monotonic() + timeout_s
        while len(self.requests) < at_least and time.monotonic() < deadline:
            time.sleep(0.1)
        return self.requests

    @property
    def reads(self) -> dict[str, bool]:
        return {record["read"]: record["ok"] for record in self.records if "read" in record}

    @property
    def uid(self) -> int:
        (listening,) = [record for record in self.records if "listening" in record]
        return int(listening["uid"])


@contextmanager
def attacker(host: str, port: int, journal_port: int, *try_read: Path) -> Iterator[Attacker]:
    root = os.geteuid() == 0
    python = str(SYSTEM_PYTHON) if root else sys.executable
    process = subprocess.Popen(
        [python, str(ATTACKER), host, str(port), str(journal_port), *map(str, try_read)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        text=True,
        preexec_fn=_as_nobody if root else None,
        cwd="/",
    )
    spy = Attacker(process)
    try:
        assert spy.ready.wait(20), f"the other account's server did not start on {host}:{port}"
        if root:
            assert spy.uid == NOBODY, "the other account is really another account"
        yield spy
    finally:
        process.kill()
        process.wait(timeout=10)


def visit(page, url: str) -> None:
    """The patient's browser at the other account's page, which asks for everything with a fetch."""
    page.goto(url)
    page.locator("#state", has_text="asked").wait_for(timeout=UI_TIMEOUT_MS)


# --- replaying what was caught ---------------------------------------------------------------


def status_of(port: int, path: str, host: str, headers: dict[str, str]) -> int:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.putrequest("GET", path, skip_host=True)
        connection.putheader("Host", host)
        for name, value in headers.items():
            if name.lower() not in ("host", "origin", "referer", "connection"):
                connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def replay(caught: list[dict], journal_port: int, private_host: str, paths: list[str]) -> dict[str, int]:
    """Every request the other account caught, sent to the journal as it was (cookies and all)."""
    answers: dict[str, int] = {}
    for record in caught:
        for host in (f"{HOST}:{journal_port}", f"localhost:{journal_port}", private_host):
            for path in paths:
                status = status_of(journal_port, path, host, record["headers"])
                answers[f"{record['path']} -> {host}{path} with {record['headers'].get('Cookie')!r}"] = status
    return answers


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory, demo_journals: DemoJournals) -> Path:
    folder = tmp_path_factory.mktemp("attacks") / "journal"
    demo_journals.copy(folder, days=3, areas=["face"], today=TODAY)
    return folder


@pytest.fixture(scope="module")
def server(data_dir: Path) -> Iterator[str]:
    with journal_server(data_dir, TODAY, log_path=ARTIFACTS / "attacks-server.log") as link:
        yield link


@pytest.fixture
def patient(chromium):
    page = new_page(chromium, viewport={"width": 1200, "height": 900}, locale="en-GB")
    try:
        yield page
    finally:
        page.context.close()


# --- 1. the cookie never reaches another port ------------------------------------------------------


def test_no_other_port_or_name_of_this_computer_gets_what_opens_the_journal(server: str, patient) -> None:
    shots = Screenshots("attack-ports")
    open_journal(patient, server)
    port = port_of(server)
    private_host = urlsplit(patient.url).netloc
    assert re.fullmatch(rf"journal-[0-9a-f]{{32}}\.localhost:{port}", private_host), patient.url
    media = first_photo_src(patient)
    key = access_cookie(patient, port)
    home = journal_url(patient, "/")
    # The control: what the browser holds does open the journal when sent to it.
    assert status_of(port, "/", private_host, {"Cookie": key}) == 200
    assert status_of(port, media, private_host, {"Cookie": key}) == 200

    ipv4, ipv6 = free_port(), free_port()
    with attacker("127.0.0.1", ipv4, port) as spy, attacker("::1", ipv6, port) as spy6:
        for url in (
            f"http://127.0.0.1:{ipv4}/bookmark",
            f"http://localhost:{ipv4}/",
            f"http://[::1]:{ipv6}/",
            f"http://anything.localhost:{ipv4}/",
            f"http://127.0.0.1:{ipv4}/after-a-redirect?from=journal",
        ):
            visit(patient, url)
        shots.take(patient, "the other account's page", full_page=False)
        # Each visit is at least the page and its fetch: four at 127.0.0.1 (three names), one at [::1].
        caught = spy.caught(at_least=8) + spy6.caught(at_least=2)
    assert len(caught) >= 10, f"the browser reached the other account's server: {caught}"
    value = key.split("=", 1)[1]
    assert not [record for record in caught if value in json.dumps(record)], "the access cookie leaked"
    answers = replay(caught, port, private_host, ["/", media, "/_stcore/host-config"])
    opened = {what: status for what, status in answers.items() if status != 403}
    assert not opened, f"replayed, these opened the journal: {opened}"

    # The cookie the other page tried to plant locks nobody out.
    patient.goto(home)
    patient.get_by_role("heading", name="Healing Journal", exact=True).wait_for()
    shots.take(patient, "still in", full_page=False)


def test_an_old_bookmark_on_a_port_now_taken_gets_nothing_that_opens_the_new_run(tmp_path: Path, patient) -> None:
    folder = tmp_path / "journal"
    with journal_server(folder, TODAY, log_path=tmp_path / "first.log") as first:
        open_journal(patient, first)
        bookmark = journal_url(patient, "gallery")
        old_port = port_of(first)
    with journal_server(folder, TODAY, log_path=tmp_path / "second.log") as second:
        open_journal(patient, second)
        new_host = urlsplit(patient.url).netloc
        assert urlsplit(bookmark).hostname != urlsplit(patient.url).hostname, "a new private name each run"
        key = access_cookie(patient, port_of(second))
        with attacker("127.0.0.1", old_port, old_port) as spy:
            visit(patient, bookmark)
            caught = spy.caught(at_least=2)
        assert caught and all(record["headers"]["Host"] == urlsplit(bookmark).netloc for record in caught)
        assert not [record for record in caught if key.split("=", 1)[1] in json.dumps(record)]
        answers = replay(caught, port_of(second), new_host, ["/", "/gallery"])
        assert set(answers.values()) == {403}, answers


# --- 2. no secret on any command line ---------------------------------------------------------------


BROWSER_RECORDER = """import json, os, sys
with open(sys.argv[1], "a") as out:
    out.write(json.dumps({"argv": sys.argv[2:], "environ": dict(os.environ)}) + "\\n")
"""


def every_command_line_and_environment() -> list[tuple[int, bytes]]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        for name in ("cmdline", "environ"):
            try:
                found.append((int(entry.name), (entry / name).read_bytes()))
            except OSError:
                continue  # gone, or not ours to read
    return found


def test_the_browser_is_opened_on_a_private_file_and_no_process_shows_a_secret(tmp_path: Path, chromium) -> None:
    folder = tmp_path / "journal"
    recorder, opened = tmp_path / "browser.py", tmp_path / "opened.jsonl"
    recorder.write_text(BROWSER_RECORDER)
    env = {"DISPLAY": ":99", "BROWSER": f"{sys.executable} {recorder} {opened} %s"}
    with journal_server(folder, TODAY, log_path=tmp_path / "server.log", env=env, headless=False) as printed:
        deadline = time.monotonic() + 30
        while not opened.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        (call,) = [json.loads(line) for line in opened.read_text().splitlines()]
        state = launch_state.read(folder)
        assert state is not None
        landing = folder / LANDING_NAME
        assert call["argv"] == [landing.as_uri()], call["argv"]
        assert stat.S_IMODE(landing.stat().st_mode) == 0o600
        opened_link = re.search(r'url=([^"]+)"', landing.read_text())
        assert opened_link is not None
        secrets_here = {
            state.secret,
            printed.split("code=")[1],
            opened_link.group(1).split("code=")[1],
            state.private_name or "",
        }
        assert all(secrets_here)
        for pid, text in every_command_line_and_environment():
            shown = [secret for secret in secrets_here if secret.encode() in text]
            assert not shown, f"process {pid} shows {shown} in its command line or environment"
        assert not any(secret in json.dumps(call["environ"]) for secret in secrets_here)

        # The other account can read neither the state file nor the page the browser opened.
        server_pid = state.pid
        with attacker(
            "127.0.0.1",
            free_port(),
            state.port,
            folder / launch_state.STATE_NAME,
            landing,
            Path(f"/proc/{server_pid}/environ"),
        ) as spy:
            if os.geteuid() == 0:
                assert spy.reads and not any(spy.reads.values()), spy.reads

        # The browser's file leads into the journal, at the private name.
        first = chromium.new_context()
        page = first.new_page()
        page.set_default_timeout(UI_TIMEOUT_MS)
        page.goto(landing.as_uri())
        page.get_by_role("heading", name="Healing Journal", exact=True).wait_for()
        assert re.fullmatch(r"http://journal-[0-9a-f]{32}\.localhost:\d+/", page.url), page.url

        # The printed link opens the journal once: in one browser, not in the next.
        second, third = chromium.new_context(), chromium.new_context()
        page2, page3 = second.new_page(), third.new_page()
        page2.goto(printed)
        page2.get_by_role("heading", name="Healing Journal", exact=True).wait_for()
        page3.goto(printed)
        page3.get_by_text(USED_TEXT).wait_for()
        assert page3.context.cookies() == [] or all(
            c["name"] != cookie_name(state.port) for c in page3.context.cookies()
        )
        # Asking the launcher again (as `bash run.sh` does) gives a fresh link that works.
        again = subprocess.run(
            [sys.executable, "launch.py", "--server.headless", "true"],
            cwd=ROOT,
            env=server_env(folder, TODAY),
            capture_output=True,
            text=True,
            timeout=60,
        )
        fresh = printed_link(again.stdout)
        assert again.returncode == 0 and "already running" in again.stdout and fresh and fresh != printed
        page3.goto(fresh)
        page3.get_by_role("heading", name="Healing Journal", exact=True).wait_for()
        for context in (first, second, third):
            context.close()
    assert not landing.exists(), "the browser's file goes with the server"


def test_a_forged_or_used_code_opens_nothing(server: str) -> None:
    port = port_of(server)
    link = fresh_link(server)
    path = link[len(base_of(link)) :]
    assert status_of(port, path + "&here=1", f"{HOST}:{port}", {}) == 303
    assert status_of(port, path + "&here=1", f"{HOST}:{port}", {}) == 403
    nonce, mac = link.split("code=")[1].split(".")
    assert status_of(port, f"/?code={nonce}.{mac[::-1]}", f"{HOST}:{port}", {}) == 403


# --- 3. --allow-remote only over TLS ----------------------------------------------------------------


def self_signed(folder: Path, address: str) -> tuple[Path, Path]:
    """A certificate for `address`, made as the phone listener makes its own (phone.certificate)."""
    made = certificate.for_address(folder, address)
    return made.cert_path, made.key_path


REMOTE = "127.0.0.2"  # stands for the computer's Wi-Fi address


def test_allow_remote_over_plain_http_is_refused(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "launch.py", "--allow-remote", "--server.address", REMOTE, "--server.headless", "true"],
        cwd=ROOT,
        env=server_env(tmp_path / "journal", TODAY),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "plain HTTP" in result.stderr and "--server.sslCertFile" in result.stderr
    assert "Traceback" not in result.stderr


def test_allow_remote_over_tls_gives_a_secure_cookie(tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path, REMOTE)
    port = free_port()
    log = tmp_path / "remote.log"
    command = [
        sys.executable,
        "launch.py",
        "--allow-remote",
        "--server.address",
        REMOTE,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.sslCertFile",
        str(cert),
        "--server.sslKeyFile",
        str(key),
    ]
    with open(log, "wb") as out:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=server_env(tmp_path / "journal", TODAY),
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            link = None
            deadline = time.monotonic() + 60
            while link is None and time.monotonic() < deadline and process.poll() is None:
                found = re.search(rf"^(https://{re.escape(REMOTE)}:{port}/\?code=\S+)$", log.read_text(), re.M)
                link = found.group(1) if found else None
                time.sleep(0.25)
            assert link, log.read_text()
            context = ssl.create_default_context(cafile=str(cert))
            path = link[len(f"https://{REMOTE}:{port}") :]
            status, headers = _https(context, port, path, {})
            for _ in range(40):  # the link is printed as the server starts; give it a moment
                if status != 0:
                    break
                time.sleep(0.25)
                status, headers = _https(context, port, path, {})
            assert status == 303, (status, headers)
            set_cookie = headers["set-cookie"]
            assert "; Secure" in set_cookie and "HttpOnly" in set_cookie
            cookie = set_cookie.split(";", 1)[0]
            assert _https(context, port, "/", {"Cookie": cookie})[0] == 200
            assert _https(context, port, "/", {})[0] == 403
        finally:
            os.killpg(process.pid, 15)
            process.wait(timeout=20)


def _https(context: ssl.SSLContext, port: int, path: str, headers: dict[str, str]) -> tuple[int, dict[str, str]]:
    connection = http.client.HTTPSConnection(REMOTE, port, timeout=10, context=context)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}
    except (OSError, http.client.HTTPException):
        return 0, {}
    finally:
        connection.close()


# --- 4. a browser without *.localhost names (as Safari) ---------------------------------------------


def test_a_browser_that_cannot_reach_the_private_name_gets_in_and_is_told(server: str, chromium) -> None:
    # Another Chromium of the same Playwright, told to resolve no *.localhost name: what Safari does.
    safari_like = chromium.browser_type.launch(
        executable_path=str(CHROMIUM),
        headless=True,
        args=[*CHROMIUM_ARGS, "--host-resolver-rules=MAP *.localhost ~NOTFOUND"],
    )
    try:
        page = safari_like.new_page(viewport={"width": 1200, "height": 900})
        page.set_default_timeout(UI_TIMEOUT_MS)
        page.goto(fresh_link(server))
        page.get_by_role("heading", name="Healing Journal", exact=True).wait_for()
        assert origin_of(page.url) == base_of(server), page.url
        page.get_by_text("not at its private address").wait_for()
        Screenshots("attack-fallback").take(page, "numeric address", full_page=False)
        (cookie,) = [c for c in page.context.cookies() if c["name"] == cookie_name(port_of(server))]
        assert cookie["domain"] == HOST and cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    finally:
        safari_like.close()


def test_the_locked_page_names_no_secret(server: str) -> None:
    port = port_of(server)
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        connection.request("GET", "/")
        response = connection.getresponse()
        body = response.read().decode()
    finally:
        connection.close()
    assert response.status == 403 and LOCKED_TEXT in body
    assert "journal-" not in body and "code=" not in unquote(body)
