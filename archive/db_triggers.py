"""Database triggers written once for SQLite and PostgreSQL.

What must follow every write, whoever makes it (a service, the admin, a bulk update, raw SQL, another
program), is done by the database in the writing transaction: moving the catalogue's versions
(archive/versions.py), marking search documents stale, retiring models (generation). A trigger's
body is plain SQL that both databases read alike (NEW./OLD. columns, ||, CASE, CURRENT_TIMESTAMP);
only the wrapping differs. Every trigger made here is named with PREFIX, so a migration can drop
them all and make the current set again."""
import hashlib

PREFIX = "sk_"
EVENTS = ("INSERT", "UPDATE", "DELETE")


def trigger_name(*parts: str) -> str:
    """A trigger (and, on PostgreSQL, function) name within PostgreSQL's 63 bytes, unique per parts."""
    name = PREFIX + "_".join(parts)
    if len(name) > 55:
        name = name[:46] + "_" + hashlib.sha1(name.encode()).hexdigest()[:8]
    return name


def drop_all(schema_editor, family: str) -> None:
    """Drop every trigger (and PostgreSQL trigger function) of this family."""
    prefix = f"{PREFIX}{family}_"
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute("SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                           "WHERE NOT t.tgisinternal AND t.tgname LIKE %s", [prefix.replace("_", r"\_") + "%"])
            for trigger, table in cursor.fetchall():
                schema_editor.execute(f'DROP TRIGGER IF EXISTS "{trigger}" ON "{table}"')
            cursor.execute("SELECT proname FROM pg_proc WHERE proname LIKE %s", [prefix.replace("_", r"\_") + "%"])
            for (function,) in cursor.fetchall():
                schema_editor.execute(f'DROP FUNCTION IF EXISTS "{function}"() CASCADE')
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s ESCAPE '\\'",
                           [prefix.replace("_", r"\_") + "%"])
            for (trigger,) in cursor.fetchall():
                schema_editor.execute(f'DROP TRIGGER IF EXISTS "{trigger}"')


def _pg_function(schema_editor, name: str, body: list[str], *, once_per_transaction: bool = False) -> None:
    """A trigger function. ``once_per_transaction``: run the body at most once in a transaction
    (a transaction-local setting remembers it, and a rolled-back savepoint forgets it with the
    body's own writes): a bulk load of a hundred thousand statements would otherwise leave as many
    dead versions of the row the body updates, and every read of it would walk them until vacuum."""
    statements = "".join(f"{statement}; " for statement in body)
    if once_per_transaction:
        flag = f"songkeeper.{name}"
        statements = (f"IF current_setting('{flag}', true) IS DISTINCT FROM txid_current()::text THEN {statements}"
                      f"PERFORM set_config('{flag}', txid_current()::text, true); END IF; ")
    schema_editor.execute(f'CREATE OR REPLACE FUNCTION "{name}"() RETURNS trigger LANGUAGE plpgsql AS '
                          f"$$ BEGIN {statements}RETURN NULL; END $$")


def per_statement(schema_editor, *, family: str, table: str, body: list[str],
                  update_columns: list[str] | None = None, events=EVENTS) -> None:
    """Run ``body`` (no NEW/OLD) when a statement writes ``table``: on PostgreSQL before the first
    such statement of a transaction (BEFORE it takes any row lock, so two writers queue for what the
    body locks instead of deadlocking over it; once, since what it records is that the transaction
    wrote), on SQLite once per row (it has no statement triggers, one writer at a time, and updates
    in place). With ``update_columns``, an UPDATE counts only when it sets one of them."""
    vendor = schema_editor.connection.vendor
    tag = hashlib.sha1(repr((body, update_columns)).encode()).hexdigest()[:6]
    on = [e if e != "UPDATE" or not update_columns else "UPDATE OF " + ", ".join(f'"{c}"' for c in update_columns)
          for e in events]
    if vendor == "postgresql":
        function = trigger_name(family, "fn", tag)
        _pg_function(schema_editor, function, body, once_per_transaction=True)
        extra = " OR TRUNCATE" if "DELETE" in events else ""
        schema_editor.execute(f'CREATE TRIGGER "{trigger_name(family, table, tag)}" BEFORE {" OR ".join(on)}{extra} '
                              f'ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION "{function}"()')
    else:
        statements = "".join(f"{statement}; " for statement in body)
        for event, clause in zip(events, on, strict=True):
            schema_editor.execute(f'CREATE TRIGGER "{trigger_name(family, table, tag, event.lower())}" AFTER {clause} '
                                  f'ON "{table}" FOR EACH ROW BEGIN {statements}END')


def per_row(schema_editor, *, family: str, name: str, table: str, event: str, body: list[str],
            when: str | None = None) -> None:
    """Run ``body`` after each row ``event`` writes in ``table``, where ``when`` holds; both may
    name NEW. and OLD. columns as the event allows."""
    trigger = trigger_name(family, name)
    condition = f" WHEN ({when})" if when else ""
    if schema_editor.connection.vendor == "postgresql":
        function = trigger_name(family, "fn", name)
        _pg_function(schema_editor, function, body)
        schema_editor.execute(f'CREATE TRIGGER "{trigger}" AFTER {event} ON "{table}" FOR EACH ROW{condition} '
                              f'EXECUTE FUNCTION "{function}"()')
    else:
        statements = "".join(f"{statement}; " for statement in body)
        schema_editor.execute(f'CREATE TRIGGER "{trigger}" AFTER {event} ON "{table}" FOR EACH ROW{condition} '
                              f"BEGIN {statements}END")
