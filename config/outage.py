"""When the database is away for a moment, say so: a 503 with a clear message (JSON for the
API, a plain page otherwise) and Retry-After, never a bare 500. Nothing is half-written: each
write runs in a transaction that the failure rolls back; workers retry their jobs."""
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.views import defaults

MESSAGE = "The archive's database is unavailable for a moment. Nothing was changed; please try again shortly."
PAGE = ("<!doctype html><html lang=en><meta charset=utf-8><title>Unavailable · Songkeeper</title>"
        "<h1>Unavailable for a moment</h1><p role=alert>{message}</p>")
DATABASE_DOWN = (OperationalError, InterfaceError)


def outage_response(request) -> HttpResponse:
    wants_json = request.path.startswith("/api/") or "json" in request.headers.get("Accept", "")
    if wants_json:
        response = JsonResponse({"detail": MESSAGE, "code": "database_unavailable"}, status=503)
    else:  # no template: templates and context processors would ask the database
        response = HttpResponse(PAGE.format(message=MESSAGE), status=503)
    response["Retry-After"] = "5"
    return response


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_DOWN):
            return outage_response(request)
        return None


def server_error(request, *args, **kwargs):
    """handler500: a database failure outside a view (in a middleware) is a 503 too."""
    if isinstance(sys.exc_info()[1], DATABASE_DOWN):
        return outage_response(request)
    return defaults.server_error(request, *args, **kwargs)
