"""IIIF Presentation 3.0 (built with iiif-prezi3): a recording is a Manifest whose Canvas has
the recording's duration, the access copy as its painting annotation (for those who may hear
it), and time-coded annotations targeting `#t=start,end`, a page per layer: free annotations
`supplementing`, transcript layers `transcribing` with their WebVTT as a caption file."""
import re
from urllib.parse import urlencode

from iiif_prezi3 import (
    Annotation,
    AnnotationBody,
    AnnotationPage,
    Canvas,
    Collection,
    KeyValueString,
    Manifest,
    ManifestRef,
)

from ..policy import annotations_visible, recordings_audible
from ..selectors import attribution_texts

CC = re.compile(r"CC[ -](BY(?:-NC)?(?:-SA|-ND)?)[ -]?(\d\.\d)", re.IGNORECASE)


def rights_uri(text: str) -> str | None:
    """A Creative Commons licence named in the rights statement, as the URI IIIF asks for."""
    match = CC.search(text or "")
    if not match:
        return None
    return f"http://creativecommons.org/licenses/{match[1].lower()}/{match[2]}/"


def _lang(text: str) -> dict:
    return {"none": [text]}


def recording_manifest(recording, *, user, site: str) -> Manifest:
    base = f"{site}/iiif/recordings/{recording.pk}"
    manifest = Manifest(id=f"{base}/manifest", label=_lang(recording.title))
    if recording.alt_titles:
        manifest.summary = {"none": recording.alt_titles}
    metadata = [("Tradition", recording.tradition.name), ("Community", recording.community.name)]
    if recording.date:
        metadata.append(("Date", recording.date))
    if recording.place is not None:
        metadata.append(("Place", str(recording.place)))
    metadata += [("Label", f"{link.label.name}: {link.label.description}") for link in
                 recording.label_links.select_related("label")]
    if recording.rights:
        metadata.append(("Rights", recording.rights))
    manifest.metadata = [KeyValueString(label={"en": [k]}, value=_lang(v)) for k, v in metadata]
    names = recording.tradition.names or []
    if names:
        manifest.metadata.append(KeyValueString(label={"en": ["Tradition names"]},
                                                value={n["language"]: [n["name"]] for n in names}))
    attribution = attribution_texts(recording=recording, language="none")
    value = _lang(" ".join(attribution) or recording.community.name)
    for language in sorted({lang for rule in recording.community.label_rules.all() for lang in (rule.translations or {})}):
        translated = attribution_texts(recording=recording, language=language)
        if translated and translated != attribution:
            value[language] = [" ".join(translated)]  # the community's own wording, in each language it gave
    manifest.requiredStatement = KeyValueString(label={"en": ["Attribution"]}, value=value)
    if rights_uri(recording.rights):
        manifest.rights = rights_uri(recording.rights)
    manifest.homepage = [{"id": f"{site}/recordings/{recording.pk}/", "type": "Text", "label": _lang(recording.title),
                          "format": "text/html"}]
    duration = recording.duration_seconds or 0.0
    canvas = Canvas(id=f"{base}/canvas", duration=max(duration, 0.001), label=_lang(recording.title))
    access = recording.files.filter(role="access").first()
    if access is not None and recordings_audible(user=user).filter(pk=recording.pk).exists():
        page = AnnotationPage(id=f"{base}/page/painting")
        body = AnnotationBody(id=f"{site}/api/recordings/{recording.pk}/audio/", type="Sound", format="audio/ogg",
                              duration=access.duration or duration)
        page.add_item(Annotation(id=f"{base}/annotation/painting", motivation="painting", body=body, target=canvas.id))
        canvas.add_item(page)
    pages = _layers(recording, user=user, base=base, site=site, canvas_id=canvas.id)
    if pages:
        canvas.annotations = pages
    manifest.add_item(canvas)
    return manifest


def _layers(recording, *, user, base: str, site: str, canvas_id: str) -> list[AnnotationPage]:
    """One AnnotationPage per layer. Free annotations are `supplementing`; a named layer is a
    transcript (lyrics, translation, syllables from ELAN, Praat or subtitles): its annotations
    are `transcribing`, and the page also offers the whole layer as a WebVTT caption file."""
    by_layer: dict[str, list] = {}
    for a in annotations_visible(user=user, recording=recording).order_by("start", "end"):
        by_layer.setdefault(a.layer, []).append(a)
    pages = []
    for layer in sorted(by_layer, key=lambda name: (name != "", name)):
        slug = re.sub(r"[^\w-]+", "-", layer).strip("-") or "annotations"
        page = AnnotationPage(id=f"{base}/page/{slug}", label={"none": [layer or "Annotations"]})
        motivation = "transcribing" if layer else "supplementing"
        for a in by_layer[layer]:
            body = {"type": "TextualBody", "value": a.body, "format": "text/plain"}
            if a.language:
                body["language"] = a.language
            page.add_item(Annotation(id=f"{base}/annotation/{a.pk}", motivation=motivation, body=body,
                                     target=f"{canvas_id}#t={a.start:g},{a.end:g}"))
        if layer:
            languages = sorted({a.language for a in by_layer[layer] if a.language})
            caption = {"id": f"{site}/api/recordings/{recording.pk}/annotations/export/?{urlencode({'layer': layer})}",
                       "type": "Text", "format": "text/vtt", "label": {"none": [layer]}}
            if languages:
                caption["language"] = languages[0]
            page.add_item(Annotation(id=f"{base}/annotation/captions-{slug}", motivation="supplementing", body=caption,
                                     target=canvas_id))
        pages.append(page)
    return pages


def collection_manifest(collection, recordings, *, site: str) -> Collection:
    iiif = Collection(id=f"{site}/iiif/collections/{collection.pk}", label=_lang(collection.title))
    for recording in recordings:
        iiif.items.append(ManifestRef(id=f"{site}/iiif/recordings/{recording.pk}/manifest", type="Manifest",
                                      label=_lang(recording.title)))
    return iiif
