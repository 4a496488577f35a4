"""Pages and search answers for anonymous visitors, kept for a short time in the shared cache.

Every anonymous visitor without a session sees the same catalogue (access for them depends only on
the data and the day), so their pages can be rendered once and served to all. Freshness comes from
the database: every key names the catalogue version (archive/versions.py), which triggers move in
the transaction of any write to the archive's or generation's tables, whoever makes it (a service,
the admin, a bulk update, raw SQL, another program). A withdrawal, a new label or a changed protocol
is therefore never served from the cache: the next request reads a new version and renders afresh.
Nothing about freshness is held in Redis, so a Redis that was down during a write, or comes back
with old data, cannot bring back an older page: its keys name versions no request asks for.

Never cached: signed-in users, API tokens, anyone with a session or another cookie than the
language and CSRF ones (share-link holders, messages), responses that set cookies or stream. A
form's CSRF token is taken out before storing and the visitor's own put back when serving. When
the cache (Redis) or the database cannot be reached, requests are simply rendered.
"""
import hashlib
import logging
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone

from . import versions

log = logging.getLogger(__name__)

CACHED_VIEWS = frozenset({"home", "browse", "search", "tradition", "community", "collection", "recording",
                          "api-search"})
KEPT_HEADERS = ("Content-Type", "Content-Language", "Link")
TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
PLACEHOLDER = b"\x00csrf\x00"

_last_warning = 0.0


def _warn(message: str) -> None:
    """The cache being down is logged once a minute, not on every request."""
    global _last_warning
    if time.monotonic() - _last_warning > 60:
        _last_warning = time.monotonic()
        log.warning(message, exc_info=True)


# --- the middleware ---------------------------------------------------------------------------

def _cacheable_request(request) -> bool:
    allowed_cookies = {settings.LANGUAGE_COOKIE_NAME, settings.CSRF_COOKIE_NAME}
    return (settings.PAGE_CACHE_SECONDS > 0 and request.method == "GET"
            and getattr(request.resolver_match, "url_name", None) in CACHED_VIEWS
            and set(request.COOKIES) <= allowed_cookies and "Authorization" not in request.headers
            and not request.user.is_authenticated)


def _cacheable_response(response) -> bool:
    return (response.status_code == 200 and not response.streaming and not response.cookies
            and response.get("Content-Type", "").split(";")[0] in ("text/html", "application/json"))


def _key(request, current: str) -> str:
    """The same address can answer JSON or the browsable API's HTML: the Accept header is part of it."""
    path = hashlib.sha256(f"{request.get_full_path()}\n{request.headers.get('Accept', '')}".encode()).hexdigest()
    return f"page:{current}:{request.LANGUAGE_CODE}:{timezone.localdate().isoformat()}:{path}"


class AnonymousPageCacheMiddleware:
    """Last in MIDDLEWARE, so that security headers, sessions and CSRF cookies wrap cached answers too."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        key = getattr(request, "_page_cache_key", None)
        if key and _cacheable_response(response):
            stored = {"content": TOKEN.sub(rb"\1" + PLACEHOLDER + rb"\2", response.content),
                      "headers": {h: response[h] for h in KEPT_HEADERS if h in response}}
            try:
                cache.set(key, stored, settings.PAGE_CACHE_SECONDS)
            except Exception:
                _warn("could not store a page in the cache")
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not _cacheable_request(request):
            return None
        try:
            key = _key(request, versions.current().key("catalogue"))
            stored = cache.get(key)
        except Exception:  # no cache: render as usual
            _warn("the page cache is unreachable")
            return None
        if stored is None:
            request._page_cache_key = key
            return None
        content = stored["content"]
        if PLACEHOLDER in content:
            content = content.replace(PLACEHOLDER, get_token(request).encode())
        response = HttpResponse(content)
        for header, value in stored["headers"].items():
            response[header] = value
        response["X-Page-Cache"] = "hit"
        return response
