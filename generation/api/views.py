"""/api/style-models/ and /api/examples/: thin adapters over the generation services."""
from django.core.files.storage import default_storage
from django.db.models import Q
from django.http import HttpResponse
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAuthenticatedOrReadOnly
from rest_framework.response import Response

from archive.models import Tradition
from archive.services.errors import ServiceError

from ..selectors import examples_visible, style_models_visible
from ..services.examples import Request, generation_start
from ..services.training import style_model_create
from .serializers import GenerateRequest, StudyExampleSerializer, StyleModelCreate, StyleModelSerializer

FILES = {
    "musicxml": ("musicxml_file", "application/vnd.recordare.musicxml+xml", "musicxml"),
    "svg": ("svg_file", "image/svg+xml", "svg"),
    "midi": ("midi_file", "audio/midi", "mid"),
    "audio": ("audio_file", "audio/wav", "wav"),
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
