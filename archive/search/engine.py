"""The database's search: one statement over the search rows (one per recording, archive/models/
search.py) matches every term, weighs it, keeps the rows the caller may see after their filters,
and returns the page of recording hits with the facet counts and the total, so no list of
matches travels to Python. What the databases do differently is said once, in DIALECTS: SQLite
matches through FTS5's trigram index; PostgreSQL through its word index (words.py: exact, no text
re-read) where it answers the term, else pg_trgm's GIN index behind LIKE, and counts the scalar
facets in one pass (grouping sets, which SQLite lacks); each unnests JSON arrays with its own
function. Which rows the caller may see is archive/access.py's record rule on the rows themselves
(access.search_rows_visible), never decided here; the caller's filters, when given, narrow them to
a subquery of recordings."""
import uuid
from dataclasses import dataclass

from django.db import connection, transaction

from ..analysis import VERSION
from . import words
from .index import WEIGHT

FTS = "archive_searchrow_fts"  # migration 0023
ARRAY_FACETS = {"instrument": "instruments", "language": "languages", "label": "labels"}
SCALAR_FACETS = {"tradition": "tradition_id", "community": "community_id", "country": "country", "decade": "decade"}
YES_NO = ("has_audio", "analysed")  # counted where true (the rest of the matches are "no")


def fts_query(terms: list[str]) -> str:
    """One FTS5 query holding every term, each a quoted string (with the trigram tokenizer, a
    substring match); for terms of three characters or more: a trigram index knows nothing shorter."""
    return " AND ".join('"' + t.replace('"', '""') + '"' for t in terms)


@dataclass(frozen=True)
class Dialect:
    position: str  # a function (text, term) -> where term starts in text, 0 if absent
    has_version: str  # the JSON array column {column} holds the parameter
    elements: str = ""  # FROM-clause item of a JSON array column's elements as e(value), {column} filled in (counted())
    memory: str = ""  # working memory for the statement's sorts and hashes, where it is set per statement

    def matching(self, cursor, terms: list[str]) -> tuple[str, list]:
        """A condition on ``s`` (a search row) holding every term."""
        raise NotImplementedError

    def array_columns(self, column: str) -> str:
        """What the matches carry of the facet array ``column`` of ``s``, for counted()."""
        return f"s.{column}"

    def counted(self) -> list[str]:
        """SELECTs over the matches ``m`` giving (kind, value, count, 0) rows, a value's counts to
        be added up: the total, the scalar facets, the yes/no ones and the arrays, one GROUP BY each."""
        return ["SELECT 'total', NULL, COUNT(*), 0 FROM m",
                *(f"SELECT '{name}', CAST(m.{name} AS TEXT), COUNT(*), 0 FROM m WHERE m.{name} GROUP BY m.{name}"
                  for name in YES_NO),
                *(f"SELECT '{name}', CAST(m.{column} AS TEXT), COUNT(*), 0 FROM m WHERE m.{column} IS NOT NULL "
                  f"GROUP BY m.{column}" for name, column in SCALAR_FACETS.items()),
                *(f"SELECT '{name}', e.value, COUNT(*), 0 FROM m, {self.elements.format(column=f'm.{column}')} "
                  f"GROUP BY e.value" for name, column in ARRAY_FACETS.items())]


class SQLite(Dialect):
    def matching(self, cursor, terms):
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
    def matching(self, cursor, terms):
        """From the word index where it answers the term (words.py: exact, nothing re-read),
        else LIKE through pg_trgm's index."""
        holding = words.words_holding(cursor, terms)
        conditions = [words.term_condition("s.folded", term, holding) for term in terms]
        return " AND ".join(sql for sql, _ in conditions), [p for _, params in conditions for p in params]

    def array_columns(self, column):
        """Its first value, and the array itself where it holds more than one, worked out as the
        rows are read (in parallel where the scan is) rather than in a pass of their own each
        (three passes asking each match its arrays' lengths took 30 ms at 40,000 matches)."""
        return (f"s.{column} ->> 0 AS {column}_first, "
                f"CASE WHEN jsonb_array_length(s.{column}) > 1 THEN s.{column} END AS {column}_more")

    def counted(self):
        """The same counts in one pass over the matches: grouping sets, one hash table each (at
        500,000 recordings 16 ms for 40,000 matches, where a GROUP BY each took 40), with each
        facet array's first value among them; only the rows holding more than one value are
        unnested, for the rest (unnesting every row cost 15-35 ms an array), all three arrays in
        one pass over the matches (a pass costs 6 ms at 40,000)."""
        grouped = {**SCALAR_FACETS, **{name: name for name in YES_NO},
                   **{name: f"{column}_first" for name, column in ARRAY_FACETS.items()}}
        kind = " ".join(f"WHEN GROUPING(m.{column}) = 0 THEN '{name}'" for name, column in grouped.items())
        value = ", ".join(f"CAST(m.{column} AS TEXT)" for column in grouped.values())
        sets = ", ".join(f"(m.{column})" for column in grouped.values())
        more = ", ".join(f"('{name}', m.{column}_more)" for name, column in ARRAY_FACETS.items())
        return [f"SELECT CASE {kind} ELSE 'total' END, COALESCE({value}), COUNT(*), 0 FROM m "
                f"GROUP BY GROUPING SETS ({sets}, ())",
                f"SELECT a.facet, e.value, COUNT(*), 0 FROM m, LATERAL (VALUES {more}) AS a(facet, items), "
                f"jsonb_array_elements_text(a.items) WITH ORDINALITY AS e(value, i) "
                f"WHERE ({' OR '.join(f'm.{column}_more IS NOT NULL' for column in ARRAY_FACETS.values())}) "
                f"AND e.i > 1 GROUP BY a.facet, e.value"]


DIALECTS = {
    "sqlite": SQLite(position="instr", elements="json_each({column}) AS e",
                     has_version="EXISTS (SELECT 1 FROM json_each({column}) WHERE value = %s)"),
    "postgresql": PostgreSQL(position="strpos",
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
    with transaction.atomic(), connection.cursor() as cursor:
        if terms:
            condition, params = dialect.matching(cursor, terms)
            conditions.append(condition)
            where_params += params
        found = _run(cursor, dialect, terms, rows_sql, rows_params, conditions, where_params, offset, limit)
    hits, total = [], 0
    facets = {name: {} for name in (*SCALAR_FACETS, *ARRAY_FACETS, *YES_NO)}
    for kind, value, count, n in found:
        if kind == "hit":
            hits.append((n, {"type": "recording", "recording": uuid.UUID(value), "score": int(count), "doc": None}))
        elif kind == "total":
            total = count
        elif kind in YES_NO:
            if value in ("1", "true"):
                facets[kind]["yes"] = count
        elif value not in ("", None):  # an array's value may come in two parts (PostgreSQL.counted)
            facets[kind][value] = facets[kind].get(value, 0) + count
    return Matches(hits=[hit for _, hit in sorted(hits, key=lambda pair: pair[0])], total=total, facets=facets)


def _run(cursor, dialect, terms, rows_sql, rows_params, conditions, where_params, offset, limit) -> list:
    """The one statement: the page, the total and the facets, as (kind, value, count, rank) rows."""
    where = " AND ".join(conditions) or "TRUE"
    score, score_params = _score(dialect, terms)
    # the page's hits: the top offset + limit by an ordered LIMIT (a top-N sort, not a sort of all)
    selects = ["SELECT 'hit', CAST(p.recording_id AS TEXT), p.score, "
               "ROW_NUMBER() OVER (ORDER BY p.score DESC, p.sort_title, p.recording_id) FROM (SELECT m.recording_id, "
               "m.score, m.sort_title FROM m ORDER BY m.score DESC, m.sort_title, m.recording_id LIMIT %s OFFSET %s) p",
               *dialect.counted()]
    select_params = [limit, offset]
    arrays = ", ".join(dialect.array_columns(column) for column in ARRAY_FACETS.values())
    sql = (f"WITH m AS MATERIALIZED (SELECT s.recording_id, s.sort_title, s.tradition_id, s.community_id, s.country, "
           f"s.decade, {arrays}, s.has_audio, "
           f"{dialect.has_version.format(column='s.analysed')} AS analysed, {score} AS score "
           f"FROM ({rows_sql}) s WHERE {where}) " + " UNION ALL ".join(selects))
    if dialect.memory:  # hashing and sorting tens of thousands of rows in memory, not on disk
        cursor.execute(f"SET LOCAL work_mem = '{dialect.memory}'")
    cursor.execute(sql, [VERSION, *score_params, *rows_params, *where_params, *select_params])
    return cursor.fetchall()
