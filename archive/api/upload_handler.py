"""A multipart upload handler that hashes the file while Django writes it to disk,
so SHA-256 and size come from the same pass as the write, and memory stays flat."""
import hashlib
import html

from django.conf import settings
from django.conf import settings as django_settings
from django.core.files.uploadhandler import SkipFile, TemporaryFileUploadHandler
from django.http.multipartparser import MultiPartParser as DjangoMultiPartParser
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext
from rest_framework.exceptions import ParseError
from rest_framework.parsers import DataAndFiles, MultiPartParser

from ..services.errors import ServiceError
from ..services.ingest import check_filename


class HashingUploadHandler(TemporaryFileUploadHandler):
    chunk_size = 1 << 20

    def __init__(self, request=None):
        super().__init__(request)
        self.too_large = False
        self.write_error = None

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.digest = hashlib.sha256()
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.MAX_UPLOAD_BYTES:
            self.too_large = True
            self.file.close()
            raise SkipFile()
        self.digest.update(raw_data)
        try:
            return super().receive_data_chunk(raw_data, start)
        except OSError as exc:  # disk full, quota, file-size limit: drop the half-written file
            self.write_error = exc.strerror or str(exc)
            self.file.close()
            raise SkipFile() from None

    def file_complete(self, file_size):
        uploaded = super().file_complete(file_size)
        uploaded.sha256 = self.digest.hexdigest()
        return uploaded


class StrictDjangoMultiPartParser(DjangoMultiPartParser):
    """Django quietly strips path parts and control characters from file names; we refuse them instead."""

    def sanitize_file_name(self, file_name):
        try:
            check_filename(html.unescape(file_name))
        except ServiceError as exc:
            raise MultiPartParserError(exc.message) from None
        return super().sanitize_file_name(file_name)


class StrictMultiPartParser(MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        request = parser_context["request"]
        meta = request.META.copy()
        meta["CONTENT_TYPE"] = media_type
        try:
            data, files = StrictDjangoMultiPartParser(meta, stream, request.upload_handlers,
                                                      get_encoding(parser_context)).parse()
        except MultiPartParserError as exc:
            raise ParseError(gettext("the upload could not be read: %(reason)s") % {"reason": exc}) from None
        return DataAndFiles(data, files)


def get_encoding(parser_context):
    return parser_context.get("encoding", django_settings.DEFAULT_CHARSET)
