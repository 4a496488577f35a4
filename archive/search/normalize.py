"""Text folded for matching: case-folded, compatibility-decomposed, combining marks removed,
and the letters that do not decompose mapped by hand. "Nguyễn" and "nguyen" fold alike, as do
"Sevdàh" and "sevdah"; scripts without case (Devanagari, Arabic, CJK) match as written, and a
run of characters finds a word inside a longer one."""
import re
import unicodedata

SPECIAL = str.maketrans({"đ": "d", "ð": "d", "ł": "l", "ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ı": "i",
                         "þ": "th", "ŋ": "n", "ħ": "h", "ŧ": "t", "ʼ": "'", "’": "'", "ـ": ""})
SPACE = re.compile(r"\s+")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return SPACE.sub(" ", unicodedata.normalize("NFC", stripped.translate(SPECIAL))).strip()


def query_terms(query: str) -> list[str]:
    """The folded words of a query (a quoted phrase stays one term)."""
    terms = []
    for quoted, word in re.findall(r'"([^"]+)"|(\S+)', query or ""):
        term = fold(quoted or word).strip(".,;:!?()[]{}«»")
        if term:
            terms.append(term)
    return terms[:12]
