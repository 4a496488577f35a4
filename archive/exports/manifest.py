"""The bulk-ingest manifest: one CSV row per file. The same columns serve the CSV export,
so an export can be ingested into another archive."""
import uuid

from ..models import Collection, Community, Recording, Tradition

COLUMNS = ["file", "title", "alt_titles", "tradition", "community", "collection", "people", "instruments", "place",
           "country", "lat", "lon", "languages", "date", "rights", "genre", "description", "status",
           "record_protocol", "media_protocol", "labels", "training_consent"]
REQUIRED = ["file", "title", "tradition", "community"]
LIST_SEPARATOR = ";"
# A spreadsheet runs a cell that begins with one of these as a formula (CSV injection): the export
# puts an apostrophe before such a cell unless it is a plain number, and the ingest takes it off.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
GUARD = "'"


def neutralise(value: str) -> str:
    """A cell a spreadsheet shows as text, never runs (OWASP's advice for CSV injection)."""
    if not value or not value.startswith(FORMULA_START):
        return value
    try:
        float(value)
        return value  # a negative number, e.g. a longitude
    except ValueError:
        return GUARD + value


def restore(value: str) -> str:
    """The cell as it was before neutralise()."""
    if value and value.startswith(GUARD) and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def _split(value: str) -> list[str]:
    return [part.strip() for part in (value or "").split(LIST_SEPARATOR) if part.strip()]


def _by_slug_or_id(model, value: str):
    value = (value or "").strip()
    try:
        return model.objects.filter(pk=uuid.UUID(value)).first()
    except ValueError:
        return model.objects.filter(slug=value).first()


def _people(value: str) -> list[dict]:
    """"Ana Lima (performer); Bo (recordist)" → [{"name", "role"}]; a bare name is a performer."""
    out = []
    for part in _split(value):
        if part.endswith(")") and " (" in part:
            name, role = part[:-1].rsplit(" (", 1)
            out.append({"name": name.strip(), "role": role.strip()})
        else:
            out.append({"name": part, "role": "performer"})
    return out


def row_to_input(row: dict) -> tuple[dict, list[str]]:
    """A manifest row as RecordingInput data, and the problems found resolving its names."""
    row = {key: restore(value) if isinstance(value, str) else value for key, value in row.items()}
    problems = [f"{col} is required" for col in REQUIRED if not (row.get(col) or "").strip()]
    raw: dict = {"title": (row.get("title") or "").strip()}
    community = _by_slug_or_id(Community, row.get("community", ""))
    tradition = _by_slug_or_id(Tradition, row.get("tradition", ""))
    if row.get("community") and community is None:
        problems.append(f"no community {row['community']!r}")
    if row.get("tradition") and tradition is None:
        problems.append(f"no tradition {row['tradition']!r}")
    if community is not None:
        raw["community"] = str(community.pk)
    if tradition is not None:
        raw["tradition"] = str(tradition.pk)
    if (row.get("collection") or "").strip() and community is not None:
        name = row["collection"].strip()
        try:
            collection = Collection.objects.filter(pk=uuid.UUID(name)).first()
        except ValueError:
            collection = Collection.objects.filter(community=community, title=name).first()
        if collection is None:
            problems.append(f"no collection {name!r} in {community.name}")
        else:
            raw["collection"] = str(collection.pk)
    for column in ("alt_titles", "instruments", "languages", "labels"):
        if row.get(column):
            raw[column] = _split(row[column])
    if row.get("people"):
        raw["people"] = _people(row["people"])
    if (row.get("place") or "").strip():
        place = {"name": row["place"].strip(), "country": (row.get("country") or "").strip()}
        for key in ("lat", "lon"):
            if (row.get(key) or "").strip():
                place[key] = row[key].strip()
        raw["place"] = place
    for column in ("date", "rights", "genre", "description", "status", "record_protocol", "media_protocol",
                   "training_consent"):
        if (row.get(column) or "").strip():
            raw[column] = row[column].strip()
    return raw, problems


def recording_to_row(recording: Recording, *, file: str = "") -> dict:
    """The inverse of row_to_input, for the CSV export."""
    place = recording.place
    return {key: neutralise(value) for key, value in {
        "file": file, "title": recording.title, "alt_titles": LIST_SEPARATOR.join(recording.alt_titles),
        "tradition": recording.tradition.slug, "community": recording.community.slug,
        "collection": recording.collection.title if recording.collection else "",
        "people": LIST_SEPARATOR.join(f"{c.person.name} ({c.role})" for c in recording.credits.all()),
        "instruments": LIST_SEPARATOR.join(i.name for i in recording.instruments.all()),
        "place": place.name if place else "", "country": place.country if place else "",
        "lat": "" if not place or place.lat is None else str(place.lat),
        "lon": "" if not place or place.lon is None else str(place.lon),
        "languages": LIST_SEPARATOR.join(lang.code for lang in recording.languages.all()),
        "date": recording.date, "rights": recording.rights, "genre": recording.genre,
        "description": recording.description, "status": recording.status,
        "record_protocol": recording.record_protocol if recording.record_protocol != "custom"
        else str(recording.record_custom_protocol_id),
        "media_protocol": recording.media_protocol if recording.media_protocol != "custom"
        else str(recording.media_custom_protocol_id),
        "labels": LIST_SEPARATOR.join(link.label_id for link in recording.label_links.all()),
        "training_consent": recording.training_consent,
    }.items()}
