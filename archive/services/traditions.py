"""Changes to a tradition that its custodial communities' stewards make from the pages."""
from django.utils.translation import gettext

from music.notation import check_notation

from ..models import Tradition
from ..policy import may_change_tradition
from .errors import NotAllowed, ServiceError


def notation_lines(text: str) -> list[list]:
    """The page's "cents name" lines (one degree a line, e.g. "112 ati-komal re") as [cents, name]
    pairs; a clear error naming the line that is not one."""
    pairs = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        cents, _, name = line.strip().partition(" ")
        try:
            pairs.append([float(cents.replace(",", ".")), name.strip()])
        except ValueError:
            raise ServiceError(gettext("line %(n)s: write the cents above the tonic, a space, then the name")
                               % {"n": number}, field="names") from None
    return pairs


def tradition_notation_set(*, user, tradition: Tradition, value: dict) -> Tradition:
    """Choose the notation its examples and transcriptions are written in (music/notation.py)."""
    if not may_change_tradition(user=user, tradition=tradition):
        raise NotAllowed(gettext("only stewards of a custodial community may change a tradition"))
    try:
        tradition.notation = check_notation(value)
    except ValueError as exc:
        raise ServiceError(str(exc), field="notation") from None
    tradition.save(update_fields=["notation"])
    return tradition
