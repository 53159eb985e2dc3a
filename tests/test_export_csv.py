"""CSV export: exact bytes on a small journal, units in the header, safe cells."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from demo.skin import skin_photo
from export.csv_export import COLUMNS, entries_csv
from export.signed import table_part
from healing_journal import Journal, Settings
from recovery.language import speaking
from recovery.vocabulary import Sign, level_words
from tests import builders

TODAY = dt.date(2026, 11, 24)

HEADER = (
    "day (YYYY-MM-DD),area,days_since_treatment (days),treatment_day (YYYY-MM-DD),"
    "redness (0-4 CEA-based: 0 clear .. 4 severe),swelling (0-4 Draize-based: 0 none .. 4 severe),"
    "spots (0-4: 0 none .. 4 new dark patches over much of the area),"
    "pain (0-4: 0 none .. 4 severe pain),itch (0-4: 0 none .. 4 severe),"
    "bleeding (yes/no),dryness (yes/no),sunscreen (yes/no),sun_avoided (yes/no),gentle_products (yes/no),"
    "hydrated (yes/no),makeup_avoided (yes/no),pus (yes/no),crust (yes/no),spreading_redness (yes/no),"
    "warmth (yes/no),increasing_pain (yes/no),fever (yes/no),blisters (yes/no),itchy_bumps (yes/no),"
    "track_marks (yes/no),lips_throat (yes/no),breathing (yes/no),eye (yes/no),fever_shivering (yes/no),"
    "photo_count (photos),notes,"
    # What the dermatologist asks first (clinical rules v3).
    "treatment_reason,products_from_this_day (name; ...),medicines_from_this_day (kind: name; ...),"
    "flags_from_this_day (what to do: flag; patient did)\n"
)


@pytest.fixture
def journal(tmp_path):
    folder = tmp_path / "j"
    journal = Journal.open(folder, settings=Settings(data_dir=folder, today=lambda: TODAY))
    journal.add_treatment("2026-11-20", "face", device="Dermapen 4", needle_depth_mm=1.0, serums="hyaluronic acid")
    day0 = journal.save_entry(
        "2026-11-20",
        "face",
        redness=4,
        swelling=3,
        spots=0,
        bleeding=True,
        dryness=False,
        sunscreen=True,
        notes='Day 0, "tight" feeling',
    )
    journal.add_photo(day0, skin_photo(0.9, seed=1), "day0.jpg")
    journal.save_entry(
        "2026-11-21", "face", redness=2, swelling=1, sunscreen=False, pus=False, notes="=1+1\r\nsecond line"
    )
    journal.save_entry("2026-11-21", "neck", redness=1)
    yield journal
    journal.close()


def test_exact_bytes_of_a_small_journal(journal):
    expected = (
        HEADER
        + '2026-11-20,face,0,2026-11-20,4,3,0,,,yes,no,yes,,,,,,,,,,,,,,,,,,1,"Day 0, ""tight"" feeling",,,,\n'
        + '2026-11-21,face,1,2026-11-20,2,1,,,,,,no,,,,,no,,,,,,,,,,,,,0,"\'=1+1\nsecond line",,,,'
        + "Keep an eye on it: Sun protection; patient did: not recorded\n"
        + "2026-11-21,neck,,,1,,,,,,,,,,,,,,,,,,,,,,,,,0,,,,,\n"
    )
    assert table_part(journal.export_csv()) == expected.encode("utf-8")  # the signature rows follow (test_signing)


def test_same_journal_same_bytes(journal):
    # Saving an entry again changes its updated_at, which must not reach the file.
    first = journal.export_csv()
    journal.save_entry("2026-11-21", "neck", redness=1)
    assert journal.export_csv() == first


def test_filters_by_area_and_days(journal):
    assert (
        table_part(journal.export_csv(area="neck"))
        == (HEADER + "2026-11-21,neck,,,1,,,,,,,,,,,,,,,,,,,,,,,,,0,,,,,\n").encode()
    )
    rows = list(
        csv.reader(
            io.StringIO(table_part(journal.export_csv(start=dt.date(2026, 11, 21), end=dt.date(2026, 11, 21))).decode())
        )
    )
    assert [row[:2] for row in rows[1:]] == [["2026-11-21", "face"], ["2026-11-21", "neck"]]
    assert table_part(journal.export_csv(end=dt.date(2026, 11, 19))) == HEADER.encode()


def test_header_names_match_the_app_scales():
    headers = [header for header, _ in COLUMNS]
    redness = next(h for h in headers if h.startswith("redness"))
    assert redness.endswith(f"0 {level_words(Sign.REDNESS, 0)} .. 4 {level_words(Sign.REDNESS, 4)})")
    assert all(f"{key} (yes/no)" in headers for key in ("bleeding", "sunscreen", "fever"))
    assert len(set(headers)) == len(COLUMNS)


def test_a_spanish_export_keeps_each_columns_key_and_translates_its_scale(journal):
    """README, "Languages": a column's key (up to " (") is the same in every language; its
    unit, scale and yes/no words are the export's language. The English header stays exact."""
    journal.save_profile(language="es")
    rows = list(csv.DictReader(io.StringIO(journal.export_csv().decode())))
    english = next(csv.reader(io.StringIO(journal.export_csv(language="en").decode())))
    spanish = list(rows[0])
    assert [name.split(" (")[0] for name in spanish] == [name.split(" (")[0] for name in english]
    assert spanish != english
    assert "bleeding (sí/no)" in spanish and "photo_count (fotos)" in spanish
    redness = next(name for name in spanish if name.startswith("redness"))
    with speaking("es"):
        assert level_words(Sign.REDNESS, 4) in redness and level_words(Sign.REDNESS, 4) not in english[4]
    first = rows[0]
    assert first["bleeding (sí/no)"] == "sí" and first["redness" + redness[len("redness") :]] == "4"


@pytest.mark.parametrize(
    "text",
    [
        '=HYPERLINK("x")',
        "+1",
        "-2",
        "@SUM(A1)",
        "\tx",
        '  =HYPERLINK("http://evil.invalid")',  # leading spaces
        "\n=1+1",
        "\ufeff=cmd|' /C calc'!A0",  # a byte-order mark first
        "\u200b=1+1",  # zero-width space
        "\u200d\u2060@SUM(A1)",  # zero-width joiner, word joiner
        "\u00a0\u3000=1",  # no-break and ideographic spaces
        '\uff1dHYPERLINK("x")',  # full-width =
        "\uff0b1",  # full-width +
        "\uff0d1",  # full-width -
        "\uff20SUM(A1)",  # full-width @
    ],
)
def test_cells_that_spreadsheets_would_run_as_formulas_are_defused(text):
    data = entries_csv([builders.entry({"day": dt.date(2026, 11, 20), "area": "face", "notes": text})]).decode()
    notes = list(csv.reader(io.StringIO(data)))[1][-1]
    assert notes == "'" + text


@pytest.mark.parametrize("text", ["fine today", " a little red", "\u200bok", "3 = better", "e-mail me"])
def test_ordinary_notes_are_left_as_typed(text):
    data = entries_csv([builders.entry({"day": dt.date(2026, 11, 20), "area": "face", "notes": text})]).decode()
    assert list(csv.reader(io.StringIO(data)))[1][-1] == text


def test_plain_records_without_optional_fields():
    data = entries_csv([builders.entry({"day": dt.date(2026, 1, 2), "area": "face", "redness": 0, "bleeding": 0})])
    row = list(csv.reader(io.StringIO(data.decode())))[1]
    assert row[:10] == ["2026-01-02", "face", "", "", "0", "", "", "", "", "no"]
    assert b"\r" not in data


def test_the_story_columns_hold_reason_products_medicines_and_what_was_done(tmp_path):
    folder = tmp_path / "story"
    with Journal.open(folder, settings=Settings(data_dir=folder, today=lambda: TODAY)) as journal:
        journal.add_treatment("2026-11-20", "face", needle_depth_mm=1.0, reason="Acne scars")
        journal.save_entry("2026-11-22", "face", redness=1, blisters=True)
        journal.add_product("2026-11-22", "skin product", "=Glow cream")
        journal.add_product("2026-11-22", "antiviral", "Antiviral tablets")
        card = next(c for c in journal.workspace().view.cards if c.cause[0] == "warnings")
        journal.save_response(card.key, "seen by doctor", "GP")
        rows = list(csv.reader(io.StringIO(journal.export_csv().decode())))
    header, row = rows[0], rows[1]
    story = dict(zip(header[-4:], row[-4:]))
    assert story["treatment_reason"] == "Acne scars"
    assert story["products_from_this_day (name; ...)"] == "'=Glow cream"  # never a formula
    assert story["medicines_from_this_day (kind: name; ...)"] == "antiviral: Antiviral tablets"
    assert story["flags_from_this_day (what to do: flag; patient did)"] == (
        "See a doctor today: Warning sign: Blisters or cold sores; patient did: Seen by a doctor (GP)"
    )


def test_a_product_started_on_a_day_with_no_entry_gets_a_row_of_its_own(tmp_path):
    folder = tmp_path / "products"
    with Journal.open(folder, settings=Settings(data_dir=folder, today=lambda: TODAY)) as journal:
        journal.add_treatment("2026-11-20", "face", needle_depth_mm=1.0)
        journal.save_entry("2026-11-21", "face", redness=2)
        journal.save_entry("2026-11-23", "face", redness=1)
        journal.add_product("2026-11-20", "skin product", "Plain moisturiser")  # before the first entry
        journal.add_product("2026-11-22", "antibiotic", "Antibiotic cream")  # between two entries
        journal.add_product("2026-11-24", "skin product", "Vitamin C serum")  # after the last
        rows = list(csv.DictReader(io.StringIO(table_part(journal.export_csv()).decode())))
        narrowed = list(
            csv.DictReader(io.StringIO(table_part(journal.export_csv(start=dt.date(2026, 11, 21))).decode()))
        )
    days = [row["day (YYYY-MM-DD)"] for row in rows]
    assert days == ["2026-11-20", "2026-11-21", "2026-11-22", "2026-11-23", "2026-11-24"]
    by_day = {row["day (YYYY-MM-DD)"]: row for row in rows}
    assert by_day["2026-11-20"]["products_from_this_day (name; ...)"] == "Plain moisturiser"
    assert by_day["2026-11-20"]["area"] == ""  # a product is not an area's entry
    assert by_day["2026-11-22"]["medicines_from_this_day (kind: name; ...)"] == "antibiotic: Antibiotic cream"
    assert by_day["2026-11-24"]["products_from_this_day (name; ...)"] == "Vitamin C serum"
    assert [row["day (YYYY-MM-DD)"] for row in narrowed] == ["2026-11-21", "2026-11-22", "2026-11-23", "2026-11-24"]
