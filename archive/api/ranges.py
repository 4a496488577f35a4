"""Serving stored files with HTTP Range support (seeking in a player), in blocks."""
import re

from django.core.files.storage import default_storage
from django.http import HttpResponse, StreamingHttpResponse

RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
BLOCK = 1 << 16


def _stream(name: str, start: int, length: int):
    with default_storage.open(name, "rb") as f:
        f.seek(start)
        remaining = length
        while remaining > 0:
            chunk = f.read(min(BLOCK, remaining))
            if not chunk:
                return
            remaining -= len(chunk)
            yield chunk


def ranged_file_response(request, name: str, *, content_type: str, filename: str | None = None):
    size = default_storage.size(name)
    header = request.headers.get("Range", "").strip()
    start, end, status = 0, size - 1, 200
    if header:
        match = RANGE.match(header)
        if not match or (not match[1] and not match[2]):
            return _unsatisfiable(size)
        if match[1]:
            start = int(match[1])
            end = min(int(match[2]), size - 1) if match[2] else size - 1
        else:  # the last N bytes
            start = max(0, size - int(match[2]))
        if start >= size or start > end:
            return _unsatisfiable(size)
        status = 206
    length = end - start + 1
    response = StreamingHttpResponse(_stream(name, start, length), status=status, content_type=content_type)
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    response["Cache-Control"] = "private, max-age=3600"
    if status == 206:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    if filename:
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _unsatisfiable(size: int):
    response = HttpResponse(status=416)
    response["Content-Range"] = f"bytes */{size}"
    return response
