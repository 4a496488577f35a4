"""A recording's transcriptions: the automatic one (version 0, the analysis') and every version
people corrected, read by whoever may hear the recording, saved by the community's members.
/notes/ and its MIDI and MusicXML serve the newest person's version over the automatic one and
say which (the Songkeeper-Transcription header, the MIDI track's name, the MusicXML title)."""
from django.http import Http404
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from music.notation import notation_from

from ...analysis import ANALYSER
from ...analysis.export import notes_to_midi, notes_to_musicxml
from ...analysis.notes import Note
from ...policy import sees_everything_of
from ...selectors import transcription_numbered, transcriptions_of
from ...services.analysis import analysis_notes
from ...services.errors import ServiceError
from ...services.transcriptions import (
    AUTOMATIC,
    automatic_transcription,
    transcription_in_use,
    transcription_notes,
    transcription_revert,
    transcription_save,
)
from .media import download_response

SaveInput = inline_serializer("TranscriptionSave", {
    "notes": serializers.ListField(child=serializers.DictField(), required=False),
    "based_on": serializers.IntegerField(),
    "revert_to": serializers.IntegerField(required=False),
    "comment": serializers.CharField(required=False, allow_blank=True),
})


def _version_json(t, *, details: bool) -> dict:
    return {"number": t.number, "source": "corrected", "based_on": t.based_on, "notes": t.note_count,
            "sha256": t.sha256, "created": t.created.isoformat(), "comment": t.comment if details else "",
            "author": t.author.username if details and t.author else None}


def _automatic_json(analysis) -> dict:
    return {"number": AUTOMATIC, "source": "automatic", "based_on": None, "analyser": f"{ANALYSER} {analysis.version}",
            "created": (analysis.finished or analysis.created).isoformat()}


def _whole_number(value, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ServiceError(gettext("%(field)s must be a whole number") % {"field": field}, field=field) from None


def _saying_which(response, what: str):
    """The response, with the header that says which transcription it carries."""
    response["Songkeeper-Transcription"] = what
    return response


class RecordingTranscriptionsMixin:
    """Mixed into RecordingViewSet after RecordingMediaMixin (whose _audible decides access)."""

    def _in_use(self, request):
        """(notes, what they are) for /notes/: the newest person's version, else the automatic one."""
        recording = self._audible(request)
        in_use = transcription_in_use(recording)
        if in_use is None:
            raise Http404("this recording has not been analysed yet")
        return recording, *in_use

    @extend_schema(responses={(200, "application/json"): list})
    @action(detail=True, methods=["get"])
    def notes(self, request, pk=None):
        """The notes in use (onset, duration, Hz, cents from the tonic, nearest degree, confidence):
        the newest corrected version, else the automatic transcription (the header says which)."""
        _recording, notes, what = self._in_use(request)
        return _saying_which(Response(notes), what)

    @extend_schema(responses={(200, "audio/midi"): bytes})
    @action(detail=True, methods=["get"], url_path="notes/midi")
    def notes_midi(self, request, pk=None):
        """The notes in use as MIDI: each note's microtonal deviation as a pitch bend (range ±2 semitones)."""
        recording, notes, what = self._in_use(request)
        data = notes_to_midi([Note(**n) for n in notes], name=f"Transcription, {what}")
        return _saying_which(download_response(data, "audio/midi", f"{recording.pk}-notes.mid"), what)

    @extend_schema(responses={(200, "application/vnd.recordare.musicxml+xml"): bytes})
    @action(detail=True, methods=["get"], url_path="notes/musicxml")
    def notes_musicxml(self, request, pk=None):
        """The notes in use as MusicXML: exact cents as a decimal <alter>, the nearest accidental written."""
        recording, notes, what = self._in_use(request)
        data = notes_to_musicxml([Note(**n) for n in notes], title=f"{recording.title} (transcription: {what})",
                                 notation=notation_from(recording.tradition.notation))
        return _saying_which(download_response(data, "application/vnd.recordare.musicxml+xml",
                                               f"{recording.pk}-notes.musicxml"), what)

    @extend_schema(request=SaveInput, responses={200: dict, 201: dict})
    @action(detail=True, methods=["get", "post"])
    def transcriptions(self, request, pk=None):
        """GET: every version, newest first (0 is the automatic one); who saved one and why only for
        the community's stewards. POST {notes, based_on[, comment]} saves a correction as the next
        version; {revert_to, based_on} returns to an earlier one (0: the automatic) as the next."""
        recording = self._audible(request)
        if request.method == "POST":
            data = request.data
            based_on = _whole_number(data.get("based_on"), "based_on")
            if data.get("revert_to") is not None:
                saved = transcription_revert(recording=recording, user=request.user, based_on=based_on,
                                             to=_whole_number(data["revert_to"], "revert_to"))
            else:
                saved = transcription_save(recording=recording, user=request.user, notes=data.get("notes"),
                                           based_on=based_on, comment=str(data.get("comment", "")))
            return Response(_version_json(saved, details=True), status=status.HTTP_201_CREATED)
        analysis = automatic_transcription(recording)
        details = sees_everything_of(user=request.user, recording=recording)
        versions = [_version_json(t, details=details) for t in transcriptions_of(recording)]
        if analysis is not None:
            versions.append(_automatic_json(analysis))
        if not versions:
            raise Http404("this recording has not been transcribed yet")
        return Response(versions)

    @extend_schema(parameters=[OpenApiParameter("number", int, location="path")], responses={200: dict})
    @action(detail=True, methods=["get"], url_path=r"transcriptions/(?P<number>[0-9]+)")
    def transcription(self, request, pk=None, number=None):
        """One version with its notes (0: the automatic transcription)."""
        recording = self._audible(request)
        number = int(number)
        if number == AUTOMATIC:
            analysis = automatic_transcription(recording)
            if analysis is None:
                raise Http404
            return Response({**_automatic_json(analysis), "notes_list": analysis_notes(analysis)})
        found = transcription_numbered(recording, number)
        if found is None:
            raise Http404
        details = sees_everything_of(user=request.user, recording=recording)
        return Response({**_version_json(found, details=details), "notes_list": transcription_notes(found)})
