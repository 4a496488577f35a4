"""Pages and search answers for anonymous visitors, kept for a short time in the shared cache.

Every anonymous visitor without a session sees the same catalogue (access for them depends only on
the data and the day), so their pages can be rendered once and served to all. Freshness is
guaranteed by a catalogue *generation*: any committed write to the archive's or generation's tables
replaces it (a database execute wrapper watches the SQL, so bulk updates and raw writes count too),
and every key names the generation it was rendered under. A withdrawal, a new label or a changed
protocol is therefore never served from the cache: the next request renders afresh.

Never cached: signed-in users, API tokens, anyone with a session or another cookie than the
language and CSRF ones (share-link holders, messages), responses that set cookies or stream. A
form's CSRF token is taken out before storing and the visitor's own put back when serving. When
the cache (Redis) cannot be reached, requests are simply rendered. One window is left: a write made
while Redis is down cannot advance the generation, so if that Redis comes back with its data, pages
it held may be served until they expire (PAGE_CACHE_SECONDS, 30 s by default); a Redis that
restarts empty, as ours does, has none.
"""
import hashlib
import logging
import re
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone

log = logging.getLogger(__name__)

GENERATION_KEY = "catalogue:generation"
VECTORS_KEY = "catalogue:vectors"  # the analyses' feature vectors (archive/search/similar.py)
SEARCH_KEY = "catalogue:search"  # the search snapshot's documents and facets (archive/search/snapshot.py)
VISIBILITY_KEY = "catalogue:visibility"  # callers' kept access answers (archive/search/visible_rows.py)
CACHED_VIEWS = frozenset({"home", "browse", "search", "tradition", "community", "collection", "recording",
                          "api-search"})
KEPT_HEADERS = ("Content-Type", "Content-Language", "Link")
TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
PLACEHOLDER = b"\x00csrf\x00"

WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
CATALOGUE_TABLE = re.compile(r'(?<![\w.])"?(archive|generation)_(?!upload\b|sharelinkuse\b)')
ANALYSIS_TABLE = re.compile(r'(?<![\w.])"?archive_analysis\b')
# what access or a recording filter can depend on: every archive table but those named here (a
# preservation log, uploads in flight, share-link use, proposals, scores, narratives, the search
# text and the history tables), which no access rule or filter reads
VISIBILITY_TABLE = re.compile(r'(?<![\w.])"?archive_(?!(preservationevent|upload|sharelinkuse|proposal|score|narrative'
                              r'|searchdocument\w*|historical\w*)"?(?!\w))\w')
# an update of nothing but these bookkeeping columns changes no search and no access answer (the
# fixity sweep checks every master once a month: at 100,000 recordings, one update every 26 s)
BOOKKEEPING_UPDATE = re.compile(r'\s*UPDATE "archive_recordingfile" SET "fixity_checked_at" = %s, "fixity_ok" = %s WHERE')
SEARCH_TABLE = re.compile(r'(?<![\w.])"?archive_(searchdocument|recording\w*|analysis|annotation|tradition|community'
                          r'|place|instrument|language|label)"?(?!\w)')


_last_warning = 0.0


def _warn(message: str) -> None:
    """The cache being down is logged once a minute, not on every request or write."""
    global _last_warning
    if time.monotonic() - _last_warning > 60:
        _last_warning = time.monotonic()
        log.warning(message, exc_info=True)


# --- the generation ---------------------------------------------------------------------------

def generation(key: str = GENERATION_KEY) -> str:
    """The current generation; a fresh random one when the cache has none (never reused, so an
    evicted generation key cannot bring back pages of an older state). Raises when the cache is
    unreachable."""
    value = cache.get(key)
    if value is None:
        cache.add(key, uuid.uuid4().hex, None)
        value = cache.get(key)
    return value


def _advance(key: str) -> None:
    try:
        cache.set(key, uuid.uuid4().hex, None)
    except Exception:  # the cache is down: its pages are unreachable too, and they expire
        _warn("could not advance a generation")


def catalogue_changed() -> None:
    _advance(GENERATION_KEY)


def vectors_changed() -> None:
    _advance(VECTORS_KEY)


def search_changed() -> None:
    _advance(SEARCH_KEY)


def visibility_changed() -> None:
    _advance(VISIBILITY_KEY)


def _once_committed(connection, callback) -> None:
    if not connection.in_atomic_block:
        callback()
    elif not any(registered is callback for _, registered, _ in connection.run_on_commit):
        connection.on_commit(callback)  # once per transaction, when it is visible to others


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if WRITE.match(sql) and CATALOGUE_TABLE.search(sql):
        _once_committed(context["connection"], catalogue_changed)
        if ANALYSIS_TABLE.search(sql):
            _once_committed(context["connection"], vectors_changed)
        bookkeeping = BOOKKEEPING_UPDATE.match(sql)
        if SEARCH_TABLE.search(sql) and not bookkeeping:
            _once_committed(context["connection"], search_changed)
        if VISIBILITY_TABLE.search(sql) and not bookkeeping:
            _once_committed(context["connection"], visibility_changed)
    return result


def watch_catalogue_writes(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: every connection of the default database reports its writes."""
    if connection.alias == DEFAULT_DB_ALIAS and _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


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
            key = _key(request, generation())
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
