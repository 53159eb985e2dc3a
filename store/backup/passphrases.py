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

from recovery.language import ENGLISH, N_, _, current, ngettext, number
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

YEAR, MONTH, DAY, HOUR, MINUTE = 365.25 * 24 * 3600, 30.44 * 24 * 3600, 24 * 3600, 3600, 60
# zxcvbn's own advice is English only (its words, not ours): each of its sentences is
# in our catalogue, said in the patient's language; one it adds later is said in
# English only, and left out in another language (our own last sentence still says
# what to do). README, "Languages".
ZXCVBN_FEEDBACK = (
    N_("Use a few words, avoid common phrases."),
    N_("No need for symbols, digits, or uppercase letters."),
    N_("Add another word or two. Uncommon words are better."),
    N_("Straight rows of keys are easy to guess."),
    N_("Short keyboard patterns are easy to guess."),
    N_("Use a longer keyboard pattern with more turns."),
    N_('Repeats like "aaa" are easy to guess.'),
    N_('Repeats like "abcabcabc" are only slightly harder to guess than "abc".'),
    N_("Avoid repeated words and characters."),
    N_('Sequences like "abc" or "6543" are easy to guess.'),
    N_("Avoid sequences."),
    N_("Recent years are easy to guess."),
    N_("Avoid recent years."),
    N_("Avoid years that are associated with you."),
    N_("Dates are often easy to guess."),
    N_("Avoid dates and years that are associated with you."),
    N_("This is a top-10 common password."),
    N_("This is a top-100 common password."),
    N_("This is a very common password."),
    N_("This is similar to a commonly used password."),
    N_("A word by itself is easy to guess."),
    N_("Names and surnames by themselves are easy to guess."),
    N_("Common names and surnames are easy to guess."),
    N_("Capitalization doesn't help very much."),
    N_("All-uppercase is almost as easy to guess as all-lowercase."),
    N_("Reversed words aren't much harder to guess."),
    N_("Predictable substitutions like '@' instead of 'a' don't help very much."),
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
    """Why a passphrase is refused, in words a patient understands (in the language of the moment)."""
    # zxcvbn's "Add another word or two" is what the last sentence says in full.
    tips = [tip for tip in strength.suggestions if not tip.startswith("Add another word")]
    advice = [said for said in (_zxcvbn_said(strength.warning), *map(_zxcvbn_said, tips[:1])) if said]
    sentences = [
        _(
            "This passphrase is too easy to guess: someone with the backup file and one graphics card "
            "could find it in {time}."
        ).format(time=strength.time_to_guess),
        *advice,
        _("Use five or six unrelated words, or the passphrase the app suggests."),
    ]
    return " ".join(sentences)


def _zxcvbn_said(text: str) -> str:
    """One of zxcvbn's English sentences in the patient's language; "" when it is not ours
    to translate (a sentence of a later zxcvbn) and the language is not English."""
    if text in ZXCVBN_FEEDBACK:
        return _(text)
    return text if current() == ENGLISH else ""


def duration_in_words(seconds: float) -> str:
    """'less than a minute', 'about 3 hours', 'about 40 years', 'more than a million years'."""
    if seconds < 60:
        return _("less than a minute")
    if seconds >= 10**6 * YEAR:
        return _("more than a million years")
    count = round(seconds / next(length for length in (YEAR, MONTH, DAY, HOUR, MINUTE) if seconds >= length))
    shown = number(count, 0)
    if seconds >= YEAR:
        return ngettext("about {count} year", "about {count} years", count).format(count=shown)
    if seconds >= MONTH:
        return ngettext("about {count} month", "about {count} months", count).format(count=shown)
    if seconds >= DAY:
        return ngettext("about {count} day", "about {count} days", count).format(count=shown)
    if seconds >= HOUR:
        return ngettext("about {count} hour", "about {count} hours", count).format(count=shown)
    return ngettext("about {count} minute", "about {count} minutes", count).format(count=shown)


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
