"""/api/style-models/ and /api/examples/: thin adapters over the generation services."""
from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from archive.api.ranges import ranged_file_response
from archive.models import Tradition
from archive.selectors import recording_visible_or_404
from archive.services.errors import ServiceError

from ..models import StyleModel
from ..selectors import examples_visible, practice_sets_visible, style_models_visible
from ..services.examples import Request, generation_start
from ..services.practice_sets import practice_set_start
from ..services.training import style_model_create
from ..services.variations import variation_start
from .serializers import (
    GenerateRequest,
    PracticeSetRequest,
    PracticeSetSerializer,
    StudyExampleSerializer,
    StyleModelCreate,
    StyleModelSerializer,
    VariationRequest,
)

FILES = {
    "musicxml": ("musicxml_file", "application/vnd.recordare.musicxml+xml", "musicxml"),
    "svg": ("svg_file", "image/svg+xml", "svg"),
    "midi": ("midi_file", "audio/midi", "mid"),
    "audio": ("audio_file", "audio/wav", "wav"),
    "ogg": ("ogg_file", "audio/ogg", "ogg"),
}


class StyleModelViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = StyleModelSerializer
    permission_classes = [IsAuthenticatedOrReadOnly]
    filterset_fields = ["status", "tradition"]

    def get_queryset(self):
        return style_models_visible(user=self.request.user)

    @extend_schema(request=StyleModelCreate, responses={202: StyleModelSerializer})
    def create(self, request):
        """Start training: {"tradition": id or slug}. The training set is frozen now."""
        body = StyleModelCreate(data=request.data)
        body.is_valid(raise_exception=True)
        key = body.validated_data["tradition"]
        q = Q(slug=key)
        if len(key) == 36:
            q |= Q(pk=key)
        tradition = Tradition.objects.filter(q).first()
        if tradition is None:
            raise ServiceError(gettext("no such tradition"), field="tradition")
        model = style_model_create(user=request.user, tradition=tradition)
        return Response(StyleModelSerializer(model).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=GenerateRequest, responses={202: dict})
    @action(detail=True, methods=["post"])
    def generate(self, request, pk=None):
        """Generate study examples under constraints; returns the job that makes them."""
        model = self.get_object()
        body = GenerateRequest(data=request.data)
        body.is_valid(raise_exception=True)
        job = generation_start(model=model, user=request.user, request=Request.from_params(body.validated_data))
        return Response({"job": str(job.pk), "model": str(model.pk)}, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=PracticeSetRequest, responses={202: PracticeSetSerializer})
    @action(detail=True, methods=["post"], url_path="practice-sets")
    def practice_sets(self, request, pk=None):
        """A practice set: examples graded from easy to hard, with a title, a note and one bundle."""
        model = self.get_object()
        body = PracticeSetRequest(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        title, note = data.pop("title"), data.pop("note")
        practice_set = practice_set_start(model=model, user=request.user, title=title, note=note,
                                          request=Request.from_params(data))
        return Response(PracticeSetSerializer(practice_set).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=VariationRequest, responses={202: dict})
    @action(detail=True, methods=["post"])
    def variations(self, request, pk=None):
        """Variations on a real passage (opening and cadence kept), or its continuation."""
        model = self.get_object()
        body = VariationRequest(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        recording = recording_visible_or_404(user=request.user, pk=data.pop("recording"))
        job = variation_start(model=model, user=request.user, recording=recording, **data)
        return Response({"job": str(job.pk), "model": str(model.pk)}, status=status.HTTP_202_ACCEPTED)

    @action(detail=True, methods=["get"])
    def examples(self, request, pk=None):
        """The model's examples, newest job first."""
        model = self.get_object()
        rows = examples_visible(user=request.user).filter(model=model).order_by("-created", "index")
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(StudyExampleSerializer(page, many=True).data)


class StudyExampleViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = StudyExampleSerializer

    def get_queryset(self):
        return examples_visible(user=self.request.user)

    def _file(self, kind: str):
        example = self.get_object()
        field, content_type, extension = FILES[kind]
        if example.withdrawn_at is not None:
            return Response({"detail": f"this example was withdrawn: {example.withdrawn_reason}", "code": "withdrawn"},
                            status=status.HTTP_410_GONE)

        name = getattr(example, field)
        if not name or not default_storage.exists(name):
            raise NotFound()
        if kind in ("audio", "ogg") and not self.request.query_params.get("download"):  # a player seeks: Range
            return ranged_file_response(self.request, name, content_type=content_type,
                                        filename=f"example-{example.pk}.{extension}")
        with default_storage.open(name, "rb") as handle:
            response = HttpResponse(handle.read(), content_type=content_type)
        disposition = "attachment" if self.request.query_params.get("download") else "inline"
        response["Content-Disposition"] = f'{disposition}; filename="example-{example.pk}.{extension}"'
        return response

    @action(detail=True, methods=["get"], url_name="musicxml")
    def musicxml(self, request, pk=None):
        return self._file("musicxml")

    @action(detail=True, methods=["get"], url_name="svg")
    def svg(self, request, pk=None):
        return self._file("svg")

    @action(detail=True, methods=["get"], url_name="midi")
    def midi(self, request, pk=None):
        return self._file("midi")

    @action(detail=True, methods=["get"], url_name="audio")
    def audio(self, request, pk=None):
        return self._file("audio")

    @action(detail=True, methods=["get"], url_name="ogg")
    def ogg(self, request, pk=None):
        return self._file("ogg")


class PracticeSetViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """/api/practice-sets/{id}/ and its bundle, for whoever may see the model."""

    serializer_class = PracticeSetSerializer

    def get_queryset(self):
        return practice_sets_visible(user=self.request.user)

    @action(detail=True, methods=["get"], url_name="bundle")
    def bundle(self, request, pk=None):
        practice_set = self.get_object()
        if practice_set.model.status == StyleModel.Status.RETIRED or practice_set.examples.filter(
                withdrawn_at__isnull=False).exists():
            return Response({"detail": "this practice set was withdrawn with its model", "code": "withdrawn"},
                            status=status.HTTP_410_GONE)
        if not practice_set.bundle_file or not default_storage.exists(practice_set.bundle_file):
            return Response({"detail": "the set is still being made", "code": "not_ready"},
                            status=status.HTTP_409_CONFLICT)
        response = FileResponse(default_storage.open(practice_set.bundle_file, "rb"), content_type="application/zip",
                                as_attachment=True, filename=practice_set.bundle_file.rsplit("/", 1)[-1])
        return response
