"""Phone access: the phone's page against a plain static form, and Save against the computer's ingest.

- page: bytes sent for a first load (empty cache) and a later one, and the time to the first
  contentful paint in headless Chromium with 4x CPU slowdown, against a plain static HTML form
  (the same fields, no style) served over TLS from 127.0.0.2 in the same run; alternated.
- save: a POST of the phone's form with one 12 MP JPEG (4032x3024), from the start of the request
  to the whole answer, against `Journal.save_entry` + `Journal.add_photo` of the same bytes in
  this process (what the computer's Log a day does on Save); alternated, the photo deleted between runs.
"""

from __future__ import annotations

import datetime as dt
import http.server
import os
import ssl
import threading
import time
from typing import Any

from benchmarks import DEMO_TODAY, interleaved, log, median, row, scratch_dir, skin_jpeg

NAME = "phone"
TITLE = "Phone page (bytes, time to drawn at 4x CPU slowdown) and Save of a 12 MP photo"
ADDRESS = "127.0.0.2"
STATIC_FORM = (
    b'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Form</title>'
    b'<meta name="viewport" content="width=device-width, initial-scale=1"></head><body>'
    b'<form method="post" enctype="multipart/form-data"><input type="file" name="photos" capture="environment">'
    + b"".join(
        b"<fieldset><legend>Scale</legend>"
        + b"".join(f'<label><input type="radio" name="s{n}" value="{v}">{v}</label>'.encode() for v in range(5))
        + b"</fieldset>"
        for n in range(5)
    )
    + b'<textarea name="notes"></textarea><button>Save</button></form></body></html>'
)
PAINT_JS = "() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null"


def _static_server(cert: str, key: str) -> tuple[http.server.ThreadingHTTPServer, int]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("content-type", "text/html; charset=utf-8")
            self.send_header("content-length", str(len(STATIC_FORM)))
            self.end_headers()
            self.wfile.write(STATIC_FORM)

        def log_message(self, *_: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer((ADDRESS, 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


def _load(browser: Any, url: str, cookie: dict[str, Any] | None) -> tuple[float, int, int]:
    """(ms to first contentful paint, bytes of a first load, bytes of a later load) in a fresh context."""
    context = browser.new_context(ignore_https_errors=True, viewport={"width": 390, "height": 844})
    if cookie:
        context.add_cookies([cookie])
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
    received: list[int] = []
    cdp.on("Network.loadingFinished", lambda event: received.append(int(event["encodedDataLength"])))
    page.goto(url)
    page.wait_for_load_state("load")
    # The paint entry is written once the frame is drawn, which can come after "load" on a slowed CPU.
    page.wait_for_function("performance.getEntriesByName('first-contentful-paint').length > 0")
    paint = page.evaluate(PAINT_JS)
    title = page.title()
    first = sum(received)
    received.clear()
    page.goto(url)
    page.wait_for_load_state("load")
    later = sum(received)
    context.close()
    assert cookie is None or title.startswith("Today"), f"the phone page was not served: {title}"
    return float(paint or 0.0), first, later


def run(quick: bool = False) -> list[dict]:
    import httpx2 as httpx
    from playwright.sync_api import sync_playwright

    from healing_journal import Journal, Settings
    from phone import certificate
    from phone.listener import phone_access
    from tests.browser import CHROMIUM, CHROMIUM_ARGS

    runs = 3 if quick else 7
    folder = scratch_dir("phone")
    os.environ.update(
        {"JOURNAL_DATA_DIR": str(folder), "JOURNAL_TODAY": DEMO_TODAY.isoformat(), "JOURNAL_PHONE_ADDRESS": ADDRESS}
    )
    settings = Settings(data_dir=folder, today=lambda: DEMO_TODAY)
    journal = Journal.open(folder, settings=settings)
    journal.add_treatment(DEMO_TODAY - dt.timedelta(days=3), ["face"])
    photo = skin_jpeg(4032, 3024)
    access = phone_access()
    running = access.turn_on(settings)
    origin = f"https://{ADDRESS}:{running.port}"
    client = httpx.Client(verify=False, base_url=origin, headers={"origin": origin}, timeout=120)
    code = access.pairing_link().rsplit("code=", 1)[1]
    client.post("/pair", data={"code": code})
    credential = next(iter(client.cookies.values()))
    cert = certificate.for_address(folder, ADDRESS)
    static, static_port = _static_server(str(cert.cert_path), str(cert.key_path))
    rows: list[dict] = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            cookie = {"name": f"healing_journal_phone_{running.port}", "value": credential, "url": origin}
            measures: dict[str, list[tuple[float, int, int]]] = {"phone": [], "static": []}
            for _ in range(runs):
                measures["phone"].append(_load(browser, f"{origin}/", cookie))
                measures["static"].append(_load(browser, f"https://{ADDRESS}:{static_port}/", None))
            browser.close()
        paint = {name: [m[0] for m in values] for name, values in measures.items()}
        first = median([m[1] for m in measures["phone"]])
        later = median([m[2] for m in measures["phone"]])
        rows.append(
            row(
                NAME,
                "phone page: first contentful paint, 4x CPU slowdown",
                value=median(paint["phone"]),
                unit="ms",
                baseline=median(paint["static"]),
                baseline_label="static HTML form",
                target="ratio <= 2",
                met=median(paint["phone"]) <= 2 * median(paint["static"]),
                runs=runs,
                samples=paint["phone"],
                baseline_samples=paint["static"],
            )  # fmt: skip
        )
        rows.append(
            row(
                NAME,
                "phone page: bytes of a first load",
                value=first,
                unit="B",
                baseline=median([m[1] for m in measures["static"]]),
                baseline_label="static HTML form",
                target="< 300 KB",
                met=first < 300_000,
                runs=runs,
            )  # fmt: skip
        )
        rows.append(
            row(
                NAME,
                "phone page: bytes of a later load (no-store: the page again)",
                value=later,
                unit="B",
                target="informative",
                runs=runs,
            )  # fmt: skip
        )
        entry_id = journal.save_entry(DEMO_TODAY, "face")

        def phone_save() -> None:
            form = {"day": DEMO_TODAY.isoformat(), "area": "face", "based_on": "", "from_draft": "0", "redness": "1"}
            entry = journal.snapshot().entry(DEMO_TODAY, "face")
            form["based_on"] = entry.version if entry else ""
            answer = client.post("/save", data=form, files=[("photos", ("IMG.jpg", photo, "image/jpeg"))])
            assert answer.status_code == 200 and "1 photo(s) added." in answer.text, answer.text[-500:]

        def computer_save() -> None:
            journal.save_entry(DEMO_TODAY, "face", redness=1)
            journal.add_photo(entry_id, photo, "IMG.jpg")

        def tidy(_name: str) -> None:
            for stored in journal.snapshot().photos:
                journal.delete_photo(stored.id)

        log(f"  save of a {len(photo) / 1e6:.1f} MB 12 MP JPEG, {runs} runs each ...")
        times = interleaved({"phone": phone_save, "computer": computer_save}, runs, between=tidy)
        value, baseline = median(times["phone"]), median(times["computer"])
        rows.append(
            row(
                NAME,
                "Save with one 12 MP photo: phone (submit to answer)",
                value=value,
                unit="s",
                baseline=baseline,
                baseline_label="save_entry + add_photo in process",
                target="ratio <= 1.3",
                met=value / baseline <= 1.3,
                runs=runs,
                samples=times["phone"],
                baseline_samples=times["computer"],
            )  # fmt: skip
        )
    finally:
        static.shutdown()
        client.close()
        access.turn_off()
        journal.close()
        time.sleep(0.1)
    return rows
