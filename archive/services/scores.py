"""Attaching a score to a recording: members of its community only; the file is read before
anything is stored, so an unreadable one leaves nothing behind."""
import hashlib
import re

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext

from music.scores import ScoreError, read_score

from ..models import Recording, Score
from ..policy import is_member
from .errors import NotAllowed, ServiceError

MAX_SCORE_BYTES = 5 * 1024 * 1024
EXTENSIONS = {"musicxml": "musicxml", "midi": "mid", "abc": "abc", "kern": "krn"}


def score_attach(*, recording: Recording, user, data: bytes, name: str, title: str = "") -> Score:
    if not is_member(user=user, community_id=recording.community_id):
        raise NotAllowed(gettext("only members of the recording's community may attach scores"))
    if len(data) > MAX_SCORE_BYTES:
        raise ServiceError(gettext("a score may be at most 5 MB"), field="file")
    if re.search(r"[/\\\x00-\x1f]", name or ""):
        raise ServiceError(gettext("the file name may not hold path separators or control characters"), field="file")
    try:
        fmt, notes = read_score(data, name)
    except ScoreError as exc:
        raise ServiceError(str(exc), field="file") from None
    if fmt == "musicxml" and data[:2] == b"PK":
        extension = "mxl"
    else:
        extension = EXTENSIONS[fmt]
    digest = hashlib.sha256(data).hexdigest()
    stored = default_storage.save(f"recordings/{recording.pk}/scores/{digest[:16]}.{extension}", ContentFile(data))
    try:
        with transaction.atomic():
            return Score.objects.create(recording=recording, format=fmt, storage_name=stored, sha256=digest, size=len(data),
                                        original_name=(name or "")[:255], title=title[:300],
                                        notes=sum(1 for n in notes if n.midi is not None), uploaded_by=user)
    except Exception:
        default_storage.delete(stored)
        raise


def score_notes(score: Score):
    with default_storage.open(score.storage_name, "rb") as handle:
        data = handle.read()
    return data, read_score(data, score.original_name)[1]
