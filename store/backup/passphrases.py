"""How hard a backup passphrase is to guess, and a strong one to offer.

Whoever has a backup file can try passphrases on it offline, as fast as their
hardware allows, without the app ever knowing. The format does not slow them
down much: WinZip's AES (which 7-Zip, Keka and WinZip open) derives the key
with PBKDF2-HMAC-SHA1 over 1,000 rounds, fixed by the format. That is about
1,400 guesses a second on one core of a laptop, and about ten million (10^7)
on one current graphics card (password-cracking tools run this format on GPUs).

So the passphrase itself must hold. zxcvbn (Dropbox's estimator, as attackers
guess: common passwords, dictionary words, names, keyboard patterns, dates,
repeats, l33t) estimates how many guesses finding it takes. A new backup's
passphrase needs at least 10^16: one graphics card needs about 10^9 seconds,
some thirty years, for that many, and a room of thirty cards a year. zxcvbn's
estimate for several words is generous (it does not assume the attacker knows
the passphrase is words), so the bar is set high rather than at its top "score"
(4, from 10^10 guesses: under twenty minutes on one card).

The offered passphrase is six words drawn with `secrets` from the EFF's list
of 7,776 (store/backup/passphrase_words.txt): 6 x 12.9 = 77.5 bits, about 2 x 10^23
possibilities, far beyond any attacker's reach even if they know the list.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from store.errors import WeakPassphrase

# One current graphics card against WinZip AES (PBKDF2-HMAC-SHA1, 1,000 rounds).
GUESSES_PER_SECOND = 10**7
# The fewest guesses (zxcvbn's estimate) a backup passphrase may take: see above.
MIN_GUESSES_LOG10 = 16
# zxcvbn's time grows fast with length (seconds past a few hundred characters): a
# longer passphrase is judged on its first characters, which must hold on their own.
ESTIMATED_LENGTH = 100
GENERATED_WORDS = 6
WORDS_FILE = Path(__file__).with_name("passphrase_words.txt")

_SECONDS = (
    ("year", 365.25 * 24 * 3600),
    ("month", 30.44 * 24 * 3600),
    ("day", 24 * 3600),
    ("hour", 3600),
    ("minute", 60),
)


@dataclass(frozen=True)
class Strength:
    """zxcvbn's estimate of a passphrase, in guesses, with its advice in words."""

    guesses_log10: float
    warning: str
    suggestions: tuple[str, ...]

    @property
    def strong(self) -> bool:
        return self.guesses_log10 >= MIN_GUESSES_LOG10

    @property
    def time_to_guess(self) -> str:
        """How long one graphics card takes to find it, in plain words."""
        return duration_in_words(10 ** (self.guesses_log10 - math.log10(GUESSES_PER_SECOND)))


def estimate(passphrase: str) -> Strength:
    """How many guesses finding this passphrase takes (zxcvbn), with its warning and suggestions."""
    from zxcvbn import zxcvbn  # type: ignore[import-untyped]  # loads its word lists: only when asked

    result = zxcvbn(passphrase[:ESTIMATED_LENGTH], max_length=ESTIMATED_LENGTH)
    feedback = result.get("feedback") or {}
    return Strength(
        guesses_log10=float(result["guesses_log10"]),
        warning=str(feedback.get("warning") or ""),
        suggestions=tuple(str(s) for s in feedback.get("suggestions") or ()),
    )


def check_strength(passphrase: str) -> Strength:
    """The estimate of a passphrase strong enough for a backup, or WeakPassphrase saying why not."""
    strength = estimate(passphrase)
    if not strength.strong:
        raise WeakPassphrase(weakness(strength))
    return strength


def weakness(strength: Strength) -> str:
    """Why a passphrase is refused, in words a patient understands."""
    # zxcvbn's "Add another word or two" is what the last sentence says in full.
    tips = [tip for tip in strength.suggestions if not tip.startswith("Add another word")]
    advice = " ".join(part for part in (strength.warning, *tips[:1]) if part)
    return (
        f"This passphrase is too easy to guess: someone with the backup file and one graphics card "
        f"could find it in {strength.time_to_guess}. {advice + ' ' if advice else ''}"
        "Use five or six unrelated words, or the passphrase the app suggests."
    )


def duration_in_words(seconds: float) -> str:
    """'less than a minute', 'about 3 hours', 'about 40 years', 'more than a million years'."""
    if seconds < 60:
        return "less than a minute"
    if seconds >= 10**6 * _SECONDS[0][1]:
        return "more than a million years"
    for unit, length in _SECONDS:
        if seconds >= length:
            count = round(seconds / length)
            return f"about {count:,} {unit}{'' if count == 1 else 's'}"
    raise AssertionError(seconds)  # pragma: no cover: a minute is the smallest unit


@cache
def word_list() -> tuple[str, ...]:
    """The words a suggested passphrase is made of."""
    lines = WORDS_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def generated_bits(words: int = GENERATED_WORDS) -> float:
    """The entropy of a suggested passphrase of `words` words, in bits."""
    return words * math.log2(len(word_list()))


def generate(words: int = GENERATED_WORDS) -> str:
    """A new passphrase of `words` random words, separated by spaces; strong enough by the estimate too.

    The words are drawn with `secrets` (the operating system's random source),
    all different; a draw the estimator would refuse (a very rare run of words
    it knows as a phrase) is drawn again, which takes next to nothing from the
    77.5 bits.
    """
    chooser = secrets.SystemRandom()
    while True:
        passphrase = " ".join(chooser.sample(word_list(), words))
        if estimate(passphrase).strong:
            return passphrase
