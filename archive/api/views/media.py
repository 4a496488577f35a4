"""Audio in and out of a recording: the multipart upload, the streamed access copy
(or master), and the waveform peaks. Every read goes through archive.access."""
from pathlib import Path

from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from ...models import Analysis, RecordingFile, Score
from ...policy import may_download_master, recordings_audible, recordings_visible, viewer_for
from ...selectors import same_master_elsewhere
from ...services.analysis import analysis_current, pitch_contour
from ...services.errors import ServiceError
from ...services.ingest import recording_attach_master
from ...services.scores import score_attach
from ...services.share_links import share_link_log_listen
from ..ranges import ranged_file_response
from ..upload_handler import HashingUploadHandler, StrictMultiPartParser

MIME = {"wav": "audio/wav", "rf64": "audio/wav", "w64": "audio/x-w64", "flac": "audio/flac", "aiff": "audio/aiff",
        "ogg": "audio/ogg", "mp3": "audio/mpeg", "m4a": "audio/mp4", "json": "application/json"}


class FileSummary(serializers.ModelSerializer):
    format = serializers.CharField(source="container")

    class Meta:
        model = RecordingFile
        fields = ["role", "sha256", "size", "format", "codec", "sample_rate", "channels", "bit_depth", "duration",
                  "original_name", "technical", "created"]


class AnalysisSerializer(serializers.ModelSerializer):
    tonic = serializers.SerializerMethodField()
    pitch_set = serializers.SerializerMethodField()

    class Meta:
        model = Analysis
        fields = ["analyser", "version", "versions", "status", "tonic", "pitch_set", "tempo_bpm", "pulse_confidence",
                  "loudness_lufs", "summary", "features", "finished", "compute_seconds"]

    def get_tonic(self, obj) -> dict | None:
        if obj.tonic_hz is None:
            return None
        return {"hz": obj.tonic_hz, "method": obj.tonic_method, "confidence": obj.tonic_confidence}

    def get_pitch_set(self, obj) -> list[dict]:
        return obj.summary.get("pitch_set", [])


UploadResult = inline_serializer("UploadResult", {
    "sha256": serializers.CharField(), "size": serializers.IntegerField(), "format": serializers.CharField(),
    "codec": serializers.CharField(), "duration": serializers.FloatField(), "job": serializers.UUIDField(),
})


def upload_result(row: RecordingFile, job, *, user=None) -> dict:
    """What an upload stored; ``same_as``: other recordings the uploader may see whose master has these bytes."""
    return {"same_as": [str(pk) for pk in same_master_elsewhere(user=user, file=row)],
            "sha256": row.sha256, "size": row.size, "format": row.container, "codec": row.codec,
            "sample_rate": row.sample_rate, "channels": row.channels, "bit_depth": row.bit_depth,
            "duration": row.duration, "technical": row.technical, "job": str(job.pk),
            "analysis_job": str(job.analysis_job.pk) if getattr(job, "analysis_job", None) else None}


def download_response(data: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class RecordingMediaMixin:
    """Actions mixed into RecordingViewSet (which provides get_object through the access selector)."""

    def initialize_request(self, request, *args, **kwargs):
        if request.method == "POST" and request.path.rstrip("/").endswith("/upload"):
            request.upload_handlers = [HashingUploadHandler(request)]
        return super().initialize_request(request, *args, **kwargs)

    @extend_schema(
        request={"multipart/form-data": inline_serializer("Upload", {
            "file": serializers.FileField(), "sha256": serializers.CharField(required=False)})},
        responses={201: UploadResult},
    )
    @action(detail=True, methods=["post"], parser_classes=[StrictMultiPartParser])
    def upload(self, request, pk=None):
        """Attach the preservation master; it is checked by decoding, hashed while written, never modified."""
        recording = self.get_object()
        handler = request.upload_handlers[0]
        upload = request.FILES.get("file")
        if getattr(handler, "write_error", None):
            return Response({"detail": f"file: the archive could not store the file ({handler.write_error}); "
                                       "nothing was kept, try again later", "code": "storage_error"}, status=507)
        if getattr(handler, "too_large", False):
            return Response({"detail": "file: the file is larger than this archive accepts", "code": "too_large"},
                            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
        if upload is None:
            raise ServiceError(gettext("send the audio as the multipart field 'file'"), field="file")
        try:
            row, job = recording_attach_master(
                recording=recording, path=Path(upload.temporary_file_path()), original_name=upload.name,
                user=request.user, sha256=upload.sha256, size=upload.size,
                expected_sha256=request.data.get("sha256") or None)
        finally:
            upload.close()  # removes the temporary file if it was not moved into storage
        return Response(upload_result(row, job, user=request.user), status=status.HTTP_201_CREATED)

    def _audible(self, request):
        """The bare row (no prefetched relations: a player asks for many ranges). Hidden and missing
        answer alike (404); visible but not audible, 403."""
        recording = recordings_audible(user=request.user).filter(pk=self.recording_pk()).first()
        if recording is None:
            self.get_object(recordings_visible(user=request.user))  # 404 when the record is hidden too
            raise PermissionDenied(gettext("the community keeps this audio under its own protocol; you may ask for access"))
        return recording

    @extend_schema(parameters=[OpenApiParameter("original", bool, description="the preservation master (members)")],
                   responses={(200, "audio/*"): bytes, (206, "audio/*"): bytes})
    @action(detail=True, methods=["get"])
    def audio(self, request, pk=None):
        """The access copy, streamed with Range support; ?original=1 the master for those allowed."""
        recording = self._audible(request)
        if request.query_params.get("original") in ("1", "true"):
            if not may_download_master(user=request.user, recording=recording):
                raise PermissionDenied(gettext("the preservation master is for the community's members"))
            role = RecordingFile.Role.MASTER
        else:
            role = RecordingFile.Role.ACCESS
        file = RecordingFile.objects.filter(recording=recording, role=role).first()
        if file is None:
            raise Http404
        if recording.pk in viewer_for(request.user).shared and request.headers.get("Range", "bytes=0-").startswith("bytes=0-"):
            share_link_log_listen(request=request, recording=recording)  # a holder of a share link starts listening
        return ranged_file_response(request, file.storage_name, content_type=MIME.get(file.container, "application/octet-stream"))

    def _analysis(self, request):
        recording = self._audible(request)  # descriptors and contours reveal the music itself
        analysis = analysis_current(recording)
        if analysis is None:
            raise Http404("this recording has not been analysed yet")
        return analysis

    @extend_schema(responses={200: AnalysisSerializer})
    @action(detail=True, methods=["get"])
    def analysis(self, request, pk=None):
        """Tonic (Hz, method, confidence), tuning (pitch set in cents), tempo, loudness, analyser versions."""
        return Response(AnalysisSerializer(self._analysis(request)).data)

    @extend_schema(parameters=[OpenApiParameter("max_points", int)], responses={(200, "application/json"): dict})
    @action(detail=True, methods=["get"])
    def pitch(self, request, pk=None):
        """The pitch contour (time, Hz, confidence), downsampled to at most max_points (default 4000)."""
        analysis = self._analysis(request)
        try:
            max_points = max(10, min(100_000, int(request.query_params.get("max_points", 4000))))
        except ValueError:
            raise ServiceError(gettext("max_points must be a whole number"), field="max_points") from None
        return Response(pitch_contour(analysis, max_points=max_points))

    @extend_schema(responses={(200, "application/json"): dict})
    @action(detail=True, methods=["get"])
    def peaks(self, request, pk=None):
        """Waveform peaks (audiowaveform JSON layout) for the player."""
        recording = self._audible(request)
        file = RecordingFile.objects.filter(recording=recording, role=RecordingFile.Role.PEAKS).first()
        if file is None:
            raise Http404
        return ranged_file_response(request, file.storage_name, content_type="application/json")

    @extend_schema(request={"multipart/form-data": dict}, responses={200: list, 201: dict})
    @action(detail=True, methods=["get", "post"])
    def scores(self, request, pk=None):
        """Symbolic transcriptions (MusicXML, MIDI, ABC, Humdrum kern): members attach them, those who
        may hear the recording read them. Style models learn from them beside the analysed notes."""
        if request.method == "POST":
            recording = self.get_object()
            upload = request.FILES.get("file")
            if upload is None:
                raise ServiceError(gettext("send the score as the multipart field 'file'"), field="file")
            if upload.size > 5 * 1024 * 1024:
                raise ServiceError(gettext("a score may be at most 5 MB"), field="file")
            score = score_attach(recording=recording, user=request.user, data=upload.read(), name=upload.name,
                                 title=str(request.data.get("title", "")))
            return Response(_score_json(score), status=status.HTTP_201_CREATED)
        recording = self._audible(request)
        return Response([_score_json(s) for s in Score.objects.filter(recording=recording)])

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"], url_path=r"scores/(?P<score_pk>[0-9a-f-]{36})")
    def score_file(self, request, pk=None, score_pk=None):
        """The score file as it was uploaded."""
        recording = self._audible(request)
        score = Score.objects.filter(recording=recording, pk=score_pk).first()
        if score is None:
            raise Http404
        with default_storage.open(score.storage_name, "rb") as handle:
            data = handle.read()
        types = {"musicxml": "application/vnd.recordare.musicxml+xml", "midi": "audio/midi", "abc": "text/vnd.abc",
                 "kern": "text/x-kern"}
        return download_response(data, types[score.format], score.storage_name.rsplit("/", 1)[-1])


def _score_json(score) -> dict:
    return {"id": str(score.pk), "format": score.format, "title": score.title, "original_name": score.original_name,
            "sha256": score.sha256, "size": score.size, "notes": score.notes, "created": score.created,
            "url": reverse("recording-score-file", args=[score.recording_id, score.pk])}
