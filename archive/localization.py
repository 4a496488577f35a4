"""Text that communities and Local Contexts give in several languages: a ``translations`` map
``{"es": {"field": …}}`` beside the object's own text."""
from django.utils.translation import get_language, gettext_lazy

# How the analysis found a tonic (archive/analysis/tonic.py, pipeline.py), as readers see it
TONIC_METHODS = {
    "final note": gettext_lazy("final note"),
    "most prominent pitch class": gettext_lazy("most prominent pitch class"),
    "drone (TonicIndianArtMusic)": gettext_lazy("drone"),
    "set by hand": gettext_lazy("set by hand"),
}


def localized_text(obj, field: str, language: str | None = None) -> str:
    """The field in the reader's language when one was given, the object's own text otherwise."""
    if obj is None:
        return ""
    language = (language or get_language() or "").split("-")[0]
    translated = (getattr(obj, "translations", None) or {}).get(language, {}).get(field)
    return translated or getattr(obj, field, "") or ""


def tonic_method_text(method: str) -> str:
    """How a tonic was found, in the reader's language (an unknown method as it was stored)."""
    return str(TONIC_METHODS.get(method, method))
