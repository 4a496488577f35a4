"""Which writes move which version of the catalogue, the triggers that move them, and reading them.

Four versions, each a counter in the one row of CatalogueVersion, moved by triggers in the writing
transaction (archive/db_triggers.py), so a version changes exactly when a write commits:

* ``catalogue``: any write to the archive's or generation's tables but uploads in flight (and
  their ingest batches), replicas' bookkeeping, share-link use logs, and what only stewards' pages
  show (harvest sources and candidates, Hub projects as kept) (anonymous pages, archive/page_cache.py);
* ``visibility``: a write to a table that access or a recording filter reads: every archive table
  but logs and texts no rule reads (kept access answers, archive/search/visible_rows.py);
* ``search``: a write to a table search is read from (the search rows, archive/search/index.py, and
  the in-memory snapshot, archive/search/snapshot.py);
* ``vectors``: a write to the analyses (similar recordings, archive/search/similar.py).

Not every column counts for every scope (IGNORED_COLUMNS, WATCHED_COLUMNS): the fixity sweep's
bookkeeping (at 100,000 recordings it runs every 26 s) moves only the catalogue version, and a
protocol change moves the visibility version but not the search version, since search holds no
protocol: the next search asks access afresh and keeps its snapshot.

A reader takes the versions *before* it reads what it keeps, so a write that commits in between
leaves it keeping newer data under an older version (rebuilt at once), never older data under a
newer one. Within one safe request the versions are read once (VersionsMiddleware)."""
import contextvars
import re
import time
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, connection, transaction

from . import db_triggers
from .models import CatalogueVersion

SCOPES = ("catalogue", "visibility", "search", "vectors")
FAMILY = "v"
TABLE = "archive_catalogueversion"

# A harvest's sources and candidates, and the Hub's answers as kept, are seen on stewards' pages only
# (never cached) and decide nothing about access: a harvest of thousands of records moves no version.
_STEWARDS_ONLY = "harvestsource|harvestcandidate|hubproject"
_CATALOGUE = re.compile(rf"(archive|generation)_(?!(upload|ingestbatch|filecopy|sharelinkuse|catalogueversion|{_STEWARDS_ONLY})$)\w+")
_VISIBILITY = re.compile(r"archive_(?!(preservationevent|upload|ingestbatch|filecopy|sharelinkuse|proposal|score|narrative|transcription"
                         rf"|searchdocument\w*|searchrow|historical\w*|catalogueversion|{_STEWARDS_ONLY})$)\w+")
_SEARCH = re.compile(r"archive_(searchdocument|searchrow|recording\w*|analysis|annotation|tradition|community"
                     r"|place|instrument|language|label)")
_VECTORS = re.compile(r"archive_analysis")
_RULES = {"catalogue": _CATALOGUE, "visibility": _VISIBILITY, "search": _SEARCH, "vectors": _VECTORS}
# What an update must set to move a scope, where not every column counts: columns nothing the scope
# keeps reads are left out (bookkeeping: the fixity sweep's, a search rebuild's, the once-public
# mark), and search reads only these few of a recording's own columns (its text comes
# from the search documents, which move the search version themselves).
IGNORED_COLUMNS = {
    "archive_recordingfile": {"visibility": {"fixity_checked_at", "fixity_ok"}, "search": {"fixity_checked_at", "fixity_ok"}},
    "archive_recording": {"visibility": {"search_dirty", "once_public"}},
    # the record rule's copy (archive/search/policy_columns.py): the recording's write moves visibility
    "archive_searchrow": {"search": {"status", "record_protocol", "record_custom_protocol_id", "created_by_id"}},
    # ... and an annotation's copy (archive/search/document_columns.py), which the snapshot never reads
    "archive_searchdocument": {"search": {"status", "record_protocol", "record_custom_protocol_id", "created_by_id",
                                          "community_id", "tradition_id"}},
}
WATCHED_COLUMNS = {"archive_recording": {"search": {"title", "tradition_id", "community_id", "year_from", "place_id"}}}


def watched_columns(table: str, scope: str, columns: list[str]) -> frozenset | None:
    """The columns an UPDATE of ``table`` must set to move ``scope``; None: any update moves it."""
    if scope in WATCHED_COLUMNS.get(table, {}):
        return frozenset(WATCHED_COLUMNS[table][scope])
    ignored = IGNORED_COLUMNS.get(table, {}).get(scope)
    return frozenset(c for c in columns if c not in ignored) if ignored else None


def scopes_of(table: str) -> tuple[str, ...]:
    """The versions a write to ``table`` moves."""
    return tuple(scope for scope in SCOPES if _RULES[scope].fullmatch(table))


def _bump(scopes) -> list[str]:
    sets = ", ".join(f"{scope} = {scope} + 1" for scope in scopes)
    return [f"UPDATE {TABLE} SET {sets} WHERE id = 1"]


def install_triggers(apps, schema_editor, app_label: str) -> int:
    """Make the version triggers of every table of ``app_label`` (dropping that app's old ones);
    returns how many tables have them. Run by a migration whenever the app gains a table or the
    rules above change (a database keeps the triggers its last such migration made)."""
    family = f"{FAMILY}_{app_label}"
    db_triggers.drop_all(schema_editor, family)
    done = 0
    for model in apps.get_app_config(app_label).get_models(include_auto_created=True):
        table = model._meta.db_table
        scopes = scopes_of(table)
        if not scopes:
            continue
        columns = [f.column for f in model._meta.local_concrete_fields]
        by_columns: dict = {}  # the scopes an update moves, grouped by the columns it must set
        for scope in scopes:
            by_columns.setdefault(watched_columns(table, scope, columns), []).append(scope)
        if list(by_columns) == [None]:
            db_triggers.per_statement(schema_editor, family=family, table=table, body=_bump(scopes))
        else:
            db_triggers.per_statement(schema_editor, family=family, table=table, body=_bump(scopes),
                                      events=("INSERT", "DELETE"))
            for watched, moved in by_columns.items():
                db_triggers.per_statement(schema_editor, family=family, table=table, body=_bump(moved),
                                          events=("UPDATE",), update_columns=sorted(watched) if watched else None)
        done += 1
    return done


def drop_triggers(apps, schema_editor, app_label: str) -> None:
    db_triggers.drop_all(schema_editor, f"{FAMILY}_{app_label}")


@dataclass(frozen=True)
class Versions:
    epoch: str
    catalogue: int
    visibility: int
    search: int
    vectors: int

    def key(self, scope: str) -> str:
        """This scope's version as a cache key part."""
        return f"{self.epoch}.{getattr(self, scope)}"


_request_versions: contextvars.ContextVar = contextvars.ContextVar("songkeeper_versions", default=None)


def _read() -> Versions | None:
    row = CatalogueVersion.objects.filter(pk=1).values_list("epoch", *SCOPES).first()
    return Versions(*row) if row else None


def current() -> Versions:
    """The versions now committed (or written by this transaction). Within a safe request, the ones
    read at its start. The row is made again, with a new epoch, where it is missing (an emptied
    database); raises when the database cannot be reached. Inside a transaction the epoch is one
    nobody else will ever name: what is read there may yet roll back, and a rolled-back counter is
    used again by the next writer, so nothing read there may be kept for others."""
    if connection.in_atomic_block:
        versions = _read() or Versions("", 0, 0, 0, 0)
        return Versions(f"tx-{uuid.uuid4().hex}", versions.catalogue, versions.visibility, versions.search,
                        versions.vectors)
    held = _request_versions.get()
    if held is not None and held.get("versions") is not None:
        return held["versions"]
    versions = _read()
    if versions is None:
        try:
            with transaction.atomic():
                CatalogueVersion.objects.create(pk=1, epoch=uuid.uuid4().hex)
        except IntegrityError:  # another process made it first
            pass
        versions = _read()
    if held is not None:
        held["versions"] = versions
    return versions


def kept_key(scope: str) -> tuple[str, int]:
    """The key an in-process cache of ``scope`` is kept under: the scope's version and the backstop's
    time window (nothing is used longer than KEPT_AT_MOST_SECONDS, whatever the version says)."""
    return current().key(scope), int(time.monotonic() // max(settings.KEPT_AT_MOST_SECONDS, 1))


class VersionsMiddleware:
    """Reads the versions at most once per GET or HEAD request (pages and search ask three or four
    times); other methods write, and read them afresh each time."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        token = _request_versions.set({})
        try:
            return self.get_response(request)
        finally:
            _request_versions.reset(token)
