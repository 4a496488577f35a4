"""{{ obj|localized:"field" }}: see archive.localization."""
from django import template

from ..localization import localized_text

register = template.Library()


@register.filter
def localized(obj, field: str) -> str:
    return localized_text(obj, field)
