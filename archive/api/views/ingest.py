"""/api/ingest/: bulk ingest from the browser. ``check/`` reports on every row of a CSV manifest
against the files chosen with it, writing nothing; ``batches/`` keeps a checked manifest to
receive its files through /api/uploads/ (metadata ``batch`` and ``filename``); ``start/``
queues the ingest once they have all arrived (archive/services/ingest_batches.py)."""
import json

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ...policy import ingest_batch_or_none, member_somewhere
from ...services import ingest_batches
from ...services.errors import NotAllowed, ServiceError


def _chosen(request) -> dict[str, int]:
    """The files chosen with the manifest, as the form field ``files``: JSON [{"name", "size"}]."""
    try:
        files = json.loads(request.data.get("files") or "[]")
        return {ingest_batches.file_key(str(f["name"])): int(f["size"]) for f in files}
    except (ValueError, TypeError, KeyError):
        raise ServiceError(gettext('files must be JSON: [{"name": "a.wav", "size": 1234}, …]'), field="files") from None


def _manifest(request) -> str:
    if not member_somewhere(user=request.user):
        raise NotAllowed(gettext("only members of a community may add its recordings"))
    return ingest_batches.manifest_text(request.FILES.get("manifest"))


def _summary(rows: list[dict]) -> dict:
    return {"rows": rows, "ok": sum(r["ok"] for r in rows), "refused": sum(not r["ok"] for r in rows)}


def _batch(request, pk):
    batch = ingest_batch_or_none(user=request.user, pk=pk)
    if batch is None:
        raise Http404
    return batch


def _batch_body(batch) -> dict:
    return {"id": str(batch.pk), "filename": batch.filename, "files": ingest_batches.batch_files(batch),
            "job": str(batch.job_id) if batch.job_id else None,
            "start": reverse("ingest-batch-start", args=[batch.pk]), "uploads": reverse("tus-create")}


class IngestCheck(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]

    @extend_schema(request=None, description="multipart: manifest (CSV file), files (JSON list of {name, size}); "
                                             "every row's verdict, nothing written")
    def post(self, request):
        text = _manifest(request)
        return Response(_summary(ingest_batches.batch_check(user=request.user, text=text, chosen=_chosen(request))))


class IngestBatches(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [MultiPartParser]

    @extend_schema(request=None, description="as check/, then keeps the manifest to receive its good rows' files")
    def post(self, request):
        text = _manifest(request)
        upload = request.FILES["manifest"]
        batch, rows = ingest_batches.batch_create(user=request.user, filename=upload.name, text=text,
                                                  chosen=_chosen(request))
        return Response({**_batch_body(batch), **_summary(rows)}, status=status.HTTP_201_CREATED)


class IngestBatchDetail(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, description="the files the batch waits for, how much of each has arrived, its job")
    def get(self, request, pk):
        return Response(_batch_body(_batch(request, pk)))


class IngestBatchStart(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, description="queue the ingest once every file has arrived")
    def post(self, request, pk):
        job = ingest_batches.batch_start(batch=_batch(request, pk))
        return Response({"job": str(job.pk), "url": reverse("job-detail", args=[job.pk]),
                         "page": reverse("job", args=[job.pk])}, status=status.HTTP_202_ACCEPTED)
