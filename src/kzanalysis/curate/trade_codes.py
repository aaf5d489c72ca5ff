"""Country-name → ISO3 lookups shared by the trade parsers (pycountry + explicit aliases)."""

from __future__ import annotations

import gettext
from functools import cache

import pycountry

from kzanalysis.countries import lookup_iso3


def country_iso3(name: str) -> str | None:
    """Return the ISO 3166-1 alpha-3 code of an English country name, or None.

    Uses pycountry's exact lookup (names, official and common names, case-insensitive);
    no fuzzy matching, so a new spelling is reported rather than guessed.
    """
    return lookup_iso3(name)


def norm_ru(name: str) -> str:
    """Normalise a Russian name for lookup: collapse whitespace, casefold, ё → е."""
    return " ".join(name.split()).casefold().replace("ё", "е")


@cache
def _russian_names() -> dict[str, str]:
    """Map normalised Russian country names (pycountry's ``ru`` locale) → ISO3."""
    tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"])
    out: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            english = getattr(country, attr, None)
            if english:
                out.setdefault(norm_ru(tr.gettext(english)), country.alpha_3)
    return out


def russian_country_iso3(name: str, aliases: dict[str, str]) -> str | None:
    """Return the ISO3 code of a Russian country name, or None if unknown.

    Args:
        name: Name as published (any case/whitespace).
        aliases: Publisher-specific spellings (normalised as by ``norm_ru``) → ISO3;
            consulted before pycountry's Russian translations.
    """
    key = norm_ru(name)
    norm_aliases = {norm_ru(k): v for k, v in aliases.items()}
    return norm_aliases.get(key) or _russian_names().get(key)
