"""/api/uploads/: the tus 1.0.0 resumable upload protocol (core, creation, termination,
checksum with sha256). Metadata: recording (its id) or batch (a bulk ingest's, /api/ingest/),
filename, optional sha256 of the whole file."""
from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ...models import Upload
from ...policy import ingest_batch_or_none, recording_visible_or_none
from ...selectors import same_master_elsewhere
from ...services import resumable
from ...services.errors import ServiceError

TUS_HEADERS = {"Tus-Resumable": "1.0.0"}
OPTIONS_HEADERS = {
    "Tus-Resumable": "1.0.0", "Tus-Version": "1.0.0", "Tus-Extension": "creation,termination,checksum",
    "Tus-Checksum-Algorithm": "sha256",
}


def _tus(response):
    for key, value in TUS_HEADERS.items():
        response[key] = value
    response["Cache-Control"] = "no-store"
    return response


def _error(exc: ServiceError):
    return _tus(Response({"detail": exc.message, "code": exc.code}, status=exc.status))


class TusBase(APIView):
    permission_classes = [IsAuthenticated]

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "OPTIONS" else super().get_permissions()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method != "OPTIONS" and request.headers.get("Tus-Resumable") != "1.0.0":
            raise _VersionError()

    def handle_exception(self, exc):
        if isinstance(exc, _VersionError):
            response = Response({"detail": "send Tus-Resumable: 1.0.0", "code": "tus_version"}, status=412)
            response["Tus-Version"] = "1.0.0"
            return _tus(response)
        if isinstance(exc, ServiceError):
            return _error(exc)
        return _tus(super().handle_exception(exc))

    @extend_schema(exclude=True)
    def options(self, request, *args, **kwargs):
        response = HttpResponse(status=204)
        for key, value in OPTIONS_HEADERS.items():
            response[key] = value
        response["Tus-Max-Size"] = str(settings.MAX_UPLOAD_BYTES)
        return response


class _VersionError(Exception):
    pass


class UploadCreate(TusBase):
    @extend_schema(request=None, responses={201: None}, description="tus creation: Upload-Length, Upload-Metadata")
    def post(self, request):
        try:
            length = int(request.headers.get("Upload-Length", ""))
        except ValueError:
            raise ServiceError(gettext("send Upload-Length as a whole number of bytes")) from None
        metadata = resumable.parse_metadata(request.headers.get("Upload-Metadata", ""))
        if metadata.get("batch"):
            batch = ingest_batch_or_none(user=request.user, pk=metadata["batch"])
            if batch is None:
                raise Http404
            upload = resumable.batch_upload_create(batch=batch, user=request.user, length=length, metadata=metadata)
        else:
            recording = recording_visible_or_none(user=request.user, pk=metadata.get("recording"))
            if recording is None:
                raise Http404
            upload = resumable.upload_create(recording=recording, user=request.user, length=length, metadata=metadata)
        response = _tus(HttpResponse(status=201))
        response["Location"] = request.build_absolute_uri(f"/api/uploads/{upload.pk}/")
        response["Upload-Offset"] = "0"
        return response


class UploadDetail(TusBase):
    def _upload(self, request, pk) -> Upload:
        upload = Upload.objects.select_related("recording", "user").filter(pk=pk, user=request.user).first()
        if upload is None:
            raise Http404
        return upload

    @extend_schema(exclude=True)
    def head(self, request, pk):
        upload = self._upload(request, pk)
        response = _tus(HttpResponse(status=200))
        response["Upload-Offset"] = str(resumable.current_offset(upload))
        response["Upload-Length"] = str(upload.length)
        return response

    @extend_schema(request=None, responses={204: None}, description="tus: append bytes at Upload-Offset")
    def patch(self, request, pk):
        upload = self._upload(request, pk)
        if request.content_type != "application/offset+octet-stream":
            return _tus(Response({"detail": "Content-Type must be application/offset+octet-stream",
                                  "code": "unsupported_media_type"}, status=415))
        try:
            offset = int(request.headers.get("Upload-Offset", ""))
        except ValueError:
            raise ServiceError(gettext("send Upload-Offset as a whole number of bytes")) from None
        length = request.META.get("CONTENT_LENGTH")
        new_offset = resumable.upload_append(upload=upload, offset=offset, stream=request._request,
                                             content_length=int(length) if length else None,
                                             checksum=request.headers.get("Upload-Checksum"))
        response = _tus(HttpResponse(status=204))
        response["Upload-Offset"] = str(new_offset)
        if new_offset == upload.length and upload.batch_id:  # it waits for its batch's ingest
            response["Songkeeper-Sha256"] = resumable.batch_upload_finish(upload=upload)
            response["Access-Control-Expose-Headers"] = "Upload-Offset, Songkeeper-Sha256"
        elif new_offset == upload.length:
            row, job = resumable.upload_finish(upload=upload)
            response["Songkeeper-Sha256"] = row.sha256
            response["Songkeeper-Job"] = str(job.pk)
            same = same_master_elsewhere(user=request.user, file=row)
            if same:
                response["Songkeeper-Same-As"] = f"/recordings/{same[0]}/"
            response["Access-Control-Expose-Headers"] = "Upload-Offset, Songkeeper-Sha256, Songkeeper-Job, Songkeeper-Same-As"
        return response

    @extend_schema(request=None, responses={204: None}, description="tus termination")
    def delete(self, request, pk):
        resumable.upload_terminate(upload=self._upload(request, pk))
        return _tus(HttpResponse(status=204))
