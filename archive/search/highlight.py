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
        return escape(text[: 2 * width]) + ("…" if len(text) > 2 * width else "")
    spans.sort()
    first = spans[0][0]
    lo, hi = max(0, first - width), min(len(text), first + width)
    pieces, cursor = [], lo
    for a, b in spans:
        if a < cursor or b > hi:
            continue
        pieces.append(escape(text[cursor:a]))
        pieces.append(f"<mark>{escape(text[a:b])}</mark>")
        cursor = b
    pieces.append(escape(text[cursor:hi]))
    return ("…" if lo > 0 else "") + "".join(pieces) + ("…" if hi < len(text) else "")
