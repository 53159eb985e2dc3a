"""The journal's tables, as ordered migrations recorded in the database.

Later features add columns with a new migration at the end; a migration that
has run is never edited.
"""

from __future__ import annotations

from sqlite_utils import Database, Migrations

from recovery.vocabulary import AREAS, RATING_MAX

migrations = Migrations("healing_journal")


def _rating(column: str) -> str:
    return f"{column} INTEGER CHECK ({column} IS NULL OR {column} BETWEEN 0 AND {RATING_MAX})"


def _flag(column: str) -> str:
    # NULL = not answered (e.g. a day created by a photo import), unlike 0 = "no".
    return f"{column} INTEGER CHECK ({column} IS NULL OR {column} IN (0, 1))"


# The yes/no columns of the first version, frozen here: a migration that has
# run never changes, later questions arrive through migrations of their own.
_FIRST_YES_NO_KEYS = (
    "bleeding",
    "dryness",
    "sunscreen",
    "sun_avoided",
    "gentle_products",
    "hydrated",
    "pus",
    "spreading_redness",
    "warmth",
    "increasing_pain",
    "fever",
    "blisters",
    "itchy_bumps",
)

_AREA_CHECK = "area TEXT NOT NULL CHECK (area IN ({}))".format(", ".join(f"'{a}'" for a in AREAS))


@migrations()
def m001_initial(db: Database) -> None:
    db.execute(
        """CREATE TABLE profile (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            name TEXT NOT NULL DEFAULT '',
            fitzpatrick INTEGER CHECK (fitzpatrick IS NULL OR fitzpatrick BETWEEN 1 AND 6),
            melasma_history INTEGER NOT NULL DEFAULT 0,
            pih_history INTEGER NOT NULL DEFAULT 0,
            cold_sores INTEGER NOT NULL DEFAULT 0
        )"""
    )
    db.execute(
        """CREATE TABLE treatments (
            id INTEGER PRIMARY KEY,
            day TEXT NOT NULL,
            device TEXT NOT NULL DEFAULT '',
            needle_depth_mm REAL CHECK (needle_depth_mm IS NULL OR needle_depth_mm BETWEEN 0 AND 5),
            practitioner TEXT NOT NULL DEFAULT '',
            serums TEXT NOT NULL DEFAULT '',
            notes TEXT NOT NULL DEFAULT ''
        )"""
    )
    db.execute(
        f"""CREATE TABLE treatment_areas (
            treatment_id INTEGER NOT NULL REFERENCES treatments(id) ON DELETE CASCADE,
            {_AREA_CHECK},
            PRIMARY KEY (treatment_id, area)
        )"""
    )
    checks = ",\n".join(_flag(key) for key in _FIRST_YES_NO_KEYS)
    db.execute(
        f"""CREATE TABLE entries (
            id INTEGER PRIMARY KEY,
            day TEXT NOT NULL,
            {_AREA_CHECK},
            {_rating("redness")},
            {_rating("swelling")},
            {_rating("spots")},
            {checks},
            notes TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL,
            UNIQUE (day, area)
        )"""
    )
    db.execute(
        """CREATE TABLE photos (
            id INTEGER PRIMARY KEY,
            entry_id INTEGER NOT NULL REFERENCES entries(id) ON DELETE CASCADE,
            sha256 TEXT NOT NULL,
            source_sha256 TEXT NOT NULL UNIQUE,
            path TEXT NOT NULL,
            thumb_path TEXT NOT NULL,
            width INTEGER NOT NULL,
            height INTEGER NOT NULL,
            captured_at TEXT,
            source_name TEXT NOT NULL DEFAULT '',
            added_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX photos_entry ON photos(entry_id)")
    db.execute("CREATE INDEX photos_sha ON photos(sha256)")
    db.execute("CREATE INDEX entries_area_day ON entries(area, day)")
    db.execute("CREATE INDEX treatment_areas_area ON treatment_areas(area)")


def migrate(db: Database) -> None:
    migrations.apply(db)


MEASUREMENT_COLUMNS: dict[str, str] = {
    "a_star": "REAL",
    "delta_a_star": "REAL",
    "erythema_index": "REAL",
    "l_star": "REAL",
    "b_star": "REAL",
    "ita": "REAL",
    "ita_category": "TEXT",
    "spot_count": "INTEGER",
    "spot_fraction": "REAL",
    "sharpness": "REAL",
    "clipped_highlights": "REAL",
    "clipped_shadows": "REAL",
    "mean_r": "REAL",
    "mean_g": "REAL",
    "mean_b": "REAL",
}


@migrations()
def m002_photo_measurements(db: Database) -> None:
    # Measured once at ingest (and again when the patient moves the region).
    for column, kind in MEASUREMENT_COLUMNS.items():
        db.execute(f"ALTER TABLE photos ADD COLUMN {column} {kind}")
    db.execute(
        f"""CREATE TABLE area_regions (
            {_AREA_CHECK} PRIMARY KEY,
            roi TEXT NOT NULL,
            reference TEXT
        )"""
    )


# Calibration, lighting and alignment of each photo (photometry.analysis).
CALIBRATION_COLUMNS: dict[str, str] = {
    # How colour was made comparable: 'card', 'reference' (delta to the untreated patch) or 'none'.
    "calibration": "TEXT CHECK (calibration IS NULL OR calibration IN ('card', 'reference', 'none'))",
    "card_found": "INTEGER CHECK (card_found IS NULL OR card_found IN (0, 1))",
    "card_correction": "TEXT",  # JSON: per-channel gains in linear light
    "card_residual_delta_e": "REAL",  # mean CIEDE2000 of the corrected neutral patches
    "card_problem": "TEXT",  # a card was found but not used, and why
    "mm_per_px": "REAL",  # millimetres per pixel of the stored photo, at the card
    "spot_area_mm2": "REAL",
    "light": "TEXT",  # JSON: lighting probes (card, reference, surround), linear RGB
    # 'baseline', 'aligned' or 'not aligned' (relative to the area's first photo, aligned_to)
    "alignment": "TEXT CHECK (alignment IS NULL OR alignment IN ('baseline', 'aligned', 'not aligned'))",
    "alignment_problem": "TEXT",
    "registration": "TEXT",  # JSON: matrix (relative coordinates), inliers, matches, error_px
    "aligned_to": "INTEGER",  # the photo id it was registered to
    "region_covered": "INTEGER CHECK (region_covered IS NULL OR region_covered IN (0, 1))",
}


@migrations()
def m003_photo_calibration(db: Database) -> None:
    # Filled at ingest; older photos get them when their area's region is next saved.
    for column, kind in CALIBRATION_COLUMNS.items():
        db.execute(f"ALTER TABLE photos ADD COLUMN {column} {kind}")


# The second version of the clinical rules (new ratings, aftercare, warning and
# emergency questions, profile and treatment questions). Frozen here like
# every migration's own list: later questions come with later migrations.
_V2_RATINGS = ("pain", "itch")
_V2_YES_NO = (
    "makeup_avoided",
    "crust",
    "track_marks",
    "lips_throat",
    "breathing",
    "eye",
    "fever_shivering",
)
_V2_PROFILE = (
    "isotretinoin_recent",
    "topical_retinoids",
    "blood_thinners",
    "keloid_tendency",
    "serum_allergies",
    "pregnant",
)
_V2_TREATMENT = ("active_acne", "cold_sore_at_treatment")


@migrations()
def m004_clinical_questions(db: Database) -> None:
    for column in _V2_RATINGS:
        db.execute(f"ALTER TABLE entries ADD COLUMN {_rating(column)}")
    for column in _V2_YES_NO:
        db.execute(f"ALTER TABLE entries ADD COLUMN {_flag(column)}")
    # NULL = not answered: printed as such, never as "no".
    for column in _V2_PROFILE:
        db.execute(f"ALTER TABLE profile ADD COLUMN {_flag(column)}")
    for column in _V2_TREATMENT:
        db.execute(f"ALTER TABLE treatments ADD COLUMN {_flag(column)}")
    db.execute("ALTER TABLE treatments ADD COLUMN practitioner_contact TEXT NOT NULL DEFAULT ''")


# The tables whose rows a page edits, each with the version a save states it
# was based on (store.versions).
VERSIONED_TABLES = ("profile", "treatments", "entries")


@migrations()
def m005_versions(db: Database) -> None:
    for table in VERSIONED_TABLES:
        db.execute(f"ALTER TABLE {table} ADD COLUMN version TEXT NOT NULL DEFAULT ''")
        db.execute(f"UPDATE {table} SET version = lower(hex(randomblob(8)))")
    # What the patient typed on "Log a day" but has not saved yet, one per day
    # and area (store.drafts); JSON field -> value, as recovery.edits names them.
    db.execute(
        f"""CREATE TABLE drafts (
            day TEXT NOT NULL,
            {_AREA_CHECK},
            fields TEXT NOT NULL,
            based_on TEXT NOT NULL DEFAULT '',
            base TEXT NOT NULL,
            photos TEXT NOT NULL DEFAULT '[]',
            updated_at TEXT NOT NULL,
            PRIMARY KEY (day, area)
        )"""
    )


# Clinical rules v3: what the dermatologist asks first (docs/clinical-basis.md). The
# kinds and actions are frozen here like every migration's own lists; the words
# the patient reads are recovery.vocabulary's.
_V3_PRODUCT_KINDS = ("skin product", "antiviral", "antibiotic", "steroid cream", "other medicine")
_V3_FLAG_ACTIONS = (
    "nothing yet",
    "called clinic",
    "seen by doctor",
    "started medicine",
    "stopped product",
    "emergency care",
)


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} TEXT NOT NULL CHECK ({_in(column, values)})"


@migrations()
def m006_after_treatment(db: Database) -> None:
    # Why the treatment was done: a field of its own, not buried in the notes.
    db.execute("ALTER TABLE treatments ADD COLUMN reason TEXT NOT NULL DEFAULT ''")
    # Products put on the skin and medicines started after treatment, from a day.
    db.execute(
        f"""CREATE TABLE products (
            id INTEGER PRIMARY KEY,
            day TEXT NOT NULL,
            {_one_of("kind", _V3_PRODUCT_KINDS)},
            name TEXT NOT NULL,
            notes TEXT NOT NULL DEFAULT '',
            version TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX products_day ON products(day)")
    # What the patient did about a flag's card (recovery.cards.Card.key), one per card.
    db.execute(
        f"""CREATE TABLE flag_responses (
            card_key TEXT PRIMARY KEY,
            {_one_of("action", _V3_FLAG_ACTIONS)},
            note TEXT NOT NULL DEFAULT '',
            day TEXT NOT NULL,
            version TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL
        )"""
    )


@migrations()
def m007_profile_country(db: Database) -> None:
    # The patient's country (ISO 3166-1 alpha-2), NULL = not set: the emergency
    # number the cards name (recovery.emergency_numbers). Run once, like every
    # migration; a journal restored from an older backup gains it here too.
    db.execute(
        "ALTER TABLE profile ADD COLUMN country TEXT "
        "CHECK (country IS NULL OR (length(country) = 2 AND country GLOB '[A-Z][A-Z]'))"
    )


# The files handed to someone (issue 22): kinds frozen here like every migration's lists.
_V8_SHARE_KINDS = ("pdf", "csv", "fhir", "dicom", "backup")


@migrations()
def m008_shares(db: Database) -> None:
    # One row per file exported for someone: when, for whom (may be empty), what
    # it held in the patient's words, and the SHA-256 of its bytes, so the patient
    # can later tell which file a clinic has.
    db.execute(
        f"""CREATE TABLE shares (
            id INTEGER PRIMARY KEY,
            day TEXT NOT NULL,
            {_one_of("kind", _V8_SHARE_KINDS)},
            recipient TEXT NOT NULL DEFAULT '',
            included TEXT NOT NULL DEFAULT '',
            sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
            version TEXT NOT NULL DEFAULT '',
            updated_at TEXT NOT NULL
        )"""
    )


# The languages of the first release with them (issue 23), frozen here like every migration's lists.
_V9_LANGUAGES = ("en", "es", "ar")


@migrations()
def m009_profile_language(db: Database) -> None:
    # The patient's language (recovery.language), NULL = not chosen yet (the app
    # offers the browser's): what the app, the phone page and the exports speak.
    languages = ", ".join(f"'{code}'" for code in _V9_LANGUAGES)
    db.execute(f"ALTER TABLE profile ADD COLUMN language TEXT CHECK (language IS NULL OR language IN ({languages}))")


@migrations()
def m010_photos_measured_later(db: Database) -> None:
    # 1 = stored, but its card, alignment and measurements are still to be done
    # (Log a day answers first and measures after, store.photos.later): shown as
    # "being lined up and measured", never as measured; done again on the next
    # open if the app stopped first. Stored photos were measured at ingest: 0.
    db.execute("ALTER TABLE photos ADD COLUMN measuring INTEGER NOT NULL DEFAULT 0 CHECK (measuring IN (0, 1))")
    db.execute("CREATE INDEX photos_measuring ON photos(measuring) WHERE measuring = 1")


# The views of the first release with them (issue 22), frozen here like every migration's lists.
_V11_VIEWS = ("unspecified", "front", "left", "right", "whole", "close-up")


@migrations()
def m011_photo_views(db: Database) -> None:
    # Which named view a photo is (recovery.vocabulary.View): photos are compared,
    # lined up and time-lapsed within their area's view. Photos stored before
    # views existed are "unspecified", a group of their own that works as before.
    db.execute(
        f"ALTER TABLE photos ADD COLUMN view TEXT NOT NULL DEFAULT 'unspecified' CHECK ({_in('view', _V11_VIEWS)})"
    )
