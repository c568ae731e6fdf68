"""{{ n|thousands }}: 12345 as "12,345" (the dashboard's counts)."""

from django import template

register = template.Library()


@register.filter
def thousands(value) -> str:
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)
