"""The phone listener's app, in-process (Starlette's TestClient over "https://127.0.0.2:PORT").

What a phone can and cannot do: pairing with a one-time code (used, expired,
wrong: refused, and slowed), the credential a hash in the folder and revoked
at once, every request's Host, no journal page, /media, WebSocket or export;
Save goes through the journal with the same versions, drafts and photo checks
as the computer, and answers with the same card words. Like Log a day, it asks for
the day's due views (a view per photo field) and stores each photo as its view.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from healing_journal import Journal, Settings
from phone import views
from phone.app import PhoneService, build_app, form_values
from phone.devices import FILE_NAME, PairedPhones
from phone.pairing import LIFETIME_S, PairingCodes
from recovery.edits import entry_fields
from recovery.vocabulary import View
from tests.photo_journal import blurred, photo

TODAY = dt.date(2026, 11, 24)
ADDRESS, PORT = "127.0.0.2", 18543
ORIGIN = f"https://{ADDRESS}:{PORT}"
IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    folder = tmp_path / "journal"
    with Journal.open(folder, settings=Settings(data_dir=folder, today=lambda: TODAY)) as opened:
        opened.add_treatment(TODAY - dt.timedelta(days=2), ["face"], practitioner="Dr Lee 020 7946 0000")
        yield opened


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def service(journal: Journal, clock: Clock) -> PhoneService:
    return PhoneService(
        journal, PairedPhones(journal.folder), PairingCodes(clock), ADDRESS, PORT, "AA BB CC DD  EE FF 00 11"
    )


def client(service: PhoneService) -> TestClient:
    return TestClient(
        build_app(service),
        base_url=ORIGIN,
        follow_redirects=False,
        raise_server_exceptions=True,
        headers={"user-agent": IPHONE},
    )


def pair(service: PhoneService) -> TestClient:
    phone = client(service)
    code = service.pairing_link().rsplit("code=", 1)[1]
    assert phone.get(f"/pair?code={code}").status_code == 200
    answer = phone.post("/pair", data={"code": code}, headers={"origin": ORIGIN})
    assert answer.status_code == 303 and answer.headers["location"] == "/"
    cookie = answer.headers["set-cookie"]
    for attribute in ("Secure", "HttpOnly", "SameSite=strict", "Max-Age=31536000", "Path=/"):
        assert attribute.lower() in cookie.lower(), cookie
    return phone


# --- pairing ---------------------------------------------------------------------------


def test_the_phone_page_is_refused_without_pairing(service: PhoneService) -> None:
    answer = client(service).get("/")
    assert answer.status_code == 403 and views.NOT_PAIRED_TEXT in answer.text


def test_a_code_pairs_one_phone_once_and_its_credential_is_kept_only_as_a_hash(service: PhoneService) -> None:
    phone = pair(service)
    today = phone.get("/")
    assert today.status_code == 200 and "Face: Today, Tuesday 24 November" in today.text
    credential = phone.cookies[service.cookie_name]
    stored = (service.journal.folder / FILE_NAME).read_text()
    assert credential not in stored and json.loads(stored)["phones"][0]["name"] == "iPhone"
    assert (service.journal.folder / FILE_NAME).stat().st_mode & 0o777 == 0o600


def test_a_used_code_pairs_nothing(service: PhoneService) -> None:
    code = service.pairing_link().rsplit("code=", 1)[1]
    first = client(service)
    assert first.post("/pair", data={"code": code}).status_code == 303
    second = client(service)
    again = second.post("/pair", data={"code": code})
    assert again.status_code == 403 and views.BAD_CODE_TEXT in again.text
    assert second.get(f"/pair?code={code}").status_code == 403
    assert second.get("/").status_code == 403


def test_an_expired_code_pairs_nothing(service: PhoneService, clock: Clock) -> None:
    code = service.pairing_link().rsplit("code=", 1)[1]
    clock.now += LIFETIME_S + 1
    assert client(service).post("/pair", data={"code": code}).status_code == 403


def test_wrong_codes_are_slowed(service: PhoneService) -> None:
    codes = service.codes
    assert codes.wait_s() == 0
    for _ in range(3):
        assert not codes.use("guess")
    assert codes.wait_s() == 4.0  # 1, 2, 4, ... seconds (access.throttle.delay)
    assert codes.use(codes.new()) and codes.wait_s() == 0


def test_a_removed_phone_is_cut_off_at_its_next_request(service: PhoneService) -> None:
    phone = pair(service)
    assert phone.get("/").status_code == 200
    (paired,) = service.phones.all()
    assert service.phones.remove(paired.id)
    assert phone.get("/").status_code == 403
    assert (
        phone.post("/save", data={"day": TODAY.isoformat(), "area": "face"}, headers={"origin": ORIGIN}).status_code
        == 403
    )


# --- what the listener serves, and to whom -----------------------------------------------------


@pytest.mark.parametrize(
    "host", ["127.0.0.1:18543", "127.0.0.2:8501", "evil.example:18543", "localhost:18543", "127.0.0.2"]
)
def test_a_foreign_host_is_refused(service: PhoneService, host: str) -> None:
    phone = pair(service)
    assert phone.get("/", headers={"host": host}).status_code == 421


@pytest.mark.parametrize(
    "path",
    [
        "/log_day",
        "/gallery",
        "/export",
        "/treatments",
        "/media/abc.jpg",
        "/_stcore/health",
        "/_stcore/stream",
        "/_stcore/upload_file/x",
        "/static/js/main.js",
        "/first-photo/nowhere",
        "/photos/ab/abc.jpg",
        "/journal.sqlite3",
        "/phone-key.pem",
    ],
)
def test_no_journal_page_media_or_export_is_on_the_phone_listener(service: PhoneService, path: str) -> None:
    phone = pair(service)
    answer = phone.get(path)
    assert answer.status_code == 404, (path, answer.status_code)
    assert "BEGIN" not in answer.text and "SQLite" not in answer.text


def test_the_websocket_is_refused(service: PhoneService) -> None:
    from starlette.websockets import WebSocketDisconnect

    phone = pair(service)
    with pytest.raises(WebSocketDisconnect):
        with phone.websocket_connect(f"wss://{ADDRESS}:{PORT}/_stcore/stream"):
            pass


def test_a_post_from_another_page_is_refused(service: PhoneService) -> None:
    phone = pair(service)
    answer = phone.post(
        "/save", data={"day": TODAY.isoformat(), "area": "face"}, headers={"origin": "https://evil.example"}
    )
    assert answer.status_code == 403
    assert service.journal.entry_id(TODAY, "face") is None


def test_every_answer_allows_only_its_own_script_and_forbids_framing_and_caching(service: PhoneService) -> None:
    phone = pair(service)
    for path in ("/", "/pair?code=x", "/nothing"):
        answer = phone.get(path)
        csp = answer.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
        # One script, by its hash: the live camera's, and no other (none from anywhere, none inline).
        (allowed,) = re.findall(r"script-src ([^;]*)", csp)
        assert allowed == f"'sha256-{views.SCRIPT_HASH}'"
        for script in re.findall(r"<script>(.*?)</script>", answer.text, re.S):
            assert base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() == views.SCRIPT_HASH
        assert answer.headers["cache-control"] == "no-store" and answer.headers["x-frame-options"] == "DENY"


# --- the daily loop -------------------------------------------------------------------------------


def _day_form(**extra: str) -> dict[str, str]:
    return {"day": TODAY.isoformat(), "area": "face", "based_on": "", "from_draft": "0", **extra}


def test_save_stores_the_day_and_its_photos_through_the_journal(service: PhoneService) -> None:
    phone = pair(service)
    form = _day_form(
        redness="2", swelling="1", spots="0", pain="1", itch="0", sunscreen="1", sun_avoided="0", notes="ok"
    )
    files = [("photos", ("IMG_1.jpg", photo(0), "image/jpeg")), ("photos", ("IMG_2.jpg", photo(1), "image/jpeg"))]
    answer = phone.post("/save", data=form, files=files, headers={"origin": ORIGIN})
    assert answer.status_code == 200, answer.text
    assert "Saved Face for Tuesday 24 November 2026." in answer.text
    assert "2 photos added." in answer.text and "Face today, day 2 after your treatment" in answer.text
    snapshot = service.journal.snapshot()
    entry = snapshot.entry(TODAY, "face")
    assert entry is not None and entry.notes == "ok"
    fields = entry_fields(entry)
    assert (fields["redness"], fields["sunscreen"], fields["sun_avoided"], fields["pus"]) == (2, True, False, False)
    assert fields["hydrated"] is None, "an aftercare item left alone stays unanswered"
    photos = snapshot.photos_of("face", entry_id=entry.id)
    assert [p.source_name for p in photos] == ["IMG_1.jpg", "IMG_2.jpg"]
    assert all(p.sharpness is not None for p in photos), "measured at ingest, as on the computer"


def test_the_first_photo_of_the_area_is_shown_and_no_other(service: PhoneService) -> None:
    phone = pair(service)
    assert phone.get("/first-photo/face").status_code == 404  # none yet
    files = [("photos", ("first.jpg", photo(0), "image/jpeg"))]
    assert phone.post("/save", data=_day_form(), files=files, headers={"origin": ORIGIN}).status_code == 200
    page = phone.get("/").text
    assert '<img src="/first-photo/face?view=unspecified" alt="Your first photo of the face' in page
    picture = phone.get("/first-photo/face?view=unspecified")
    assert picture.status_code == 200 and picture.headers["content-type"] == "image/jpeg"
    assert picture.content[:2] == b"\xff\xd8"


def test_a_blurred_photo_gets_retake_and_a_warning_sign_its_card_at_once(service: PhoneService) -> None:
    phone = pair(service)
    phone.post(
        "/save", data=_day_form(), files=[("photos", ("a.jpg", photo(0), "image/jpeg"))], headers={"origin": ORIGIN}
    )
    entry = service.journal.snapshot().entry(TODAY, "face")
    assert entry is not None
    form = _day_form(based_on=entry.version, breathing="1")
    files = [("photos", ("shaky.jpg", blurred(1), "image/jpeg"))]
    answer = phone.post("/save", data=form, files=files, headers={"origin": ORIGIN})
    assert answer.status_code == 200
    text = answer.text
    assert "Retake?" in text and "shaky.jpg" in text
    assert text.index("Call emergency services now") < text.index("<h1>Saved</h1>"), "the card comes first"
    assert '<a href="tel:112">112</a>' in text and '<a href="tel:999">999</a>' in text


def test_the_phone_names_the_emergency_number_of_the_country(service: PhoneService) -> None:
    """The emergency number follows the country: above the emergency signs and on the card after Save."""
    service.journal.save_profile(country="LB")
    phone = pair(service)
    assert "Call emergency services at once (Lebanon: 140) if you have any of these" in phone.get("/").text
    text = phone.post("/save", data=_day_form(breathing="1"), headers={"origin": ORIGIN}).text
    assert "Call emergency services now (Lebanon: 140)" in text
    assert '<a href="tel:140">140</a> (Lebanon)' in text
    assert "tel:112" not in text and "tel:999" not in text and "tel:911" not in text


def test_the_phone_speaks_the_journals_language_right_to_left_in_arabic(service: PhoneService) -> None:
    """The phone's page follows the profile's language: <html lang dir>, the emergency ticks and the card."""
    from recovery.language import _, speaking

    service.journal.save_profile(country="LB", language="ar")
    phone = pair(service)
    page = phone.get("/").text
    assert '<html lang="ar" dir="rtl">' in page
    with speaking("ar"):
        ticks = _("Call emergency services at once ({numbers}) if you have any of these")
        emergency, save = _("Call emergency services now"), _("Save")
    assert ticks.format(numbers="لبنان: 140") in page and f">{save}</button>" in page
    text = phone.post("/save", data=_day_form(breathing="1"), headers={"origin": ORIGIN}).text
    assert '<html lang="ar" dir="rtl">' in text and emergency in text and '<a href="tel:140">140</a>' in text
    assert "Call emergency services" not in text


def test_without_a_country_the_phone_names_the_general_list(service: PhoneService) -> None:
    phone = pair(service)
    assert "(112 in Europe, 999 in the UK, 911 in North America) if you have any of these" in phone.get("/").text


def test_a_refused_photo_is_named_and_the_others_are_saved(service: PhoneService) -> None:
    phone = pair(service)
    files = [("photos", ("empty.jpg", b"", "image/jpeg")), ("photos", ("good.jpg", photo(0), "image/jpeg"))]
    answer = phone.post("/save", data=_day_form(), files=files, headers={"origin": ORIGIN})
    assert "1 photo added." in answer.text and "Not saved, 1 photo:" in answer.text and "empty.jpg" in answer.text


def test_the_phone_writes_today_and_yesterday_only(service: PhoneService) -> None:
    phone = pair(service)
    for day, status in ((TODAY - dt.timedelta(days=1), 200), (TODAY - dt.timedelta(days=5), 403)):
        answer = phone.post("/save", data=_day_form(day=day.isoformat()), headers={"origin": ORIGIN})
        assert answer.status_code == status, day


def test_too_large_a_save_is_refused_before_it_is_read(service: PhoneService) -> None:
    phone = pair(service)
    headers = {"origin": ORIGIN, "content-length": str(10**10), "content-type": "multipart/form-data; boundary=x"}
    assert phone.post("/save", content=b"--x--", headers=headers).status_code == 413


def test_a_day_saved_meanwhile_on_the_computer_is_not_overwritten(service: PhoneService) -> None:
    phone = pair(service)
    service.journal.save_entry(TODAY, "face", redness=3, based_on="")  # the computer, after the phone opened the page
    answer = phone.post("/save", data=_day_form(redness="1"), headers={"origin": ORIGIN})
    assert answer.status_code == 409
    assert "was logged in another window or on another device" in answer.text
    assert 'name="redness" value="1" checked' in answer.text, "the phone's answers are kept on the form"
    entry = service.journal.snapshot().entry(TODAY, "face")
    assert entry is not None and entry_fields(entry)["redness"] == 3
    based_on = re.search(r'name="based_on" value="([0-9a-f]*)"', answer.text)
    assert based_on is not None and based_on.group(1) == entry.version
    again = phone.post("/save", data=_day_form(redness="1", based_on=entry.version), headers={"origin": ORIGIN})
    assert again.status_code == 200


def test_a_draft_typed_on_the_computer_is_filled_in_and_saved_with_its_photo(service: PhoneService) -> None:
    journal = service.journal
    waiting = journal.stash_draft_photo(photo(0), "from-computer.jpg")
    fields = {**entry_fields(None), "redness": 2}
    journal.keep_draft(TODAY, "face", fields=fields, based_on="", base=entry_fields(None), photos=[waiting])
    phone = pair(service)
    page = phone.get("/").text
    assert "Changes typed on the computer" in page and 'name="redness" value="2" checked' in page
    assert 'name="from_draft" value="1"' in page
    answer = phone.post("/save", data=_day_form(redness="2", from_draft="1"), headers={"origin": ORIGIN})
    assert answer.status_code == 200 and "1 photo added." in answer.text
    assert journal.draft(TODAY, "face") is None
    assert [p.source_name for p in journal.snapshot().photos] == ["from-computer.jpg"]


def test_form_values_follow_the_computer_s_rules() -> None:
    from starlette.datastructures import FormData

    values = form_values(FormData([("redness", "4"), ("pus", "1"), ("sunscreen", "0"), ("notes", "n")]))
    assert values["redness"] == 4 and values["swelling"] is None
    assert values["pus"] is True and values["fever"] is False, "an unticked warning sign is a no"
    assert values["sunscreen"] is False and values["hydrated"] is None


def test_a_yesterday_warning_that_today_no_longer_has_is_said_as_eased(service: PhoneService) -> None:
    # Today (day 2) logged first, the sign answered "no"; then yesterday (day 1) with it ticked.
    phone = pair(service)
    assert phone.post("/save", data=_day_form(redness="1"), headers={"origin": ORIGIN}).status_code == 200
    yesterday = TODAY - dt.timedelta(days=1)
    # A sign for a call, not a doctor today: an urgent one would stay open 72 hours.
    form = _day_form(day=yesterday.isoformat(), redness="3", track_marks="1")
    answer = phone.post("/save", data=form, headers={"origin": ORIGIN})
    assert answer.status_code == 200, answer.text
    text = answer.text
    assert f"eased on {TODAY:%d %b}" in text and "Lines or dots in the pattern of the needle passes" in text, text
    assert "If it is still there today" in text and "Contact your practitioner" in text
    assert text.index(f"eased on {TODAY:%d %b}") < text.index("<h1>Saved</h1>"), "said before the rest"


def test_one_photo_is_said_in_the_singular_on_the_phone(service: PhoneService) -> None:
    phone = pair(service)
    files = [("photos", ("IMG_1.jpg", photo(0), "image/jpeg"))]
    answer = phone.post("/save", data=_day_form(), files=files, headers={"origin": ORIGIN})
    assert "1 photo added." in answer.text and "photo(s)" not in answer.text


# --- the phone's words in the journal's language (issue 23) -------------------------------------------


def test_the_pairing_pages_and_refusals_speak_the_journals_language(service: PhoneService) -> None:
    """Before a phone is paired it has no language of its own: the pages speak the journal's."""
    from recovery.language import _, speaking

    service.journal.save_profile(language="ar")
    phone = client(service)
    refused = phone.get("/")
    assert refused.status_code == 403 and '<html lang="ar" dir="rtl">' in refused.text
    code = service.pairing_link().rsplit("code=", 1)[1]
    form = phone.get(f"/pair?code={code}").text
    wrong = phone.get("/pair?code=wrong").text
    with speaking("ar"):
        not_paired, pair_title, bad = _(views.NOT_PAIRED_TEXT), _("Pair this phone"), _(views.BAD_CODE_TEXT)
        nowhere = _("The phone's page has only today's entry.")
    assert not_paired in refused.text and views.NOT_PAIRED_TEXT not in refused.text
    assert '<html lang="ar" dir="rtl">' in form and f"<h1>{pair_title}</h1>" in form and "Pair this phone" not in form
    assert '<span class="code" dir="ltr">AA BB CC DD  EE FF 00 11</span>' in form  # the code reads left to right
    assert bad in wrong and views.BAD_CODE_TEXT not in wrong
    assert nowhere in phone.get("/export").text


def test_the_phone_says_retake_too_large_and_the_live_camera_in_the_journals_language(service: PhoneService) -> None:
    """Spanish: the retake question and its reasons (from the photo checks), a refused file,
    a Save too large, and the live camera's messages (read by its fixed script from the page)."""
    from recovery.language import _, ngettext, speaking

    service.journal.save_profile(language="es")
    phone = pair(service)
    phone.post("/save", data=_day_form(), files=[("photos", ("a.jpg", photo(0), "image/jpeg"))], headers=HEADERS)
    page = phone.get("/").text
    entry = service.journal.snapshot().entry(TODAY, "face")
    assert entry is not None
    files = [("photos", ("shaky.jpg", blurred(1), "image/jpeg")), ("photos", ("empty.jpg", b"", "image/jpeg"))]
    text = phone.post("/save", data=_day_form(based_on=entry.version), files=files, headers=HEADERS).text
    headers = {**HEADERS, "content-length": str(10**10), "content-type": "multipart/form-data; boundary=x"}
    large = phone.post("/save", content=b"--x--", headers=headers).text
    with speaking("es"):
        retake = _("Retake?")
        these = ngettext(
            "This photo is saved, but may not compare well with your other photos:",
            "These photos are saved, but may not compare well with your other photos:",
            1,
        )
        blur = _("The photo looks blurred. Hold the phone still and let it focus on the skin.")
        empty = _("the file is empty: it holds no picture (try copying or exporting the photo again)")
        too_large, taken = _("Too large"), _("Photo {number} taken with the live camera; Save adds it.")
    assert f"<h2>{retake}</h2>" in text and these in text and "Retake?" not in text
    assert blur in text and "looks blurred" not in text
    assert empty in text and "the file is empty" not in text
    assert f"<h1>{too_large}</h1>" in large and "Too large" not in large
    assert f'data-taken="{taken}"' in page and "taken with the live camera" not in page
    assert "Foto {number} hecha" in taken  # written in the catalogue, not the English itself


HEADERS = {"origin": ORIGIN}


# --- guided views (issue 22) ------------------------------------------------------------------


def _selected(text: str) -> list[str]:
    """The view chosen in each photo field's select, in order."""
    selects = re.findall(r'<select id="view-\d" name="view">(.*?)</select>', text)
    return [re.search(r'<option value="([^"]+)" selected>', options).group(1) for options in selects]


def test_the_phone_page_shows_the_due_views_with_their_guides_and_preselects_them(service: PhoneService) -> None:
    phone = pair(service)
    page = phone.get("/").text
    assert "Views to take today" in page
    for view in (View.FRONT, View.LEFT, View.RIGHT, View.CLOSE_UP):
        assert f"<b>{view.label}</b>: {view.guide}" in page
        assert f"<title>{view.label}</title>" in page  # the guide drawing, named for screen readers
    assert _selected(page) == ["front", "left", "right"]


def test_save_stores_each_photo_as_its_fields_view_and_the_next_visit_asks_for_the_rest(service: PhoneService) -> None:
    phone = pair(service)
    files = [("photos", ("IMG_1.jpg", photo(0), "image/jpeg")), ("photos", ("IMG_2.jpg", photo(1), "image/jpeg"))]
    form = {**_day_form(redness="1"), "view": ["close-up", "left"]}
    answer = phone.post("/save", data=form, files=files, headers={"origin": ORIGIN})
    assert answer.status_code == 200 and "2 photos added." in answer.text, answer.text
    stored = {p.source_name: p.view for p in service.journal.snapshot().photos}
    assert stored == {"IMG_1.jpg": View.CLOSE_UP, "IMG_2.jpg": View.LEFT}
    again = phone.get("/").text
    assert _selected(again) == ["front", "right", "unspecified"]
    assert "<b>Left side</b>" not in again


def test_an_unknown_view_refuses_that_photo_by_name_and_keeps_the_others(service: PhoneService) -> None:
    phone = pair(service)
    files = [("photos", ("odd.jpg", photo(0), "image/jpeg")), ("photos", ("good.jpg", photo(1), "image/jpeg"))]
    form = {**_day_form(), "view": ["sideways", "front"]}
    answer = phone.post("/save", data=form, files=files, headers={"origin": ORIGIN})
    assert "1 photo added." in answer.text and "Unknown photo view" in answer.text
    assert [p.source_name for p in service.journal.snapshot().photos] == ["good.jpg"]


def test_no_photo_of_another_view_is_shown_to_frame_the_due_view_by(service: PhoneService) -> None:
    """Only the left side so far: the front is due, and a left-side photo would mislead."""
    phone = pair(service)
    files = [("photos", ("left.jpg", photo(1), "image/jpeg"))]
    form = {**_day_form(day=(TODAY - dt.timedelta(days=1)).isoformat()), "view": ["left"]}
    assert phone.post("/save", data=form, files=files, headers={"origin": ORIGIN}).status_code == 200
    page = phone.get("/").text
    assert '<img src="/first-photo/' not in page
    assert phone.get("/first-photo/face?view=front").status_code == 404  # the live camera's overlay: none yet


def test_a_photo_that_cannot_be_written_is_named_and_the_day_still_saved(service: PhoneService) -> None:
    """A full disk or a folder that refuses files: the ratings are kept, the photo is said
    not saved, by name, instead of "Not saved" for a day that was in fact saved."""
    import shutil

    phone = pair(service)
    for kind in ("photos", "thumbs"):  # folders that cannot hold files: every photo write fails
        shutil.rmtree(service.journal.folder / kind, ignore_errors=True)
        (service.journal.folder / kind).write_bytes(b"")
    files = [("photos", ("cara.jpg", photo(0), "image/jpeg"))]
    answer = phone.post("/save", data=_day_form(redness="2"), files=files, headers={"origin": ORIGIN})
    assert answer.status_code == 200, answer.text
    assert "cara.jpg: The photo could not be written to" in answer.text
    entry = service.journal.snapshot().entry(TODAY, "face")
    assert entry is not None and entry.ratings["redness"] == 2 and not service.journal.snapshot().photos


def test_the_photo_to_frame_by_is_the_first_photo_of_the_first_view_due(service: PhoneService) -> None:
    phone = pair(service)
    files = [("photos", ("front.jpg", photo(0), "image/jpeg")), ("photos", ("left.jpg", photo(1), "image/jpeg"))]
    form = {**_day_form(day=(TODAY - dt.timedelta(days=1)).isoformat()), "view": ["front", "left"]}
    assert phone.post("/save", data=form, files=files, headers={"origin": ORIGIN}).status_code == 200
    page = phone.get("/").text  # today: the front is due first, and has a first photo
    assert '<img src="/first-photo/face?view=front" alt="Your first photo of the face' in page
    assert "(Front)" in page
    by_name = {p.source_name: p for p in service.journal.snapshot().photos}
    assert phone.get("/first-photo/face?view=left").content == by_name["left.jpg"].thumb_path.read_bytes()
    assert phone.get("/first-photo/face?view=front").content == by_name["front.jpg"].thumb_path.read_bytes()
