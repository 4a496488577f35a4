"""ISO 639-3 languages by name, in the reader's language where pycountry carries a translation:
the recording form's language picker finds "Northern Sami" (or "sami septentrional") as sme."""
import gettext
import unicodedata
from functools import lru_cache

import pycountry


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c))


@lru_cache(maxsize=8)
def _names(language: str) -> tuple[tuple[str, str, str], ...]:
    """(code, name in ``language`` or English, folded name) for every ISO 639-3 language."""
    try:
        translate = gettext.translation("iso639-3", pycountry.LOCALES_DIR, languages=[language]).gettext
    except OSError:
        translate = str
    rows = []
    for lang in pycountry.languages:
        name = translate(lang.name)
        rows.append((lang.alpha_3, name, _fold(f"{name} {lang.name}")))
    return tuple(rows)


def languages_matching(query: str, *, language: str = "en", limit: int = 20) -> list[dict]:
    """Languages whose code is the query or whose name holds it: the exact code first, then names
    with a word that begins with it, then the rest, each by name."""
    folded = _fold(query.strip())
    if not folded:
        return []
    hits = [(code != folded, not any(word.startswith(folded) for word in name_folded.split()), name, code)
            for code, name, name_folded in _names(language) if code == folded or folded in name_folded]
    return [{"code": code, "name": name} for *_rank, name, code in sorted(hits)[:limit]]


def _translator(domain: str, language: str):
    try:
        return gettext.translation(domain, pycountry.LOCALES_DIR, languages=[language]).gettext
    except OSError:
        return str


def language_name(code: str, *, language: str = "en") -> str:
    """An ISO 639-3 code's name in ``language`` where pycountry has it (the code itself if unknown)."""
    found = pycountry.languages.get(alpha_3=code) if code and len(code) == 3 else None
    return _translator("iso639-3", language)(found.name) if found else code


def country_name(code: str, *, language: str = "en") -> str:
    """An ISO 3166-1 alpha-2 code's name in ``language`` where pycountry has it."""
    found = pycountry.countries.get(alpha_2=code) if code and len(code) == 2 else None
    return _translator("iso3166-1", language)(found.name) if found else code
