"""Reads of style models and examples. A model (and every example it made) is derived data: it is
visible only to those who may see the derived data of every recording it learned from
(archive/policy.py: hear it, and inside the community where a Community Use Only label says so:
recordings_learned_from_visible),
since its manifest names them and its pitch set, tonic and tempo come from their audio."""
import json

from django.core.files.storage import default_storage
from django.db.models import Exists, OuterRef, QuerySet

from archive.policy import recordings_learned_from_visible, viewer_for

from .models import ModelSource, PracticeSet, StudyExample, StyleModel


def style_models_visible(*, user) -> QuerySet[StyleModel]:
    models = StyleModel.objects.select_related("tradition", "job")
    if viewer_for(user).is_staff:
        return models
    hidden = ModelSource.objects.filter(model=OuterRef("pk")).exclude(recording__in=recordings_learned_from_visible(user=user))
    return models.exclude(Exists(hidden))


def examples_visible(*, user) -> QuerySet[StudyExample]:
    return StudyExample.objects.filter(model__in=style_models_visible(user=user)).select_related("model__tradition")


def style_model_or_none(*, user, pk) -> StyleModel | None:
    try:
        return style_models_visible(user=user).filter(pk=pk).first()
    except (ValueError, TypeError):
        return None


def example_or_none(*, user, pk) -> StudyExample | None:
    try:
        return examples_visible(user=user).filter(pk=pk).first()
    except (ValueError, TypeError):
        return None


def practice_sets_visible(*, user) -> QuerySet[PracticeSet]:
    """A practice set: whoever may see its model (a class shares a set as it shares the model)."""
    return PracticeSet.objects.filter(model__in=style_models_visible(user=user)).select_related("model__tradition", "job")


def practice_set_or_none(*, user, pk) -> PracticeSet | None:
    try:
        return practice_sets_visible(user=user).filter(pk=pk).first()
    except (ValueError, TypeError):
        return None


def learned_source(model: StyleModel, recording_id) -> dict | None:
    """The manifest's entry for one of the recordings a model learned from (None: not one of them)."""
    return next((s for s in model.manifest.get("recordings", []) if s["recording"] == str(recording_id)), None)


def learned_notes(model: StyleModel, recording_id) -> list[dict] | None:
    """The notes a visible model learned from one of its recordings (its frozen notes file: onset,
    duration, cents from the tonic), pitched notes only, read as training read them (with the tonic
    turned where training turned it: ``metrics.tonic_moves``); None where it learned none from it.
    Seen by whoever sees the model, who may see every recording's derived data (style_models_visible)."""
    source = learned_source(model, recording_id)
    if source is None or not source.get("notes_file"):
        return None
    with default_storage.open(source["notes_file"], "rb") as handle:
        stored = json.loads(handle.read())
    moved = (model.metrics.get("tonic_moves") or {}).get(str(recording_id), 0.0)
    return [{**n, "cents": n["cents"] - moved} for n in (stored if isinstance(stored, list) else stored.get("notes", []))
            if n.get("cents") is not None]
