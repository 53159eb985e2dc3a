"""The new fields on the pages: the reason on the treatment form, the dated list of
products and medicines on Log a day, and "What did you do?" on a card (one tap)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from recovery.view import judge
from recovery.vocabulary import FlagAction, ProductKind
from tests.app_frame import open_framed
from tests.journals import FIXED_DAY, reopen

ROOT = Path(__file__).resolve().parent.parent
FIXED = FIXED_DAY  # the app_folder fixture pins the app to this day


@pytest.fixture(autouse=True)
def _navigation_only(navigation_only: None) -> None:
    """Pages run inside journal_app.py's frame (tests/app_frame.py)."""


@pytest.fixture
def folder(app_folder: Path) -> Path:
    with reopen(app_folder, FIXED) as journal:
        journal.add_treatment(FIXED - dt.timedelta(days=4), ["face"], needle_depth_mm=1.0, reason="Acne scars")
        journal.save_entry(FIXED, "face", redness=1, pus=True, sunscreen=True)
    return app_folder


def test_log_day_adds_a_dated_medicine(folder: Path) -> None:
    at = open_framed("log_day.py")
    assert not at.exception
    (kind,) = [s for s in at.selectbox if s.label == "Kind"]
    kind.set_value(ProductKind.ANTIBIOTIC)
    [w for w in at.text_input if w.label == "Name"][0].set_value("Antibiotic tablets")
    [b for b in at.button if b.label.startswith("Add, from")][0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    with reopen(folder, FIXED) as journal:
        (product,) = journal.snapshot().products
    assert (product.day, product.kind, product.name) == (FIXED, ProductKind.ANTIBIOTIC, "Antibiotic tablets")
    assert any("Antibiotic tablets" in m.value for m in at.markdown)


def test_a_card_records_what_the_patient_did_in_one_tap(folder: Path) -> None:
    at = open_framed("home.py")
    assert not at.exception, [e.value for e in at.exception]
    (pills,) = [p for p in at.button_group if p.label == "What did you do?"]
    pills.set_value(FlagAction.SEEN_BY_DOCTOR).run()
    assert not at.exception, [e.value for e in at.exception]
    with reopen(folder, FIXED) as journal:
        snapshot = journal.snapshot()
        card = next(c for c in judge(snapshot).cards if c.cause[0] == "warnings")
        response = snapshot.response(card.key)
    assert response is not None and response.action is FlagAction.SEEN_BY_DOCTOR


def test_the_treatment_form_asks_for_the_reason(folder: Path) -> None:
    at = open_framed("treatments.py")
    assert not at.exception, [e.value for e in at.exception]
    assert any(w.label == "Reason for the treatment" for w in at.text_input)


def test_an_answer_given_meanwhile_in_another_window_is_not_overwritten(folder: Path) -> None:
    at = open_framed("home.py")  # this window shows the card with no answer yet
    with reopen(folder, FIXED) as journal:  # the phone, or another window, answers first
        card = next(c for c in judge(journal.snapshot()).cards if c.cause[0] == "warnings")
        journal.save_response(card.key, FlagAction.CALLED_CLINIC, "they said come in")
    (pills,) = [p for p in at.button_group if p.label == "What did you do?"]
    pills.set_value(FlagAction.NOTHING_YET).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("answered 'Called the clinic or practitioner' in another window" in w.value for w in at.warning)
    (pills,) = [p for p in at.button_group if p.label == "What did you do?"]
    assert pills.value == [FlagAction.CALLED_CLINIC] or pills.value == FlagAction.CALLED_CLINIC  # what is stored
    with reopen(folder, FIXED) as journal:
        response = journal.snapshot().response(card.key)
    assert response is not None and (response.action, response.note) == (FlagAction.CALLED_CLINIC, "they said come in")


def test_a_product_added_twice_from_two_windows_is_listed_once(folder: Path) -> None:
    at = open_framed("log_day.py")
    with reopen(folder, FIXED) as journal:  # the other window adds it first
        journal.add_product(FIXED, ProductKind.SKIN_PRODUCT, "Vitamin C serum")
    [w for w in at.text_input if w.label == "Name"][0].set_value("Vitamin C serum")
    [b for b in at.button if b.label.startswith("Add, from")][0].click().run()
    assert any("Vitamin C serum is already in the list" in e.value for e in at.error), [e.value for e in at.error]
    with reopen(folder, FIXED) as journal:
        assert len(journal.snapshot().products) == 1
