"""Similar recordings on PostgreSQL with pgvector: an HNSW index scan (migration 0016) that
leaves out what the caller may not see as it goes.

pgvector 0.8's iterative index scan (``hnsw.iterative_scan = strict_order``, set for every
connection in config/settings.py) keeps reading the index in distance order until ``limit`` rows
pass the filter, so many hidden neighbours cost a
longer scan, never a short list. The filter is archive/access.py's visible-recordings query,
joined as a subquery. Vectors of another length than the index's (tests' small ones) are ranked
exactly, by a scan."""
from django.db import connection, transaction

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


# Joins other than a nested loop would read the index without its LIMIT: PostgreSQL estimates a
# quarter of the visible recordings (each NOT IN of the label rule counts as a half) and, where
# that looks few, hashes them and sorts every candidate the iterative scan gives (at 100,000
# recordings 20,000 vectors, 170 ms, where the nested loop takes 4).
ONLY_NESTED_LOOPS = ("enable_hashjoin", "enable_mergejoin")


def nearest(*, recording_id, visible, limit: int) -> list[tuple]:
    """(recording id, cosine similarity) of the ``limit`` nearest recordings ``visible`` admits:
    the index read in distance order, each candidate checked as it comes (ONLY_NESTED_LOOPS, for
    this statement alone)."""
    asked = query(recording_id=recording_id, visible=visible, limit=limit)
    if asked is None:
        return []  # not analysed (yet)
    settings = ", ".join(f"current_setting('{name}')" for name in ONLY_NESTED_LOOPS)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"SELECT {settings}")
        before = cursor.fetchone()
        cursor.execute("SELECT " + ", ".join(f"set_config('{name}', 'off', true)" for name in ONLY_NESTED_LOOPS))
        cursor.execute(*asked)
        rows = cursor.fetchall()
        cursor.execute("SELECT " + ", ".join(f"set_config('{name}', %s, true)" for name in ONLY_NESTED_LOOPS), before)
    found = {}  # a recording analysed twice by this version counts once, at its nearest
    for pk, distance in rows:
        found.setdefault(pk, round(1 - float(distance), 4))
    return list(found.items())[:limit]
