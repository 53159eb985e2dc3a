"""The HTML the phone sees: plain forms, one small style sheet, one small script.

Server-rendered so that it draws at once on a slow phone and works in iOS
Safari over a self-signed certificate (no WebSocket). Everything a patient or
a file wrote is escaped (html.escape); the words of scales, questions and
cards come from recovery.vocabulary and recovery.card_words, as on the
computer. The style sheet and the one script are inline and allowed by
their hashes: the page's Content-Security-Policy forbids every other script
and every other source.

The script only adds to the page: where the browser gives the live camera
(HTTPS does), a button opens it with the area's first photo laid over it,
see-through, to frame today's photo the same way; the picture it takes goes
into the first free photo field, and the form is saved as ever. Without it
(no script, no camera), the photo fields open the phone's own camera app.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from healing_journal.photo_check import RetakeQuestion
from recovery.card_words import CardWords, emergency_links, emergency_ticks_title, phone_parts
from recovery.emergency_numbers import GENERAL, EmergencyCalls
from recovery.language import N_, _, current, direction, ngettext, weekday_date
from recovery.view_guides import guide_svg
from recovery.vocabulary import (
    AFTERCARE,
    EMERGENCY_SIGNS,
    PRESENCE_SIGNS,
    RATED_SIGNS,
    WARNING_SIGNS,
    Area,
    View,
)
from store.photos.imaging import MAX_PHOTO_MB

# Three photo fields: a phone's camera (`capture`) takes one photo per field.
PHOTO_FIELDS = 3
STYLE = """
:root{color-scheme:light;font:17px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2327}
body{margin:0;background:#f6f7f7}main{max-width:40rem;margin:auto;padding:.75rem 1rem 6rem}
h1{font-size:1.5rem;margin:.25rem 0}h2{font-size:1.15rem;margin:1.25rem 0 .4rem}
fieldset{border:1px solid #c3c8cb;border-radius:.5rem;margin:.5rem 0;padding:.4rem .7rem;background:#fff}
legend{font-weight:600;padding:0 .25rem}
label{display:flex;gap:.5rem;align-items:flex-start;padding:.45rem 0;min-height:2.75rem}
input[type=radio],input[type=checkbox]{width:1.4rem;height:1.4rem;flex:none;margin:.1rem 0 0}
.pair{display:flex;flex-wrap:wrap;gap:0 1.25rem}nav{display:flex;flex-wrap:wrap;gap:.5rem;margin:.5rem 0}
nav a,.button{display:inline-block;padding:.6rem 1rem;border:1px solid #1d5c96;border-radius:.5rem;color:#1d5c96;
text-decoration:none;background:#fff;font-size:1rem}nav a[aria-current]{background:#1d5c96;color:#fff}
.camera{display:flex;gap:.75rem;align-items:flex-start}.camera img{width:6.5rem;height:auto;border-radius:.4rem}
.camera div{flex:1}input[type=file]{width:100%;margin:.25rem 0 .6rem;font-size:1rem}
label.file{display:block;min-height:0;padding:.2rem 0 0}
select{font-size:1rem;margin:.2rem 0 .9rem;padding:.3rem;max-width:100%}
.view{display:flex;gap:.6rem;align-items:center;margin:.3rem 0}.view svg{width:4.5rem;height:4.5rem;flex:none}
.view p{margin:0}h3{font-size:1rem;margin:.8rem 0 .2rem}
textarea{width:100%;box-sizing:border-box;min-height:5rem;font:inherit}
.save{position:sticky;bottom:0;background:#f6f7f7;padding:.6rem 0;border-top:1px solid #c3c8cb}
button{width:100%;padding:.85rem;font:600 1.1rem system-ui,sans-serif;
color:#fff;background:#1d5c96;border:0;border-radius:.5rem}
.note{padding:.6rem .8rem;border-radius:.5rem;background:#e8f1fa;margin:.5rem 0}
.warn{background:#fdf0d5}.alarm{background:#fbe3e4;border:2px solid #a4161a}.ok{background:#e4f4e6}
.code{font:600 1.2rem ui-monospace,monospace;letter-spacing:.05em;white-space:nowrap}a{color:#0b4a82}
:focus-visible{outline:3px solid #b85c00;outline-offset:2px}
.live .frame{position:relative;margin:.5rem 0}.live video{display:block;width:100%;border-radius:.4rem;background:#000}
.live .ghost{position:absolute;inset:0;width:100%;height:100%;object-fit:cover;opacity:.35;pointer-events:none;
border-radius:.4rem}.live .row{display:flex;gap:.5rem}.secondary{color:#1d5c96;background:#fff;border:1px solid #1d5c96}
"""
STYLE_HASH = base64.b64encode(hashlib.sha256(STYLE.encode()).digest()).decode()
# The live camera with the first photo laid over it (see the module's notes). It
# asks for the camera only when the patient presses its button.
LIVE_SCRIPT = """(() => {
const start = document.getElementById("live-start");
if (!start || !(navigator.mediaDevices && navigator.mediaDevices.getUserMedia) || !window.DataTransfer) return;
const live = document.getElementById("live"), video = document.getElementById("live-video");
const status = document.getElementById("live-status");
let stream = null;
const stop = () => {
  if (stream) stream.getTracks().forEach((track) => track.stop());
  stream = null; live.hidden = true; start.hidden = false;
};
start.hidden = false;
start.addEventListener("click", async () => {
  try {
    stream = await navigator.mediaDevices.getUserMedia(
      {audio: false, video: {facingMode: "environment", width: {ideal: 4096}, height: {ideal: 3072}}});
    video.srcObject = stream;
    await video.play();
  } catch (error) {
    status.textContent = status.dataset.unavailable;
    return;
  }
  live.hidden = false; start.hidden = true; status.textContent = "";
});
document.getElementById("live-stop").addEventListener("click", stop);
document.getElementById("live-take").addEventListener("click", () => {
  const canvas = document.createElement("canvas");
  canvas.width = video.videoWidth; canvas.height = video.videoHeight;
  canvas.getContext("2d").drawImage(video, 0, 0);
  canvas.toBlob((blob) => {
    const fields = [...document.querySelectorAll("input[type=file][name=photos]")];
    const field = fields.find((input) => input.files.length === 0);
    if (!blob || !field) { status.textContent = status.dataset.full; return; }
    const transfer = new DataTransfer();
    transfer.items.add(new File([blob], "live-" + Date.now() + ".jpg", {type: "image/jpeg"}));
    field.files = transfer.files;
    status.textContent = status.dataset.taken.replace("{number}", String(fields.indexOf(field) + 1));
    stop();
  }, "image/jpeg", 0.95);
});
})();"""
SCRIPT_HASH = base64.b64encode(hashlib.sha256(LIVE_SCRIPT.encode()).digest()).decode()
CSP = (
    "default-src 'none'; img-src 'self'; style-src 'sha256-" + STYLE_HASH + "'; "
    "script-src 'sha256-" + SCRIPT_HASH + "'; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'; manifest-src 'self'"
)


def page(title: str, body: str) -> bytes:
    return (
        f'<!doctype html>\n<html lang="{current()}" dir="{direction()}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} · Healing Journal</title>"
        '<link rel="manifest" href="/manifest.webmanifest"><link rel="apple-touch-icon" href="/icon.png">'
        '<meta name="apple-mobile-web-app-title" content="Healing Journal">'
        f"<style>{STYLE}</style></head>\n<body><main>\n{body}\n</main></body></html>\n"
    ).encode()


# --- refusals and pairing --------------------------------------------------------------

# Each page in the journal's language (the caller speaks it: phone.app), so made on each answer.
NOT_PAIRED_TEXT = N_("This phone is not paired with your journal.")
BAD_CODE_TEXT = N_(
    "This pairing link does not work: it was used already, it is older than 10 minutes, or it is mistyped."
)


def _strong(sentence: str, words: str) -> str:
    """`sentence` with its {button} named in bold: the words the computer's button shows."""
    return escape(sentence).replace("{button}", f"<strong>{escape(words)}</strong>")


def not_paired() -> bytes:
    title = _("Not paired")
    how = _strong(
        _(
            "On your computer, open Healing Journal and press {button}, then scan the QR code it shows with this "
            "phone's camera."
        ),
        _("Use my phone"),
    )
    return page(title, f"<h1>{escape(title)}</h1><p>{escape(_(NOT_PAIRED_TEXT))}</p><p>{how}</p>")


def bad_code() -> bytes:
    title = _("Pairing link not valid")
    how = _strong(_("On your computer, press {button} again for a new QR code."), _("Use my phone"))
    return page(title, f"<h1>{escape(title)}</h1><p>{escape(_(BAD_CODE_TEXT))}</p><p>{how}</p>")


def not_here() -> bytes:
    title, only = _("Not here"), _("The phone's page has only today's entry.")
    return page(title, f"<h1>{escape(title)}</h1><p>{escape(only)}</p>")


def not_saved(reason: str) -> bytes:
    """Save refused (plain text `reason`): nothing was saved."""
    title = _("Not saved")
    return page(title, f"<h1>{escape(title)}</h1><p>{escape(reason)}</p>")


def pair_page(code: str, short_code: str) -> bytes:
    title = _("Pair this phone")
    can = _(
        "This phone will be able to add today's (and yesterday's) entry and photos to your journal, "
        "and to see today's status. It cannot see your history, other photos or exports."
    )
    certificate = escape(
        _(
            "The code of the computer's certificate is {code}. It is the start of the SHA-256 fingerprint in the "
            "certificate's details, and the computer shows it beside the QR code."
        )
    ).replace("{code}", f'<span class="code" dir="ltr">{escape(short_code)}</span>')
    return page(
        title,
        f"<h1>{escape(title)}</h1><p>{escape(can)}</p>"
        f'<p class="note">{certificate}</p>'
        '<form method="post" action="/pair">'
        f'<input type="hidden" name="code" value="{escape(code, quote=True)}">'
        f'<div class="save"><button type="submit">{escape(title)}</button></div></form>',
    )


# --- today's page ------------------------------------------------------------------------


@dataclass(frozen=True)
class DayChoice:
    day: dt.date
    area: Area
    areas: tuple[Area, ...]
    today: dt.date
    values: Mapping[str, Any]  # the entry's fields (recovery.edits), prefilled
    based_on: str
    from_draft: bool
    status: str  # one sentence
    first_photo: str | None  # the alt text of the area's first photo, when there is one
    # The area's named views, and those not yet photographed on the day (recovery.vocabulary.View).
    views: tuple[View, ...] = ()
    due: tuple[View, ...] = ()
    first_view: View | None = None  # the view of the first photo shown (None: the area's first photo)
    notice: str = ""  # a message above the form (a conflict, a restored draft), plain text
    already_logged: bool = False
    calls: EmergencyCalls = GENERAL  # the patient's country's emergency numbers, named above the emergency signs


def _checked(flag: bool) -> str:
    return " checked" if flag else ""


def _current(flag: bool) -> str:
    return ' aria-current="page"' if flag else ""


def _day_name(day: dt.date, today: dt.date) -> str:
    return _("Today") if day == today else _("Yesterday")


def _navigation(choice: DayChoice) -> str:
    links = []
    for day in (choice.today, choice.today - dt.timedelta(days=1)):
        current = ' aria-current="page"' if day == choice.day else ""
        which = "today" if day == choice.today else "yesterday"
        name = _day_name(day, choice.today)
        links.append(f'<a href="/?day={which}&amp;area={choice.area.value}"{current}>{name}</a>')
    parts = [f'<nav aria-label="Day">{"".join(links)}</nav>']
    if len(choice.areas) > 1:
        which = "today" if choice.day == choice.today else "yesterday"
        areas = "".join(
            f'<a href="/?day={which}&amp;area={area.value}"{_current(area is choice.area)}>{area.label}</a>'
            for area in choice.areas
        )
        parts.append(f'<nav aria-label="Area">{areas}</nav>')
    return "".join(parts)


def _photos(choice: DayChoice) -> str:
    first = ""
    if choice.first_photo is not None:
        first = f'<img src="{_first_photo_src(choice)}" alt="{escape(choice.first_photo, quote=True)}">'
    take, another = _("Take a photo"), _("Another photo (optional)")
    fields = "".join(
        f'<label class="file" for="photo-{number}">{take if number == 1 else another}'
        f'</label><input id="photo-{number}" type="file" name="photos" accept="image/*" capture="environment">'
        f"{_view_select(choice, number)}"
        for number in range(1, PHOTO_FIELDS + 1)
    )
    guide = (
        _("Frame it like your first photo, shown here: same distance, same light, the whole area in view.")
        if first
        else _("Hold the phone about 30 cm away, in daylight without direct sun, the whole area in view.")
    )
    formats = _("JPEG, PNG or HEIC, up to {size} MB each.").format(size=MAX_PHOTO_MB)
    photos = _("Photos")
    return (
        f'<h2>{photos}</h2><div class="camera">{first}<div><p>{guide}</p></div></div>'
        f"{_due_views(choice)}{_live_camera(choice) if first else ''}{fields}"
        f"<p><small>{formats}</small></p>"
    )


def _first_photo_src(choice: DayChoice) -> str:
    """The first photo to frame by: of the first view due, when that view has one."""
    view = "" if choice.first_view is None else f"?view={choice.first_view.value}"
    return f"/first-photo/{choice.area.value}{view}"


def _due_views(choice: DayChoice) -> str:
    """The views still to take on the day, each with its guide drawing and sentence."""
    if not choice.due:
        every = _("Every view of this area has a photo today.")
        return f'<p class="note">{every}</p>' if choice.views else ""
    guides = "".join(
        f'<div class="view">{guide_svg(view)}<p><b>{escape(view.label)}</b>: {escape(view.guide)}</p></div>'
        for view in choice.due
    )
    heading = _("Views to take today")
    return f"<h3>{heading}</h3>{guides}"


def _view_select(choice: DayChoice, number: int) -> str:
    """Which view the photo of field `number` is: the field's due view first chosen
    (field 1 the first view due, ...), else "unspecified"."""
    chosen = choice.due[number - 1] if number <= len(choice.due) else View.UNSPECIFIED
    options = "".join(
        f'<option value="{view.value}"{" selected" if view is chosen else ""}>{escape(view.label)}</option>'
        for view in (*choice.views, View.UNSPECIFIED)
    )
    label = _("View of this photo")
    select = f'<select id="view-{number}" name="view">{options}</select>'
    return f'<label class="file" for="view-{number}">{label}</label>{select}'


def _live_camera(choice: DayChoice) -> str:
    """Hidden until the script finds a live camera; the first photo, see-through, over the live view."""
    # The script's messages ride on the status line (the script is fixed: allowed by its hash).
    messages = {
        "unavailable": _("The live camera is not available here: use Take a photo below."),
        "full": _("Every photo field is taken: save, then take more."),
        "taken": _("Photo {number} taken with the live camera; Save adds it."),
    }
    data = "".join(f' data-{key}="{escape(words, quote=True)}"' for key, words in messages.items())
    start, camera = escape(_("Live camera, with your first photo as a guide")), escape(_("The live camera"), quote=True)
    take, close = escape(_("Take the photo here")), escape(_("Close"))
    return (
        f'<button type="button" id="live-start" class="secondary" hidden>{start}</button>'
        '<div id="live" class="live" hidden><div class="frame">'
        f'<video id="live-video" playsinline muted aria-label="{camera}"></video>'
        f'<img class="ghost" src="{_first_photo_src(choice)}" alt=""></div>'
        f'<div class="row"><button type="button" id="live-take">{take}</button>'
        f'<button type="button" id="live-stop" class="secondary">{close}</button></div></div>'
        f'<p id="live-status" role="status"{data}></p>'
    )


def _scales(values: Mapping[str, Any]) -> str:
    heading = _("How does the skin look?")
    out = [f"<h2>{heading}</h2>"]
    for sign in RATED_SIGNS:
        current = values.get(sign.value)
        options = "".join(
            f'<label><input type="radio" name="{sign.value}" value="{level}"{_checked(current == level)}>'
            f"<span>{level} · {escape(words)}</span></label>"
            for level, words in enumerate(sign.levels)
        )
        legend = _("{sign} (0 to 4)").format(sign=sign.label)
        out.append(f"<fieldset><legend>{escape(legend)}</legend>{options}</fieldset>")
    return "".join(out)


def _ticks(title: str, questions: Iterable[tuple[str, str]], values: Mapping[str, Any]) -> str:
    boxes = "".join(
        f'<label><input type="checkbox" name="{key}" value="1"{_checked(values.get(key) is True)}>'
        f"<span>{escape(label)}</span></label>"
        for key, label in questions
    )
    return f"<fieldset><legend>{title}</legend>{boxes}</fieldset>"


def _aftercare(values: Mapping[str, Any]) -> str:
    heading, done, not_done = _("Aftercare today"), _("Done"), _("Not done")
    out = [f"<h2>{heading}</h2>"]
    for question in AFTERCARE:
        answer = values.get(question.key)
        out.append(
            f'<fieldset><legend>{escape(question.label)}</legend><div class="pair">'
            f'<label><input type="radio" name="{question.key}" value="1"{_checked(answer is True)}>{done}</label>'
            f'<label><input type="radio" name="{question.key}" value="0"{_checked(answer is False)}>{not_done}</label>'
            "</div></fieldset>"
        )
    return "".join(out)


def today_page(choice: DayChoice) -> bytes:
    values = choice.values
    day_name = _day_name(choice.day, choice.today)
    day_words = _("{day_name}, {date}").format(day_name=day_name, date=weekday_date(choice.day))
    logged_words, also, see, warnings, tick, notes, save = (
        _("This day is already logged; saving updates it."),
        _("Also noticed"),
        _("Tick what you see"),
        _("Warning signs"),
        _("Tick any you have"),
        _("Notes"),
        _("Save"),
    )
    notice = f'<p class="note warn" role="status">{escape(choice.notice)}</p>' if choice.notice else ""
    logged = f'<p class="note">{logged_words}</p>' if choice.already_logged and not choice.notice else ""
    body = (
        f"<h1>{escape(choice.area.label)}: {escape(day_words)}</h1>"
        f'<p class="note">{escape(choice.status)}</p>{_navigation(choice)}{notice}{logged}'
        '<form method="post" action="/save" enctype="multipart/form-data">'
        f'<input type="hidden" name="day" value="{choice.day.isoformat()}">'
        f'<input type="hidden" name="area" value="{choice.area.value}">'
        f'<input type="hidden" name="based_on" value="{escape(choice.based_on, quote=True)}">'
        f'<input type="hidden" name="from_draft" value="{"1" if choice.from_draft else "0"}">'
        f"{_photos(choice)}{_scales(values)}"
        f"<h2>{also}</h2>"
        + _ticks(see, ((s.value, s.label) for s in PRESENCE_SIGNS), values)
        + _aftercare(values)
        + f"<h2>{warnings}</h2>"
        + _ticks(tick, ((q.key, q.label) for q in WARNING_SIGNS), values)
        + _ticks(
            emergency_ticks_title(choice.calls),
            ((q.key, q.label) for q in EMERGENCY_SIGNS),
            values,
        )
        + f'<h2><label for="notes">{notes}</label></h2>'
        f'<textarea id="notes" name="notes" maxlength="5000">{escape(str(values.get("notes") or ""))}</textarea>'
        f'<div class="save"><button type="submit">{save}</button></div></form>'
    )
    return page(_("Today"), f"{body}<script>{LIVE_SCRIPT}</script>")


# --- after Save ----------------------------------------------------------------------------


def _with_tel_links(text: str) -> str:
    return "".join(
        escape(piece) if target is None else f'<a href="{escape(target, quote=True)}">{escape(piece)}</a>'
        for piece, target in phone_parts(text)
    )


def card_html(words: CardWords) -> str:
    what_to_do = _("What to do:")
    calls = ""
    if words.emergency:
        call = _("Call:")
        calls = f"<p><strong>{call}</strong> " + " · ".join(
            f'<a href="{escape(target, quote=True)}">{escape(number)}</a> {escape(where)}'.rstrip()
            for number, target, where in emergency_links(words.calls)
        )
        calls += "</p>"
    practitioner = ""
    if words.practitioner:
        yours = _("Your practitioner:")
        practitioner = f"<p><strong>{yours}</strong> {_with_tel_links(words.practitioner)}</p>"
    return (
        f'<section class="note alarm" role="alert"><h2>{escape(words.severity)}</h2>'
        f"<p>{escape(words.area)} · {escape(words.title)} · {escape(words.since)}</p>"
        f"<p><strong>{what_to_do}</strong> {escape(words.advice)}</p>{calls}{practitioner}</section>"
    )


@dataclass(frozen=True)
class SaveOutcome:
    area: Area
    day: dt.date
    today: dt.date
    saved: str  # "Saved Face for ...", plain text
    photos_added: int
    not_saved: Sequence[str]
    retakes: Sequence[RetakeQuestion]
    status: str
    card: CardWords | None
    eased: str = ""  # a card of the saved day that a later day has eased (recovery.card_words.eased_line)


def saved_page(outcome: SaveOutcome) -> bytes:
    card = card_html(outcome.card) if outcome.card is not None else ""
    if outcome.eased:
        # Beside the card, before "Saved": it may still be there today.
        card += f'<p class="note warn" role="status">{escape(outcome.eased)}</p>'
    count = outcome.photos_added
    added_words = ngettext("{count} photo added.", "{count} photos added.", count).format(count=count)
    added = f"<p>{added_words}</p>" if count else ""
    refused = ""
    if outcome.not_saved:
        items = "".join(f"<li>{escape(line)}</li>" for line in outcome.not_saved)
        refused = ngettext("Not saved, {count} photo:", "Not saved, {count} photos:", len(outcome.not_saved))
        refused = refused.format(count=len(outcome.not_saved))
        refused = f'<div class="note warn"><p>{refused}</p><ul>{items}</ul></div>'
    retake = ""
    if outcome.retakes:
        # Each reason is a sentence of its own: one under the other, not run together.
        items = "".join(
            f"<li>“{escape(asked.name)}”: {' '.join(escape(reason) for reason in asked.reasons)}</li>"
            for asked in outcome.retakes
        )
        these = ngettext(
            "This photo is saved, but may not compare well with your other photos:",
            "These photos are saved, but may not compare well with your other photos:",
            len(outcome.retakes),
        )
        later = _(
            "You can take another one now and save again; the one above can be deleted later on the computer, "
            "on Photos, if you like."
        )
        title = _("Retake?")
        retake = (
            f'<div class="note warn"><h2>{escape(title)}</h2><p>{escape(these)}</p>'
            f"<ul>{items}</ul><p>{escape(later)}</p></div>"
        )
    which = "today" if outcome.day == outcome.today else "yesterday"
    saved, back = _("Saved"), _("Back to the day")
    body = (
        f'{card}<h1>{saved}</h1><p class="note ok" role="status">{escape(outcome.saved)}</p>'
        f"{added}{refused}{retake}"
        f'<p class="note">{escape(outcome.status)}</p>'
        f'<p><a class="button" href="/?day={which}&amp;area={outcome.area.value}">{back}</a></p>'
    )
    return page(saved, body)


MANIFEST = (
    b'{"name":"Healing Journal","short_name":"Journal","start_url":"/","scope":"/","display":"standalone",'
    b'"background_color":"#f6f7f7","theme_color":"#1d5c96","icons":[{"src":"/icon.png","sizes":"180x180",'
    b'"type":"image/png"}]}'
)
