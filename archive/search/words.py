"""PostgreSQL's word index: a term found from the words that hold it, not by re-reading text.

pg_trgm's index behind ``LIKE '%term%'`` finds candidates, but every candidate's text is then read
again to check it: for a common term of a large catalogue that is most of a search (at 500,000
recordings, "harvest song" re-checked 160,000 rows). Folded text (normalize.py) separates words
by whitespace alone, so a term without whitespace lies inside one word, and "the text holds the
term" is exactly "one of its words holds the term". So the search rows and the annotation
documents are indexed by GIN on the array of their distinct words (an expression index on
``songkeeper_search_words(folded)``: the array is not stored in the row, which a search reads
whole), whose answer is exact and needs no re-check; and the database keeps a vocabulary of every
word indexed (``archive_searchword``, trigram-indexed), where a term is looked up first: the rows
holding it are those whose words overlap the words holding it.

A word longer than PIECE characters is indexed as overlapping pieces of PIECE, STEP apart, so any
run of up to STEP characters inside it lies wholly in one piece (an index entry has a size limit;
scripts written without spaces make long words). Longer terms, shorter ones than a trigram and
phrases are matched as before, by LIKE. The vocabulary is written by statement triggers in the
writing transaction, whoever writes the rows; it only grows (a word no row holds any more matches
nothing), and two writers adding one new word at once may both add it, so it is read with DISTINCT:
a unique key would make them wait on each other."""

PIECE = 64
STEP = 32
FUNCTION = "songkeeper_search_words"
VOCABULARY = "archive_searchword"
MAX_WORDS = 5000  # a term held by more words than this is matched by LIKE (a GIN probe per word)


def words_of(column: str) -> str:
    """The indexed expression: a condition must name it exactly as the index does."""
    return f"{FUNCTION}({column})"

WORDS_SQL = (
    f"CREATE OR REPLACE FUNCTION {FUNCTION}(folded text) RETURNS text[] LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ "
    "SELECT coalesce(array_agg(DISTINCT CASE WHEN length(w) <= {piece} THEN w ELSE substr(w, i, {piece}) END), '{{}}') "
    "FROM regexp_split_to_table(folded, '\\s+') AS w, generate_series(1, greatest(1, length(w) - {step}), {step}) AS i "
    "WHERE w <> '' $$").format(piece=PIECE, step=STEP)


def indexed(term: str) -> bool:
    """Whether the word index answers ``term`` (else LIKE on the folded text does)."""
    return 3 <= len(term) <= STEP and not any(ch.isspace() for ch in term)


def like_pattern(term: str) -> str:
    """``%term%`` for LIKE, its own wildcards escaped."""
    return "%" + term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def term_condition(column: str, term: str, holding: dict) -> tuple[str, list]:
    """SQL and parameters for "``column``'s folded text holds ``term``": its words overlap the
    words holding it (``holding``, from words_holding) where the word index answers, else LIKE."""
    if holding.get(term) is None:
        return f"{column} LIKE %s", [like_pattern(term)]
    return f"{words_of(column)} && %s::text[]", [holding[term]]


def words_holding(cursor, terms: list[str]) -> dict[str, list[str] | None]:
    """For each indexed term, the vocabulary's words holding it (None: too many, use LIKE)."""
    found: dict[str, list[str] | None] = {}
    for term in (t for t in terms if indexed(t)):
        cursor.execute(f"SELECT DISTINCT word FROM {VOCABULARY} WHERE word LIKE %s LIMIT %s",
                       [like_pattern(term), MAX_WORDS + 1])
        words = [w for (w,) in cursor.fetchall()]
        found[term] = words if len(words) <= MAX_WORDS else None
    return found


def _vocabulary_trigger(table: str, event: str, where: str) -> list[str]:
    name = f"songkeeper_words_{table}_{event.lower()}"
    return [f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"INSERT INTO {VOCABULARY} (word) SELECT DISTINCT n.w FROM "
            f"(SELECT unnest({words_of('folded')}) AS w FROM new_rows WHERE {where}) n "
            f"WHERE NOT EXISTS (SELECT 1 FROM {VOCABULARY} v WHERE v.word = n.w); RETURN NULL; END $$",
            f"CREATE TRIGGER {name} AFTER {event} ON {table} REFERENCING NEW TABLE AS new_rows "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {name}()"]


TABLES = {"archive_searchrow": "TRUE", "archive_searchdocument": "kind = 'annotation'"}  # what is word-indexed
EVENTS = ("INSERT", "UPDATE")

# The annotations' index holds their tradition and community too (btree_gin): a filtered search
# is then one index scan, where PostgreSQL would not AND a separate index with an expression it
# cannot estimate, and read every matched annotation of every tradition (at 500,000 recordings,
# "river" in one tradition: 207,000 annotations read for 6,834, 170 ms -> 75)
INDEXED = {"archive_searchrow": "", "archive_searchdocument": "tradition_id, community_id, "}

INSTALL = [
    WORDS_SQL,
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    *(f"CREATE INDEX {table}_words ON {table} USING gin ({INDEXED[table]}{words_of('folded')})"
      + ("" if where == "TRUE" else f" WHERE {where}") for table, where in TABLES.items()),
    f"CREATE TABLE {VOCABULARY} (word text NOT NULL)",
    f"CREATE INDEX {VOCABULARY}_word ON {VOCABULARY} (word)",
    f"CREATE INDEX {VOCABULARY}_trgm ON {VOCABULARY} USING gin (word gin_trgm_ops)",
    *(statement for table, where in TABLES.items() for event in EVENTS
      for statement in _vocabulary_trigger(table, event, where)),
]
# every word of the rows written without the triggers (a bulk load with them off)
FILL = (f"INSERT INTO {VOCABULARY} (word) SELECT w FROM ("
        + " UNION ".join(f"SELECT unnest({words_of('folded')}) AS w FROM {table} WHERE {where}"
                         for table, where in TABLES.items())
        + f") n WHERE NOT EXISTS (SELECT 1 FROM {VOCABULARY} v WHERE v.word = n.w)")
UNINSTALL = [
    *(f"DROP TRIGGER IF EXISTS songkeeper_words_{table}_{event.lower()} ON {table}" for table in TABLES for event in EVENTS),
    *(f"DROP FUNCTION IF EXISTS songkeeper_words_{table}_{event.lower()}()" for table in TABLES for event in EVENTS),
    *(f"DROP INDEX IF EXISTS {table}_words" for table in TABLES),
    f"DROP TABLE IF EXISTS {VOCABULARY}",
    f"DROP FUNCTION IF EXISTS {FUNCTION}(text)",
]
