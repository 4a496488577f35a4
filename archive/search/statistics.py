"""Table statistics for the query planner. Without them SQLite picks the index on `status`
(which nearly every recording shares) over the primary key for "these ids, if visible", and
search and similar recordings slow tenfold at 100,000 recordings. PostgreSQL's autovacuum keeps
its own, but not right after a bulk load: there VACUUM too (outside a transaction), so the
autovacuum a bulk insert sets off is done here, not while the next requests run. Run after bulk
loads and daily by beat."""
from django.db import connection


def statistics_refresh() -> str:
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)" if vacuum else "ANALYZE")
    return connection.vendor
