"""Snippets with the matched words marked, found in folded text and cut from the original."""
from django.utils.html import escape

from .normalize import fold


def _folded_with_map(text: str) -> tuple[str, list[int]]:
    out, where = [], []
    for i, ch in enumerate(text):
        piece = fold(ch) if not ch.isspace() else " "
        out.append(piece)
        where.extend([i] * len(piece))
    return "".join(out), where


def _word_start(text: str, lo: int, limit: int) -> int:
    """``lo`` moved forward past a word it would cut (not beyond ``limit``); text without spaces
    (Chinese, Thai) is cut where it falls."""
    if lo == 0 or text[lo - 1].isspace() or text[lo].isspace():
        return lo
    for i in range(lo, limit):
        if text[i].isspace():
            return i + 1
    return lo


def _word_end(text: str, hi: int, floor: int) -> int:
    """``hi`` moved back before a word it would cut (not below ``floor``)."""
    if hi >= len(text) or text[hi].isspace() or text[hi - 1].isspace():
        return hi
    for i in range(hi - 1, floor, -1):
        if text[i].isspace():
            return i
    return hi


def snippet(text: str, terms: list[str], *, width: int = 70) -> str:
    """HTML: about ``width`` characters around the first match, matches in <mark>."""
    folded, where = _folded_with_map(text)
    spans = []
    for term in terms:
        start = folded.find(term)
        while start != -1 and len(spans) < 20:
            end = start + len(term) - 1
            spans.append((where[start], where[end] + 1))
            start = folded.find(term, start + len(term))
    if not spans:
        hi = _word_end(text, min(len(text), 2 * width), 0)
        return escape(text[:hi].rstrip()) + ("…" if hi < len(text) else "")
    spans.sort()
    first = spans[0][0]
    lo = _word_start(text, max(0, first - width), first)
    hi = _word_end(text, min(len(text), first + width), spans[0][1])
    pieces, cursor = [], lo
    for a, b in spans:
        if a < cursor or b > hi:
            continue
        pieces.append(escape(text[cursor:a]))
        pieces.append(f"<mark>{escape(text[a:b])}</mark>")
        cursor = b
    pieces.append(escape(text[cursor:hi]))
    return ("…" if lo > 0 else "") + "".join(pieces) + ("…" if hi < len(text) else "")
