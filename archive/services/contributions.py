"""Narratives and annotations that people add to recordings."""
from django.db import transaction
from django.utils.translation import gettext

from ..models import Annotation, Narrative, ProtocolLevel
from ..policy import is_member, is_steward, may_edit_narrative
from ..search.index import search_mark_dirty
from ..transcripts import TranscriptError, read_layers
from .errors import NotAllowed, ServiceError


def narrative_create(*, recording, community, title: str, text: str, user, language: str = "") -> Narrative:
    """A member speaks for their community; each community's account stands beside the others."""
    if not is_member(user=user, community_id=community.pk):
        raise NotAllowed(gettext("only members of a community may give its account"), field="community")
    narrative = Narrative.objects.create(recording=recording, community=community, title=title, text=text,
                                         language=language, author=user)
    search_mark_dirty(recording.pk)
    return narrative


def narrative_update(*, narrative: Narrative, user, title: str, text: str, language: str = "") -> Narrative:
    """Its author, or a steward of the community whose account it is, rewords it."""
    if not may_edit_narrative(user=user, narrative=narrative):
        raise NotAllowed(gettext("only its author or the community's stewards may change a narrative"))
    if not title.strip() or not text.strip():
        raise ServiceError(gettext("a narrative needs a title and a text"), field="text")
    narrative.title, narrative.text, narrative.language = title.strip(), text, language[:3]
    narrative.save()
    search_mark_dirty(narrative.recording_id)
    return narrative


def _check_times(start, end, duration):
    if start < 0 or end < start:
        raise ServiceError(gettext("an annotation needs 0 ≤ start ≤ end"), field="end")
    if duration is not None and end > duration + 1e-6:
        raise ServiceError(gettext("end is past the recording's duration (%(seconds).2f s)") % {"seconds": duration}, field="end")


def _check_custom(recording, custom) -> None:
    if custom is not None and custom.community_id != recording.community_id:
        raise ServiceError(gettext("a custom protocol must belong to the recording's community"), field="protocol")


def annotation_create(*, recording, data: dict, user) -> Annotation:
    """Members of the recording's community annotate it (anyone may propose changes to the record)."""
    if not user.is_authenticated:
        raise NotAllowed(gettext("sign in to annotate"))
    if not is_member(user=user, community_id=recording.community_id):
        raise NotAllowed(gettext("only members of the recording's community may annotate it"))
    _check_times(data["start"], data["end"], recording.duration_seconds)
    level, custom = data.get("protocol", (ProtocolLevel.PUBLIC, None))
    _check_custom(recording, custom)
    annotation = Annotation.objects.create(
        recording=recording, start=data["start"], end=data["end"], body=data["body"],
        language=data.get("language", ""), author=user, protocol=level, custom_protocol=custom,
        content_warning=data.get("content_warning", ""),
    )
    search_mark_dirty(recording.pk)
    return annotation


def _may_edit(annotation, user) -> bool:
    return annotation.author_id == user.pk or is_steward(user=user, community_id=annotation.recording.community_id)


def annotation_update(*, annotation: Annotation, data: dict, user) -> Annotation:
    if not _may_edit(annotation, user):
        raise NotAllowed(gettext("only the author or a steward may change an annotation"))
    for key in ("start", "end", "body", "language", "content_warning"):
        if key in data:
            setattr(annotation, key, data[key])
    if "protocol" in data:
        _check_custom(annotation.recording, data["protocol"][1])
        annotation.protocol, annotation.custom_protocol = data["protocol"]
    _check_times(annotation.start, annotation.end, annotation.recording.duration_seconds)
    annotation.save()
    search_mark_dirty(annotation.recording_id)
    return annotation


def annotation_delete(*, annotation: Annotation, user) -> None:
    if not _may_edit(annotation, user):
        raise NotAllowed(gettext("only the author or a steward may delete an annotation"))
    recording_id = annotation.recording_id
    annotation.delete()
    search_mark_dirty(recording_id)


def annotations_import(*, recording, user, data: bytes, layer: str = "", language: str = "",
                       protocol=(ProtocolLevel.PUBLIC, None)) -> tuple[str, list[Annotation]]:
    """Import a transcript (WebVTT, SRT, ELAN, TextGrid) as annotation layers, all of it or none.
    ELAN and TextGrid tiers are layers of their own names (``layer`` names a single tier);
    WebVTT and SRT become the layer ``layer``. Returns the format and the annotations."""
    if not is_member(user=user, community_id=recording.community_id):
        raise NotAllowed(gettext("only members of the recording's community may annotate it"))
    try:
        kind, layers = read_layers(data)
    except TranscriptError as exc:
        raise ServiceError(str(exc), field="file") from None
    level, custom = protocol
    _check_custom(recording, custom)
    created = []
    with transaction.atomic():
        for tier, cues in layers.items():
            name = layer if (layer and len(layers) == 1) or not tier else tier
            for start, end, text in cues:
                _check_times(start, end, recording.duration_seconds)
                created.append(Annotation.objects.create(
                    recording=recording, start=start, end=end, body=text, language=language, layer=name[:120],
                    author=user, protocol=level, custom_protocol=custom))
        search_mark_dirty(recording.pk)
    return kind, created
