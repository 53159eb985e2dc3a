"""Photo measurements as the journal stores and shows them (issue: measure the photos)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from PIL import Image

from healing_journal import InvalidEntry, Journal
from photometry.metrics import Rect
from recovery.adherence import first_week
from recovery.photo_trend import DISAGREEMENT_STEPS, daily_measurements
from store.photos.analysed import Region, default_region
from tests import synthetic_skin as skin
from tests.conftest import FIXED_DAY
from ui.photo_composites import annotated_preview

TREATED = Rect(0.3, 0.3, 0.7, 0.7)
UNTREATED = Rect(0.02, 0.02, 0.14, 0.14)
MEASUREMENT_NAMES = (
    "a_star",
    "delta_a_star",
    "erythema_index",
    "l_star",
    "b_star",
    "ita",
    "spot_count",
    "spot_fraction",
    "sharpness",
    "lighting_differs",
)


def _jpeg(image: Image.Image, quality: int = 92) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


def _skin_photo(redness: float, *, seed: int = 3, gain: float = 1.0, cast=(1.0, 1.0, 1.0)) -> Image.Image:
    linear = skin.skin(800, 600, seed=seed)
    linear = skin.add_redness(linear, TREATED, redness)
    linear = skin.add_wall(linear)  # something neutral in view, to check the light on
    return skin.to_image(skin.relight(linear, gain=gain, cast=cast))


def _day(offset: int) -> dt.date:
    return FIXED_DAY - dt.timedelta(days=10 - offset)


@pytest.fixture
def treated(journal: Journal) -> Journal:
    journal.add_treatment(_day(0), "face")
    return journal


def _add(
    journal: Journal, offset: int, image: Image.Image, *, redness: int | None = None, quality: int = 92, view: str = ""
) -> int:
    entry = journal.save_entry(_day(offset), "face", redness=redness)
    return journal.add_photo(
        entry, _jpeg(image, quality), filename=f"day{offset}{view}.jpg", view=view or "unspecified"
    )


def test_every_photo_record_carries_the_documented_measurements(treated: Journal) -> None:
    _add(treated, 0, _skin_photo(0.6))
    (photo,) = treated.photos()
    for name in MEASUREMENT_NAMES:
        assert hasattr(photo, name), name
    assert isinstance(photo.a_star, float) and isinstance(photo.spot_count, int)
    assert photo.delta_a_star is None  # no reference patch yet
    assert photo.lighting_differs is False  # the first photo is the baseline
    assert -90 <= photo.ita <= 90


def test_redder_photo_measures_redder(treated: Journal) -> None:
    _add(treated, 0, _skin_photo(0.8))
    _add(treated, 5, _skin_photo(0.0))
    red, calm = treated.photos()
    assert red.a_star > calm.a_star + 2
    assert red.erythema_index > calm.erythema_index


def test_lighting_check_marks_a_dim_yellow_photo_but_not_a_requality(treated: Journal) -> None:
    _add(treated, 0, _skin_photo(0.2))
    _add(treated, 1, _skin_photo(0.2), quality=70)
    _add(treated, 2, _skin_photo(0.2, gain=0.6, cast=(1.05, 1.0, 0.7)))
    baseline, requality, dim_yellow = treated.photos()
    assert not baseline.lighting_differs
    assert not requality.lighting_differs
    assert dim_yellow.lighting_differs


def test_setting_a_region_remeasures_with_progress(treated: Journal) -> None:
    for offset in range(3):
        _add(treated, offset, _skin_photo(0.6 - 0.2 * offset, seed=offset))
    progress: list[tuple[int, int]] = []
    region = Region(
        (TREATED.left, TREATED.top, TREATED.right, TREATED.bottom),
        (UNTREATED.left, UNTREATED.top, UNTREATED.right, UNTREATED.bottom),
    )
    assert treated.set_region("face", region, progress=lambda done, total: progress.append((done, total))) == 3
    assert progress == [(1, 3), (2, 3), (3, 3)]
    assert treated.region("face") == region
    deltas = [photo.delta_a_star for photo in treated.photos()]
    assert all(delta is not None for delta in deltas)
    assert deltas[0] > deltas[1] > deltas[2]


def test_an_unusable_region_is_refused_and_the_old_one_kept(treated: Journal) -> None:
    with pytest.raises(InvalidEntry, match="left"):
        treated.set_region("face", Region((0.6, 0.2, 0.4, 0.8)))
    assert treated.region("face") == default_region()


def test_a_clear_rating_on_a_clearly_redder_photo_is_an_info_note(treated: Journal) -> None:
    _add(treated, 0, _skin_photo(0.0), redness=0)
    _add(treated, 4, _skin_photo(1.0), redness=0)
    measured = treated.measurements("face")
    assert measured[1].redness_scaled >= DISAGREEMENT_STEPS
    notes = [f for f in treated.flags("face") if f.rule_id == "measured_redness_disagrees"]
    assert len(notes) == 1 and notes[0].severity == "info" and notes[0].first_day == _day(4)


def test_agreeing_ratings_raise_no_note(treated: Journal) -> None:
    _add(treated, 0, _skin_photo(1.0), redness=3)
    _add(treated, 4, _skin_photo(0.0), redness=0)
    assert not [f for f in treated.flags("face") if f.rule_id == "measured_redness_disagrees"]


def test_daily_measurements_use_the_calmest_day_as_baseline(treated: Journal) -> None:
    _add(treated, 0, _skin_photo(0.9))
    _add(treated, 3, _skin_photo(0.0))
    first, calm = daily_measurements(treated.photos())
    assert calm.redness_scaled == 0
    assert first.redness_scaled > 0


def test_daily_measurements_follow_one_view_the_one_photographed_on_the_most_days(treated: Journal) -> None:
    """A side view sees other skin than the front: mixing them into one day's figure would
    make a day with a side photo look redder or calmer for no reason of the skin's."""
    _add(treated, 0, _skin_photo(0.2), view="front")
    _add(treated, 3, _skin_photo(0.2, seed=4), view="front")
    _add(treated, 3, _skin_photo(1.0, seed=5), view="left")  # far redder, another view: not in the series
    photos = treated.photos()
    assert all(photo.a_star is not None for photo in photos)  # each measured
    fronts = [photo for photo in photos if photo.view == "front"]
    assert daily_measurements(photos) == daily_measurements(fronts)
    assert daily_measurements(photos)[1].redness_scaled < 0.5


def test_measured_days_keep_their_older_unnamed_photos_when_a_named_view_takes_over(treated: Journal) -> None:
    """Photos from before views (no named view) on three days, then the front on two: the
    series follows the front, and the older days stay in it rather than vanishing."""
    for offset, seed in ((0, 11), (1, 12), (2, 13)):
        _add(treated, offset, _skin_photo(0.3, seed=seed))
    _add(treated, 4, _skin_photo(0.3, seed=14), view="front")
    _add(treated, 5, _skin_photo(0.3, seed=15), view="front")
    _add(treated, 5, _skin_photo(1.0, seed=16), view="left")  # another named view: never mixed in
    measured = daily_measurements(treated.photos())
    assert [m.day for m in measured] == [_day(0), _day(1), _day(2), _day(4), _day(5)]
    without_left = [photo for photo in treated.photos() if photo.view != "left"]
    assert measured == daily_measurements(without_left)


def test_annotated_preview_draws_on_the_analysis_copy(treated: Journal) -> None:
    _add(treated, 0, _skin_photo(0.3))
    (photo,) = treated.photos()
    plain = annotated_preview(photo.path, default_region(), show_spots=False)
    assert max(plain.size) <= 1024
    white_edge = plain.getpixel((round(0.25 * plain.width), round(0.5 * plain.height)))
    assert white_edge == (255, 255, 255)


def test_first_week_adherence_tells_unlogged_from_not_done(treated: Journal) -> None:
    treated.save_entry(_day(0), "face", sunscreen=True, sun_avoided=False)
    records = treated.entry_list("face")
    rows = {row.question.key: row.days for row in first_week(records, records[0].treatment_id, last_day=7)}
    assert len(rows["sunscreen"]) == 8
    assert rows["sunscreen"][0] is True and rows["sunscreen"][1] is None
    assert rows["sun_avoided"][0] is False


def test_pdf_shows_the_measured_series_and_the_lighting_caveat(treated: Journal, tmp_path) -> None:
    import subprocess

    _add(treated, 0, _skin_photo(0.6), redness=3)
    _add(treated, 1, _skin_photo(0.4, gain=0.6, cast=(1.05, 1.0, 0.7)), redness=2)
    pdf = tmp_path / "summary.pdf"
    pdf.write_bytes(treated.export_pdf())
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "measured from the photos" in flat
    assert f"Lighting differs from the first photo on {_day(1).isoformat()}" in flat


def test_a_photo_with_nothing_neutral_in_view_says_its_light_was_not_checked(treated: Journal, tmp_path) -> None:
    import subprocess

    from store.photos.analysed import lighting_note

    def skin_only(redness: float) -> Image.Image:
        return skin.to_image(skin.add_redness(skin.skin(800, 600, seed=3), TREATED, redness))

    # Close-ups of the treated skin: no wall, no card, no untreated patch marked.
    _add(treated, 0, skin_only(0.6), redness=3)
    _add(treated, 1, skin_only(0.4), redness=2)
    first, close = treated.photos()
    assert first.lighting_unchecked and close.lighting_unchecked  # the first has nothing to offer either
    assert not first.lighting_differs and not close.lighting_differs
    note = lighting_note(close, first)
    assert note is not None and note.startswith("Light not checked: nothing neutral in view")
    pdf = tmp_path / "summary.pdf"
    pdf.write_bytes(treated.export_pdf())
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert f"Light not checked on {_day(0).isoformat()}, {_day(1).isoformat()}: nothing neutral" in flat
    assert "Lighting differs" not in flat
