"""Similar recordings on PostgreSQL with pgvector: an HNSW index scan (migration 0016) that
leaves out what the caller may not see as it goes.

pgvector 0.8's iterative index scan (``hnsw.iterative_scan = strict_order``, set for every
connection in config/settings.py) keeps reading the index in distance order until ``limit`` rows
pass the filter, so many hidden neighbours cost a
longer scan, never a short list. The filter is archive/access.py's visible-recordings query,
joined as a subquery. Vectors of another length than the index's (tests' small ones) are ranked
exactly, by a scan."""
from django.db import connection

from ..analysis import ANALYSER, VERSION

DIMENSIONS = 80  # the length the HNSW index covers (migration 0016)
_present: dict = {}


def available() -> bool:
    """pgvector's column exists in this database (checked once per process and database)."""
    if connection.vendor != "postgresql":
        return False
    name = connection.settings_dict["NAME"]
    if name not in _present:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM information_schema.columns WHERE table_name = 'archive_analysis' "
                           "AND column_name = 'embedding'")
            _present[name] = cursor.fetchone() is not None
    return _present[name]


SOURCE = ("(SELECT s.embedding FROM archive_analysis s WHERE s.recording_id = %s AND s.analyser = %s "
          "AND s.version = %s AND s.embedding IS NOT NULL ORDER BY s.created DESC LIMIT 1)")


def query(*, recording_id, visible, limit: int) -> tuple[str, list] | None:
    """The nearest-neighbour query and its parameters (None: the recording is not analysed)."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT vector_dims({SOURCE})", [recording_id, ANALYSER, VERSION])
        dims = cursor.fetchone()[0]
    if dims is None:
        return None
    cast = f"::vector({DIMENSIONS})" if dims == DIMENSIONS else ""
    distance = f"(a.embedding{cast} <=> {SOURCE}{cast})"
    visible_sql, visible_params = visible.order_by().values("pk").query.sql_with_params()
    sql = (f"SELECT a.recording_id, {distance} AS distance FROM archive_analysis a "
           f"WHERE vector_dims(a.embedding) = %s AND a.analyser = %s AND a.version = %s AND a.recording_id <> %s "
           f"AND a.recording_id IN ({visible_sql}) ORDER BY distance LIMIT %s")  # the index's own order
    return sql, [recording_id, ANALYSER, VERSION, dims, ANALYSER, VERSION, recording_id, *visible_params, limit + 5]


def nearest(*, recording_id, visible, limit: int) -> list[tuple]:
    """(recording id, cosine similarity) of the ``limit`` nearest recordings ``visible`` admits."""
    asked = query(recording_id=recording_id, visible=visible, limit=limit)
    if asked is None:
        return []  # not analysed (yet)
    with connection.cursor() as cursor:
        cursor.execute(*asked)
        rows = cursor.fetchall()
    found = {}  # a recording analysed twice by this version counts once, at its nearest
    for pk, distance in rows:
        found.setdefault(pk, round(1 - float(distance), 4))
    return list(found.items())[:limit]
