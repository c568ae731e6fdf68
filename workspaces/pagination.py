"""Keyset pagination for every list: a page is "the next N rows after this
one in this order", so page 500 costs what page 1 costs (no OFFSET), and a
row inserted meanwhile never shifts or repeats rows between pages.

The order must end with a unique field (normally the id) and should match an
index. Nullable fields sort as PostgreSQL's B-tree indexes do: NULL after
every value when ascending, before when descending, on both databases.
The cursor is the last (or first) row's sort values, base64-encoded; a
cursor that does not decode is ignored (the first page is shown).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import F, Q, QuerySet

PAGE_SIZES = (25, 50, 100)
DEFAULT_PAGE_SIZE = 50


@dataclass
class KeysetPage:
    items: list
    next_cursor: str = ""
    prev_cursor: str = ""
    size: int = DEFAULT_PAGE_SIZE
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def has_next(self) -> bool:
        return bool(self.next_cursor)

    @property
    def has_prev(self) -> bool:
        return bool(self.prev_cursor)

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_prev

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def page_size(value, default: int = DEFAULT_PAGE_SIZE) -> int:
    """One of PAGE_SIZES from user input, else the default."""
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return default
    return number if number in PAGE_SIZES else default


def _split(order: Sequence[str]) -> list[tuple[str, bool]]:
    return [(name.lstrip("-"), name.startswith("-")) for name in order]


def _value_of(item, name: str):
    value = item
    for part in name.split("__"):
        value = getattr(value, part)
    return value


def _encode(item, keys: list[tuple[str, bool]]) -> str:
    values = []
    for name, _ in keys:
        value = _value_of(item, name)
        values.append(value.isoformat() if hasattr(value, "isoformat") else value)
    raw = json.dumps(values, separators=(",", ":"), default=str).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str, model, keys: list[tuple[str, bool]]) -> list | None:
    if not cursor or len(cursor) > 500:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(values, list) or len(values) != len(keys):
        return None
    parsed = []
    for (name, _), value in zip(keys, values, strict=True):
        try:
            model_field = model._meta.get_field(name.split("__")[0])
            if "__" not in name:
                value = model_field.to_python(value) if value is not None else None
        except (FieldDoesNotExist, ValidationError, TypeError, ValueError):
            return None
        if isinstance(value, dict | list):
            return None
        parsed.append(value)
    return parsed


def _after(keys: list[tuple[str, bool]], values: list, nullable: set[str]) -> Q:
    """Rows strictly after the boundary row in this order (NULL counts as the
    largest value)."""
    (name, descending), rest = keys[0], keys[1:]
    value = values[0]
    tail = _after(rest, values[1:], nullable) if rest else None

    def same(condition: Q) -> Q:
        return condition & tail if tail is not None else Q(pk__in=[])

    if value is None:
        if descending:  # NULLs come first: every non-NULL follows
            return Q(**{f"{name}__isnull": False}) | same(Q(**{f"{name}__isnull": True}))
        return same(Q(**{f"{name}__isnull": True}))
    beyond = Q(**{f"{name}__lt" if descending else f"{name}__gt": value})
    if name in nullable and not descending:
        beyond |= Q(**{f"{name}__isnull": True})
    return beyond | same(Q(**{name: value}))


def _ordering(keys: list[tuple[str, bool]], nullable: set[str], *, reverse: bool = False):
    ordering = []
    for name, descending in keys:
        descending = descending != reverse
        expression = F(name).desc() if descending else F(name).asc()
        if name in nullable:
            expression = (
                F(name).desc(nulls_first=True) if descending else F(name).asc(nulls_last=True)
            )
        ordering.append(expression)
    return ordering


def _nullable(model, keys) -> set[str]:
    found = set()
    for name, _ in keys:
        try:
            if model._meta.get_field(name.split("__")[0]).null:
                found.add(name)
        except FieldDoesNotExist:
            pass
    return found


def keyset_page(
    queryset: QuerySet,
    *,
    order: Sequence[str],
    after: str = "",
    before: str = "",
    size: int = DEFAULT_PAGE_SIZE,
) -> KeysetPage:
    """One page of `queryset` in `order` (e.g. ("-created_at", "-id")): the
    rows after the `after` cursor, or those before the `before` cursor, or
    the first page. One query (size + 1 rows, to know whether more follow)."""
    keys = _split(order)
    model = queryset.model
    nullable = _nullable(model, keys)
    backwards = False
    boundary = _decode(after, model, keys) if after else None
    if boundary is None and before:
        boundary = _decode(before, model, keys)
        backwards = boundary is not None
    if backwards:
        reversed_keys = [(name, not descending) for name, descending in keys]
        # Reversing the order makes NULLs come at the other end, as they should.
        condition = _after(reversed_keys, boundary, nullable)
        rows = list(
            queryset.filter(condition).order_by(*_ordering(keys, nullable, reverse=True))[
                : size + 1
            ]
        )
        more = len(rows) > size
        rows = rows[:size][::-1]
        return KeysetPage(
            items=rows,
            next_cursor=_encode(rows[-1], keys) if rows else "",
            prev_cursor=_encode(rows[0], keys) if rows and more else "",
            size=size,
        )
    if boundary is not None:
        queryset = queryset.filter(_after(keys, boundary, nullable))
    rows = list(queryset.order_by(*_ordering(keys, nullable))[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return KeysetPage(
        items=rows,
        next_cursor=_encode(rows[-1], keys) if rows and more else "",
        prev_cursor=_encode(rows[0], keys) if rows and boundary is not None else "",
        size=size,
    )
