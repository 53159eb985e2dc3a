"""The new record fields are stored, versioned, read back and carried through a backup:
the reason for treatment, products and medicines after it, and what the patient did about a flag."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from healing_journal import Journal, Settings
from recovery.view import judge
from recovery.vocabulary import FlagAction, ProductKind
from store.errors import Conflict, InvalidEntry, NotFound
from store.versions import NONE
from tests.journals import reopen

TODAY = dt.date(2026, 9, 10)
PASSPHRASE = "seven quiet lanterns drift home"


def _filled(folder: Path) -> str:
    with reopen(folder, TODAY) as journal:
        journal.add_treatment(TODAY - dt.timedelta(days=9), ["face"], needle_depth_mm=1.0, reason="Acne scars")
        journal.save_entry(TODAY - dt.timedelta(days=3), "face", redness=3, itchy_bumps=True)
        journal.add_product(TODAY - dt.timedelta(days=7), ProductKind.SKIN_PRODUCT, "Radiance night cream")
        journal.add_product(TODAY - dt.timedelta(days=2), "antiviral", "Antiviral tablets", "from the GP")
        view = judge(journal.snapshot())
        card = next(c for c in view.cards if c.cause[0] == "warnings")
        journal.save_response(card.key, FlagAction.SEEN_BY_DOCTOR, "GP saw it")
        return card.key


def test_fields_are_stored_and_read_back(tmp_path: Path) -> None:
    key = _filled(tmp_path / "j")
    with reopen(tmp_path / "j", TODAY) as journal:
        snapshot = journal.snapshot()
    assert snapshot.treatments[0].reason == "Acne scars"
    assert [(p.kind, p.name) for p in snapshot.products] == [
        (ProductKind.SKIN_PRODUCT, "Radiance night cream"),
        (ProductKind.ANTIVIRAL, "Antiviral tablets"),
    ]
    assert snapshot.products[1].is_medicine and snapshot.products[1].version
    response = snapshot.response(key)
    assert response is not None and response.action is FlagAction.SEEN_BY_DOCTOR and response.day == TODAY
    # The product reaction names the product the patient logged.
    flag = next(f for f in judge(snapshot).flags if f.question == "itchy_bumps")
    assert "Radiance night cream" in flag.advice


def test_a_later_answer_replaces_the_first(tmp_path: Path) -> None:
    key = _filled(tmp_path / "j")
    with reopen(tmp_path / "j", TODAY) as journal:
        journal.save_response(key, FlagAction.STARTED_MEDICINE, "antivirals")
        assert [(r.action, r.note) for r in journal.snapshot().responses] == [
            (FlagAction.STARTED_MEDICINE, "antivirals")
        ]


def test_an_answer_based_on_an_older_one_is_refused_unless_it_says_the_same(tmp_path: Path) -> None:
    # Two windows show the card with no answer; the phone's answer lands first.
    key = _filled_without_answer(tmp_path / "j")
    with reopen(tmp_path / "j", TODAY) as journal:
        journal.save_response(key, FlagAction.CALLED_CLINIC, "", based_on=NONE)
        shown = journal.snapshot().response(key)
        assert shown is not None
        with pytest.raises(Conflict, match="answered 'Called the clinic or practitioner' in another window") as refused:
            journal.save_response(key, FlagAction.NOTHING_YET, "", based_on=NONE)
        assert refused.value.stored.action is FlagAction.CALLED_CLINIC  # the page shows what is stored
        assert journal.snapshot().response(key).action is FlagAction.CALLED_CLINIC  # nothing overwritten
        journal.save_response(key, FlagAction.CALLED_CLINIC, "", based_on=NONE)  # the same answer: no conflict
        journal.save_response(key, FlagAction.SEEN_BY_DOCTOR, "GP", based_on=journal.snapshot().response(key).version)
        assert journal.snapshot().response(key).action is FlagAction.SEEN_BY_DOCTOR
        with pytest.raises(Conflict):
            journal.save_response(key, FlagAction.NOTHING_YET, "", based_on=shown.version)  # a stale window


def test_a_product_is_listed_once_and_removed_only_as_shown(tmp_path: Path) -> None:
    with reopen(tmp_path / "j", TODAY) as journal:
        product_id = journal.add_product(TODAY, ProductKind.SKIN_PRODUCT, "Plain moisturiser")
        with pytest.raises(InvalidEntry, match="Plain moisturiser is already in the list from 10 September 2026"):
            journal.add_product(TODAY, ProductKind.SKIN_PRODUCT, "plain moisturiser")  # a second window, a double tap
        journal.add_product(TODAY - dt.timedelta(days=1), ProductKind.SKIN_PRODUCT, "Plain moisturiser")  # another day
        with pytest.raises(Conflict, match="was not removed"):
            journal.delete_product(product_id, based_on="0123456789abcdef")
        journal.delete_product(product_id, based_on=journal.snapshot().products[-1].version)
        with pytest.raises(NotFound, match="it was removed"):
            journal.delete_product(product_id, based_on=NONE)  # removed in another window
        assert [p.day for p in journal.snapshot().products] == [TODAY - dt.timedelta(days=1)]


def _filled_without_answer(folder: Path) -> str:
    with reopen(folder, TODAY) as journal:
        journal.add_treatment(TODAY - dt.timedelta(days=9), ["face"], needle_depth_mm=1.0)
        journal.save_entry(TODAY - dt.timedelta(days=3), "face", redness=3, itchy_bumps=True)
        return next(c for c in judge(journal.snapshot()).cards if c.cause[0] == "warnings").key


def test_bad_values_are_refused(tmp_path: Path) -> None:
    with reopen(tmp_path / "j", TODAY) as journal:
        with pytest.raises(InvalidEntry):
            journal.add_product(TODAY, "potion", "x")
        with pytest.raises(InvalidEntry):
            journal.add_product(TODAY, ProductKind.ANTIBIOTIC, "   ")
        with pytest.raises(InvalidEntry):
            journal.save_response("warnings/face/2026-09-01", "panicked")


def test_a_backup_carries_them(tmp_path: Path) -> None:
    key = _filled(tmp_path / "source")
    with reopen(tmp_path / "source", TODAY) as source:
        data = source.backup(passphrase=PASSPHRASE)
    folder = tmp_path / "target"
    settings = Settings(data_dir=folder, today=lambda: TODAY)
    with Journal.restore(data, folder, settings=settings, passphrase=PASSPHRASE) as target:
        snapshot = target.snapshot()
    assert snapshot.treatments[0].reason == "Acne scars"
    assert len(snapshot.products) == 2
    assert snapshot.response(key) is not None
