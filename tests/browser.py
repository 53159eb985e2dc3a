"""Support for the browser tests: the real server, Debian's Chromium, and what the page asks for.

- `journal_server(data_dir, today)` starts `python launch.py` on a free port of
  127.0.0.1 (exactly as a patient would, through the launcher), reads the
  one-time link it prints (`http://127.0.0.1:PORT/?code=CODE`), waits for
  /_stcore/health to answer "ok", yields that link and stops the server's
  whole process group afterwards. `base_of(link)` is the address without the
  code (which, without the cookie the link sets, only gets the locked page).
- A printed link opens the journal once. `fresh_link(link)` mints another,
  from the server's 0600 state file, exactly as `bash run.sh` does while the
  journal runs; `open_link(page, link)` opens the journal in a page with a
  fresh one and waits until the browser has landed on the run's private
  name (`journal-….localhost`), where its cookie lives; `journal_url(page,
  path)` is a page of the journal at the address the page is on.
- `launch_chromium(playwright)` starts /usr/bin/chromium headless. Never a
  downloaded browser; a missing Chromium FAILS the test (CI must not pass
  when the browser tests could not run), it never skips.
- `RequestLog` records every URL the page requests (and every WebSocket it
  opens) so a test can assert that nothing leaves this computer.
- `Screenshots` writes numbered screenshots to test-artifacts/ (gitignored).

Pytest fixtures built on these are at the end of this module; import them
into a test module to use them.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from access import launch_state
from access.policy import cookie_name

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HOST = "127.0.0.1"
START_TIMEOUT_S = 60
# Streamlit renders asynchronously; first renders on a busy 2-core machine are slow.
UI_TIMEOUT_MS = 30_000


# --- the server ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def server_env(data_dir: Path, today: dt.date | str | None) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("JOURNAL_ALLOW_REMOTE", None)
    env["JOURNAL_DATA_DIR"] = str(data_dir)
    if today is not None:
        env["JOURNAL_TODAY"] = today if isinstance(today, str) else today.isoformat()
    else:
        env.pop("JOURNAL_TODAY", None)
    env["PYTHONUNBUFFERED"] = "1"
    return env


# The line launch.py prints; people and scripts copy it, so its shape is fixed.
LINK_LINE = re.compile(r"^(http://127\.0\.0\.1:\d+/\?code=[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})$", re.MULTILINE)
PRIVATE_ORIGIN = re.compile(r"^http://journal-[0-9a-f]{32}\.localhost:\d+$")
# The data folder of each server this process started, by port: where fresh links come from.
_FOLDERS: dict[int, Path] = {}


def printed_link(output: str) -> str | None:
    """The link to open, from the launcher's output."""
    found = LINK_LINE.search(output)
    return found.group(1) if found else None


def base_of(link: str) -> str:
    """http://127.0.0.1:PORT from the printed link."""
    parts = urlsplit(link)
    return f"{parts.scheme}://{parts.netloc}"


def port_of(link: str) -> int:
    port = urlsplit(link).port
    assert port is not None, link
    return port


def fresh_link(link: str) -> str:
    """A new one-time link to the server behind `link`, minted as `bash run.sh` does while it runs."""
    state = launch_state.read(_FOLDERS[port_of(link)])
    assert state is not None, f"no state file for the server behind {link}"
    return state.fresh_link()


def origin_of(url: str) -> str:
    return base_of(url)


def open_link(page, link: str, *, timeout_ms: int = UI_TIMEOUT_MS) -> None:
    """Open the journal with a fresh link; returns once the browser is at the run's private name."""
    page.goto(fresh_link(link))
    page.wait_for_url(lambda url: PRIVATE_ORIGIN.match(origin_of(url)) is not None, timeout=timeout_ms)


def open_journal(page, link: str) -> None:
    """Open the journal with a fresh link and wait until Home has been drawn."""
    open_link(page, link)
    page.get_by_role("heading", name="Healing Journal", exact=True).wait_for()
    wait_idle(page)


def access_cookie(page, port: int) -> str:
    """The access cookie this page's browser holds for the journal on `port`, as a Cookie header."""
    name = cookie_name(port)
    (value,) = [c["value"] for c in page.context.cookies() if c["name"] == name]
    return f"{name}={value}"


def first_photo_src(page) -> str:
    """The /media/… address of the first photo on the Photos page (opened through the menu)."""
    goto_page(page, "gallery", "Photos")
    image = page.locator('[data-testid="stMain"] [data-testid="stImage"] img').first
    image.wait_for()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
    src = image.get_attribute("src")
    assert src and "/media/" in src, src
    return src[src.index("/media/") :]


def journal_url(page, path: str) -> str:
    """The journal's page `path` at the address this browser page is on."""
    return f"{origin_of(page.url)}/{path.lstrip('/')}"


def health(base_url: str, timeout: float = 2.0) -> str | None:
    """The health endpoint's answer, or None if the server does not answer."""
    try:
        with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=timeout) as response:
            return response.read().decode("utf-8", "replace").strip()
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


class ServerFailed(RuntimeError):
    pass


@contextmanager
def journal_server(
    data_dir: Path,
    today: dt.date | str | None = None,
    *,
    port: int | None = None,
    log_path: Path | None = None,
    env: dict[str, str] | None = None,
    headless: bool = True,
    args: tuple[str, ...] = (),
) -> Iterator[str]:
    """Run `python launch.py` on 127.0.0.1; yields the link it printed, e.g. http://127.0.0.1:41234/?code=...

    The server's output goes to `log_path` (kept), or by default to
    test-artifacts/server-PORT.log, which is removed after a clean run.
    `env` adds to the server's environment. `headless=False` lets the launcher
    open a browser (the test's `BROWSER` command), as on a desktop. `args`
    go to launch.py as well (`--phone`, ...).
    """
    port = port or free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    keep_log = log_path is not None
    log_path = log_path or ARTIFACTS / f"server-{port}.log"
    failed = True
    command = [sys.executable, "launch.py", "--server.port", str(port)]
    if headless:
        command += ["--server.headless", "true"]
    command += list(args)
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env={**server_env(data_dir, today), **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, stopped as a whole
        )
        try:
            link = _wait_healthy(process, log_path)
            port = port_of(link)  # another than asked for if that one was taken
            _FOLDERS[port] = data_dir
            yield link
            failed = False
        finally:
            _stop(process)
            _FOLDERS.pop(port, None)
    if not failed and not keep_log:
        log_path.unlink(missing_ok=True)


def _wait_healthy(process: subprocess.Popen, log_path: Path) -> str:
    """The printed link, once the server it names answers its health check."""
    deadline = time.monotonic() + START_TIMEOUT_S
    link = None
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerFailed(
                f"launch.py exited with code {process.returncode} before answering; log {log_path}:\n{_tail(log_path)}"
            )
        link = link or printed_link(log_path.read_text(errors="replace"))
        if link is not None and health(base_of(link)) == "ok":
            return link
        time.sleep(0.25)
    what = "printed no link" if link is None else f"{base_of(link)}/_stcore/health did not answer 'ok'"
    raise ServerFailed(f"launch.py {what} within {START_TIMEOUT_S} s; log {log_path}:\n{_tail(log_path)}")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    for sig, wait_s in ((signal.SIGTERM, 15), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)  # the group started for this server only
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait_s)
            return
        except subprocess.TimeoutExpired:
            continue


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


# --- the browser ----------------------------------------------------------------------


def launch_chromium(playwright):
    """Debian's Chromium, headless. Fails (never skips) when it cannot run."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Browser tests need Debian's Chromium at {CHROMIUM} (apt-get install chromium); it is missing, "
            "so the browser tests could NOT run. They never download a browser and never skip.",
            pytrace=False,
        )
    try:
        return playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
    except Exception as exc:
        pytest.fail(
            f"Chromium at {CHROMIUM} could not be started, so the browser tests could NOT run: {exc}", pytrace=False
        )


LOCAL_SCHEMES = {"data", "blob", "about"}


class RequestLog:
    """Every URL a page requests, and every WebSocket it opens."""

    def __init__(self, page) -> None:
        self.urls: list[str] = []
        page.on("request", lambda request: self.urls.append(request.url))
        page.on("websocket", lambda socket_: self.urls.append(socket_.url))

    def outside(self, host: str = HOST) -> list[str]:
        """URLs that went anywhere but `host` or a `*.localhost` name (data:, blob: and about: stay in the browser).

        Chromium resolves every `*.localhost` name to the loopback itself, without asking DNS.
        """
        leaks = []
        for url in self.urls:
            parts = urlsplit(url)
            if parts.scheme in LOCAL_SCHEMES:
                continue
            hostname = parts.hostname or ""
            local = hostname == host or hostname.endswith(".localhost")
            if parts.scheme not in ("http", "https", "ws", "wss") or not local:
                leaks.append(url)
        return leaks


class Screenshots:
    """Numbered full-page screenshots in test-artifacts/<prefix>-NN-<name>.png."""

    def __init__(self, prefix: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.prefix = prefix
        self.count = 0
        self.paths: list[Path] = []
        for old in ARTIFACTS.glob(f"{prefix}-*.png"):
            old.unlink()

    def take(self, page, name: str, *, full_page: bool = True) -> Path:
        """Screenshot the page; full_page grows the window to the app's content first.

        Streamlit scrolls inside its main section, not the document, so
        Playwright's own full_page would stop at the window's height.
        """
        self.count += 1
        slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        path = ARTIFACTS / f"{self.prefix}-{self.count:02d}-{slug}.png"
        viewport = page.viewport_size
        if full_page and viewport:
            for _ in range(3):  # a taller window can change the layout (images, camera box)
                height = min(page.evaluate(_CONTENT_HEIGHT_JS), MAX_SHOT_HEIGHT)
                if height <= page.viewport_size["height"]:
                    break
                page.set_viewport_size({"width": viewport["width"], "height": height})
                page.wait_for_timeout(400)  # let the layout settle
        try:
            page.screenshot(path=str(path), full_page=full_page)
        finally:
            if viewport and page.viewport_size != viewport:
                page.set_viewport_size(viewport)
        self.paths.append(path)
        return path

    @contextmanager
    def on_failure(self, page) -> Iterator[None]:
        """Screenshot the page as it is when a step fails ("failure"), then let the failure go on.

        Enter it inside `journal_server(...)`: leaving the server's block stops
        the server first, after which the page only shows Streamlit's
        "CONNECTING", whatever the step was waiting for.
        """
        try:
            yield
        except Exception:
            self.take(page, "failure")
            raise


MAX_SHOT_HEIGHT = 8000
_CONTENT_HEIGHT_JS = """() => {
    const heights = [document.documentElement.scrollHeight];
    for (const id of ["stMain", "stAppViewContainer", "stSidebarContent"]) {
        const element = document.querySelector(`[data-testid="${id}"]`);
        if (element) heights.push(element.scrollHeight);
    }
    return Math.ceil(Math.max(...heights));
}"""


def new_page(browser, **context_options):
    """A page in a browser context of its own (no cookies shared with other pages), with
    the tests' default timeout; close it with `page.context.close()`."""
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.set_default_timeout(UI_TIMEOUT_MS)
    return page


def wait_idle(page, timeout_ms: int = UI_TIMEOUT_MS) -> None:
    """Wait until Streamlit has finished the current run ("Running..." gone)."""
    # The status widget appears while a script runs; give a just-triggered run a moment to show it.
    page.wait_for_timeout(300)
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=timeout_ms)


# Log a day's notice while saved photos are measured after the answer (ui.photo_waiting).
MEASURING_NOTICE = "being lined up with your first photo and measured"


def wait_measured(page, timeout_ms: int = UI_TIMEOUT_MS) -> None:
    """Wait until the photos Log a day just saved are measured: Save answers first,
    and their numbers and "Retake?" question come in a later run of the page."""
    page.get_by_text(MEASURING_NOTICE).wait_for(state="detached", timeout=timeout_ms)
    wait_idle(page, timeout_ms)


def goto_page(page, url_path: str, heading: str, *, timeout_ms: int = UI_TIMEOUT_MS) -> None:
    """Open a page through the sidebar navigation, as a patient would, and wait for its heading.

    Links are found by their address (st.Page's url path, e.g. "gallery"): the
    visible names overlap ("Photos", "Import photos") and carry icon names.
    """
    page.locator(f'[data-testid="stSidebarNav"] a[href$="/{url_path}"]').click()
    page.get_by_role("heading", name=heading, exact=True).wait_for(timeout=timeout_ms)
    wait_idle(page, timeout_ms)


# --- pytest fixtures --------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium():
    """One headless Chromium for the module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_page(chromium):
    """A fresh page (own context) with its request log as page.requests."""
    page = new_page(chromium, viewport={"width": 1400, "height": 1000}, locale="en-GB")
    page.requests = RequestLog(page)
    try:
        yield page
    finally:
        page.context.close()


def answer(scope, label: str, choice: str) -> None:
    """Click one option ("Done" / "Not done") of a segmented control labelled `label`."""
    group = scope.locator('[data-testid="stButtonGroup"]').filter(has_text=label)
    group.get_by_text(choice, exact=True).click()
