"""Every screen renders, and the main flows store what the patient entered.

Driven with Streamlit's AppTest (no browser): each page file is run directly
(journal_app.py only frames them), against a journal in its own folder; the
journal is found through JOURNAL_DATA_DIR and "today" is pinned with
JOURNAL_TODAY. The app caches one Journal per folder (st.cache_resource), so
every test uses a folder of its own.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from demo.skin import skin_photo
from healing_journal import Journal, Settings
from recovery.model import Profile
from recovery.vocabulary import AFTERCARE_KEYS, WARNING_KEYS, YES_NO_KEYS, Sign
from store.validate import MAX_NOTES
from tests.app_frame import open_framed
from tests.builders import rated
from tests.demo_journals import DemoJournals
from tests.journals import reopen
from ui.widgets import escape_markdown

ROOT = Path(__file__).resolve().parent.parent
FIXED = dt.date(2026, 11, 24)
PAGES = sorted(path.name for path in (ROOT / "pages").glob("*.py"))
TIMEOUT = 30


# --- fixtures -----------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _app_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # .streamlit/config.toml (127.0.0.1 only) is read from the working folder.
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("JOURNAL_TODAY", FIXED.isoformat())


@pytest.fixture(autouse=True)
def _navigation_only(navigation_only: None) -> None:
    """Pages run inside journal_app.py's frame (tests/app_frame.py)."""


@pytest.fixture
def use_folder(monkeypatch: pytest.MonkeyPatch):
    def _use(folder: Path) -> Path:
        monkeypatch.setenv("JOURNAL_DATA_DIR", str(folder))
        return folder

    return _use


@pytest.fixture
def empty_folder(tmp_path: Path, use_folder) -> Path:
    return use_folder(tmp_path / "journal")


@pytest.fixture
def one_day_folder(tmp_path: Path, use_folder) -> Path:
    """A treatment today and today's face entry with one photo."""
    folder = tmp_path / "one-day"
    with Journal.open(folder, settings=Settings(data_dir=folder, today=lambda: FIXED)) as journal:
        journal.add_treatment(FIXED, ["face"], device="Pen", needle_depth_mm=1.0)
        entry_id = journal.save_entry(FIXED, "face", redness=3, swelling=2, spots=0, sunscreen=True, notes="Day 0")
        journal.add_photo(entry_id, skin_photo(0.75, seed=1, size=(640, 480)), filename="day0.jpg")
    return use_folder(folder)


@pytest.fixture(scope="module")
def demo_source(tmp_path_factory: pytest.TempPathFactory, demo_journals: DemoJournals) -> Path:
    """A 90-day demo journal of face and neck (a series of three sessions), built once for the module."""
    folder = tmp_path_factory.mktemp("demo") / "journal"
    demo_journals.copy(folder, days=90, areas=["face", "neck"], today=FIXED)
    return folder


@pytest.fixture
def demo_folder(demo_source: Path, use_folder) -> Path:
    # The pages only read it; the cached Journal for this folder is shared.
    return use_folder(demo_source)


def open_page(name: str) -> AppTest:
    return AppTest.from_file(str(ROOT / "pages" / name), default_timeout=TIMEOUT).run()


def button(at: AppTest, label: str):
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r}; buttons: {[b.label for b in at.button]}"
    return matches[0]


def by_label(widgets, label: str):
    matches = [w for w in widgets if w.label == label]
    assert len(matches) == 1, f"{len(matches)} widgets labelled {label!r}"
    return matches[0]


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


# --- every page renders ---------------------------------------------------------------


def test_all_pages_are_covered() -> None:
    assert set(PAGES) >= {
        "home.py",
        "log_day.py",
        "recovery_chart.py",
        "gallery.py",
        "import_photos.py",
        "treatments.py",
        "export_backup.py",
    }


def failures(at: AppTest) -> list[str]:
    """Red boxes that are not flag cards: the demo keeps one card open, in a red
    box when it asks for a call; anything else red is a page that failed."""
    cards = {":material/call:", ":material/emergency:", ":material/e911_emergency:"}
    return [e.value for e in at.error if e.icon not in cards]


# Every page in each state, as the patient sees it: inside journal_app.py's
# frame (st.page_link, which Home uses, only resolves there). This once ran
# each page bare as well, asserting less than this does; the app never runs a
# page bare. An empty and a one-day journal show no red box at all; the demo
# keeps one flag card open, in a red box when it asks for a call.
@pytest.mark.parametrize("state", ["empty", "one_day", "demo"])
@pytest.mark.parametrize("page", PAGES)
def test_page_renders_inside_frame(page: str, state: str, request: pytest.FixtureRequest) -> None:
    request.getfixturevalue(f"{state}_folder")
    at = open_framed(page)
    assert_clean(at)
    if state == "demo":
        assert not failures(at)
    else:
        assert not at.error, [e.value for e in at.error]
    assert at.title, "every page has a title, and the page itself ran inside the frame"
    assert any("does not diagnose" in c.value for c in at.sidebar.caption)


def test_home_welcomes_an_empty_journal(empty_folder: Path) -> None:
    at = open_framed("home.py")
    assert "Start by recording your treatment" in at.info[0].value
    (start,) = [b for b in at.button if b.label == "Add your treatment"]
    assert start.proto.type == "primary", "the first step is a clear button, not a small link"
    start.click().run()
    assert_clean(at)
    assert at.title[0].value == "Profile & treatments"


def test_home_shows_each_treated_area_of_demo(demo_folder: Path) -> None:
    at = open_framed("home.py")
    headers = [h.value for h in at.header]
    assert any(h.startswith("Face: day ") for h in headers), headers
    assert any(h.startswith("Neck: day ") for h in headers), headers


def test_gallery_shows_thumbnails_and_opens_a_photo(demo_folder: Path) -> None:
    at = open_page("gallery.py")
    opens = [b for b in at.button if b.label == "Open"]
    assert opens and len(at.image) >= len(opens)
    opens[0].click().run()
    assert_clean(at)
    assert {"Measured", "Full size"} <= {tab.label for tab in at.tabs}  # beside "Seeing change"'s tabs
    assert any(re.search(r"· day \d+$", c.value) for c in at.caption)  # the opened photo, with its day


def test_recovery_chart_of_demo(demo_folder: Path) -> None:
    at = open_page("recovery_chart.py")
    labels = [s.value for s in at.header]
    assert "Photos by day" in labels and "Aftercare in the first week" in labels
    assert at.selectbox(key="recovery_area").value == "face"
    # The aftercare key: each mark once, not "·" as mark and separator; a phone is told it scrolls.
    (key,) = [c.value for c in at.caption if "not logged" in c.value]
    assert key.startswith("✓ done, ✗ not done, – not logged.") and "sideways" in key
    # Ninety days hold a series of three sessions: the latest is charted, and
    # the sessions are overlaid for comparison.
    assert "Across your sessions" in labels
    session = at.radio[0]
    assert session.label == "Treatment" and len(session.options) == 3 and session.index == 2
    # The key, a panel per sign logged, a strip of flags about no sign, and the sessions overlaid:
    # drawn as pictures, each twice (wide and narrow: the column's width shows one),
    # each with its chart's description as text alternative.
    assert not at.get("vega_lite_chart")
    charts = [shown for image in at.image for shown in image.proto.imgs if shown.url.startswith("data:image/svg")]
    alts = [shown.alt for shown in charts]
    assert len(charts) >= 10
    assert all(alts.count(alt) == 2 for alt in alts), "the wide and the narrow pictures say the same"
    assert alts[0].startswith("Key: Normal range for that day")
    assert any(alt.startswith("Redness: rated on ") for alt in alts)
    assert any(alt.startswith("Redness in each session") for alt in alts)
    assert all(alt.strip() for alt in alts)


# --- the frame and navigation -----------------------------------------------------------


def test_app_frame_renders(demo_folder: Path) -> None:
    at = AppTest.from_file(str(ROOT / "journal_app.py"), default_timeout=TIMEOUT).run()
    assert_clean(at)
    assert not failures(at), "config.toml must keep the app on 127.0.0.1"
    assert at.title[0].value == "Healing Journal"
    # In the main area, which a phone shows (its sidebar is folded away), once.
    marks = [c.value for c in at.main.caption if "Demo journal" in c.value]
    assert len(marks) == 1 and not any("Demo journal" in a.value for a in at.sidebar.warning)
    assert any("does not diagnose" in c.value for c in at.sidebar.caption)


def test_frame_refuses_remote_address(empty_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit import config

    monkeypatch.delenv("JOURNAL_ALLOW_REMOTE", raising=False)
    original = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")
    try:
        at = AppTest.from_file(str(ROOT / "journal_app.py"), default_timeout=TIMEOUT).run()
    finally:
        config.set_option("server.address", original)
    assert_clean(at)
    assert "only runs on 127.0.0.1" in at.error[0].value
    assert not at.title, "no page is shown"


# --- log a day ---------------------------------------------------------------------------


def _suffix(day: dt.date = FIXED, area: str = "face") -> str:
    return f"{day.isoformat()}-{area}"


def fill_day(at: AppTest, *, redness: int, swelling: int, spots: int, ticked: set[str], notes: str) -> None:
    s = _suffix()
    at.radio(key=f"redness-{s}").set_value(redness)
    at.radio(key=f"swelling-{s}").set_value(swelling)
    at.radio(key=f"spots-{s}").set_value(spots)
    for key in YES_NO_KEYS:
        if key in AFTERCARE_KEYS:  # answered explicitly: done or not done
            at.button_group(key=f"{key}-{s}").set_value(key in ticked)
        else:
            at.checkbox(key=f"{key}-{s}").set_value(key in ticked)
    at.text_area(key=f"notes-{s}").input(notes)


def test_log_day_saves_what_was_entered(empty_folder: Path) -> None:
    at = open_page("log_day.py")
    assert at.date_input(key="log_day").value == FIXED
    assert at.selectbox(key="log_area").value == "face"
    fill_day(
        at,
        redness=2,
        swelling=1,
        spots=3,
        ticked={"sunscreen", "hydrated", "warmth", "dryness"},
        notes="Tight and a little warm.",
    )
    button(at, "Save day").click().run()
    assert_clean(at)
    # The warmth ticked is a warning sign: its card is the one alarm shown, beside Save.
    (card,) = [e.value for e in at.error]
    assert "See a doctor today" in card and "warm or hot" in card
    assert any("Saved Face for Tuesday 24 November 2026" in s.value for s in at.success)
    with reopen(empty_folder, FIXED) as journal:
        entries = journal.entry_list()
        assert len(entries) == 1
        entry = entries[0]
        assert (entry.day, entry.area) == (FIXED, "face")
        assert rated(entry) == (2, 1, 3)
        assert entry.notes == "Tight and a little warm."
        assert {key: entry.answer(key) for key in YES_NO_KEYS} == {
            key: key in {"sunscreen", "hydrated", "warmth", "dryness"} for key in YES_NO_KEYS
        }
        assert entry.photo_count == 0
    # The form now shows the stored day.
    assert any("already logged" in i.value for i in at.info)
    assert at.radio(key=f"redness-{_suffix()}").value == 2
    assert at.checkbox(key=f"warmth-{_suffix()}").value is True


def test_log_day_leaves_what_was_not_answered_empty(empty_folder: Path) -> None:
    """An unrated sign is not "clear" and an unanswered aftercare item is not "not done"."""
    at = open_page("log_day.py")
    s = _suffix()
    assert at.radio(key=f"redness-{s}").value is None
    at.radio(key=f"swelling-{s}").set_value(1)
    at.text_area(key=f"notes-{s}").input("Only swelling today.")
    button(at, "Save day").click().run()
    assert_clean(at)
    with reopen(empty_folder, FIXED) as journal:
        entry = journal.entry(FIXED, "face")
        assert rated(entry) == (None, 1, None)
        assert all(entry.answer(key) is None for key in AFTERCARE_KEYS)
        assert entry.answer("warmth") == 0  # a warning sign not ticked is a "no"


def test_log_day_saving_again_updates_the_same_entry(empty_folder: Path) -> None:
    at = open_page("log_day.py")
    fill_day(at, redness=3, swelling=2, spots=0, ticked={"bleeding", "sunscreen"}, notes="First.")
    button(at, "Save day").click().run()
    with reopen(empty_folder, FIXED) as journal:
        first_id = journal.entry(FIXED, "face").id

    fill_day(at, redness=1, swelling=0, spots=1, ticked={"sun_avoided", "fever"}, notes="Second.")
    button(at, "Save day").click().run()
    assert_clean(at)
    with reopen(empty_folder, FIXED) as journal:
        entries = journal.entry_list()
        assert [e.id for e in entries] == [first_id]
        entry = entries[0]
        assert (*rated(entry), entry.notes) == (1, 0, 1, "Second.")
        assert entry.answer("bleeding") == 0 and entry.answer("sunscreen") == 0
        assert entry.answer("sun_avoided") == 1 and entry.answer("fever") == 1


def test_log_day_stores_an_uploaded_photo(empty_folder: Path) -> None:
    at = open_page("log_day.py")
    at.radio(key=f"redness-{_suffix()}").set_value(2)
    at.file_uploader(key=f"files-{_suffix()}-0").set_value(
        ("today.jpg", skin_photo(0.5, seed=3, size=(640, 480)), "image/jpeg")
    )
    button(at, "Save day").click().run()
    assert_clean(at)
    assert any(escape_markdown("1 photo added") in s.value for s in at.success)
    # The uploader has a new key, so the photo is not sent again.
    assert at.file_uploader(key=f"files-{_suffix()}-1").value in (None, [])
    with reopen(empty_folder, FIXED) as journal:
        entry = journal.entry(FIXED, "face")
        assert entry.rating(Sign.REDNESS) == 2 and entry.photo_count == 1
        (photo,) = journal.photos(area="face")
        assert photo.source_name == "today.jpg" and photo.path.exists() and photo.thumb_path.exists()


def test_log_day_refused_photo_is_an_error_not_an_exception(empty_folder: Path) -> None:
    at = open_page("log_day.py")
    at.file_uploader(key=f"files-{_suffix()}-0").set_value(("broken.jpg", b"not a photo at all", "image/jpeg"))
    button(at, "Save day").click().run()
    assert_clean(at)
    assert any(escape_markdown("Not saved, 1 photo:") in e.value and "broken" in e.value for e in at.error)
    with reopen(empty_folder, FIXED) as journal:
        assert journal.entry(FIXED, "face").photo_count == 0  # the entry itself is kept


def test_log_day_delete_needs_confirmation(empty_folder: Path) -> None:
    with reopen(empty_folder, FIXED) as journal:
        entry_id = journal.save_entry(FIXED, "face", redness=2, notes="to delete")
        journal.add_photo(entry_id, skin_photo(0.5, seed=4, size=(640, 480)), filename="gone.jpg")
    at = open_page("log_day.py")
    assert "Delete this day's entry" in [expander.label for expander in at.expander]
    delete = at.button(key=f"delete-{entry_id}")
    assert delete.disabled, "deleting needs the confirmation box"
    at.checkbox(key=f"confirm-delete-{entry_id}").check().run()
    delete = at.button(key=f"delete-{entry_id}")
    assert not delete.disabled
    delete.click().run()
    assert_clean(at)
    assert any("The entry was deleted" in s.value for s in at.success)
    with reopen(empty_folder, FIXED) as journal:
        assert journal.entry(FIXED, "face") is None
        assert journal.photos() == []
    assert not any("already logged" in i.value for i in at.info)


def test_log_day_notes_stop_at_the_journals_limit(empty_folder: Path) -> None:
    """The form itself stops at the limit (in a browser, typing stops there): the day is
    saved with what fits rather than refused with a message about its length."""
    at = open_page("log_day.py")
    assert at.text_area(key=f"notes-{_suffix()}").proto.max_chars == MAX_NOTES
    at.text_area(key=f"notes-{_suffix()}").input("x" * (MAX_NOTES + 1))
    button(at, "Save day").click().run()
    assert_clean(at)
    assert not at.error
    with reopen(empty_folder, FIXED) as journal:
        entry = journal.entry(FIXED, "face")
        assert entry is not None and len(entry.notes) <= MAX_NOTES


def test_log_day_for_an_earlier_day_and_other_area(empty_folder: Path) -> None:
    day = FIXED - dt.timedelta(days=2)
    at = open_page("log_day.py")
    at.date_input(key="log_day").set_value(day)
    at.selectbox(key="log_area").set_value("neck").run()
    s = _suffix(day, "neck")
    at.radio(key=f"swelling-{s}").set_value(4)
    at.checkbox(key=f"pus-{s}").check()
    button(at, "Save day").click().run()
    assert_clean(at)
    with reopen(empty_folder, FIXED) as journal:
        entry = journal.entry(day, "neck")
        assert entry.rating(Sign.SWELLING) == 4 and entry.answer("pus") == 1
        assert journal.entry(FIXED, "face") is None


# --- profile and treatments --------------------------------------------------------------


def test_treatments_adds_a_treatment(empty_folder: Path) -> None:
    day = FIXED - dt.timedelta(days=3)
    at = open_page("treatments.py")
    assert any("No treatment recorded yet" in i.value for i in at.info)
    by_label(at.date_input, "Date").set_value(day)
    by_label(at.multiselect, "Treated areas").set_value(["face", "neck"])
    by_label(at.number_input, "Needle depth (mm)").set_value(1.5)
    by_label(at.text_input, "Device").input("Dermapen 4")
    by_label(at.text_input, "Practitioner or clinic").input("Skin clinic")
    by_label(at.text_input, "Serums applied").input("hyaluronic acid")
    by_label(at.text_area, "Notes").input("Numbing cream first.")
    button(at, "Add treatment").click().run()
    assert_clean(at)
    assert not at.error
    assert any("Treatment of face, neck on 21 November 2026 added" in s.value for s in at.success)
    with reopen(empty_folder, FIXED) as journal:
        (treatment,) = journal.treatments()
        assert treatment.day == day and treatment.areas == ("face", "neck")
        assert treatment.device == "Dermapen 4" and treatment.needle_depth_mm == 1.5
        assert treatment.practitioner == "Skin clinic" and treatment.serums == "hyaluronic acid"
        assert treatment.notes == "Numbing cream first."
    assert at.dataframe, "the treatment list shows the new treatment"


def test_treatments_saves_the_profile(empty_folder: Path) -> None:
    at = open_page("treatments.py")
    by_label(at.text_input, "Name or pseudonym (optional, printed on the summary)").input("A. Patient")
    by_label(at.radio, "Skin type (Fitzpatrick)").set_value(4)
    by_label(at.checkbox, "I have had melasma").check()
    by_label(at.checkbox, "I get cold sores").check()
    button(at, "Save profile").click().run()
    assert_clean(at)
    assert any("Profile saved" in s.value for s in at.success)
    with reopen(empty_folder, FIXED) as journal:
        # The language shown in the form (English, as none was chosen) is saved with it.
        assert journal.profile() == Profile("A. Patient", 4, melasma_history=True, cold_sores=True, language="en")
    assert by_label(at.radio, "Skin type (Fitzpatrick)").value == 4


def test_treatment_without_area_is_an_error_not_an_exception(empty_folder: Path) -> None:
    at = open_page("treatments.py")
    by_label(at.multiselect, "Treated areas").set_value([])
    by_label(at.text_input, "Device").input("Dermapen 4")
    button(at, "Add treatment").click().run()
    assert_clean(at)
    assert any("at least one treated area" in e.value for e in at.error)
    with reopen(empty_folder, FIXED) as journal:
        assert journal.treatments() == []
    # What the patient typed is still there to correct.
    at.run()
    assert by_label(at.text_input, "Device").value == "Dermapen 4"


def test_remove_treatment_needs_confirmation(one_day_folder: Path) -> None:
    at = open_page("treatments.py")
    remove = button(at, "Remove treatment")
    assert remove.disabled
    by_label(at.checkbox, "Yes, remove it (your daily entries stay)").check().run()
    button(at, "Remove treatment").click().run()
    assert_clean(at)
    with reopen(one_day_folder, FIXED) as journal:
        assert journal.treatments() == []
        assert journal.entry(FIXED, "face") is not None


# --- errors become st.error ------------------------------------------------------------


def _failing_page() -> None:
    from store import InvalidEntry
    from ui.session import run_page

    def body(workspace: object) -> None:
        import streamlit as st

        st.title("Before the failure")
        raise InvalidEntry("The redness rating must be from 0 to 4; 9 is outside the scale.")

    run_page(body)


def test_run_page_turns_journal_errors_into_st_error(empty_folder: Path) -> None:
    at = AppTest.from_function(_failing_page, default_timeout=TIMEOUT).run()
    assert_clean(at)
    assert at.title[0].value == "Before the failure"
    # As text: Markdown characters in the message (a file name, a folder) are escaped.
    assert [e.value for e in at.error] == [
        escape_markdown("The redness rating must be from 0 to 4; 9 is outside the scale.")
    ]


def _crashing_page() -> None:
    from ui.session import run_page

    def body(workspace: object) -> None:
        raise RuntimeError("a bug, not a journal error")

    run_page(body)


def test_run_page_lets_bugs_through(empty_folder: Path) -> None:
    at = AppTest.from_function(_crashing_page, default_timeout=TIMEOUT).run()
    assert at.exception, "only the journal's named errors become messages"


def test_aftercare_and_warning_keys_are_in_the_form(empty_folder: Path) -> None:
    at = open_page("log_day.py")
    ticks = {c.key for c in at.checkbox}
    answers = {c.key for c in at.button_group}
    for key in ("bleeding", "dryness", *WARNING_KEYS):
        assert f"{key}-{_suffix()}" in ticks
    for key in AFTERCARE_KEYS:
        assert f"{key}-{_suffix()}" in answers


def test_a_journal_folder_that_cannot_be_opened_is_explained(tmp_path: Path, use_folder) -> None:
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the journal folder should be")
    use_folder(blocked / "journal")
    at = AppTest.from_file(str(ROOT / "journal_app.py"), default_timeout=TIMEOUT).run()
    assert not at.exception
    assert len(at.error) == 1 and "cannot be created" in at.error[0].value


def test_a_prepared_export_is_dropped_when_the_journal_changes(one_day_folder: Path) -> None:
    at = open_page("export_backup.py")
    button(at, "Prepare CSV").click().run()
    assert_clean(at)
    assert any(b.label.startswith("Download healing-journal-2026") for b in at.get("download_button"))
    with reopen(one_day_folder, FIXED) as journal:
        journal.save_entry(FIXED - dt.timedelta(days=1), "face", redness=1)
    at.run()
    assert not any(b.label.startswith("Download healing-journal-2026") for b in at.get("download_button"))


def test_dicom_files_are_prepared_under_the_name_chosen(one_day_folder: Path) -> None:
    at = open_page("export_backup.py")
    assert by_label(at.multiselect, "Photos").value == [1]  # every photo to begin with
    name = by_label(at.text_input, "Name in the file")
    name.input("A=E").run()
    assert any("cannot contain '='" in e.value for e in at.error)
    assert "Prepare DICOM files" not in [b.label for b in at.button]  # nothing to prepare with a bad name
    by_label(at.text_input, "Name in the file").input("A.E.").run()
    button(at, "Prepare DICOM files").click().run()
    assert_clean(at)
    (download,) = [b for b in at.get("download_button") if "dicom" in b.label]
    assert download.label.startswith("Download healing-journal-dicom-")
    with reopen(one_day_folder) as journal:
        expected = journal.export_dicom(patient_name="A.E.")
    assert download.proto.label.endswith(f"({max(1, round(len(expected) / 1024))} KB)")
    by_label(at.multiselect, "Photos").set_value([]).run()
    assert any("Choose at least one photo" in i.value for i in at.info)


# --- one page run reads the journal once ----------------------------------------------


def test_a_home_render_reads_the_journal_in_a_handful_of_statements(demo_folder: Path) -> None:
    from ui.session import journal

    open_framed("home.py")  # warms up: the first run also opens and migrates the journal
    shared = journal()
    before = shared.statement_count
    at = AppTest.from_file(str(ROOT / "journal_app.py"), default_timeout=TIMEOUT).run()
    assert_clean(at)
    statements = shared.statement_count - before
    # BEGIN, profile, treatments, entries, photos, products, flag responses, shares, COMMIT:
    # one snapshot, judged once.
    assert statements <= 9, statements
    assert [t.value for t in at.title] == ["Healing Journal"]


# --- backup and restore ------------------------------------------------------------------

PASSPHRASE = "seven quiet lanterns drift home"


def _encrypted_backup_of_one_day(tmp_path: Path) -> bytes:
    folder = tmp_path / "elsewhere"
    with Journal.open(folder, settings=Settings(data_dir=folder, today=lambda: FIXED)) as source:
        source.add_treatment(FIXED, ["face"], device="Pen", needle_depth_mm=1.0)
        entry_id = source.save_entry(FIXED, "face", redness=3, notes="from the backup")
        source.add_photo(entry_id, skin_photo(0.75, seed=1, size=(640, 480)), filename="day0.jpg")
        return source.backup(passphrase=PASSPHRASE)


def test_backup_proposes_a_passphrase_and_saves_into_a_folder(one_day_folder: Path, tmp_path: Path) -> None:
    from store.backup import inspect

    at = open_page("export_backup.py")
    assert at.radio(key="backup_protection").value == "With a passphrase (recommended)"
    assert any("cannot recover it" in c.value or "nobody can recover" in c.value for c in at.caption)
    folder = tmp_path / "my-backups"
    folder.mkdir()
    at.text_input(key="backup_passphrase").input(PASSPHRASE)
    at.text_input(key="backup_passphrase_again").input(PASSPHRASE)
    at.text_input(key="backup_folder").input(str(folder))
    at.button(key="save_backup").click().run()
    assert_clean(at)
    (saved,) = folder.iterdir()
    assert saved.name == f"healing-journal-backup-{FIXED.isoformat()}.zip"
    # Shown as text: the path's Markdown characters are escaped.
    assert escape_markdown(str(saved)) in at.success[0].value and "encrypted" in at.success[0].value
    assert inspect(saved).encrypted
    target = tmp_path / "check"
    with Journal.restore(saved, target, passphrase=PASSPHRASE, settings=Settings(target, lambda: FIXED)) as restored:
        assert len(restored.photos()) == 1
    at.button(key="save_backup").click().run()  # a second backup the same day never overwrites the first
    assert {p.name for p in folder.iterdir()} == {saved.name, f"healing-journal-backup-{FIXED.isoformat()}-2.zip"}


@pytest.mark.parametrize(
    ("first", "second", "words"), [("", "", "at least 10"), (PASSPHRASE, PASSPHRASE + "!", "differ")]
)
def test_backup_refuses_a_weak_or_mistyped_passphrase(
    one_day_folder: Path, tmp_path: Path, first: str, second: str, words: str
) -> None:
    at = open_page("export_backup.py")
    at.text_input(key="backup_passphrase").input(first)
    at.text_input(key="backup_passphrase_again").input(second)
    at.text_input(key="backup_folder").input(str(tmp_path))
    at.button(key="save_backup").click().run()
    assert_clean(at)
    assert any(words in e.value for e in at.error), [e.value for e in at.error]
    assert list(tmp_path.glob("*.zip")) == [] and list(tmp_path.glob(".*partial")) == []


def test_backup_without_encryption_is_an_explicit_choice(one_day_folder: Path, tmp_path: Path) -> None:
    from store.backup import inspect

    at = open_page("export_backup.py")
    at.radio(key="backup_protection").set_value("Without encryption").run()
    assert any("anyone who gets hold of the file" in w.value for w in at.warning)
    assert not [t for t in at.text_input if t.key == "backup_passphrase"]
    at.text_input(key="backup_folder").input(str(tmp_path))
    at.button(key="save_backup").click().run()
    assert_clean(at)
    (saved,) = tmp_path.glob("*.zip")
    assert not inspect(saved).encrypted and "not encrypted" in at.success[0].value


def test_download_is_offered_only_for_a_small_journal(one_day_folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = open_page("export_backup.py")
    button(at, "Prepare backup for download").click().run()
    assert any("at least 10" in e.value for e in at.error)  # encrypted by default: a passphrase first
    at = open_page("export_backup.py")
    at.text_input(key="backup_passphrase").input(PASSPHRASE)
    at.text_input(key="backup_passphrase_again").input(PASSPHRASE)
    button(at, "Prepare backup for download").click().run()
    assert_clean(at)
    assert any(b.label.startswith("Download healing-journal-backup") for b in at.get("download_button"))
    monkeypatch.setattr("store.backup.places.DOWNLOAD_LIMIT", 10_000)
    at = open_page("export_backup.py")
    assert "Prepare backup for download" not in [b.label for b in at.button]
    assert any("too large to hand to the browser" in c.value for c in at.caption)


def test_restore_into_this_still_empty_journal(empty_folder: Path, tmp_path: Path) -> None:
    at = open_page("export_backup.py")
    assert button(at, "Restore into this journal").disabled
    at.file_uploader(key="restore_file").set_value(
        ("backup.zip", _encrypted_backup_of_one_day(tmp_path), "application/zip")
    )
    at.run()
    at.text_input(key="restore_passphrase").input(PASSPHRASE)
    button(at, "Restore into this journal").click().run()
    assert_clean(at)
    assert not at.error, [e.value for e in at.error]
    assert escape_markdown("restored into this journal: 1 entries, 1 photos") in at.success[0].value
    # The page now shows the restored journal: it is no longer empty.
    assert "Restore into this journal" not in [b.label for b in at.button]
    with reopen(empty_folder, FIXED) as restored:
        assert [e.notes for e in restored.entry_list()] == ["from the backup"]
        assert restored.photos()[0].path.is_file()
    assert [p.name for p in empty_folder.iterdir() if p.name.startswith((".restore-", ".backup-"))] == []


def test_restore_into_this_journal_with_a_wrong_passphrase_changes_nothing(empty_folder: Path, tmp_path: Path) -> None:
    at = open_page("export_backup.py")
    at.file_uploader(key="restore_file").set_value(
        ("backup.zip", _encrypted_backup_of_one_day(tmp_path), "application/zip")
    )
    at.run()
    at.text_input(key="restore_passphrase").input("not the passphrase")
    button(at, "Restore into this journal").click().run()
    assert_clean(at)
    assert any("passphrase is wrong" in e.value for e in at.error), [e.value for e in at.error]
    with reopen(empty_folder, FIXED) as journal:
        assert journal.entry_list() == [] and journal.integrity_check() == "ok"
    assert [p.name for p in empty_folder.iterdir() if p.name.startswith(".restore-")] == []
    at.run()  # the page carries on with the journal
    assert_clean(at)
    assert "Restore into this journal" in [b.label for b in at.button]


def test_restore_from_a_file_path_into_a_new_folder(one_day_folder: Path, tmp_path: Path) -> None:
    archive = tmp_path / "from-disk.zip"
    archive.write_bytes(_encrypted_backup_of_one_day(tmp_path))
    at = open_page("export_backup.py")
    assert "Restore into this journal" not in [b.label for b in at.button]  # this journal is not empty
    at.radio(key="restore_source").set_value("A file on this computer").run()
    at.text_input(key="restore_path").input(str(archive)).run()
    at.text_input(key="restore_passphrase").input(PASSPHRASE)
    target = tmp_path / "restored-here"
    at.text_input(key="restore_folder").input(str(target))
    button(at, "Restore").click().run()
    assert_clean(at)
    assert not at.error, [e.value for e in at.error]
    assert escape_markdown(str(target)) in at.success[0].value
    assert any(str(target) in code.value for code in at.code), "the command to open it, as code"
    with reopen(target, FIXED) as restored:
        assert len(restored.photos()) == 1


def test_a_path_that_is_not_a_backup_is_explained(one_day_folder: Path, tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("not a backup")
    at = open_page("export_backup.py")
    at.radio(key="restore_source").set_value("A file on this computer").run()
    at.text_input(key="restore_path").input(str(other)).run()
    assert_clean(at)
    assert any("not a ZIP file" in e.value for e in at.error)
    at.text_input(key="restore_path").input(str(tmp_path / "absent.zip")).run()
    assert any("There is no backup file" in e.value for e in at.error)


def test_the_sidebar_tells_about_removed_leftovers(tmp_path: Path, use_folder) -> None:
    folder = use_folder(tmp_path / "with-leftovers")
    Journal.open(folder, settings=Settings(data_dir=folder, today=lambda: FIXED)).close()
    (folder / ".backup-0123456789abcdef.sqlite3").write_bytes(bytes(4096))  # as a killed backup leaves it
    at = AppTest.from_file(str(ROOT / "journal_app.py"), default_timeout=TIMEOUT).run()
    assert_clean(at)
    assert any("1 interrupted backup" in i.value for i in at.sidebar.info), [i.value for i in at.sidebar.info]
    assert not (folder / ".backup-0123456789abcdef.sqlite3").exists()


def test_uploads_and_downloads_share_one_limit() -> None:
    """A backup passes through the browser only while it is small: Streamlit holds uploads
    and downloads in memory (store/backup/places.py)."""
    import tomllib

    from store.backup.places import DOWNLOAD_LIMIT

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] * 2**20 == DOWNLOAD_LIMIT


# --- clinical rules v2 on the screens ------------------------------------------------------


def test_the_treatment_form_saves_the_usual_skin_as_the_day_before(empty_folder: Path) -> None:
    day = FIXED - dt.timedelta(days=2)
    at = open_page("treatments.py")
    by_label(at.date_input, "Date").set_value(day)
    by_label(at.number_input, "Needle depth (mm)").set_value(0.5)
    by_label(at.text_input, "Practitioner or clinic").input("Dr Ana Lima")
    by_label(at.text_input, "Their phone number or e-mail").input("+44 20 7946 0000")
    at.button_group(key="treatment-cold_sore_at_treatment-0").set_value(True)
    at.radio(key="usual-redness-0").set_value(2)
    at.radio(key="usual-spots-0").set_value(1)
    button(at, "Add treatment").click().run()
    assert_clean(at)
    assert any("usual skin is kept as" in s.value for s in at.success)
    with reopen(empty_folder, FIXED) as journal:
        (treatment,) = journal.treatments()
        assert treatment.practitioner_contact == "+44 20 7946 0000"
        assert treatment.answer("cold_sore_at_treatment") is True and treatment.answer("active_acne") is None
        usual = journal.entry(day - dt.timedelta(days=1), "face")
        assert usual is not None and rated(usual) == (2, None, 1)
        view = journal.workspace().view
        assert view.baseline("face").level(Sign.REDNESS) == 2
        assert any(f.key == "cold_sore_at_treatment" for f in view.risk_factors)


def test_the_profile_asks_the_questions_that_change_the_risk(empty_folder: Path) -> None:
    at = open_page("treatments.py")
    at.button_group(key="profile-blood_thinners").set_value(True)
    at.button_group(key="profile-pregnant").set_value(False)
    button(at, "Save profile").click().run()
    assert_clean(at)
    with reopen(empty_folder, FIXED) as journal:
        profile = journal.profile()
        assert profile.answer("blood_thinners") is True and profile.answer("pregnant") is False
        assert profile.answer("keloid_tendency") is None  # not answered, not "no"
        assert [f.key for f in journal.risk_factors()] == ["blood_thinners"]


def test_an_emergency_sign_ticked_on_log_a_day_is_said_first_on_home(one_day_folder: Path) -> None:
    at = open_page("log_day.py")
    at.checkbox(key=f"lips_throat-{_suffix()}").check()
    button(at, "Save day").click().run()
    assert_clean(at)
    home = open_framed("home.py")
    assert_clean(home)
    assert "Call emergency services now" in home.error[0].value
    assert any("Swelling of the lips" in e.value for e in home.error)


def test_nothing_reassuring_before_anything_is_logged(empty_folder: Path) -> None:
    with reopen(empty_folder, FIXED) as journal:
        journal.add_treatment(FIXED, ["face"], needle_depth_mm=1.0)
    at = open_framed("home.py")
    assert_clean(at)
    shown = " ".join(m.value for m in (*at.markdown, *at.success, *at.info))
    assert "On track" not in shown and "Nothing unusual" not in shown
    assert "Nothing logged yet" in shown


def test_add_your_treatment_comes_first_and_a_booked_session_counts_down(empty_folder: Path) -> None:
    at = open_page("treatments.py")
    # Home's first task links here: the treatment form leads, the profile follows.
    assert [h.value for h in at.header][0] == "Add your treatment"
    booked = FIXED + dt.timedelta(days=21)
    by_label(at.date_input, "Date").set_value(FIXED - dt.timedelta(days=2))
    button(at, "Add treatment").click().run()
    assert_clean(at)
    assert [h.value for h in at.header][:2] == ["Your treatments", "Add a treatment"]
    (new_day,) = [d for d in at.date_input if d.label == "Date" and d.form_id == "treatment-1"]
    new_day.set_value(booked)
    button(at, "Add treatment").click().run()
    assert_clean(at)
    table = at.dataframe[0].value
    assert list(table["Booked"]) == ["", "booked, still to come"]
    home = open_framed("home.py")
    assert_clean(home)
    shown = " ".join(m.value for m in home.markdown)
    assert f"Next session, {booked:%a %d %b}" in shown
    # The course's own later checkpoints before the session stay; Week 6 falls after it.
    assert "Two-week check" in shown and "Week 6" not in shown
    # The chart shows the course that has happened, not the empty one still to come.
    chart = open_framed("recovery_chart.py")
    assert_clean(chart)
    assert not [r for r in chart.radio if r.label == "Treatment"], "one session so far: nothing to choose"


def test_a_treatment_edited_here_but_removed_in_another_tab_can_be_recorded_again(one_day_folder: Path) -> None:
    at = open_page("treatments.py")
    with reopen(one_day_folder, FIXED) as journal:
        (treatment,) = journal.treatments()
        journal.delete_treatment(treatment.id)  # another tab
    at.text_input(key=f"treatment-{treatment.id}-device").input("Dermapen 4")
    button(at, "Save changes").click().run()
    assert_clean(at)
    shown = " ".join(m.value for m in (*at.warning, *at.error, *at.info, *at.markdown))
    assert "was removed in another window" in shown, shown
    button(at, "Save mine again").click().run()
    assert_clean(at)
    with reopen(one_day_folder, FIXED) as journal:
        (again,) = journal.treatments()
        assert again.device == "Dermapen 4" and again.day == FIXED and again.areas == ("face",)
        assert again.needle_depth_mm == 1.0
