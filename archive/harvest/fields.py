"""What a harvested record becomes: the archive's fields in plain JSON, whatever the source spoke.
Languages become ISO 639-3 codes, dates partial ISO dates, roles the archive's roles; anything
that does not fit is kept in ``other`` rather than dropped."""
import hashlib
import json
import re

import pycountry

from ..dates import parse_partial_date

# OLAC roles (and words other archives use) to the archive's roles (RecordingPerson.Role).
ROLES = {
    "performer": "performer", "singer": "performer", "participant": "performer", "musician": "performer",
    "recorder": "recordist", "recordist": "recordist",
    "compiler": "collector", "collector": "collector", "depositor": "collector", "researcher": "collector",
    "author": "composer", "composer": "composer",
    "translator": "translator", "transcriber": "transcriber", "annotator": "transcriber",
    "interviewer": "interviewer", "speaker": "speaker", "consultant": "speaker", "responder": "speaker",
}
AUDIO_SUFFIXES = (".wav", ".flac", ".mp3", ".ogg", ".oga", ".opus", ".m4a", ".aif", ".aiff", ".bwf")
# Licences under which anyone may copy the audio; anything else needs the steward's word that the
# community holds the right (archive/services/harvest.py asks for it).
OPEN_LICENCES = re.compile(r"creativecommons\.org/(licenses|publicdomain)/|\bCC[ -]?(BY|0)\b|public domain"
                           r"|rightsstatements\.org/vocab/(NoC-US|NKC)", re.IGNORECASE)


def empty() -> dict:
    return {"title": "", "alt_titles": [], "description": "", "people": [], "languages": [], "places": [],
            "countries": [], "date": "", "rights": "", "licence": "", "subjects": [], "url": "", "media_url": "",
            "publisher": "", "other": []}


def language_code(value: str) -> str | None:
    """An ISO 639-3 code for a code (3 or 2 letters) or an English language name; None if unknown."""
    value = (value or "").strip()
    if not value:
        return None
    lowered = value.lower()
    if len(lowered) == 3 and lowered.isalpha():
        found = pycountry.languages.get(alpha_3=lowered)
        return found.alpha_3 if found else None
    if len(lowered) == 2 and lowered.isalpha():
        found = pycountry.languages.get(alpha_2=lowered)
        return found.alpha_3 if found else None
    try:
        return pycountry.languages.lookup(value).alpha_3
    except LookupError:
        return None


def country_code(value: str) -> str | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        return pycountry.countries.lookup(value).alpha_2
    except LookupError:
        return None


def partial_date(value: str) -> str:
    """The first partial ISO date (1970s, 1983, 1983-05, 1983-05-12) in a source's date text, or ''."""
    value = (value or "").strip()
    for candidate in (value, value[:10], value[:7], value[:4]):
        try:
            if parse_partial_date(candidate) != (None, None):
                return candidate
        except ValueError:
            continue
    return ""


def role(value: str) -> str:
    return ROLES.get((value or "").strip().lower(), "performer")


def is_audio_url(url: str) -> bool:
    path = url.split("?", 1)[0].split("#", 1)[0].lower()
    return url.startswith(("http://", "https://")) and path.endswith(AUDIO_SUFFIXES)


def licence_is_open(text: str) -> bool:
    return bool(OPEN_LICENCES.search(text or ""))


def finish(fields: dict) -> dict:
    """Drop duplicates (keeping order) so that the same record always maps to the same fields."""
    for key in ("alt_titles", "languages", "countries", "subjects", "other"):
        fields[key] = list(dict.fromkeys(fields[key]))
    seen, people = set(), []
    for person in fields["people"]:
        key = (person["name"], person["role"])
        if key not in seen:
            seen.add(key)
            people.append(person)
    fields["people"] = people
    fields["places"] = list(dict.fromkeys(fields["places"]))
    if not fields["title"]:
        fields["title"] = fields["alt_titles"].pop(0) if fields["alt_titles"] else ""
    return fields


def checksum(fields: dict) -> str:
    """A change at the source moves this; the same record read twice does not."""
    return hashlib.sha256(json.dumps(fields, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
