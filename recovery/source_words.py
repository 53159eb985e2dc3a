"""Where advice comes from, in the patient's language: our own words around the citations.

A rule's source (recovery.course, recovery.flags, recovery.risk) is one line of
English, built from a few fixed pieces: the citations themselves (authors,
journals, the patient guide's section titles in quotes), which stay as they
were published, and the project's own words around them ("Review of published
studies", "(persistent spots)"). The pieces below are those own words, marked
for the catalogue; `said_source` translates each where a source is shown. A
piece not listed (a citation) is left as written.
"""

from __future__ import annotations

import re
from functools import lru_cache

from recovery.language import N_, _

OWN_WORDS: tuple[str, ...] = (
    N_("Microneedling patient guide"),
    N_("opening section on normal reactions"),
    N_("Patient information on microneedling: 2-3 days after cosmetic depths, longer after deep treatment"),
    N_("Aftercare guidance from device vendors"),
    N_("Review of published studies (Nov 2026)"),
    N_("second clinical review (Dec 2026, product reactions)"),
    N_("second clinical review (Dec 2026, pain)"),
    N_("second clinical review (Dec 2026)"),
    N_("Healing Journal: daily logging for two weeks, then weekly to week 6"),
    # recovery.photo_trend.SOURCE: the plain name of its measurement, then its technical name.
    N_("Healing Journal: measured redness from your photos, relative to your calmest photo (technically"),
    N_("No treatment yet: nothing from it is expected"),
    N_("The expected course (see each band)"),
    N_("median scar depth 1.5 mm in published studies"),
    N_("(increased redness)"),
    N_("(day-to-day wobble)"),
    N_("(persistent spots)"),
    N_("(PIH in weeks 2-4)"),
    N_("(aftercare)"),
    N_("(SPF 30)"),
    N_("(no products in the first hours)"),
    N_("(avoid actives 5-7 days)"),
    N_("(no make-up for 24 h)"),
    N_("(emergencies)"),
    N_("(herpes near the eye)"),
    N_("(antiviral prophylaxis with a cold-sore history)"),
    N_("(skin type)"),
    N_("(needle depth)"),
)


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    # Longest first: "second clinical review (Dec 2026, pain)" before "second clinical review (Dec 2026)".
    return re.compile("|".join(re.escape(words) for words in sorted(OWN_WORDS, key=len, reverse=True)))


def said_source(source: str) -> str:
    """`source` in the current language: our own words translated, the citations as published."""
    return _pattern().sub(lambda found: _(found.group(0)), source)
