"""The database's search: one statement over the search rows (one per recording, archive/models/
search.py) matches every term, weighs it, keeps the rows the caller may see after their filters,
and returns the page of recording hits with the facet counts and the total, so no list of
matches travels to Python. What the databases do differently is said once, in DIALECTS: SQLite
matches through FTS5's trigram index, PostgreSQL through pg_trgm's GIN index behind LIKE; each
unnests JSON arrays with its own function. Which rows the caller may see is archive/access.py's
record rule on the rows themselves (access.search_rows_visible), never decided here; the caller's
filters, when given, narrow them to a subquery of recordings."""
import uuid
from dataclasses import dataclass

from django.db import connection, transaction

from ..analysis import VERSION
from .index import WEIGHT

FTS = "archive_searchrow_fts"  # migration 0023
ARRAY_FACETS = {"instrument": "instruments", "language": "languages", "label": "labels"}
SCALAR_FACETS = {"tradition": "tradition_id", "community": "community_id", "country": "country", "decade": "decade"}


def fts_query(terms: list[str]) -> str:
    """One FTS5 query holding every term, each a quoted string (with the trigram tokenizer, a
    substring match); for terms of three characters or more: a trigram index knows nothing shorter."""
    return " AND ".join('"' + t.replace('"', '""') + '"' for t in terms)


@dataclass(frozen=True)
class Dialect:
    position: str  # a function (text, term) -> where term starts in text, 0 if absent
    elements: str  # FROM-clause item of a JSON array column's elements as e(value), {column} filled in
    has_version: str  # the JSON array column {column} holds the parameter
    memory: str = ""  # working memory for the statement's sorts and hashes, where it is set per statement

    def matching(self, terms: list[str]) -> tuple[str, list]:
        """A condition on ``s`` (a search row) holding every term."""
        raise NotImplementedError


class SQLite(Dialect):
    def matching(self, terms):
        indexed = [t for t in terms if len(t) >= 3]
        parts, params = [], []
        if indexed:
            parts.append(f"s.id IN (SELECT rowid FROM {FTS} WHERE {FTS} MATCH %s)")
            params.append(fts_query(indexed))
        for term in terms:
            if len(term) < 3:
                parts.append("instr(s.folded, %s) > 0")
                params.append(term)
        return " AND ".join(parts), params


class PostgreSQL(Dialect):
    def matching(self, terms):
        escaped = [t.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for t in terms]
        return " AND ".join("s.folded LIKE %s" for _ in terms), [f"%{t}%" for t in escaped]


DIALECTS = {
    "sqlite": SQLite(position="instr", elements="json_each({column}) AS e",
                     has_version="EXISTS (SELECT 1 FROM json_each({column}) WHERE value = %s)"),
    "postgresql": PostgreSQL(position="strpos", elements="jsonb_array_elements_text({column}) AS e(value)",
                             has_version="{column} @> jsonb_build_array(%s::text)", memory="64MB"),
}


def ids_of(recordings):
    """The ids of ``recordings`` as a subquery for ``IN (...)``, without the filters' DISTINCT: a
    set needs none, and with it PostgreSQL hashes the caller's whole visible catalogue a second
    time (at 500,000 recordings, half a second of an annotation search)."""
    ids = recordings.order_by().values("pk")
    ids.query.distinct = False
    return ids


@dataclass
class Matches:
    hits: list[dict]  # the page's recording hits, best first: {"type", "recording", "score", "doc": None}
    total: int  # recordings matched in all pages
    facets: dict  # {facet: {value: count}} over every match


def _score(dialect: Dialect, terms: list[str]) -> tuple[str, list]:
    """A term weighs as the best kind of the row's documents holding it (title, record, narrative)."""
    title, record, narrative = (WEIGHT[k] for k in ("title", "record", "narrative"))
    parts = [f"CASE WHEN {dialect.position}(s.title, %s) > 0 THEN {title} "
             f"WHEN {dialect.position}(s.record, %s) > 0 THEN {record} ELSE {narrative} END" for _ in terms]
    return (" + ".join(parts) or "0"), [p for t in terms for p in (t, t)]


COLUMNS = ("id", "recording_id", "folded", "title", "record", "sort_title", "tradition_id", "community_id", "country",
           "decade", "instruments", "languages", "labels", "has_audio", "analysed")


def search(*, terms: list[str], rows, narrowed, offset: int, limit: int) -> Matches:
    """The page [offset, offset + limit) of the search rows among ``rows`` (the rows the caller may
    see, access.search_rows_visible), of recordings among ``narrowed`` (the caller's filters; None:
    no filter), whose title, record or narratives hold every term, ranked by weight, then title;
    with no terms, all of them by title."""
    dialect = DIALECTS[connection.vendor]
    rows_sql, rows_params = rows.order_by().values(*COLUMNS).query.sql_with_params()
    conditions, where_params = [], []
    if narrowed is not None:
        narrowed_sql, narrowed_params = ids_of(narrowed).query.sql_with_params()
        conditions.append(f"s.recording_id IN ({narrowed_sql})")
        where_params += narrowed_params
    if terms:
        condition, params = dialect.matching(terms)
        conditions.append(condition)
        where_params += params
    where = " AND ".join(conditions) or "TRUE"
    score, score_params = _score(dialect, terms)
    selects = ["SELECT 'hit', CAST(p.recording_id AS TEXT), p.score, p.n FROM (SELECT m.recording_id, m.score, "
               "ROW_NUMBER() OVER (ORDER BY m.score DESC, m.sort_title, m.recording_id) AS n FROM m) p "
               "WHERE p.n > %s AND p.n <= %s",
               "SELECT 'total', NULL, COUNT(*), 0 FROM m",
               "SELECT 'has_audio', NULL, COUNT(*), 0 FROM m WHERE m.has_audio",
               f"SELECT 'analysed', NULL, COUNT(*), 0 FROM m WHERE {dialect.has_version.format(column='m.analysed')}"]
    select_params = [offset, offset + limit, VERSION]
    selects += [f"SELECT '{name}', CAST(m.{column} AS TEXT), COUNT(*), 0 FROM m WHERE m.{column} IS NOT NULL "
                f"GROUP BY m.{column}" for name, column in SCALAR_FACETS.items()]
    selects += [f"SELECT '{name}', e.value, COUNT(*), 0 FROM m, {dialect.elements.format(column=f'm.{column}')} "
                f"GROUP BY e.value" for name, column in ARRAY_FACETS.items()]
    sql = (f"WITH m AS MATERIALIZED (SELECT s.recording_id, s.sort_title, s.tradition_id, s.community_id, s.country, "
           f"s.decade, s.instruments, s.languages, s.labels, s.has_audio, s.analysed, {score} AS score "
           f"FROM ({rows_sql}) s WHERE {where}) " + " UNION ALL ".join(selects))
    with transaction.atomic(), connection.cursor() as cursor:
        if dialect.memory:  # hashing and sorting tens of thousands of rows in memory, not on disk
            cursor.execute(f"SET LOCAL work_mem = '{dialect.memory}'")
        cursor.execute(sql, [*score_params, *rows_params, *where_params, *select_params])
        found = cursor.fetchall()
    hits, total = [], 0
    facets = {name: {} for name in (*SCALAR_FACETS, *ARRAY_FACETS, "has_audio", "analysed")}
    for kind, value, count, n in found:
        if kind == "hit":
            hits.append((n, {"type": "recording", "recording": uuid.UUID(value), "score": int(count), "doc": None}))
        elif kind == "total":
            total = count
        elif value is None:
            facets[kind]["yes"] = count
        elif value != "":
            facets[kind][value] = count
    return Matches(hits=[hit for _, hit in sorted(hits, key=lambda pair: pair[0])], total=total, facets=facets)
