"""Many ids as one query parameter (a JSON array on SQLite, an array literal on PostgreSQL): a
list of 100,000 would pass both databases' limits on parameters, and one string is sent once
instead of a list adapted for every query that uses it."""
import json
import uuid

from django.db import connection
from django.db.models.expressions import RawSQL


def id_set(ids) -> RawSQL:
    """A subquery of the given UUIDs, for ``pk__in=`` or ``recording__in=``."""
    ids = [pk if isinstance(pk, uuid.UUID) else uuid.UUID(str(pk)) for pk in ids]
    if connection.vendor == "postgresql":  # an array literal: one string to send, not a list to adapt per query
        return RawSQL("SELECT unnest(%s::uuid[])", ["{" + ",".join(str(pk) for pk in ids) + "}"])
    return RawSQL("SELECT value FROM json_each(%s)", [json.dumps([pk.hex for pk in ids])])
