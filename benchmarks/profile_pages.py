"""Where a page switch's time goes: `python -m benchmarks.profile_pages [--rounds N]`.

Not a benchmark row (no baseline, no target): the split that says which side
to work on. On the cached year journal (the navigation benchmark's, served by
launch.py and opened through its link), every sidebar page is switched to
`rounds` times in headless Chromium, as the navigation benchmark switches,
and for each switch it records:

- the wall time (click to heading shown and run finished, `navigation.switch`);
- the server: CPU time of the server process over the switch
  (/proc/PID/stat, user + system, all threads);
- the transfer: bytes the browser received over the WebSocket (Streamlit's
  messages) and over HTTP (images, media), CDP `Network` events;
- the drawing: the browser's main-thread time from Chromium's own
  counters (CDP `Performance.getMetrics`): scripting, style and layout, and
  the rest of its tasks (paint, compositing, parsing, ...), both up to the end
  of the switch and including the 0.5 s after it (charts and images are drawn
  after the run finishes).

Medians per page are printed as a Markdown table (benchmarks/README.md keeps them).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks import DEMO_TODAY, log, scratch_dir
from benchmarks.navigation import _ARM_JS, SCREENS, SWITCH_TIMEOUT_MS, _journal_copy, _link, _open

METRICS = ("TaskDuration", "ScriptDuration", "LayoutDuration", "RecalcStyleDuration")


def _server_pid(port: int) -> int:
    """The launch.py process serving `port` (started by this tool)."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            words = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if any(w.endswith(b"launch.py") for w in words) and str(port).encode() in words:
            return int(entry.name)
    raise RuntimeError(f"no launch.py process for port {port}")


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _metrics(cdp: Any) -> dict[str, float]:
    return {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"] if m["name"] in METRICS}


def main(argv: list[str]) -> int:
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, CHROMIUM_ARGS, journal_server, port_of

    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile_pages")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    folder = _journal_copy()
    logs = scratch_dir("profile-logs")
    samples: dict[str, list[dict[str, float]]] = {s.title: [] for s in SCREENS}
    received = {"ws": 0.0, "http": 0.0}

    def on_frame(event: dict[str, Any]) -> None:
        response = event.get("response", {})
        payload = response.get("payloadData", "")
        # Binary frames (Streamlit's protobuf) come base64-encoded.
        received["ws"] += len(payload) * 3 / 4 if response.get("opcode") == 2 else len(payload)

    def on_loaded(event: dict[str, Any]) -> None:
        received["http"] += event.get("encodedDataLength", 0)

    with journal_server(folder, DEMO_TODAY, log_path=logs / "journal.log") as link, sync_playwright() as playwright:
        pid = _server_pid(port_of(link))
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-GB")
            page = context.new_page()
            page.set_default_timeout(SWITCH_TIMEOUT_MS)
            _open(page, link, SCREENS[0].heading)
            cdp = context.new_cdp_session(page)
            cdp.send("Performance.enable", {"timeDomain": "threadTicks"})
            cdp.send("Network.enable")
            cdp.on("Network.webSocketFrameReceived", on_frame)
            cdp.on("Network.loadingFinished", on_loaded)
            route = SCREENS[1:] + SCREENS[:1]
            for number in range(args.rounds + 1):
                log(f"  round {number} of {args.rounds} (0: untimed) ...")
                for screen in route:
                    received["ws"] = received["http"] = 0.0
                    before, cpu_before = _metrics(cdp), _cpu_seconds(pid)
                    page.evaluate(_ARM_JS, [screen.heading, SWITCH_TIMEOUT_MS])
                    _link(page, screen).click()
                    wall = float(page.evaluate("() => window.__switchDone")) / 1000
                    at_end, cpu_end = _metrics(cdp), _cpu_seconds(pid)
                    page.wait_for_timeout(500)
                    after = _metrics(cdp)
                    if number == 0:
                        continue
                    samples[screen.title].append(
                        {
                            "wall": wall,
                            "server_cpu": cpu_end - cpu_before,
                            "ws_kb": received["ws"] / 1024,
                            "http_kb": received["http"] / 1024,
                            "task": at_end["TaskDuration"] - before["TaskDuration"],
                            "script": at_end["ScriptDuration"] - before["ScriptDuration"],
                            "layout": at_end["LayoutDuration"]
                            - before["LayoutDuration"]
                            + at_end["RecalcStyleDuration"]
                            - before["RecalcStyleDuration"],
                            "task_after": after["TaskDuration"] - before["TaskDuration"],
                        }
                    )
        finally:
            browser.close()
    print(
        "| page | switch | server CPU | received (WebSocket + HTTP) | browser main thread to the end "
        "(scripting, style+layout, other) | browser incl. 0.5 s after |"
    )
    print("|---|---|---|---|---|---|")
    for title, rows in samples.items():

        def med(key: str, rows: list[dict[str, float]] = rows) -> float:
            return statistics.median(r[key] for r in rows)

        other = med("task") - med("script") - med("layout")
        print(
            f"| {title} | {med('wall') * 1000:.0f} ms | {med('server_cpu') * 1000:.0f} ms "
            f"| {med('ws_kb'):.0f} KB + {med('http_kb'):.0f} KB "
            f"| {med('task') * 1000:.0f} ms ({med('script') * 1000:.0f}, {med('layout') * 1000:.0f}, "
            f"{other * 1000:.0f}) | {med('task_after') * 1000:.0f} ms |"
        )
    print(f"\n{args.rounds} switches to each page, medians; load average {os.getloadavg()[0]:.1f}; {time.ctime()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
