"""Which recordings a model may learn from: archive/policy.py decides (audio the trainer may hear,
consent, the label table); this adds only what training needs, a finished analysis or a score.
Retiring what learned from a recording that may no longer be learned from is done by the database
in the writing transaction (generation/retirement_triggers.py)."""
from django.db.models import Q, QuerySet

from archive.labels import INHERITED
from archive.models import Recording
from archive.policy import recordings_trainable

INHERITED_LABELS = tuple(sorted(INHERITED))


def trainable_recordings(*, user, tradition) -> QuerySet[Recording]:
    """What this user may train a model of this tradition on, with a finished analysis or a score."""
    return (recordings_trainable(user=user, tradition=tradition)
            .filter(Q(analyses__status="ok") | Q(scores__isnull=False))
            .distinct())
