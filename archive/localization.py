"""Text that communities and Local Contexts give in several languages: a ``translations`` map
``{"es": {"field": …}}`` beside the object's own text."""
from django.utils.translation import get_language


def localized_text(obj, field: str, language: str | None = None) -> str:
    """The field in the reader's language when one was given, the object's own text otherwise."""
    if obj is None:
        return ""
    language = (language or get_language() or "").split("-")[0]
    translated = (getattr(obj, "translations", None) or {}).get(language, {}).get(field)
    return translated or getattr(obj, field, "") or ""
