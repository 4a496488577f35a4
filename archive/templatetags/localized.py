"""{{ obj|localized:"field" }}: see archive.localization."""
from django import template

from ..localization import localized_text, tonic_method_text

register = template.Library()


@register.filter
def localized(obj, field: str) -> str:
    return localized_text(obj, field)


@register.filter
def tonic_method(method: str) -> str:
    return tonic_method_text(method)
