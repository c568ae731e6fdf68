"""{% render_slot "name" %}: render what other features put in a slot."""

from django import template
from django.template.loader import get_template
from django.utils.safestring import mark_safe

from claims.slots import filled

register = template.Library()


@register.simple_tag(takes_context=True)
def render_slot(context, name: str) -> str:
    parts = []
    for slot in filled(name):
        with context.push(**slot.extra):
            parts.append(get_template(slot.template).template.render(context))
    # Each part is a rendered (autoescaped) template: safe to join as it is.
    return mark_safe("".join(parts))
