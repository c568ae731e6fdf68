"""{{ request.GET|scope_filters }}: a list's query-string filters that an
export's scope understands (exports.scope.FILTERS), as (name, value) pairs,
so the list's Export button exports exactly what the list shows."""

from django import template

from exports.scope import FILTERS

register = template.Library()


@register.filter
def scope_filters(query) -> list[tuple[str, str]]:
    return [
        (name, value)
        for name, values in query.lists()
        if name in FILTERS
        for value in values
        if value.strip()
    ]
