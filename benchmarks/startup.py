"""App start to first page served, and the first page drawn after opening the link, versus hello world.

"Served": from starting the process until /_stcore/health answers "ok" and,
for hello world, http://127.0.0.1:P/ answers 200 (Streamlit serves its static
page before any script runs); for the journal, until it has printed its
one-time link (it does once the server is up), which is left unused for the
browser: the gate lets nothing but the health check through without it.
"First run done": a headless Chromium (Playwright, Debian's
/usr/bin/chromium, launched once beforehand) opens the page as soon as it is
served and waits for the app's title text ("Healing Journal"; "hello" for the
hello-world app); timed from the process start too. The browser's own start
is not counted.

"First page drawn after opening the link, cold server" (issue 21's row): the
same start, timed from the browser's `goto` of the printed link (as soon as
the server answers) until the first page's heading is on screen and the
script run is reported finished (the app's data-test-script-state back to
"notRunning", as the navigation benchmark waits); the hello-world app timed
the same way, also cold: a fresh server for every sample.

The journal runs through launch.py on a copy of the one-week demo journal;
the hello-world app is a temporary script with st.write("hello") started with
`python -m streamlit run` and the journal's own server settings (headless, no
file watcher, no usage statistics, 127.0.0.1), so only the app differs.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from benchmarks import DEMO_TODAY, RESULTS, ROOT, demo_journal, log, ratio_row, scratch_dir

NAME = "startup"
TITLE = "App start to first page served (launch.py vs hello-world Streamlit)"
TARGET = 1.3
DRAWN_TARGET = 1.5
FINISHED = '[data-testid="stApp"][data-test-script-state="notRunning"]'
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SERVER_FLAGS = ["--server.headless", "true"]
HELLO_FLAGS = [
    "--server.fileWatcherType",
    "none",
    "--browser.gatherUsageStats",
    "false",
    "--server.address",
    "127.0.0.1",
]
TIMEOUT = 60.0
BROWSER_ERRORS: list[str] = []


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# The journal opens only through the one-time link launch.py prints (see access/):
# the link is left to the browser (opening it here would use it up).
LINK = re.compile(r"^(http://127\.0\.0\.1:\d+/\?code=[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)$", re.MULTILINE)


def _get(url: str, opener: urllib.request.OpenerDirector | None = None) -> tuple[int, bytes]:
    try:
        with (opener or urllib.request.build_opener()).open(url, timeout=2) as response:
            return response.status, response.read()
    except Exception:
        return 0, b""


def _served(port: int, link: str | None, journal: bool) -> bool:
    """The journal: its link printed (it prints it once the server is up) and health ok;
    hello world: its index 200 and health ok."""
    if journal and link is None:
        return False
    if not journal:
        status, _ = _get(f"http://127.0.0.1:{port}/")
        if status != 200:
            return False
    status, body = _get(f"http://127.0.0.1:{port}/_stcore/health")
    return status == 200 and body.strip() == b"ok"


def _printed_link(output: Path) -> str | None:
    found = LINK.search(output.read_text(errors="replace"))
    return found.group(1) if found else None


def _start(
    command: list[str], cwd: Path, env: dict[str, str], port: int, browser, selector: str
) -> tuple[float, float | None, float | None]:
    """(seconds to served, seconds to the title text in a browser or None, seconds from
    opening the link to the first page drawn and its run finished or None)."""
    output = Path(tempfile.mkstemp(prefix="startup-output-")[1])
    start = time.perf_counter()
    with open(output, "wb") as stdout:
        process = subprocess.Popen(
            command, cwd=cwd, env=env, stdout=stdout, stderr=subprocess.PIPE, start_new_session=True
        )
    link = None
    try:
        while not _served(port, link := link or _printed_link(output), journal=command[1] == "launch.py"):
            if process.poll() is not None:
                raise RuntimeError(f"{command} exited: {process.stderr.read().decode()[-2000:]}")
            if time.perf_counter() - start > TIMEOUT:
                raise RuntimeError(f"{command} not served after {TIMEOUT} s")
            time.sleep(0.01)
        served = time.perf_counter() - start
        first_run = drawn = None
        if browser is not None:
            context = browser.new_context()
            try:
                page = context.new_page()
                opened = time.perf_counter()
                page.goto(link or f"http://127.0.0.1:{port}/", timeout=TIMEOUT * 1000)
                page.locator(selector).first.wait_for(timeout=TIMEOUT * 1000)
                first_run = time.perf_counter() - start
                page.locator(FINISHED).wait_for(timeout=TIMEOUT * 1000)
                drawn = time.perf_counter() - opened
            except Exception as exc:  # keep the served time; say why the browser one is missing
                BROWSER_ERRORS.append(f"{command[1]}: {type(exc).__name__}: {str(exc).splitlines()[0]}")
                try:
                    (RESULTS / "startup-browser-error.txt").write_text(page.inner_text("body"))
                except Exception:
                    pass
            finally:
                context.close()
        return served, first_run, drawn
    finally:
        # Only the process group this benchmark started.
        try:
            os.killpg(process.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        if process.stderr:
            process.stderr.close()
        output.unlink(missing_ok=True)


def _browser(stack):
    if not os.path.exists(CHROMIUM):
        return None, f"no {CHROMIUM}"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None, "playwright is not installed"
    playwright = stack.enter_context(sync_playwright())
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
    stack.callback(browser.close)
    return browser, None


def run(quick: bool = False) -> list[dict]:
    from contextlib import ExitStack

    runs = 2 if quick else 5
    data = scratch_dir("startup-journal")
    shutil.copytree(demo_journal("week", days=7, areas=["face", "neck"]), data, dirs_exist_ok=True)
    env = {
        **os.environ,
        "JOURNAL_DATA_DIR": str(data),
        "JOURNAL_TODAY": DEMO_TODAY.isoformat(),
        "PYTHONPATH": str(ROOT),
    }
    hello_dir = Path(tempfile.mkdtemp(prefix="hello-streamlit-"))
    (hello_dir / "hello.py").write_text('import streamlit as st\n\nst.write("hello")\n')
    served: dict[str, list[float]] = {"journal": [], "hello": []}
    first: dict[str, list[float]] = {"journal": [], "hello": []}
    drawn: dict[str, list[float]] = {"journal": [], "hello": []}
    with ExitStack() as stack:
        stack.callback(shutil.rmtree, hello_dir, True)
        browser, why_not = _browser(stack)
        if browser is None:
            log(f"  no browser timing: {why_not}")

        def journal_app() -> tuple[float, float | None, float | None]:
            port = _free_port()
            command = [sys.executable, "launch.py", "--server.port", str(port), *SERVER_FLAGS]
            return _start(command, ROOT, env, port, browser, "h1:has-text('Healing Journal')")

        def hello_app() -> tuple[float, float | None, float | None]:
            port = _free_port()
            command = [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "hello.py",
                "--server.port",
                str(port),
                *SERVER_FLAGS,
                *HELLO_FLAGS,
            ]
            return _start(command, hello_dir, env, port, browser, "text=hello")

        log(f"  {runs} starts each (plus one warm-up) ...")
        for round_number in range(runs + 1):
            for name, start in (("journal", journal_app), ("hello", hello_app)):
                to_served, to_first, to_drawn = start()
                if round_number == 0:
                    continue  # warm-up: the disk cache, Python's bytecode cache
                served[name].append(to_served)
                if to_first is not None:
                    first[name].append(to_first)
                if to_drawn is not None:
                    drawn[name].append(to_drawn)
    rows = []
    if BROWSER_ERRORS:
        log(f"  browser timing failed {len(BROWSER_ERRORS)} time(s): {BROWSER_ERRORS[0]}")
    rows.append(
        ratio_row(
            NAME,
            "start to server ready (journal: link printed; hello world: index 200; health ok)",
            served["journal"],
            served["hello"],
            unit="s",
            baseline_label="hello-world streamlit run",
            target_ratio=TARGET,
        )
    )
    if drawn["journal"] and drawn["hello"]:
        rows.append(
            ratio_row(
                NAME,
                "first page drawn after opening the link, cold server (heading shown, run finished)",
                drawn["journal"],
                drawn["hello"],
                unit="s",
                baseline_label="hello world, cold server",
                target_ratio=DRAWN_TARGET,
            )
        )
    if first["journal"] and first["hello"]:
        rows.append(
            ratio_row(
                NAME,
                "start to first script run shown in Chromium (title text)",
                first["journal"],
                first["hello"],
                unit="s",
                baseline_label="hello-world streamlit run",
                target_ratio=TARGET,
                informative=True,
                note=f"browser failed {len(BROWSER_ERRORS)} time(s): {BROWSER_ERRORS[0]}" if BROWSER_ERRORS else "",
            )
        )
    return rows
