"""Partial dates as archives write them: a decade ("1970s"), a year, a month or a day."""
import re
from datetime import date

_PATTERN = re.compile(r"^(?P<decade>\d{3}0)s$|^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?$")


def parse_partial_date(value: str) -> tuple[int | None, int | None]:
    """Return the (first, last) year the partial date covers; (None, None) for blank.

    Raises ValueError with a readable message for anything else.
    """
    value = (value or "").strip()
    if not value:
        return None, None
    match = _PATTERN.match(value)
    if not match:
        raise ValueError("use a partial ISO date: 1970s, 1983, 1983-05 or 1983-05-12")
    if match["decade"]:
        start = int(match["decade"])
        return start, start + 9
    year = int(match["year"])
    if match["month"]:
        month = int(match["month"])
        day = int(match["day"]) if match["day"] else 1
        date(year, month, day)  # raises ValueError for 1983-13 or 1983-02-30
    return year, year
