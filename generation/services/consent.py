"""Which recordings a model may learn from, and retiring what learned from one that may no
longer be learned from. The archive's visibility selector is the only source of recordings."""
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from archive.access import recordings_visible
from archive.models import Recording

from ..models import ModelSource, StudyExample, StyleModel

NO_TRAINING_LABELS = ("tk_secret_sacred",)
INHERITED_LABELS = ("tk_non_commercial", "tk_attribution", "tk_community_use_only")
ACTIVE = (StyleModel.Status.QUEUED, StyleModel.Status.TRAINING, StyleModel.Status.READY)


def trainable_recordings(*, user, tradition) -> QuerySet[Recording]:
    """Published recordings of the tradition that this user may see, whose community allowed
    training and that carry no label forbidding it, with a finished analysis or a score."""
    return (
        recordings_visible(user=user)
        .filter(tradition=tradition, status=Recording.Status.PUBLISHED, training_consent=Recording.Consent.ALLOWED)
        .exclude(labels__code__in=NO_TRAINING_LABELS)
        .filter(Q(analyses__status="ok") | Q(scores__isnull=False))
        .distinct()
    )


def is_trainable(recording: Recording) -> bool:
    """Consent still holds (a newer analysis does not retire anything)."""
    return (
        recording.status == Recording.Status.PUBLISHED
        and recording.training_consent == Recording.Consent.ALLOWED
        and not recording.labels.filter(code__in=NO_TRAINING_LABELS).exists()
    )


def retire_models_for(*, recording_id, reason: str) -> int:
    """Retire every active model that learned from this recording and withdraw its examples."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(ModelSource.objects.filter(recording_uuid=recording_id, model__status__in=ACTIVE)
                   .values_list("model_id", flat=True))
        if not ids:
            return 0
        StyleModel.objects.filter(pk__in=ids).update(status=StyleModel.Status.RETIRED, retired_at=now,
                                                     retired_reason=reason[:300])
        StudyExample.objects.filter(model_id__in=ids, withdrawn_at__isnull=True).update(
            withdrawn_at=now, withdrawn_reason=reason[:300])
    return len(ids)


def recheck_recording(recording_id) -> int:
    """After a recording changed: retire what learned from it if it may no longer be learned from."""
    if not ModelSource.objects.filter(recording_uuid=recording_id, model__status__in=ACTIVE).exists():
        return 0
    recording = Recording.objects.filter(pk=recording_id).first()
    if recording is None:
        return retire_models_for(recording_id=recording_id, reason="a source recording was erased")
    if is_trainable(recording):
        return 0
    if recording.status != Recording.Status.PUBLISHED:
        reason = f"source recording “{recording.title}” was {recording.get_status_display().lower()}"
    elif recording.training_consent != Recording.Consent.ALLOWED:
        reason = f"the community withdrew training consent for “{recording.title}”"
    else:
        reason = f"“{recording.title}” now carries a label that forbids training"
    return retire_models_for(recording_id=recording_id, reason=reason)
