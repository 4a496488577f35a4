"""Input no database can hold answers 400, not 500: a NUL character in a query string or a form
(PostgreSQL text cannot contain one; SQLite would store it and cut strings short elsewhere),
and any value the database refuses as data (DataError). JSON for the API, a plain page otherwise."""
from django.db import DataError
from django.http import HttpResponse, JsonResponse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FORM = "application/x-www-form-urlencoded"
NUL_MESSAGE = gettext_lazy("The request contains a NUL character, which no field can hold.")
DATA_ERROR_MESSAGE = gettext_lazy("A value in the request cannot be stored or searched "
                                  "(wrong kind, too long, or a character no field can hold).")


def bad_input_response(request, message) -> HttpResponse:
    """`message` is a lazy string: this runs before LocaleMiddleware, so the caller's language is
    chosen here."""
    language = translation.get_language_from_request(request)
    with translation.override(language):
        if request.path.startswith("/api/") or "json" in request.headers.get("Accept", ""):
            return JsonResponse({"detail": str(message), "code": "invalid"}, status=400)
        title = escape(_("Bad request"))
        direction = "rtl" if translation.get_language_bidi() else "ltr"
        return HttpResponse(f"<!doctype html><html lang={language} dir={direction}><meta charset=utf-8>"
                            f"<title>{title} · Songkeeper</title><h1>{title}</h1><p role=alert>{escape(message)}</p>",
                            status=400)


def _has_nul(querydict) -> bool:
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in querydict.lists())


class BadInputMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # only url-encoded forms are read here: multipart bodies are left to their views' upload handlers
        if _has_nul(request.GET) or (request.content_type == FORM and _has_nul(request.POST)):
            return bad_input_response(request, NUL_MESSAGE)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DataError):
            return bad_input_response(request, DATA_ERROR_MESSAGE)
        return None
