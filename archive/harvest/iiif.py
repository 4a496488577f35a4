"""A IIIF Presentation 3 manifest mapped to the archive's fields, and a collection's manifests.
iiif-prezi3 checks that a document is what it says; the fields are read from its JSON, since
IIIF's metadata pairs are free text in language maps ("Performer": "…"), read here by label."""
import json
from dataclasses import dataclass

from . import fields as F

# metadata labels (lower case, any of the manifest's languages) to the field they fill
METADATA_FIELDS = {
    "performer": "people", "singer": "people", "musician": "people", "creator": "people", "contributor": "people",
    "recordist": "people", "recorder": "people", "collector": "people", "composer": "people",
    "language": "languages", "languages": "languages",
    "date": "date", "recorded": "date", "date recorded": "date", "created": "date",
    "place": "places", "location": "places", "country": "countries",
    "rights": "rights", "license": "licence", "licence": "licence",
    "description": "description", "subject": "subjects", "tradition": "subjects", "genre": "subjects",
    "community": "publisher", "publisher": "publisher",
}
SOUND_TYPES = ("Sound", "Audio")


class NotAManifest(ValueError):
    """The document is not a IIIF Presentation 3 manifest or collection the archive can read."""


@dataclass
class ManifestRecord:
    identifier: str
    fields: dict
    raw: str
    duration: float | None


def _texts(value) -> list[str]:
    """Every string of a language map ({"en": ["…"]}), a plain string, or a list of either."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for texts in value.values() for text in (texts if isinstance(texts, list) else [texts])
                if isinstance(text, str)]
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    return []


def _check(document: dict, kind: str) -> None:
    """iiif-prezi3's own models decide whether the document is a valid one of its kind."""
    from iiif_prezi3 import Collection, Manifest  # pydantic models: loaded in the worker, when a harvest reads

    model = {"Manifest": Manifest, "Collection": Collection}[kind]
    try:
        model(**document)
    except Exception as exc:  # pydantic's ValidationError, or a TypeError for a non-object field
        raise NotAManifest(f"not a valid IIIF Presentation 3 {kind}: {str(exc).splitlines()[0]}") from None


def kind_of(document) -> str:
    if not isinstance(document, dict):
        raise NotAManifest("the document is not a JSON object")
    kind = document.get("type") or document.get("@type", "")
    kind = kind.split(":")[-1] if isinstance(kind, str) else ""
    if kind not in ("Manifest", "Collection"):
        raise NotAManifest(f"a IIIF Presentation 3 Manifest or Collection was expected, not {kind or 'this'}")
    if "@type" in document and "type" not in document:
        raise NotAManifest("this is IIIF Presentation 2; the archive reads Presentation 3")
    _check(document, kind)
    return kind


def collection_members(document: dict) -> list[tuple[str, str]]:
    """(id, type) of a collection's manifests and sub-collections, in order."""
    return [(item["id"], item.get("type", "Manifest")) for item in document.get("items", [])
            if isinstance(item, dict) and isinstance(item.get("id"), str)]


def _painted_sound(manifest: dict) -> tuple[str, float | None]:
    """The first audio painted on a canvas: its URL and duration (a Choice offers several bodies)."""
    for canvas in manifest.get("items", []):
        for page in canvas.get("items", []):
            for annotation in page.get("items", []):
                if annotation.get("motivation") != "painting":
                    continue
                bodies = annotation.get("body")
                bodies = bodies if isinstance(bodies, list) else [bodies]
                for body in bodies:
                    choices = body.get("items", [body]) if isinstance(body, dict) else []
                    for choice in choices:
                        if choice.get("type") in SOUND_TYPES or str(choice.get("format", "")).startswith("audio/"):
                            return choice.get("id", ""), choice.get("duration") or canvas.get("duration")
    return "", None


def map_manifest(manifest: dict) -> ManifestRecord:
    out = F.empty()
    labels = _texts(manifest.get("label"))
    out["title"] = labels[0] if labels else ""
    out["alt_titles"] = labels[1:]
    out["description"] = "\n\n".join(_texts(manifest.get("summary")))
    for pair in manifest.get("metadata", []) or []:
        _take(out, _texts(pair.get("label")), _texts(pair.get("value")))
    statement = manifest.get("requiredStatement") or {}
    if statement:
        out["rights"] = "\n".join(filter(None, [out["rights"], *_texts(statement.get("value"))]))
    if isinstance(manifest.get("rights"), str):
        out["licence"] = manifest["rights"]
    homepages = manifest.get("homepage") or []
    if homepages and isinstance(homepages[0], dict):
        out["url"] = homepages[0].get("id", "")
    out["media_url"], duration = _painted_sound(manifest)
    return ManifestRecord(identifier=manifest["id"], fields=F.finish(out), duration=duration,
                          raw=json.dumps(manifest, ensure_ascii=False, sort_keys=True))


def _take(out: dict, labels: list[str], values: list[str]) -> None:
    label = next((text.strip().lower() for text in labels if text.strip().lower() in METADATA_FIELDS), None)
    if label is None:
        out["other"] += [f"{(labels or ['?'])[0]}: {value}" for value in values]
        return
    target = METADATA_FIELDS[label]
    for value in values:
        if target == "people":
            out["people"].append({"name": value, "role": F.role(label)})
        elif target == "languages":
            code = F.language_code(value)
            out["languages"].append(code) if code else out["other"].append(f"language: {value}")
        elif target == "countries":
            code = F.country_code(value)
            out["countries"].append(code) if code else out["places"].append(value)
        elif target == "date":
            out["date"] = out["date"] or F.partial_date(value)
        elif target in ("places", "subjects"):
            out[target].append(value)
        elif target in ("rights", "description"):
            out[target] = f"{out[target]}\n{value}".strip()
        else:
            out[target] = out[target] or value
