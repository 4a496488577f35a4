"""Saving a person's corrected transcription of a recording: a new numbered version each time,
never an edit of an old one, so every version can be read, compared and returned to. Version 0
is the analysis' automatic transcription; re-analysis makes a new automatic one and never touches
a person's version, and the newest person's version is what exports and style models use."""
import hashlib
import json
import math
from itertools import pairwise

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext

from ..analysis import ANALYSER
from ..analysis.notes import Note
from ..analysis.tuning import Degree, nearest_degree
from ..models import Recording, Transcription
from ..policy import may_correct_notes
from ..selectors import transcription_newest, transcription_numbered
from .analysis import analysis_current, analysis_notes
from .errors import Conflict, NotAllowed, ServiceError

MAX_NOTES = 20000
AUTOMATIC = 0


def _number(value, what: str, index: int) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not math.isfinite(number):
        raise ServiceError(gettext("note %(index)d: %(what)s must be a number") % {"index": index + 1, "what": what},
                           field="notes")
    return number


def notes_checked(raw, *, tonic_hz: float, degrees: list[Degree], duration: float | None) -> list[dict]:
    """The notes as the archive keeps them, from what a person sent: onset and duration in
    seconds and the pitch in cents from the tonic (or Hz); Hz, the nearest degree and the deviation
    are worked out here, in the recording's own pitch set. Sorted by onset."""
    if not isinstance(raw, list) or not raw:
        raise ServiceError(gettext("send the notes as a list of {onset, duration, cents}"), field="notes")
    if len(raw) > MAX_NOTES:
        raise ServiceError(gettext("at most %(n)d notes") % {"n": MAX_NOTES}, field="notes")
    out = []
    for i, item in enumerate(raw):
        if not isinstance(item, dict):
            raise ServiceError(gettext("note %(index)d is not an object") % {"index": i + 1}, field="notes")
        onset, length = _number(item.get("onset"), "onset", i), _number(item.get("duration"), "duration", i)
        if "cents" in item:
            cents = _number(item["cents"], "cents", i)
        else:
            hz = _number(item.get("hz"), "cents or hz", i)
            if hz <= 0:
                raise ServiceError(gettext("note %(index)d: hz must be above 0") % {"index": i + 1}, field="notes")
            cents = 1200 * math.log2(hz / tonic_hz)
        if onset < 0 or length <= 0 or abs(cents) > 4800:
            raise ServiceError(gettext("note %(index)d: onset 0 or later, a duration above 0, within four octaves "
                                       "of the tonic") % {"index": i + 1}, field="notes")
        if duration is not None and onset + length > duration + 0.5:
            raise ServiceError(gettext("note %(index)d ends after the recording does") % {"index": i + 1}, field="notes")
        degree, deviation = nearest_degree(cents, degrees)
        out.append(Note(onset=round(onset, 3), duration=round(length, 3), hz=round(tonic_hz * 2 ** (cents / 1200), 3),
                        cents=round(cents, 1), degree=degree, deviation=deviation,
                        confidence=None).as_dict())  # a person's note: no measured confidence
    out.sort(key=lambda n: (n["onset"], n["cents"]))
    for i, (before, note) in enumerate(pairwise(out), start=2):  # one voice: a note ends before the next begins
        if note["onset"] < before["onset"] + before["duration"] - 0.001:
            raise ServiceError(gettext("note %(index)d begins before the one before it ends") % {"index": i},
                               field="notes")
    return out


def transcription_save(*, recording: Recording, user, notes, based_on: int, comment: str = "") -> Transcription:
    """Save a person's transcription as the next version. ``based_on`` is the version they
    corrected: if someone saved another meanwhile, nothing is written (a 409 says which)."""
    if not may_correct_notes(user=user, recording=recording):
        raise NotAllowed(gettext("only members of the recording's community who may hear it correct its notes"))
    analysis = analysis_current(recording)
    if analysis is None or not analysis.tonic_hz:
        raise ServiceError(gettext("the recording has no analysis (and so no tonic) to read the notes in yet"))
    degrees = [Degree(cents=d["cents"], weight=d.get("weight", 0.0)) for d in analysis.summary.get("pitch_set", [])]
    tonic_hz = recording.tonic_hz or analysis.tonic_hz
    kept = notes_checked(notes, tonic_hz=tonic_hz, degrees=degrees, duration=recording.duration_seconds)
    data = json.dumps(kept, separators=(",", ":")).encode()
    sha256 = hashlib.sha256(data).hexdigest()
    with transaction.atomic():
        Recording.objects.select_for_update().filter(pk=recording.pk).first()  # one save at a time per recording
        latest = transcription_newest(recording)
        newest = latest.number if latest is not None else AUTOMATIC
        if based_on != newest:
            raise Conflict(gettext("version %(newest)d was saved since you opened version %(based_on)d: reload to see "
                                   "it, then correct again") % {"newest": newest, "based_on": based_on})
        number = newest + 1
        # written before the row: a rolled-back save leaves an unreferenced file, never a row without one
        name = default_storage.save(f"recordings/{recording.pk}/transcriptions/{number}-{sha256[:16]}.json",
                                    ContentFile(data))
        return Transcription.objects.create(recording=recording, number=number, based_on=based_on, analysis=analysis,
                                            notes_file=name, sha256=sha256, note_count=len(kept), author=user,
                                            comment=comment[:300])


def automatic_transcription(recording: Recording):
    """The current analysis when it has notes: version 0, the automatic transcription (else None)."""
    analysis = analysis_current(recording)
    return analysis if analysis is not None and analysis.notes_file else None


def transcription_revert(*, recording: Recording, user, to: int, based_on: int) -> Transcription:
    """Return to an earlier version (0: the automatic one) by saving its notes as the next version."""
    if to == AUTOMATIC:
        analysis = automatic_transcription(recording)
        if analysis is None:
            raise ServiceError(gettext("the recording has no automatic transcription"), field="revert_to")
        notes = analysis_notes(analysis)
    else:
        earlier = transcription_numbered(recording, to)
        if earlier is None:
            raise ServiceError(gettext("there is no version %(n)d") % {"n": to}, field="revert_to")
        notes = transcription_notes(earlier)
    return transcription_save(recording=recording, user=user, notes=notes, based_on=based_on,
                              comment=gettext("returned to version %(n)d") % {"n": to})


def transcription_in_use(recording: Recording) -> tuple[list[dict], str] | None:
    """(notes, what they are) that exports serve: the newest person's version, else the automatic
    transcription of the current analysis; None when there is neither."""
    newest = transcription_newest(recording)
    if newest is not None:
        return transcription_notes(newest), f"corrected, version {newest.number}"
    analysis = automatic_transcription(recording)
    if analysis is None:
        return None
    return analysis_notes(analysis), f"automatic ({ANALYSER} {analysis.version})"


def transcription_notes(transcription: Transcription) -> list[dict]:
    with default_storage.open(transcription.notes_file, "rb") as handle:
        return json.loads(handle.read())
