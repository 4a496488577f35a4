"""/api/recordings/ and what hangs off one recording."""
import csv
import io
import uuid

from django.http import Http404, HttpResponse
from django.utils.translation import gettext
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from ...exports.manifest import COLUMNS, recording_to_row
from ...exports.premis import premis_xml
from ...filters import RecordingFilter
from ...models import Annotation, ProtocolLevel
from ...policy import annotations_visible, history_for, recordings_derivable, recordings_visible
from ...search.similar import similar_recordings
from ...selectors import audible_among, events_for, narratives_for, recording_history, recording_list_visible
from ...services import contributions
from ...services import recordings as svc
from ...services.access_requests import access_request_create
from ...services.errors import ServiceError
from ...transcripts import write_eaf, write_vtt
from ..renderers import PremisRenderer
from ..serializers.contributions import (
    AccessRequestSerializer,
    AnnotationSerializer,
    EventSerializer,
    HistoryEntry,
    NarrativeSerializer,
    ProposalSerializer,
)
from ..serializers.fields import ProtocolField
from ..serializers.recordings import RecordingInput, RecordingOutput
from .base import visible_recording_or_404
from .media import RecordingMediaMixin
from .transcriptions import RecordingTranscriptionsMixin

WRITABLE = set(RecordingInput().fields)


class RecordingViewSet(RecordingTranscriptionsMixin, RecordingMediaMixin, viewsets.GenericViewSet):
    serializer_class = RecordingOutput
    permission_classes = [IsAuthenticatedOrReadOnly]
    filterset_class = RecordingFilter
    lookup_value_regex = "[0-9a-fA-F-]{36}"

    def get_queryset(self):
        return recording_list_visible(user=self.request.user)

    def recording_pk(self) -> uuid.UUID:
        try:
            return uuid.UUID(str(self.kwargs["pk"]))
        except ValueError:
            raise Http404 from None  # names nothing, like an id that does not exist

    def get_object(self, queryset=None):
        recording = (self.get_queryset() if queryset is None else queryset).filter(pk=self.recording_pk()).first()
        if recording is None:
            raise Http404
        return recording

    def _output(self, recordings, *, many=False):
        items = list(recordings) if many else [recordings]
        context = {"audible": audible_among(user=self.request.user, recordings=items), "request": self.request}
        return RecordingOutput(recordings, many=many, context=context).data

    def list(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self._output(page, many=True))

    def retrieve(self, request, pk=None):
        return Response(self._output(self.get_object()))

    @extend_schema(responses={(200, "text/csv"): str})
    @action(detail=False, methods=["get"], url_path="export")
    def export_csv(self, request):
        """The (filtered) list as CSV in the bulk-ingest manifest's columns, ready to ingest elsewhere."""
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        for recording in self.filter_queryset(self.get_queryset()).select_related("collection")[:10000]:
            master = next((f for f in recording.files.all() if f.role == "master"), None)
            name = f"{recording.pk}.{master.container}" if master else ""
            writer.writerow(recording_to_row(recording, file=name))
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="recordings.csv"'
        return response

    @extend_schema(request=RecordingInput, responses={201: RecordingOutput})
    def create(self, request):
        body = RecordingInput(data=request.data)
        body.is_valid(raise_exception=True)
        recording = svc.recording_create(data=body.validated_data, user=request.user)
        return Response(self._output(self.get_queryset().get(pk=recording.pk)), status=status.HTTP_201_CREATED)

    @extend_schema(request=RecordingInput, responses={200: RecordingOutput, 202: ProposalSerializer})
    def partial_update(self, request, pk=None):
        """A steward's change applies; anyone else's becomes a proposal (202) for the stewards."""
        recording = self.get_object()
        body = RecordingInput(instance=recording, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data["_raw"] = {k: v for k, v in request.data.items() if k in WRITABLE}
        outcome, obj = svc.recording_update(recording=recording, data=data, user=request.user)
        if outcome == "proposed":
            return Response(ProposalSerializer(obj).data, status=status.HTTP_202_ACCEPTED)
        return Response(self._output(self.get_queryset().get(pk=obj.pk)))

    @extend_schema(parameters=[OpenApiParameter("erase", bool, description="also delete the stored files")])
    def destroy(self, request, pk=None):
        """Withdraw (stewards). With ?erase=1 its files are deleted by a job, and the job is returned."""
        recording = self.get_object()
        erase = request.query_params.get("erase") in ("1", "true", "yes")
        job = svc.recording_withdraw(recording=recording, user=request.user, erase=erase,
                                     reason=str(request.data.get("reason", "")) if hasattr(request.data, "get") else "")
        body = {"id": str(recording.pk), "status": "withdrawn", "job": str(job.pk) if job else None}
        return Response(body, status=status.HTTP_202_ACCEPTED if job else status.HTTP_200_OK)

    @extend_schema(parameters=[OpenApiParameter("limit", int)], responses={200: dict})
    @action(detail=True, methods=["get"])
    def similar(self, request, pk=None):
        """Nearest recordings by analysed features (cosine). Derived from the audio, so only for a
        recording the caller may hear, and among those they may hear (hidden: 404; visible only: 403)."""
        visible = recordings_derivable(user=request.user)
        recording = visible.filter(pk=self.recording_pk()).first()
        if recording is None:
            self.get_object(recordings_visible(user=request.user))  # 404 when the record is hidden too
            raise PermissionDenied(gettext("the community keeps this audio under its own protocol; you may ask for access"))
        try:
            limit = max(1, min(100, int(request.query_params.get("limit", 10))))
        except ValueError:
            raise ServiceError(gettext("limit must be a whole number"), field="limit") from None
        pairs = similar_recordings(user=request.user, recording=recording, limit=limit, visible=visible)
        found = self.get_queryset().in_bulk([pk for pk, _ in pairs])
        items = [found[pk] for pk, _ in pairs if pk in found]
        data = self._output(items, many=True)
        for row, (_pk, score) in zip(data, [p for p in pairs if p[0] in found], strict=True):
            row["similarity"] = score
        return Response({"count": len(data), "results": data})

    @extend_schema(responses=HistoryEntry(many=True))
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        recording = self.get_object()
        entries = history_for(user=request.user, recording=recording, entries=recording_history(recording=recording))
        return Response(HistoryEntry(entries, many=True).data)

    @extend_schema(responses={200: EventSerializer(many=True), (200, "application/xml"): bytes},
                   parameters=[OpenApiParameter("format", str, enum=["json", "premis"],
                                                description="premis: PREMIS 3 XML (objects, events, agents, rights)")])
    @action(detail=True, methods=["get"], renderer_classes=[JSONRenderer, PremisRenderer])
    def events(self, request, pk=None):
        recording = self.get_object()
        if request.accepted_renderer.format == "premis":
            return Response(premis_xml(recording=recording, user=request.user))
        return Response(EventSerializer(events_for(user=request.user, recording=recording), many=True).data)

    @extend_schema(request=NarrativeSerializer, responses=NarrativeSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def narratives(self, request, pk=None):
        recording = self.get_object()
        if request.method == "POST":
            body = NarrativeSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            narrative = contributions.narrative_create(recording=recording, user=request.user, **body.validated_data)
            return Response(NarrativeSerializer(narrative).data, status=status.HTTP_201_CREATED)
        return Response(NarrativeSerializer(narratives_for(recording=recording), many=True).data)

    @extend_schema(request=AnnotationSerializer, responses=AnnotationSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def annotations(self, request, pk=None):
        recording = self.get_object()
        if request.method == "POST":
            body = AnnotationSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            annotation = contributions.annotation_create(recording=recording, data=body.validated_data, user=request.user)
            return Response(AnnotationSerializer(annotation).data, status=status.HTTP_201_CREATED)
        qs = annotations_visible(user=request.user, recording=recording).select_related("author")
        return Response(AnnotationSerializer(qs, many=True).data)

    @extend_schema(request={"multipart/form-data": dict}, responses={201: dict})
    @action(detail=True, methods=["post"], url_path="annotations/import")
    def annotations_import(self, request, pk=None):
        """A transcript becomes annotation layers (members; all or none): WebVTT or SRT (one layer,
        named by ``layer``), ELAN .eaf or Praat TextGrid (a layer per tier)."""
        recording = self.get_object()
        upload = request.FILES.get("file")
        if upload is None or upload.size > 5 * 1024 * 1024:
            raise ServiceError(gettext("send a WebVTT or SRT file of at most 5 MB as 'file'"), field="file")
        protocol = (ProtocolLevel.PUBLIC, None)
        if request.data.get("protocol"):
            field = ProtocolField(level_attr="protocol", custom_attr="custom_protocol")
            field.field_name = "protocol"
            protocol = field.to_internal_value(request.data["protocol"])["protocol"]
        kind, created = contributions.annotations_import(
            recording=recording, user=request.user, data=upload.read(), layer=str(request.data.get("layer", "")),
            language=str(request.data.get("language", ""))[:3], protocol=protocol)
        layers = sorted({a.layer for a in created})
        return Response({"created": len(created), "layer": layers[0] if len(layers) == 1 else layers, "format": kind},
                        status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[OpenApiParameter("layer", str), OpenApiParameter("as", str, enum=["vtt", "eaf"])],
                   responses={(200, "text/vtt"): str, (200, "application/xml"): str})
    @action(detail=True, methods=["get"], url_path="annotations/export")
    def annotations_export(self, request, pk=None):
        """The annotations the caller may see (optionally one layer) as WebVTT, or with ``as=eaf`` as
        an ELAN document with a tier per layer."""
        recording = self.get_object()
        notes = annotations_visible(user=request.user, recording=recording).order_by("start", "end")
        if request.query_params.get("layer"):
            notes = notes.filter(layer=request.query_params["layer"])
        if request.query_params.get("as") == "eaf":
            layers: dict[str, list] = {}
            for a in notes:
                layers.setdefault(a.layer or "annotations", []).append((a.start, a.end, a.body))
            media = request.build_absolute_uri(f"/api/recordings/{recording.pk}/audio/")
            response = HttpResponse(write_eaf(layers, media_url=media), content_type="application/xml; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="{recording.pk}.eaf"'
            return response
        response = HttpResponse(write_vtt([(a.start, a.end, a.body) for a in notes]), content_type="text/vtt; charset=utf-8")
        response["Content-Disposition"] = f'inline; filename="{recording.pk}.vtt"'
        return response

    @extend_schema(request=AccessRequestSerializer, responses={201: AccessRequestSerializer})
    @action(detail=True, methods=["post"], url_path="request-access")
    def request_access(self, request, pk=None):
        recording = self.get_object()
        body = AccessRequestSerializer(data={**request.data, "recording": str(recording.pk)})
        body.is_valid(raise_exception=True)
        req = access_request_create(recording=recording, user=request.user,
                                    message=body.validated_data.get("message", ""))
        return Response(AccessRequestSerializer(req).data, status=status.HTTP_201_CREATED)


class AnnotationDetail(viewsets.ViewSet):
    """PATCH / DELETE /api/recordings/{id}/annotations/{annotation_id}/ (author or steward)."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    serializer_class = AnnotationSerializer

    def _annotation(self, request, pk, annotation_pk) -> Annotation:
        recording = visible_recording_or_404(request, pk)
        annotation = annotations_visible(user=request.user, recording=recording).filter(pk=annotation_pk).first()
        if annotation is None:
            raise Http404
        return annotation

    def retrieve(self, request, pk=None, annotation_pk=None):
        return Response(AnnotationSerializer(self._annotation(request, pk, annotation_pk)).data)

    @extend_schema(request=AnnotationSerializer, responses=AnnotationSerializer)
    def partial_update(self, request, pk=None, annotation_pk=None):
        annotation = self._annotation(request, pk, annotation_pk)
        body = AnnotationSerializer(instance=annotation, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        annotation = contributions.annotation_update(annotation=annotation, data=body.validated_data, user=request.user)
        return Response(AnnotationSerializer(annotation).data)

    def destroy(self, request, pk=None, annotation_pk=None):
        contributions.annotation_delete(annotation=self._annotation(request, pk, annotation_pk), user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

