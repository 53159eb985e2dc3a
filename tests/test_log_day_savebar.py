"""Log a day's save bar and daily path, as a patient meets them.

- A warning or emergency sign saved raises its card right in the save bar
  (the most serious open one of that day): a patient who saves and closes the
  page has seen it.
- The message after Save names the area as the vocabulary does and lists the
  scales left unrated.
- A photo that cannot be a photo (an empty file) is refused when chosen, by
  name; the uploader's limit is the journal's; a photo deleted at the bottom
  is reported at the bottom.
- The photo comes first on the form; the camera switch is remembered.

Each AppTest is one browser tab on a real journal folder.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block

from demo.skin import skin_photo
from store.errors import PhotoRejected
from store.photos.imaging import DAMAGED, MAX_PHOTO_MB
from tests.app_frame import open_framed
from tests.journals import reopen
from ui.flags_view import tel_target, with_phone_links

FIXED = dt.date(2026, 12, 6)
S = f"{FIXED.isoformat()}-face"
CONTACT = "+44 (20) 7946-0000"


@pytest.fixture
def app_today() -> dt.date:
    return FIXED


@pytest.fixture(autouse=True)
def folder(app_folder: Path, navigation_only: None) -> Path:
    return app_folder  # tests/app_frame.py


def treated(folder: Path, days_ago: int = 5) -> None:
    with reopen(folder, FIXED) as journal:
        journal.add_treatment(
            FIXED - dt.timedelta(days=days_ago),
            ["face"],
            needle_depth_mm=1.0,
            practitioner="Dr Ana Lima",
            practitioner_contact=CONTACT,
        )


def clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def save(at: AppTest) -> AppTest:
    (button,) = [b for b in at.button if b.label == "Save day"]
    return button.click().run()


def save_bar(at: AppTest) -> Block:
    (bar,) = [b for b in _blocks(at.main) if str(getattr(b.proto, "id", "")).endswith("save-bar")]
    return bar


def _blocks(node: Block) -> list[Block]:
    found = []
    for child in node.children.values():
        if isinstance(child, Block):
            found += [child, *_blocks(child)]
    return found


ALERTS = ("error", "warning", "info", "success")


def in_bar(at: AppTest) -> list[str]:
    """The messages in the save bar, first to last."""
    return [str(e.value) for e in save_bar(at) if getattr(e, "type", "") in ALERTS]


def readable(text: str) -> str:
    return text.replace("\u2060", "").replace("\\", "")


def test_an_emergency_sign_saved_raises_the_alarm_in_the_save_bar(folder: Path) -> None:
    treated(folder)
    at = open_framed("log_day.py")
    clean(at)
    at.checkbox(key=f"lips_throat-{S}").check().run()
    at = save(at)
    clean(at)
    alarms = [readable(e) for e in in_bar(at) if "Call emergency services now" in e]
    assert alarms, "the emergency card is in the save bar, right after the save"
    (alarm,) = alarms
    assert in_bar(at)[0] is not None and "Call emergency services now" in in_bar(at)[0], "the card comes first"
    assert "Swelling of the lips, tongue or throat" in alarm
    # The number to call, as a link a phone dials.
    assert "[112](tel:112)" in alarm and "[999](tel:999)" in alarm and "[911](tel:911)" in alarm


def test_an_urgent_warning_sign_saved_names_who_to_see_with_a_number_to_tap(folder: Path) -> None:
    treated(folder)
    at = open_framed("log_day.py")
    at.checkbox(key=f"warmth-{S}").check().run()
    at = save(at)
    clean(at)
    (card,) = [readable(e) for e in in_bar(at) if "See a doctor today" in e]
    assert "The area feels warm or hot" in card
    assert "Dr Ana Lima" in card
    assert "(tel:+442079460000)" in card, card


def test_a_calm_save_shows_no_card_and_the_message_names_the_area_and_the_scales_left_unrated(
    folder: Path,
) -> None:
    treated(folder)
    at = open_framed("log_day.py")
    at.radio(key=f"redness-{S}").set_value(1).run()
    at.radio(key=f"spots-{S}").set_value(0).run()
    at = save(at)
    clean(at)
    said = readable(" ".join(in_bar(at)))
    assert "Saved Face for Sunday 06 December 2026." in said, said
    assert "Not rated: swelling, pain or tenderness, itch or burning." in said, said
    assert "emergency" not in said and "practitioner" not in said


def test_the_home_cards_give_the_practitioners_number_as_a_link(folder: Path) -> None:
    treated(folder)
    with reopen(folder, FIXED) as journal:
        journal.save_entry(FIXED, "face", redness=1, warmth=True)
    at = open_framed("home.py")
    clean(at)
    cards = [readable(e.value) for e in at.error if "Dr Ana Lima" in e.value]
    assert cards and all("[+44 (20) 7946-0000](tel:+442079460000)" in c for c in cards), cards


def test_an_empty_file_is_refused_when_chosen_by_name_and_reason() -> None:
    at = open_framed("log_day.py")
    (uploader,) = [u for u in at.file_uploader if u.key and u.key.startswith(f"files-{S}-")]
    uploader.set_value([("empty.jpg", b"", "image/jpeg")])
    at.run()
    clean(at)
    errors = [readable(e.value) for e in at.error]
    assert any("empty.jpg" in e and "empty" in e.replace("empty.jpg", "") for e in errors), errors
    assert not [t for t in at.text if "Waiting to be saved" in t.value]


def test_the_uploader_says_and_keeps_the_journals_one_limit() -> None:
    at = open_framed("log_day.py")
    (uploader,) = [u for u in at.file_uploader if u.key and u.key.startswith(f"files-{S}-")]
    assert f"up to {MAX_PHOTO_MB} MB each" in uploader.label
    assert uploader.proto.max_upload_size_mb == MAX_PHOTO_MB


def test_the_photo_comes_before_the_scales_and_the_lists() -> None:
    at = open_framed("log_day.py")
    headers = [h.value for h in at.header]
    assert headers.index("Photos") < headers.index("How does the skin look?"), headers


def test_a_photo_deleted_at_the_bottom_is_reported_there(folder: Path) -> None:
    treated(folder)
    with reopen(folder, FIXED) as journal:
        entry = journal.save_entry(FIXED, "face", redness=1)
        journal.add_photo(entry, skin_photo(0.3, seed=2, size=(640, 480)), filename="morning.jpg")
        (photo,) = journal.photos()
    at = open_framed("log_day.py")
    at.checkbox(key=f"confirm-photo-{photo.id}").check().run()
    at.button(key=f"delete-photo-{photo.id}").click().run()
    clean(at)
    order = [getattr(e, "label", None) or getattr(e, "value", None) for e in at.main]
    deleted = [i for i, v in enumerate(order) if isinstance(v, str) and "The photo was deleted" in v]
    (save_at,) = [i for i, v in enumerate(order) if v == "Save day"]
    assert deleted and deleted[0] > save_at, "the message is under the form, where the photo was"


def test_the_camera_switch_is_remembered_for_the_next_visit() -> None:
    at = open_framed("log_day.py")
    at.toggle(key=f"camera-on-{S}").set_value(True).run()
    clean(at)
    again = open_framed("log_day.py")  # another day, another session of the same browser
    clean(again)
    assert again.toggle(key=f"camera-on-{S}").value is True
    again.toggle(key=f"camera-on-{S}").set_value(False).run()
    assert open_framed("log_day.py").toggle(key=f"camera-on-{S}").value is False


def test_a_cut_short_photo_is_refused_in_plain_words(folder: Path) -> None:
    whole = skin_photo(0.3, seed=3, size=(640, 480))
    with reopen(folder, FIXED) as journal:
        entry = journal.save_entry(FIXED, "face", redness=1)
        with pytest.raises(PhotoRejected) as refused:
            journal.add_photo(entry, whole[: len(whole) // 2], filename="cut.jpg")
    assert refused.value.reason == DAMAGED
    assert "bytes" not in str(refused.value) and "truncated" not in str(refused.value)


def test_phone_numbers_become_links_that_hold_digits_alone() -> None:
    shown = with_phone_links("Dr [Evil](http://x) 0044 (20) 7946-0000 ext)")
    assert "[0044 \\(20\\) 7946\\-0000](tel:00442079460000)" in shown
    assert "\\[Evil\\]" in shown, "what the patient typed stays text: no link of theirs"
    assert shown.count("](") == 1, "one link only: the phone number"
    assert tel_target("+44 20 7946 0000") == "tel:+442079460000"
    assert with_phone_links("Room 12") == "Room 12", "a short number is not a phone number"


def test_a_back_dated_warning_sign_that_has_since_eased_is_still_said_when_saved(folder: Path) -> None:
    # Day 0 on 28 Nov; 01 Dec (day 3) was logged first, calm and with the sign answered "no".
    treated(folder, days_ago=8)
    back = dt.date(2026, 11, 30)
    with reopen(folder, FIXED) as journal:
        journal.save_entry(dt.date(2026, 12, 1), "face", redness=1, spreading_redness=False)
    at = open_framed("log_day.py")
    at.date_input(key="log_day").set_value(back).run()
    suffix = f"{back.isoformat()}-face"
    at.radio(key=f"redness-{suffix}").set_value(3).run()
    at.checkbox(key=f"spreading_redness-{suffix}").check().run()
    at = save(at)
    clean(at)
    said = [readable(e) for e in in_bar(at)]
    # Urgent (a doctor today), so it stays open 72 hours from 30 Nov although 01 Dec said "no".
    (line,) = [e for e in said if "eased on 03 Dec" in e]
    assert "Redness that spreads or keeps increasing" in line, line
    assert "a later day no longer has it" in line, line
    assert "If it is still there today" in line and "log today" in line, line
    assert "See a doctor today" in line, "the card's advice, in case it is still there"
    assert said.index(line) < [i for i, e in enumerate(said) if "Saved Face for Monday 30 November 2026." in e][0]


def test_one_photo_added_is_said_in_the_singular(folder: Path) -> None:
    treated(folder)
    at = open_framed("log_day.py")
    (uploader,) = [u for u in at.file_uploader if u.key and u.key.startswith(f"files-{S}-")]
    uploader.set_value([("one.jpg", skin_photo(0.5, seed=1, size=(640, 480)), "image/jpeg")]).run()
    at = save(at)
    clean(at)
    said = readable(" ".join(in_bar(at)))
    assert "1 photo added." in said and "photo(s)" not in said, said


def test_what_a_save_said_is_said_again_on_the_next_run_until_the_form_changes(folder: Path) -> None:
    """The run that shows "Saved ..." can be lost with the browser's connection (a blip on
    a busy computer; the browser reconnects and runs the page again): the next run says it too."""
    treated(folder)
    at = open_framed("log_day.py")
    (uploader,) = [u for u in at.file_uploader if u.key and u.key.startswith(f"files-{S}-")]
    uploader.set_value([("one.jpg", skin_photo(0.5, seed=1, size=(640, 480)), "image/jpeg")]).run()
    at.radio(key=f"redness-{S}").set_value(1).run()
    at = save(at)
    clean(at)
    said = readable(" ".join(in_bar(at)))
    assert "Saved Face for Sunday 06 December 2026." in said and "1 photo added." in said, said
    at.run()  # the page run again, as after a reconnect
    clean(at)
    again = readable(" ".join(in_bar(at)))
    assert "Saved Face for Sunday 06 December 2026." in again and "1 photo added." in again, again
    at.radio(key=f"redness-{S}").set_value(2).run()
    assert "Saved" not in readable(" ".join(in_bar(at))), "a changed form has not been saved"
