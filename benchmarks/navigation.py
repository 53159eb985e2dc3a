"""Switching pages in the browser: a year-long journal versus a hello-world multipage app.

The journal: a year of demo data with two areas and a photo of each area every
day (730 photos; `python -m demo --days 365 --areas face,neck
--photo-every-day`, built once and cached), served exactly as a patient runs
it: `python launch.py`, opened through the link it prints (with the secret).

The baseline: a hello-world Streamlit app with the same seven pages (the same
titles, icons and addresses; each page a title and one line of text), declared
with st.navigation, started in the same run with plain `streamlit run` on
another port, with the journal's own .streamlit/config.toml (theme, toolbar,
127.0.0.1, no file watcher, no usage statistics), so only the app differs.

One headless Debian Chromium (Playwright, /usr/bin/chromium) holds a tab on
each app. Both tabs walk the sidebar in the same order (Home, Log a day,
Recovery chart, Photos, Import photos, Profile & treatments, Export & backup,
Home, ...), switch by switch: one switch on the journal, then the same switch
on the hello-world app, so load from elsewhere on the shared machine falls on
both alike. A switch is timed in the page itself (performance.now()): from
the click event on the sidebar link until the new page's heading is on screen
and Streamlit reports the run finished (the app's script-run state, which the
status widget shows, is back to "notRunning"; the widget's 200 ms fade-out is
not counted). Half a second passes untimed between switches, so images and
charts drawn after a run do not fall on the next click. One untimed round
first (imports, the disk cache, Python's caches).

The app keeps what it built for the journal's content (the snapshot's records,
the recovery view, the chart's specification) under the snapshot's revision,
so switching over an unchanged journal, the patient's usual case, reuses
them: those switches are the targets. Then, informative, rounds in which the
journal changes just before every click (the profile's name is written, as
another tab would), so nothing kept can be used: what the first visit after
saving a day costs.

Also counted: the SQL statements of one Home render of journal_app.py
(AppTest, in process, on the same journal; the store counts them).
"""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from benchmarks import DEMO_TODAY, RESULTS, ROOT, demo_journal, log, median, row, scratch_dir

NAME = "navigation"
TITLE = "Page switches in Chromium: a year-long journal (730 photos) vs a hello-world multipage app"
SWITCH_TARGET = 1.5
CHART_TARGET = 2.0
STATEMENT_TARGET = 6  # BEGIN, profile, treatments, entries, photos, COMMIT
AREAS = ["face", "neck"]
SETTLE_MS = 500
SWITCH_TIMEOUT_MS = 120_000
START_TIMEOUT_S = 90.0


@dataclass(frozen=True)
class Screen:
    url_path: str  # st.Page's address: the sidebar link ends with it ("" for the default page)
    title: str  # the sidebar's name
    heading: str  # the page's st.title
    icon: str

    @property
    def hello_script(self) -> str:
        return f"views/{self.url_path or 'home'}.py"


# The journal's pages, in its sidebar's order (journal_app.py).
SCREENS = [
    Screen("", "Home", "Healing Journal", ":material/home:"),
    Screen("log_day", "Log a day", "Log a day", ":material/edit_note:"),
    Screen("recovery", "Recovery chart", "Recovery chart", ":material/monitoring:"),
    Screen("gallery", "Photos", "Photos", ":material/photo_library:"),
    Screen("import_photos", "Import photos", "Import photos", ":material/drive_folder_upload:"),
    Screen("treatments", "Profile & treatments", "Profile & treatments", ":material/medical_information:"),
    Screen("export", "Export & backup", "Export & backup", ":material/ios_share:"),
]
CHART = "recovery"


# --- the two apps ---------------------------------------------------------------------


def _journal_copy() -> Path:
    """A working copy of the cached year journal: the database copied (the server
    opens it for writing), the photo files hard-linked (only ever read here)."""
    cached = demo_journal("year", days=365, areas=AREAS)
    folder = scratch_dir("navigation-journal")

    def link_or_copy(source: str, target: str) -> object:
        if Path(source).suffix.lower() in (".jpg", ".jpeg", ".png", ".webp"):
            try:
                os.link(source, target)
                return target
            except OSError:
                pass
        return shutil.copy2(source, target)

    shutil.copytree(cached, folder, dirs_exist_ok=True, copy_function=link_or_copy)
    return folder


def _hello_app() -> Path:
    """The hello-world app: the same seven pages, each a title and a line of text."""
    folder = scratch_dir("navigation-hello")
    (folder / ".streamlit").mkdir()
    shutil.copy2(ROOT / ".streamlit" / "config.toml", folder / ".streamlit" / "config.toml")
    # Not "pages/": Streamlit would take that folder for its old automatic page list.
    (folder / "views").mkdir()
    lines = ["import streamlit as st", "", "pages = ["]
    for screen in SCREENS:
        script = screen.hello_script
        (folder / script).write_text(
            f"import streamlit as st\n\nst.title({screen.heading!r})\nst.write('Hello from {screen.title}.')\n"
        )
        where = f", url_path={screen.url_path!r}" if screen.url_path else ", default=True"
        lines.append(f"    st.Page({script!r}, title={screen.title!r}, icon={screen.icon!r}{where}),")
    lines += ["]", "st.navigation(pages).run()", ""]
    (folder / "hello_app.py").write_text("\n".join(lines))
    return folder


@contextmanager
def _hello_server(folder: Path, log_path: Path) -> Iterator[str]:
    """`streamlit run hello_app.py` on a free port of 127.0.0.1; yields its address."""
    from tests.browser import free_port, health

    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", "hello_app.py", "--server.port", str(port)]
    base = f"http://127.0.0.1:{port}"
    with open(log_path, "wb") as output:
        process = subprocess.Popen(
            command,
            cwd=folder,
            stdout=output,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, stopped as a whole
        )
        try:
            deadline = time.monotonic() + START_TIMEOUT_S
            while health(base) != "ok":
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the hello-world app did not start; log {log_path}")
                time.sleep(0.25)
            yield base
        finally:
            _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the process group this benchmark started (and only that one)."""
    for sig, wait_s in ((signal.SIGTERM, 15), (signal.SIGKILL, 10)):
        if process.poll() is not None:
            return
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait_s)
            return
        except subprocess.TimeoutExpired:
            continue


# --- one timed switch -------------------------------------------------------------------

# Installed before the click: resolves with the milliseconds from the click
# event until `heading` is an h1 on screen and the run is reported finished.
_ARM_JS = """([heading, timeoutMs]) => {
    const finished = () => {
        const app = document.querySelector('[data-testid="stApp"]');
        if (!app || app.getAttribute("data-test-script-state") !== "notRunning") return false;
        const shown = (h) => h.getClientRects().length > 0 && !h.closest("[data-stale='true']");
        return [...document.querySelectorAll("h1")].some((h) => h.textContent.trim() === heading && shown(h));
    };
    window.__switchDone = new Promise((resolve, reject) => {
        let clicked = null;
        document.addEventListener("click", () => { clicked = performance.now(); }, { capture: true, once: true });
        const observer = new MutationObserver(() => {
            if (clicked !== null && finished()) {
                observer.disconnect();
                clearTimeout(timer);
                resolve(performance.now() - clicked);
            }
        });
        observer.observe(document.documentElement, {
            subtree: true, childList: true, characterData: true,
            attributes: true, attributeFilter: ["data-test-script-state", "data-stale"],
        });
        const timer = setTimeout(() => {
            observer.disconnect();
            reject(new Error(`no finished run showing "${heading}" within ${timeoutMs} ms`));
        }, timeoutMs);
    });
}"""


def _link(page: Any, screen: Screen) -> Any:
    """The sidebar link of a page, found by its address (names overlap: "Photos", "Import photos");
    the default page's address ends with "/"."""
    return page.locator(f'[data-testid="stSidebarNav"] a[href$="/{screen.url_path}"]')


def switch(page: Any, screen: Screen) -> float:
    """Click the page's sidebar link; seconds until its heading shows and the run has finished."""
    page.evaluate(_ARM_JS, [screen.heading, SWITCH_TIMEOUT_MS])
    _link(page, screen).click()
    milliseconds = float(page.evaluate("() => window.__switchDone"))
    page.wait_for_timeout(SETTLE_MS)
    return milliseconds / 1000


def _open(page: Any, url: str, heading: str) -> None:
    page.goto(url)
    page.get_by_role("heading", name=heading, exact=True).wait_for(timeout=SWITCH_TIMEOUT_MS)
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(timeout=SWITCH_TIMEOUT_MS)


def _route(cycles: int) -> list[Screen]:
    """The sidebar walked in order, `cycles` times, starting from Home."""
    return [*SCREENS[1:], *SCREENS * (cycles - 1), SCREENS[0]]


def _change(folder: Path, number: int) -> None:
    """Change the journal as another tab would (the profile's name), so the next
    page run finds different rows and can reuse nothing it kept."""
    connection = sqlite3.connect(folder / "journal.sqlite3", timeout=30)
    try:
        with connection:
            connection.execute("UPDATE profile SET name = ? WHERE id = 1", (f"Demo patient {number}",))
    finally:
        connection.close()


# --- SQL statements of a Home render ----------------------------------------------------


def home_statements(folder: Path) -> int:
    """SQL statements of one Home render (journal_app.py in AppTest), after one warm-up render."""
    import logging

    from streamlit.testing.v1 import AppTest

    def quiet() -> None:
        # Asking for the journal outside a script run makes Streamlit warn "missing
        # ScriptRunContext"; harmless here. (A run resets the levels, so again after one.)
        logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(logging.ERROR)

    quiet()
    saved = {key: os.environ.get(key) for key in ("JOURNAL_DATA_DIR", "JOURNAL_TODAY")}
    os.environ["JOURNAL_DATA_DIR"] = str(folder)
    os.environ["JOURNAL_TODAY"] = DEMO_TODAY.isoformat()
    try:
        from ui.session import journal, reopen_journal

        def render() -> None:
            app = AppTest.from_file(str(ROOT / "journal_app.py"), default_timeout=300).run()
            if app.exception or [t.value for t in app.title] != ["Healing Journal"]:
                raise RuntimeError(f"the Home page did not render: {app.exception}")

        render()  # opens (and checks) the journal
        quiet()
        before = journal().statement_count
        render()
        count = journal().statement_count - before
        reopen_journal()  # closes it
        return count
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


# --- the benchmark ----------------------------------------------------------------------


def run(quick: bool = False) -> list[dict[str, Any]]:
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS, journal_server

    cycles, cold_cycles = (3, 1) if quick else (16, 8)
    journal_folder = _journal_copy()
    hello_folder = _hello_app()
    logs = scratch_dir("navigation-logs")
    # "journal" and "hello": switches over an unchanged journal; "changed" (and its
    # "changed hello" twin, same rounds): the journal changed just before the click.
    times: dict[str, dict[str, list[float]]] = {name: {} for name in ("journal", "hello", "changed", "changed hello")}
    loads: list[tuple[float, float, float]] = [os.getloadavg()]
    route = [(screen, False) for screen in _route(cycles)] + [(screen, True) for screen in _route(cold_cycles)]
    with (
        journal_server(journal_folder, DEMO_TODAY, log_path=logs / "journal.log") as link,
        _hello_server(hello_folder, logs / "hello.log") as hello_base,
        sync_playwright() as playwright,
    ):
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        tabs: dict[str, Any] = {}
        try:
            for name, url in (("journal", link), ("hello", hello_base + "/")):
                context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-GB")
                tabs[name] = context.new_page()
                tabs[name].set_default_timeout(SWITCH_TIMEOUT_MS)
                _open(tabs[name], url, SCREENS[0].heading)
            log(
                f"  one untimed round, then {len(route)} switches on each app, alternating "
                f"(the last {cold_cycles * len(SCREENS)} right after a change of the journal) ..."
            )
            for screen in SCREENS[1:] + SCREENS[:1]:
                for tab in tabs.values():
                    switch(tab, screen)
            for number, (screen, changed) in enumerate(route, start=1):
                for name, tab in tabs.items():
                    if changed and name == "journal":
                        _change(journal_folder, number)
                    kind = ("changed hello" if name == "hello" else "changed") if changed else name
                    times[kind].setdefault(screen.url_path, []).append(switch(tab, screen))
                if number % len(SCREENS) == 0:
                    loads.append(os.getloadavg())
        except Exception:
            # What each tab showed when it went wrong, for the one reading the traceback.
            for name, tab in tabs.items():
                try:
                    tab.screenshot(path=str(RESULTS / f"navigation-failed-{name}.png"))
                except Exception:
                    pass
            raise
        finally:
            browser.close()
    loads.append(os.getloadavg())
    statements = home_statements(journal_folder)
    return _rows(times, loads, statements)


def _rows(
    times: dict[str, dict[str, list[float]]], loads: list[tuple[float, float, float]], statements: int
) -> list[dict[str, Any]]:
    hello_all = [t for samples in times["hello"].values() for t in samples]
    baseline = median(hello_all)
    one_minute = [load[0] for load in loads]
    load_note = f"load average (1 min) {min(one_minute):.1f}-{max(one_minute):.1f}"
    label = "hello-world switch"
    others = [t for path, samples in times["journal"].items() if path != CHART for t in samples]
    chart = times["journal"][CHART]
    rows = [
        row(
            NAME,
            "page switch, year-long journal (the six pages other than the chart)",
            value=median(others),
            unit="s",
            baseline=baseline,
            baseline_label=label,
            target=f"ratio <= {SWITCH_TARGET}",
            met=median(others) / baseline <= SWITCH_TARGET,
            runs=len(others),
            samples=others,
            baseline_samples=hello_all,
            note=f"{len(hello_all)} hello-world switches; {load_note}",
            loads=loads,
        ),
        row(
            NAME,
            "switch to the Recovery chart, year-long journal",
            value=median(chart),
            unit="s",
            baseline=baseline,
            baseline_label=label,
            target=f"ratio <= {CHART_TARGET}",
            met=median(chart) / baseline <= CHART_TARGET,
            runs=len(chart),
            samples=chart,
            baseline_samples=hello_all,
        ),
    ]
    for screen in SCREENS:
        if screen.url_path == CHART:
            continue
        samples = times["journal"][screen.url_path]
        rows.append(
            row(
                NAME,
                f"of which: to {screen.title}",
                value=median(samples),
                unit="s",
                baseline=baseline,
                baseline_label=label,
                target="informative",
                runs=len(samples),
                samples=samples,
            )
        )
    changed_hello = [t for samples in times["changed hello"].values() for t in samples]
    changed_baseline = median(changed_hello)
    changed_others = [t for path, samples in times["changed"].items() if path != CHART for t in samples]
    for case, samples in (
        ("page switch right after a change of the journal (nothing kept; six pages)", changed_others),
        ("switch to the Recovery chart right after a change of the journal (nothing kept)", times["changed"][CHART]),
    ):
        rows.append(
            row(
                NAME,
                case,
                value=median(samples),
                unit="s",
                baseline=changed_baseline,
                baseline_label=label,
                target="informative",
                runs=len(samples),
                samples=samples,
                baseline_samples=changed_hello,
                note=f"{len(changed_hello)} hello-world switches in the same rounds",
            )
        )
    rows.append(
        row(
            NAME,
            "SQL statements of one Home render (journal_app.py, AppTest, year-long journal)",
            value=statements,
            unit="statements",
            target=f"<= {STATEMENT_TARGET} (a handful)",
            met=statements <= STATEMENT_TARGET,
            runs=1,
        )
    )
    return rows
