"""The <id:pk> path converter: a database id, 1 to 2**63 - 1.

Django's <int:...> takes any run of digits: 0 reached views as "no object"
(a new source form at /sources/0/edit/), and ids past 2**63 overflowed
SQLite's integers (a 500). Anything outside the range does not match the
URL, so it is answered 404 like any unknown page."""

from django.urls import register_converter
from django.urls.converters import get_converters

from workspaces.ids import MAX_ID


class IdConverter:
    regex = "[1-9][0-9]{0,18}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError("not an id")
        return number

    def to_url(self, value) -> str:
        return str(int(value))


def id_converter() -> str:
    """Register the converter once (each app's urls calls this) and return its name."""
    if "id" not in get_converters():
        register_converter(IdConverter, "id")
    return "id"
