"""docs/safety-texts.md: every warning, emergency and urgent text in English, Spanish
and Arabic side by side, for a clinician fluent in each to review (issue 23).

The table is made from the catalogue, so it cannot drift: this test fails when
the file differs from what the catalogue gives. Rewrite it with

    .venv/bin/python -m tests.test_safety_texts
"""

from __future__ import annotations

from pathlib import Path

from recovery import flag_words
from recovery.cards import RULE_TITLES
from recovery.emergency_numbers import GENERAL_CALLS
from recovery.language import LANGUAGES, _, speaking
from recovery.vocabulary import EMERGENCY_SIGNS, SEVERITY_STYLES, WARNING_SIGNS, Severity

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "safety-texts.md"

# (where it is shown, msgid): the safety words, in the order a clinician meets them.
_ADVICE = [
    ("Advice: keep an eye on it", flag_words.WATCH_ADVICE),
    ("Advice: a warning sign expected in the first days", flag_words.EARLY_WATCH_ADVICE),
    ("Advice: contact the practitioner", flag_words.CONTACT_ADVICE),
    ("Advice: urgent, a doctor today ({numbers}: the emergency number)", flag_words.URGENT_ADVICE_TEXT),
    ("Advice: emergency ({numbers}: the emergency number)", flag_words.EMERGENCY_ADVICE_TEXT),
    ("Advice: cold sores, antiviral timing", flag_words.ANTIVIRAL_TIMING),
    ("Advice: cold-sore history", flag_words.COLD_SORE_HISTORY_NOTE),
    ("Advice: before the next session", flag_words.ANTIVIRAL_BEFORE_ANY_SESSION),
    ("Advice: a product reaction", "Stop any new serum or cream put on since treatment."),
    (
        "Advice: a product reaction",
        "Put only the plain moisturiser you were given on the treated skin, and no steroid cream "
        "unless a doctor advises it.",
    ),
    ("Advice: lasting marks", flag_words.DERMATOLOGIST_ADVICE),
    ("Reason: warning rule", "This is a warning sign after treatment."),
    ("Reason: emergency rule", "This can be a serious allergic reaction or an infection that needs help at once."),
    (
        "Reason: spreading swelling",
        "Swelling that spreads past the treated area after the second day can be an infection.",
    ),
    ("Reason: pain climbing", flag_words.PAIN_CLIMB_HINT),
    ("Day form, above the emergency signs", "Call emergency services at once ({numbers}) if you have any of these"),
    (
        "Home, above the cards",
        "**Call emergency services now**, or have someone take you to an emergency department. See the red card below.",
    ),
    ("Cards: the emergency numbers", "**Call:** {numbers}"),
    ("Card title", "A warning sign"),
]


def rows() -> list[tuple[str, str]]:
    """(where, English) for every safety text, in the catalogue's msgids."""
    found = [(f"Severity: {severity.value}", SEVERITY_STYLES[severity].text) for severity in Severity]
    found += [("Who can help", "Book a dermatologist")]
    found += [(f"Warning sign: {q.key}", q.text) for q in WARNING_SIGNS]
    found += [(f"Emergency sign: {q.key}", q.text) for q in EMERGENCY_SIGNS]
    found += [(f"What it may mean: {key}", hint) for key, hint in flag_words.WARNING_HINTS.items()]
    found += [(f"Worsening: {sign.value}", hint) for sign, hint in flag_words.WORSENING_HINTS.items()]
    found += [(f"Emergency number, general list: {number}", where) for number, where in GENERAL_CALLS]
    found += [(f"Card title: {rule.value}", title) for rule, title in RULE_TITLES.items()]
    return found + _ADVICE


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def table() -> str:
    codes = list(LANGUAGES)
    lines = [
        "# Safety texts in every language, for clinical review",
        "",
        "Every warning, emergency and urgent text the journal shows, in the three languages side by side,",
        "for a clinician fluent in each to review. Generated from the catalogue (locales/*/messages.po) by",
        "`python -m tests.test_safety_texts`; tests/test_safety_texts.py fails when this file is out of date.",
        "`{numbers}` is filled with the patient's country's emergency number (recovery/emergency_numbers.py).",
        "No text is produced by machine translation at run time: each is written here, by hand.",
        "",
        "Review status: Spanish and Arabic (Modern Standard Arabic, addressing the patient in the",
        "masculine singular, the convention of patient leaflets) await review by a fluent clinician.",
        "",
        "| Where | " + " | ".join(LANGUAGES[code] for code in codes) + " |",
        "|---|" + "---|" * len(codes),
    ]
    for where, msgid in rows():
        said = []
        for code in codes:
            with speaking(code):
                said.append(_cell(_(msgid)))
        lines.append(f"| {_cell(where)} | " + " | ".join(said) + " |")
    return "\n".join(lines) + "\n"


def test_the_safety_table_is_the_catalogues() -> None:
    assert DOC.read_text(encoding="utf-8") == table(), "rewrite it: python -m tests.test_safety_texts"


def test_every_safety_text_is_translated() -> None:
    for where, msgid in rows():
        for code in ("es", "ar"):
            with speaking(code):
                assert _(msgid) != msgid, (where, code)


if __name__ == "__main__":
    DOC.write_text(table(), encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)}")
