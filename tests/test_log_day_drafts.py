"""Log a day keeps unsaved input, never overwrites a newer save unseen, and edits single photos.

Each `AppTest` is one browser tab (its own Streamlit session) on the same
journal folder; a new AppTest on the same folder is what a refresh gives.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from demo.skin import skin_photo
from recovery.vocabulary import Sign
from tests.journals import reopen

ROOT = Path(__file__).resolve().parent.parent
FIXED = dt.date(2026, 11, 24)
S = f"{FIXED.isoformat()}-face"


@pytest.fixture(autouse=True)
def folder(app_folder: Path) -> Path:
    return app_folder  # tests/app_frame.py


def tab() -> AppTest:
    return AppTest.from_file(str(ROOT / "pages" / "log_day.py"), default_timeout=60).run()


def button(at: AppTest, label: str):
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r}; buttons: {[b.label for b in at.button]}"
    return matches[0]


def clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


# --- drafts ------------------------------------------------------------------------------


def test_typing_keeps_a_draft_that_a_refresh_restores(folder: Path) -> None:
    at = tab()
    at.radio(key=f"redness-{S}").set_value(3).run()
    at.text_area(key=f"notes-{S}").input("itchy after lunch").run()
    clean(at)
    with reopen(folder, FIXED) as journal:
        draft = journal.draft(FIXED, "face")
        assert draft.fields["redness"] == 3 and draft.fields["notes"] == "itchy after lunch"
        assert journal.entry(FIXED, "face") is None, "nothing is saved until the patient saves"
    again = tab()  # a refresh: a new session
    clean(again)
    assert again.radio(key=f"redness-{S}").value == 3
    assert again.text_area(key=f"notes-{S}").value == "itchy after lunch"
    assert any("Unsaved changes from" in i.value and "restored — Save or Discard" in i.value for i in again.info)
    button(again, "Save day").click().run()
    clean(again)
    with reopen(folder, FIXED) as journal:
        assert journal.entry(FIXED, "face").rating(Sign.REDNESS) == 3
        assert journal.draft(FIXED, "face") is None, "saving discards the draft"
    assert not any("restored" in i.value for i in again.info)


def test_changing_the_day_and_coming_back_keeps_the_input(folder: Path) -> None:
    at = tab()
    at.radio(key=f"swelling-{S}").set_value(2).run()
    at.date_input(key="log_day").set_value(FIXED - dt.timedelta(days=1)).run()
    clean(at)
    earlier = f"{(FIXED - dt.timedelta(days=1)).isoformat()}-face"
    assert at.radio(key=f"swelling-{earlier}").value is None, "another day has its own form"
    at.date_input(key="log_day").set_value(FIXED).run()
    clean(at)
    assert at.radio(key=f"swelling-{S}").value == 2


def test_discarding_the_draft(folder: Path) -> None:
    with reopen(folder, FIXED) as journal:
        journal.save_entry(FIXED, "face", redness=1, notes="saved")
    at = tab()
    at.text_area(key=f"notes-{S}").input("typed, not wanted").run()
    button(at, "Discard draft").click().run()
    clean(at)
    assert at.text_area(key=f"notes-{S}").value == "saved"
    with reopen(folder, FIXED) as journal:
        assert journal.draft(FIXED, "face") is None and journal.entry(FIXED, "face").notes == "saved"


def test_an_attached_photo_waits_in_the_draft_and_is_saved_with_the_day(folder: Path) -> None:
    at = tab()
    at.file_uploader(key=f"files-{S}-0").set_value(
        ("today.jpg", skin_photo(0.5, seed=3, size=(640, 480)), "image/jpeg")
    )
    at.run()
    clean(at)
    again = tab()  # a refresh
    assert any("Waiting to be saved: today.jpg" in t.value for t in again.text)
    button(again, "Save day").click().run()
    clean(again)
    with reopen(folder, FIXED) as journal:
        (photo,) = journal.photos()
        assert photo.source_name == "today.jpg"
        assert journal.draft(FIXED, "face") is None
    assert not list((folder / "drafts").iterdir())


# --- two tabs ------------------------------------------------------------------------------


def test_a_stale_tab_is_shown_the_conflict_and_the_merge_keeps_both_changes(folder: Path) -> None:
    with reopen(folder, FIXED) as journal:
        journal.save_entry(FIXED, "face", redness=1, swelling=1, notes="morning")
    first, second = tab(), tab()
    first.radio(key=f"redness-{S}").set_value(2)
    first.text_area(key=f"notes-{S}").input("morning; warmer at noon")
    button(first, "Save day").click().run()
    clean(first)
    second.radio(key=f"swelling-{S}").set_value(3)
    button(second, "Save day").click().run()
    clean(second)
    assert any("changed in another window" in w.value for w in second.warning), [w.value for w in second.warning]
    with reopen(folder, FIXED) as journal:
        entry = journal.entry(FIXED, "face")
        assert (entry.rating(Sign.REDNESS), entry.rating(Sign.SWELLING), entry.notes) == (
            2,
            1,
            "morning; warmer at noon",
        ), "nothing of the first tab is lost, nothing of the second written yet"
    button(second, "Save the merged version").click().run()
    clean(second)
    with reopen(folder, FIXED) as journal:
        entry = journal.entry(FIXED, "face")
        assert (entry.rating(Sign.REDNESS), entry.rating(Sign.SWELLING), entry.notes) == (
            2,
            3,
            "morning; warmer at noon",
        )


def test_a_field_changed_in_both_tabs_is_the_patients_choice(folder: Path) -> None:
    with reopen(folder, FIXED) as journal:
        journal.save_entry(FIXED, "face", notes="start")
    first, second = tab(), tab()
    first.text_area(key=f"notes-{S}").input("first tab's words")
    button(first, "Save day").click().run()
    second.text_area(key=f"notes-{S}").input("second tab's words")
    button(second, "Save day").click().run()
    clean(second)
    texts = [t.value for t in second.text]
    assert "first tab's words" in texts and "second tab's words" in texts, "both shown side by side"
    second.radio(key=f"conflict-{S}-choice-notes").set_value("both")
    button(second, "Save the merged version").click().run()
    clean(second)
    with reopen(folder, FIXED) as journal:
        assert journal.entry(FIXED, "face").notes == "first tab's words\n\nsecond tab's words"


def test_keeping_the_other_version(folder: Path) -> None:
    with reopen(folder, FIXED) as journal:
        journal.save_entry(FIXED, "face", redness=1)
    first, second = tab(), tab()
    first.radio(key=f"redness-{S}").set_value(4)
    button(first, "Save day").click().run()
    second.radio(key=f"redness-{S}").set_value(0)
    button(second, "Save day").click().run()
    button(second, "Keep the version saved meanwhile").click().run()
    clean(second)
    assert second.radio(key=f"redness-{S}").value == 4
    with reopen(folder, FIXED) as journal:
        assert journal.entry(FIXED, "face").rating(Sign.REDNESS) == 4
        assert journal.draft(FIXED, "face") is None


def test_saving_a_day_deleted_in_another_tab(folder: Path) -> None:
    with reopen(folder, FIXED) as journal:
        entry_id = journal.save_entry(FIXED, "face", redness=2)
    first, second = tab(), tab()
    first.checkbox(key=f"confirm-delete-{entry_id}").check().run()
    first.button(key=f"delete-{entry_id}").click().run()
    clean(first)
    second.radio(key=f"redness-{S}").set_value(3)
    button(second, "Save day").click().run()
    clean(second)
    assert any("was deleted in another window" in w.value for w in second.warning)
    button(second, "Save mine again").click().run()
    clean(second)
    with reopen(folder, FIXED) as journal:
        assert journal.entry(FIXED, "face").rating(Sign.REDNESS) == 3


def test_deleting_a_day_another_tab_changed_is_refused_plainly(folder: Path) -> None:
    with reopen(folder, FIXED) as journal:
        entry_id = journal.save_entry(FIXED, "face", redness=2)
    first, second = tab(), tab()
    second.radio(key=f"swelling-{S}").set_value(1).run()  # the second tab is being edited
    first.text_area(key=f"notes-{S}").input("an important note")
    button(first, "Save day").click().run()
    second.checkbox(key=f"confirm-delete-{entry_id}").check().run()
    assert any("changed in another window" in w.value for w in second.warning), "it says so before"
    second.button(key=f"delete-{entry_id}").click().run()
    clean(second)
    assert any("so it was not deleted" in e.value for e in second.error)
    with reopen(folder, FIXED) as journal:
        assert journal.entry(FIXED, "face").notes == "an important note"


def test_an_untouched_tab_shows_what_another_saved(folder: Path) -> None:
    with reopen(folder, FIXED) as journal:
        journal.save_entry(FIXED, "face", redness=1)
    first, second = tab(), tab()
    first.radio(key=f"redness-{S}").set_value(3)
    button(first, "Save day").click().run()
    second.run()  # any rerun of the untouched tab
    assert second.radio(key=f"redness-{S}").value == 3


# --- single photos ----------------------------------------------------------------------------


def test_one_photo_is_deleted_or_moved_without_touching_the_ratings(folder: Path) -> None:
    with reopen(folder, FIXED) as journal:
        entry_id = journal.save_entry(FIXED, "face", redness=3, notes="keep")
        stays = journal.add_photo(entry_id, skin_photo(0.5, seed=21, size=(480, 360)), "stays.jpg")
        moves = journal.add_photo(entry_id, skin_photo(0.5, seed=22, size=(480, 360)), "moves.jpg")
        goes = journal.add_photo(entry_id, skin_photo(0.5, seed=23, size=(480, 360)), "goes.jpg")
    at = tab()
    assert any(s.value == "Photos of this day" for s in at.header)
    at.checkbox(key=f"confirm-photo-{goes}").check().run()
    at.button(key=f"delete-photo-{goes}").click().run()
    clean(at)
    at.date_input(key=f"move-day-{moves}").set_value(FIXED - dt.timedelta(days=2))
    at.selectbox(key=f"move-area-{moves}").set_value("neck")
    at.button(key=f"move-{moves}").click().run()
    clean(at)
    with reopen(folder, FIXED) as journal:
        entry = journal.entry(FIXED, "face")
        assert (entry.rating(Sign.REDNESS), entry.notes, entry.photo_count) == (3, "keep", 1)
        assert {p.id: (p.day, p.area) for p in journal.photos()} == {
            stays: (FIXED, "face"),
            moves: (FIXED - dt.timedelta(days=2), "neck"),
        }


# --- profile and treatments in two tabs ----------------------------------------------------------


def treatments_tab() -> AppTest:
    return AppTest.from_file(str(ROOT / "pages" / "treatments.py"), default_timeout=60).run()


def test_profile_saved_in_two_tabs_is_merged(folder: Path) -> None:
    with reopen(folder, FIXED) as journal:
        journal.save_profile(name="Ana", fitzpatrick=3)
    first, second = treatments_tab(), treatments_tab()
    first.text_input(key="profile-name").input("Ana B.")
    button(first, "Save profile").click().run()
    clean(first)
    second.checkbox(key="profile-cold_sores").check()
    button(second, "Save profile").click().run()
    clean(second)
    assert any("changed in another window" in w.value for w in second.warning)
    button(second, "Save the merged version").click().run()
    clean(second)
    with reopen(folder, FIXED) as journal:
        profile = journal.profile()
        assert (profile.name, profile.fitzpatrick, profile.cold_sores) == ("Ana B.", 3, True)


def test_a_treatment_changed_in_two_tabs(folder: Path) -> None:
    with reopen(folder, FIXED) as journal:
        treatment_id = journal.add_treatment(FIXED, "face", device="Pen")
    first, second = treatments_tab(), treatments_tab()
    first.text_input(key=f"treatment-{treatment_id}-device").input("Dermapen 4")
    button(first, "Save changes").click().run()
    clean(first)
    second.text_input(key=f"treatment-{treatment_id}-device").input("Another pen")
    second.text_input(key=f"treatment-{treatment_id}-serums").input("hyaluronic acid")
    button(second, "Save changes").click().run()
    clean(second)
    texts = [t.value for t in second.text]
    assert "Dermapen 4" in texts and "Another pen" in texts
    second.radio(key=f"conflict-treatment-{treatment_id}-choice-device").set_value("theirs")
    button(second, "Save the merged version").click().run()
    clean(second)
    with reopen(folder, FIXED) as journal:
        (treatment,) = journal.treatments()
        assert (treatment.device, treatment.serums) == ("Dermapen 4", "hyaluronic acid")


def test_removing_a_treatment_another_tab_removed_never_removes_another(folder: Path) -> None:
    with reopen(folder, FIXED) as journal:
        kept = journal.add_treatment(FIXED - dt.timedelta(days=30), "face")
        removed = journal.add_treatment(FIXED, "face")
    at = treatments_tab()
    at.selectbox(key="remove_treatment").set_value(removed).run()
    at.checkbox(key=f"confirm-remove-{removed}").check().run()
    with reopen(folder, FIXED) as journal:
        journal.delete_treatment(removed)  # the other tab
    at.button(key=f"remove-{removed}").click().run()
    clean(at)
    assert not at.error
    with reopen(folder, FIXED) as journal:
        assert [t.id for t in journal.treatments()] == [kept]
    assert not at.checkbox(key=f"confirm-remove-{kept}").value, "the confirmation did not carry over"
