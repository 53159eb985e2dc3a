"""The phone listener's ASGI app: pairing, today's page, Save, the area's first photo.

Every request is checked before anything else:

1. The Host must be exactly the listener's address and port (a web page
   that rebinds its own name to this address sends its own name).
2. A WebSocket is refused; the listener has none.
3. A POST must come from this very origin (Origin and Sec-Fetch-Site, when
   the browser sends them), besides the SameSite=Strict cookie.
4. Only the routes below exist: no journal page, /media, /_stcore, export or
   backup is served here, whatever the path.
5. Today's page, Save and the first photo need a paired phone's credential,
   looked up (by its hash) at every request, so a removed phone is cut off
   at once.

Saving goes through the same store.Journal calls as the computer's Log a
day (save_entry with the version the form was filled from, add_photo with
the same limits and checks), and the answer uses the same judged view and
card words.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from access.gate import ASGIApp, Message, Receive, Scope, Send
from access.policy import parse_host, parse_origin
from healing_journal import Journal
from healing_journal.photo_check import question
from healing_journal.workspace import Workspace
from phone import views
from phone.devices import PairedPhones, Phone
from phone.pairing import PairingCodes
from recovery.card_words import card_of_day, card_words, eased_card_of_day, eased_line
from recovery.edits import entry_fields, saved_message
from recovery.emergency_numbers import emergency_calls
from recovery.language import _, full_date, speaking, use
from recovery.model import JournalSnapshot
from recovery.today import today_in_course
from recovery.view_choice import of_view
from recovery.vocabulary import (
    AFTERCARE,
    AREAS,
    EMERGENCY_SIGNS,
    NOTHING_LOGGED,
    ON_TRACK,
    PRESENCE_SIGNS,
    RATED_SIGNS,
    VIEWS,
    WARNING_SIGNS,
    Area,
    Severity,
    View,
    due_views,
    views_of,
)
from store import versions
from store.errors import Conflict, InvalidEntry, JournalError, NotFound, PhotoRejected, StorageError
from store.photos.imaging import MAX_PHOTO_MB

COOKIE_PREFIX = "healing_journal_phone_"
YEAR_S = 365 * 24 * 3600
# A Save carries at most PHOTO_FIELDS photos, each within the journal's limit, and a short form.
MAX_BODY = views.PHOTO_FIELDS * MAX_PHOTO_MB * 2**20 + 2**20
MAX_FIELD_BYTES = 64 * 1024
WRONG_HOST = b"This address is not served here.\n"
SECURITY_HEADERS = [
    (b"content-security-policy", views.CSP.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    # Not no-referrer: with it a browser sends "Origin: null" on the page's own form posts, and the
    # origin check could not tell them from another page's. Nothing links out but tel: numbers.
    (b"referrer-policy", b"same-origin"),
    (b"cache-control", b"no-store"),
    (b"cross-origin-resource-policy", b"same-origin"),
]


@dataclass
class PhoneService:
    """What the phone app works with: the journal, the paired phones, the codes, where it listens."""

    journal: Journal
    phones: PairedPhones
    codes: PairingCodes
    address: str
    port: int
    short_code: str

    @property
    def cookie_name(self) -> str:
        # Cookies are shared by every port of an address: the port keeps two journals apart.
        return f"{COOKIE_PREFIX}{self.port}"

    @property
    def origin(self) -> str:
        host = f"[{self.address}]" if ":" in self.address else self.address
        return f"https://{host}:{self.port}"

    def pairing_link(self) -> str:
        return f"{self.origin}/pair?code={self.codes.new()}"


def _html(body: bytes, status: int = 200) -> Response:
    return Response(body, status_code=status, media_type="text/html; charset=utf-8")


class Checks:
    """The middleware: Host, WebSocket, origin of a POST, and the security headers on every answer."""

    def __init__(self, app: ASGIApp, service: PhoneService) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.app(scope, receive, send)
            return
        if scope["type"] != "http":
            await send({"type": "websocket.close", "code": 1008})  # before accepting: a 403 handshake
            return
        headers = {key.decode("latin-1").lower(): value.decode("latin-1") for key, value in scope["headers"]}
        host = parse_host(headers.get("host"), https=True)
        if host is None or host != (self.service.address.strip("[]"), self.service.port):
            await _plain(send, 421, WRONG_HOST)
            return
        if scope["method"] not in ("GET", "HEAD", "POST"):
            await _plain(send, 405, b"Not allowed.\n")
            return
        if scope["method"] == "POST" and not self._same_origin(headers):
            await _plain(send, 403, b"Requests from other web pages are refused.\n")
            return

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = dict(message)
                kept = [(k, v) for k, v in message.get("headers", []) if k.lower() not in _REPLACED]
                message["headers"] = [*kept, *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, secured)

    def _same_origin(self, headers: dict[str, str]) -> bool:
        origin = headers.get("origin")
        if origin is not None and parse_origin(origin) != ("https", self.service.address, self.service.port):
            return False
        return headers.get("sec-fetch-site", "same-origin") in ("same-origin", "none")


_REPLACED = {name for name, _ in SECURITY_HEADERS}


async def _plain(send: Send, status: int, body: bytes) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), *SECURITY_HEADERS],
        }
    )
    await send({"type": "http.response.body", "body": body})


def build_app(service: PhoneService) -> Checks:
    journal = service.journal

    def paired(request: Request) -> Phone | None:
        return service.phones.check(request.cookies.get(service.cookie_name))

    async def in_language(make: Callable[[], bytes], status: int) -> Response:
        """A page made in the journal's language (read in a worker thread: SQLite blocks)."""
        with speaking(await run_in_threadpool(_language, journal)):
            return _html(make(), status)

    # --- pairing ------------------------------------------------------------------------

    async def pair_form(request: Request) -> Response:
        code = request.query_params.get("code", "")
        await asyncio.sleep(service.codes.wait_s())
        if not service.codes.valid(code):
            service.codes.wrong_try()
            return await in_language(views.bad_code, 403)
        return await in_language(lambda: views.pair_page(code, service.short_code), 200)

    async def pair(request: Request) -> Response:
        await asyncio.sleep(service.codes.wait_s())
        form = await request.form(max_files=0, max_fields=4, max_part_size=1024)
        code = str(form.get("code") or "")
        if not service.codes.use(code):
            return await in_language(views.bad_code, 403)
        _phone, credential = await run_in_threadpool(service.phones.add, request.headers.get("user-agent", ""))
        response = Response(status_code=303, headers={"location": "/"})
        response.set_cookie(
            service.cookie_name, credential, max_age=YEAR_S, path="/", secure=True, httponly=True, samesite="strict"
        )
        return response

    # --- today ---------------------------------------------------------------------------

    async def today(request: Request) -> Response:
        if await run_in_threadpool(paired, request) is None:
            return await in_language(views.not_paired, 403)
        return _html(await run_in_threadpool(_today_page, journal, request.query_params))

    async def first_photo(request: Request) -> Response:
        if await run_in_threadpool(paired, request) is None:
            return await in_language(views.not_paired, 403)
        try:
            area = Area(request.path_params["area"])
        except ValueError:
            return await in_language(views.not_here, 404)
        asked = request.query_params.get("view")
        view = View(asked) if asked in VIEWS else None
        data = await run_in_threadpool(_first_thumbnail, journal, area, view)
        if data is None:
            return await in_language(views.not_here, 404)
        return Response(data, media_type="image/jpeg")

    async def save(request: Request) -> Response:
        if await run_in_threadpool(paired, request) is None:
            return await in_language(views.not_paired, 403)
        length = request.headers.get("content-length")
        if length is None or not length.isdigit() or int(length) > MAX_BODY:
            return await in_language(_too_large, 413)
        form = await request.form(max_files=views.PHOTO_FIELDS, max_fields=80, max_part_size=MAX_FIELD_BYTES)
        try:
            uploads = [await _read(upload) for upload in form.getlist("photos") if isinstance(upload, UploadFile)]
        finally:
            await form.close()
        body, status = await run_in_threadpool(_save, journal, form, uploads)
        return _html(body, status)

    async def manifest(_request: Request) -> Response:
        return Response(views.MANIFEST, media_type="application/manifest+json")

    async def icon(_request: Request) -> Response:
        return Response(_icon(), media_type="image/png")

    async def not_here(_request: Request) -> Response:
        return await in_language(views.not_here, 404)

    routes = [
        Route("/", today, methods=["GET"]),
        Route("/pair", pair_form, methods=["GET"]),
        Route("/pair", pair, methods=["POST"]),
        Route("/save", save, methods=["POST"]),
        Route("/first-photo/{area}", first_photo, methods=["GET"]),
        Route("/manifest.webmanifest", manifest, methods=["GET"]),
        Route("/icon.png", icon, methods=["GET"]),
        Route("/{rest:path}", not_here, methods=["GET", "HEAD", "POST"]),
    ]
    return Checks(Starlette(routes=routes), service)


def _too_large() -> bytes:
    title = _("Too large")
    said = _(
        "At most {count} photos of up to {size} MB each can be saved at once. Nothing was saved: go back and "
        "save fewer photos."
    ).format(count=views.PHOTO_FIELDS, size=MAX_PHOTO_MB)
    return views.page(title, f"<h1>{_escape(title)}</h1><p>{_escape(said)}</p>")


def _language(journal: Journal) -> str | None:
    """The journal's language (None: English when the profile cannot be read)."""
    try:
        return journal.profile().language
    except JournalError:
        return None
    finally:
        journal.release_thread()


async def _read(upload: UploadFile) -> tuple[str, bytes]:
    data = await upload.read(MAX_PHOTO_MB * 2**20 + 1)
    return upload.filename or "", data


# --- the work, in a worker thread (SQLite and image decoding block) ---------------------------


def _areas(snapshot: JournalSnapshot) -> tuple[Area, ...]:
    return snapshot.treated_areas() or AREAS


def _choose(snapshot: JournalSnapshot, day_word: str | None, area_value: str | None) -> tuple[dt.date, Area]:
    day = snapshot.today - dt.timedelta(days=1) if day_word == "yesterday" else snapshot.today
    areas = _areas(snapshot)
    try:
        area = Area(area_value or "")
    except ValueError:
        area = areas[0]
    return day, area


def status_sentence(workspace: Workspace, area: Area) -> str:
    """How the area is doing, in one sentence (the words of Home's badge)."""
    snapshot, view = workspace.snapshot, workspace.view
    today = today_in_course(snapshot, area, view.baseline(area))
    if today is None:
        return _("No treatment of this area ({area}) is in the journal yet: add it on the computer.").format(
            area=area.label.lower()
        )
    status = view.status(area)
    if not view.has_logged(area):
        words = _(NOTHING_LOGGED)
    elif status is None or status is Severity.INFO:
        words = _(ON_TRACK)
    else:
        words = status.word
    # "today": the Yesterday page shows this too, and it is today's status, not that day's.
    return _("{area} today, day {day} after your treatment: {status}.").format(
        area=area.label, day=today.day, status=words
    )


def _guide_view(snapshot: JournalSnapshot, area: Area, due: Sequence[View]) -> View:
    """The view whose first photo the page shows to frame by: the first view due, when
    it has a photo already; else the area's photos of no named view (taken before
    views), which a photo of another named view could not stand in for; else none
    (the first view due, which has no photo yet: nothing is shown)."""
    photos = snapshot.photos_of(area)
    for view in (*due[:1], View.UNSPECIFIED):
        if of_view(photos, view):
            return view
    return due[0] if due else View.UNSPECIFIED


def _first_photo_alt(snapshot: JournalSnapshot, area: Area, view: View) -> str | None:
    photos = of_view(snapshot.photos_of(area), view)
    if not photos:
        return None
    first = photos[0]
    alt = _("Your first photo of the {area}, {day}, {date}").format(
        area=area.label.lower(), day=first.day_label, date=full_date(first.day)
    )
    return alt if view is View.UNSPECIFIED else f"{alt} ({view.label})"


def _first_thumbnail(journal: Journal, area: Area, view: View | None = None) -> bytes | None:
    try:
        every = journal.snapshot().photos_of(area)
        photos = list(every) if view is None else of_view(every, view)
        return photos[0].thumb_path.read_bytes() if photos else None
    except (OSError, JournalError):
        return None
    finally:
        journal.release_thread()


def _today_page(journal: Journal, query: Any, notice: str = "", values: dict[str, Any] | None = None) -> bytes:
    try:
        workspace = Workspace(journal)
        use(workspace.language)  # the journal's language, for this request only (a copied context)
        snapshot = workspace.snapshot
        day, area = _choose(snapshot, query.get("day"), query.get("area"))
        existing = snapshot.entry(day, area)
        draft = journal.draft(day, area)
        from_draft = values is None and draft is not None and draft.changed
        # Photos stored on the day or waiting in its draft (attached on the computer) are taken.
        taken = [photo.view for photo in snapshot.photos_of(entry_id=existing.id)] if existing else []
        taken += [View(photo.view) for photo in (draft.photos if draft else ())]
        due = due_views(area, taken)
        guide_view = _guide_view(snapshot, area, due)
        if values is not None:
            shown, based_on = values, str(query.get("based_on", ""))
        elif draft is not None and from_draft:
            shown, based_on = dict(draft.fields), draft.based_on
            notice = notice or _("Changes typed on the computer and not saved yet are filled in below.")
        else:
            shown, based_on = entry_fields(existing), existing.version if existing else versions.NONE
        choice = views.DayChoice(
            day=day,
            area=area,
            areas=_areas(snapshot),
            today=snapshot.today,
            values=shown,
            based_on=based_on,
            from_draft=from_draft,
            status=status_sentence(workspace, area),
            first_photo=_first_photo_alt(snapshot, area, guide_view),
            first_view=guide_view,
            views=views_of(area),
            due=due,
            notice=notice,
            already_logged=existing is not None,
            calls=emergency_calls(snapshot.profile.country),
        )
        return views.today_page(choice)
    finally:
        journal.release_thread()


def form_values(form: FormData) -> dict[str, Any]:
    """The entry's fields from the phone's form: an unticked box is a "no", an unanswered scale or
    aftercare item stays unanswered (as on the computer's Log a day)."""
    values: dict[str, Any] = {}
    for sign in RATED_SIGNS:
        raw = form.get(sign.value)
        values[sign.value] = int(raw) if isinstance(raw, str) and raw.isdigit() else None
    for key in [s.value for s in PRESENCE_SIGNS] + [q.key for q in (*WARNING_SIGNS, *EMERGENCY_SIGNS)]:
        values[key] = form.get(key) == "1"
    for question_ in AFTERCARE:
        raw = form.get(question_.key)
        values[question_.key] = True if raw == "1" else False if raw == "0" else None
    values["notes"] = str(form.get("notes") or "")
    return values


def _save(journal: Journal, form: FormData, uploads: list[tuple[str, bytes]]) -> tuple[bytes, int]:
    try:
        use(_language(journal))  # the journal's language, for this request only (a copied context)
        return _save_day(journal, form, uploads)
    except JournalError as problem:
        # Out-of-range values, a day not allowed, a busy or full disk: said in words, nothing half-done.
        return views.not_saved(str(problem)), 400
    finally:
        journal.release_thread()


def _escape(text: str) -> str:
    from html import escape

    return escape(text)


def _save_day(journal: Journal, form: FormData, uploads: list[tuple[str, bytes]]) -> tuple[bytes, int]:
    today = journal.today()
    try:
        day = dt.date.fromisoformat(str(form.get("day") or ""))
        area = Area(str(form.get("area") or ""))
    except ValueError:
        return views.not_here(), 400
    if day not in (today, today - dt.timedelta(days=1)):
        # The phone writes today's and yesterday's entry only.
        return views.not_saved(_("The phone saves today and yesterday only.")), 403
    values = form_values(form)
    based_on = str(form.get("based_on") or "")
    # A photo field left empty arrives as a part with no name and no bytes; each
    # field's view is the select after it (a page served before views: unspecified).
    chosen = [str(view) for view in form.getlist("view")]
    field_views = [*chosen, *[View.UNSPECIFIED.value] * (len(uploads) - len(chosen))]
    photos = [(name or "photo.jpg", data, view) for (name, data), view in zip(uploads, field_views) if data or name]
    draft = journal.draft(day, area) if form.get("from_draft") == "1" else None
    waiting = [(p.name, journal.draft_photo(p), p.view) for p in (draft.photos if draft else ())]
    notes = values.pop("notes")
    try:
        entry_id = journal.save_entry(
            day, area, notes=notes, based_on=based_on, discard_draft=draft is not None, **values
        )
    except Conflict as conflict:
        return _conflict_page(journal, conflict, day, area, {**values, "notes": notes}), 409
    added, not_saved = [], []
    for name, data, view in [*((n, d, v) for n, d, v in waiting if d is not None), *photos]:
        try:
            added.append(journal.add_photo(entry_id, data, filename=name, view=view))
        except (PhotoRejected, NotFound, InvalidEntry) as problem:
            not_saved.append(str(problem))  # one refused file must not stop the others
        except StorageError as problem:
            # The day is saved already: the answer says so, and which photo was not written.
            not_saved.append(f"{name}: {problem}")
    workspace = Workspace(journal)
    use(workspace.language)  # the journal's language, for this request only (a copied context)
    snapshot = workspace.snapshot
    stored = {photo.id: photo for photo in snapshot.photos}
    retakes = [asked for photo_id in added if (asked := question(snapshot, stored[photo_id])) is not None]
    card = card_of_day(workspace.view, day, area)
    eased = eased_card_of_day(workspace.view, day, area)
    outcome = views.SaveOutcome(
        area=area,
        day=day,
        today=today,
        saved=saved_message(area, day, {**values, "notes": notes}),
        photos_added=len(added),
        not_saved=not_saved,
        retakes=retakes,
        status=status_sentence(workspace, area),
        card=card_words(card) if card is not None else None,
        eased=eased_line(eased) if eased is not None else "",
    )
    return views.saved_page(outcome), 200


def _conflict_page(journal: Journal, conflict: Conflict, day: dt.date, area: Area, mine: dict[str, Any]) -> bytes:
    stored = conflict.stored
    notice = _(
        "{conflict} Nothing from this phone was saved yet. Your answers are filled in below: "
        "check them and press Save again to keep them (the photos need choosing again)."
    ).format(conflict=conflict)
    query = {
        "day": "today" if day == journal.today() else "yesterday",
        "area": area.value,
        "based_on": stored.version if stored is not None else versions.NONE,
    }
    return _today_page(journal, query, notice=notice, values=mine)


_ICON: bytes | None = None


def _icon() -> bytes:
    """The home-screen icon: a plain square in the page's colour with a white cross (drawn once)."""
    global _ICON
    if _ICON is None:
        from PIL import Image, ImageDraw

        image = Image.new("RGB", (180, 180), "#1d5c96")
        draw = ImageDraw.Draw(image)
        draw.rectangle((78, 40, 102, 140), fill="white")
        draw.rectangle((40, 78, 140, 102), fill="white")
        out = io.BytesIO()
        image.save(out, format="PNG")
        _ICON = out.getvalue()
    return _ICON
