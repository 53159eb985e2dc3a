"""The emergency number of the patient's country, for the emergency and urgent cards.

One table, by ISO 3166-1 alpha-2 code (recovery.countries): the numbers that
reach an ambulance, the first one to dial leading. docs/clinical-basis.md,
"Emergency numbers" names the source of every entry. Safety first: a wrong
number is worse than the general list, so a country is here only where its
number is well established; a country not set, or not here, gets the general
list (112 in Europe, 999 in the UK, 911 in North America), as before.

Pure: no Streamlit, no SQLite.
"""

from __future__ import annotations

from dataclasses import dataclass

from recovery.countries import country_name
from recovery.language import N_, _, current

# The numbers named when the country is not known: each with where it is dialled.
GENERAL_CALLS: tuple[tuple[str, str], ...] = (
    ("112", N_("in Europe")),
    ("999", N_("in the UK")),
    ("911", N_("in North America")),
)

# The single European emergency number: every EU and EEA country answers it (EECC art. 109).
_EU_112 = (
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IT", "LV", "LT", "LU",
    "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI",
)  # fmt: skip

# Country -> the numbers that reach an ambulance, first the one to dial first.
EMERGENCY_NUMBERS: dict[str, tuple[str, ...]] = {
    **{code: ("112",) for code in _EU_112},
    "IE": ("112", "999"),
    "NO": ("113", "112"),  # 113: medical emergencies; 112 (police) connects too
    "CH": ("144", "112"),  # 144: ambulance
    "GB": ("999", "112"),
    "TR": ("112",),
    # North America and Oceania
    "US": ("911",),
    "CA": ("911",),
    "MX": ("911",),
    "PR": ("911",),
    "AU": ("000",),
    "NZ": ("111",),
    # Spanish-speaking America
    "AR": ("107", "911"),  # 107: medical emergencies (SAME); 911 where the province runs it
    "CL": ("131",),  # SAMU ambulance
    "CO": ("123",),
    "PE": ("106",),  # SAMU ambulance
    "VE": ("911",),
    "EC": ("911",),
    "UY": ("911",),
    "PY": ("911",),
    "CR": ("911",),
    "PA": ("911",),
    "DO": ("911",),
    "HN": ("911",),
    "BR": ("192",),  # SAMU ambulance
    # Arabic-speaking countries
    "SA": ("997", "911"),  # 997: Red Crescent ambulance; 911: unified emergency number
    "AE": ("998", "999"),  # 998: ambulance; 999: police, answers every emergency
    "EG": ("123",),  # ambulance
    "MA": ("15", "150"),  # civil protection (fire and ambulance)
    "TN": ("190",),  # SAMU ambulance
    "JO": ("911",),
    "LB": ("140",),  # Red Cross ambulance
    "QA": ("999",),
    "KW": ("112",),
    "BH": ("999",),
    "OM": ("9999",),
    # Elsewhere, where the journal is used most
    "IL": ("101",),  # Magen David Adom ambulance
    "JP": ("119",),  # fire and ambulance
    "KR": ("119",),  # fire and ambulance
    "CN": ("120",),  # ambulance
    "HK": ("999",),
    "SG": ("995",),  # ambulance
    "PH": ("911",),
    "IN": ("112",),
}


@dataclass(frozen=True)
class EmergencyCalls:
    """The numbers an emergency card names: a country's, or the general list."""

    calls: tuple[tuple[str, str], ...]  # number, where it is dialled (a msgid; "" when `country` says it)
    code: str = ""  # the country's ISO code, said once (by name) for all its numbers

    @property
    def country(self) -> str:
        """The country's name in the current language ("" for the general list)."""
        return country_name(self.code)

    @property
    def numbers(self) -> tuple[str, ...]:
        return tuple(number for number, _where in self.calls)

    @property
    def words(self) -> str:
        """ "Spain: 112", "United Kingdom: 999 or 112", or the general list
        "112 in Europe, 999 in the UK, 911 in North America"."""
        from babel.lists import format_list  # "999 or 112", "999 o 112", "999 أو 112"

        if self.code:
            numbers = format_list(list(self.numbers), style="or", locale=current())
            return _("{country}: {numbers}").format(country=self.country, numbers=numbers)
        return _(", ").join(_("{number} {where}").format(number=number, where=_(where)) for number, where in self.calls)


GENERAL = EmergencyCalls(GENERAL_CALLS)


def emergency_calls(country: str | None) -> EmergencyCalls:
    """The numbers to name for a patient in `country` (an ISO code, or None):
    the country's when the table has them, else the general list."""
    numbers = EMERGENCY_NUMBERS.get(country or "")
    if not numbers:
        return GENERAL
    return EmergencyCalls(tuple((number, "") for number in numbers), country or "")
