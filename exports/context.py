"""What every export format shares: the context of one export, claims read in
chunks, claim anchors with protected names replaced, and small formatters."""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse

from audit.models import AuditEvent
from claims.models import Article, Claim, Source, SourceChangeProposal
from counting.wording import day, figure_phrase, period, plain_number
from exports.pseudonyms import ProtectedSource, Pseudonymiser
from exports.scope import ExportScope
from texttools.anchors import CONTEXT_CHARS
from workspaces.models import Workspace

# Key under which an event restored from an imported bundle keeps the
# original event (see services/importing.py).
IMPORTED_EVENT_KEY = "imported_history_event"


# Exports above this many claims run as a background job (PDF always does).
DEFAULT_JOB_THRESHOLD = 2000


# Claims read per query; prefetches and side queries run once per chunk.
DEFAULT_CHUNK_SIZE = 500


# Claims per Typst part (each a child process); a PDF is rendered in parts and joined, so memory
# stays bounded by one part however large the export.
DEFAULT_PDF_PART_SIZE = 100


def job_threshold() -> int:
    return int(getattr(settings, "EXPORT_JOB_THRESHOLD", DEFAULT_JOB_THRESHOLD))


def chunk_size() -> int:
    return int(getattr(settings, "EXPORT_CHUNK_SIZE", DEFAULT_CHUNK_SIZE))


def pdf_part_size() -> int:
    return int(getattr(settings, "EXPORT_PDF_PART_SIZE", DEFAULT_PDF_PART_SIZE))


def public_base_url() -> str:
    """WORKBENCH_PUBLIC_BASE_URL: the one address every export's ids and links use."""
    return str(getattr(settings, "WORKBENCH_PUBLIC_BASE_URL", "") or "").rstrip("/")


@dataclass
class ExportContext:
    """One export being made: validated scope, who asks, and how names are shown."""

    workspace: Workspace
    actor: Any
    scope: ExportScope
    format: str
    include_real_names: bool
    claim_count: int
    base_url: str
    exported_at: datetime.datetime
    pseudonyms: Pseudonymiser
    # The protection state the export used (see protection_state).
    protection: dict[str, Any] = field(default_factory=dict)
    progress: Callable[[int, int], None] | None = None
    # Facts a format learns while writing, recorded with the export (the
    # report's data hash, the chain verification).
    facts: dict[str, Any] = field(default_factory=dict)

    def absolute(self, path: str) -> str:
        return f"{self.base_url}{path}"

    def claim_url(self, claim_id: int) -> str:
        return self.absolute(reverse("claim_detail", args=[self.workspace.slug, claim_id]))

    def article_url(self, article_id: int) -> str:
        return self.absolute(reverse("article_detail", args=[self.workspace.slug, article_id]))

    def report_progress(self, done: int) -> None:
        if self.progress:
            self.progress(done, self.claim_count)

    @property
    def workspace_name(self) -> str:
        return self.pseudonyms.text(self.workspace.name)

    @property
    def scope_label(self) -> str:
        """The scope as printed in a file: it may quote an article title."""
        return self.pseudonyms.text(self.scope.label)

    @property
    def actor_name(self) -> str:
        return getattr(self.actor, "username", "") or "system"


def _names_in(value) -> list[str]:
    """Names held by a recorded value: a name, or a list of aliases."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [str(v) for v in value if isinstance(v, str | int | float)]
    return []


def _former_names(workspace: Workspace, source_ids: list[int]) -> dict[int, set[str]]:
    """Every name and alias each source has had, from its history: the
    before and after of each recorded change of its name or aliases (also
    inside events restored from an imported bundle), and the names proposed
    for it while protected (see source_change_propose)."""
    names: dict[int, set[str]] = {pk: set() for pk in source_ids}
    events = AuditEvent.objects.filter(
        workspace=workspace, object_type="source", object_id__in=[str(pk) for pk in source_ids]
    ).values_list("object_id", "changes", "object_label")
    for object_id, changes, label in events.iterator(chunk_size=2000):
        found = names[int(object_id)]
        found.add(label)
        changes = changes or {}
        original = changes.get(IMPORTED_EVENT_KEY)
        if isinstance(original, dict):
            found.add(str(original.get("object_label", "")))
            changes = original.get("changes") if isinstance(original.get("changes"), dict) else {}
        for field_name in ("name", "aliases"):
            recorded = changes.get(field_name)
            values = recorded if isinstance(recorded, list) and len(recorded) == 2 else [recorded]
            for value in values:
                found.update(_names_in(value))
    proposals = SourceChangeProposal.objects.filter(source_id__in=source_ids).values_list(
        "source_id", "fields"
    )
    for source_id, fields in proposals:
        for field_name in ("name", "aliases"):
            names[source_id].update(_names_in((fields or {}).get(field_name)))
    return names


def protected_sources_of(workspace: Workspace) -> list[ProtectedSource]:
    """The workspace's protected sources with every name they have had."""
    protected = list(
        Source.objects.filter(workspace=workspace, protected=True)
        .order_by("pk")
        .values_list("pk", "name", "aliases")
    )
    former = _former_names(workspace, [pk for pk, _, _ in protected])
    return [
        ProtectedSource(
            pk,
            name,
            tuple(str(a) for a in aliases or () if isinstance(a, str | int | float)),
            tuple(sorted(n for n in former[pk] if n)),
        )
        for pk, name, aliases in protected
    ]


def pseudonymiser_for(*, workspace: Workspace, include_real_names: bool) -> Pseudonymiser:
    if include_real_names:
        return Pseudonymiser()
    return Pseudonymiser(protected_sources_of(workspace))


def protection_state(
    *, workspace: Workspace, include_real_names: bool, pseudonyms: Pseudonymiser
) -> dict[str, Any]:
    """What protection an export used, recorded on its row and audit event:
    which sources were protected, whether their names were replaced, and how
    many spellings the replacement covered."""
    protected_ids = (
        list(pseudonyms.labels)
        if pseudonyms.active
        else list(
            Source.objects.filter(workspace=workspace, protected=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    )
    return {
        "protected_sources": sorted(protected_ids),
        "pseudonymised": bool(pseudonyms.active),
        "real_names_included": bool(include_real_names and protected_ids),
        "names_covered": pseudonyms.names_covered,
    }


def batches(queryset: QuerySet, size: int | None = None) -> Iterator[list]:
    """Lists of up to `size` rows. The queryset streams with .iterator(), which
    runs its prefetches once per chunk of the same size, so a batch costs a
    fixed number of queries and only one batch is in memory at a time."""
    size = size or chunk_size()
    iterator = queryset.iterator(chunk_size=size)
    while batch := list(itertools.islice(iterator, size)):
        yield batch
        release(batch)


def release(objects: Iterable) -> None:
    """Break the reference cycles prefetching creates (a claim caches its
    figures, each figure caches its claim), so a finished batch is freed at
    once by reference counting instead of waiting for a full garbage
    collection: without this, memory grows with the size of the export."""
    for obj in objects:
        prefetched = obj.__dict__.pop("_prefetched_objects_cache", None)
        if prefetched:
            for related in prefetched.values():
                release(getattr(related, "_result_cache", None) or ())
        obj._state.fields_cache.clear()


@dataclass(frozen=True)
class Anchor:
    quote: str
    prefix: str
    suffix: str
    start: int
    end: int


class Anchors:
    """Claim quotes with their context, protected names replaced.

    Replacing names inside the quote, prefix and suffix one by one would miss a
    name cut by the edge of the context ("…li Sheha said"). So the article body
    is pseudonymised as a whole, the claim's offsets moved onto the new text,
    and quote and context cut from it. Bodies are loaded once per batch, and
    only when there is something to replace."""

    def __init__(self, pseudonyms: Pseudonymiser):
        self.pseudonyms = pseudonyms
        self._bodies: dict[int, tuple[str, Any]] = {}

    def load(self, claims: Iterable[Claim]) -> None:
        if not self.pseudonyms.active:
            return
        wanted = {claim.article_id for claim in claims}
        # Keep only the articles this batch needs: memory stays one batch wide.
        self._bodies = {pk: v for pk, v in self._bodies.items() if pk in wanted}
        missing = wanted - set(self._bodies)
        if missing:
            rows = Article.objects.filter(pk__in=missing).values_list("pk", "body")
            for pk, body in rows:
                self._bodies[pk] = self.pseudonyms.text_with_offsets(body)

    def text_of(self, article_id: int) -> str | None:
        """The article's text as this export shows it (names replaced), or
        None when nothing is pseudonymised (the stored text is shown)."""
        if not self.pseudonyms.active:
            return None
        if article_id not in self._bodies:
            rows = Article.objects.filter(pk=article_id).values_list("body", flat=True)
            self._bodies[article_id] = self.pseudonyms.text_with_offsets(rows.get())
        return self._bodies[article_id][0]

    def of(self, claim: Claim) -> Anchor:
        if not self.pseudonyms.active:
            return Anchor(claim.quote, claim.prefix, claim.suffix, claim.start, claim.end)
        if claim.article_id not in self._bodies:
            self.load([claim])
        body, offsets = self._bodies[claim.article_id]
        start, end = offsets(claim.start), offsets(claim.end, closing=True)
        return Anchor(
            body[start:end],
            body[max(0, start - CONTEXT_CHARS) : start],
            body[end : end + CONTEXT_CHARS],
            start,
            end,
        )


def iso(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def username(user) -> str:
    return getattr(user, "username", "") if user is not None else ""


def figure_text(figure) -> str:
    return figure_phrase(figure.value, figure.qualifier, figure.counted, figure.value_high)


def figure_place(figure) -> str:
    """'Baniyas, Tartus, Syria': the place with the places it lies in (from the
    prefetched place and its parent; a grandparent is named when cached)."""
    if not figure.place_id:
        return ""
    names, place = [], figure.place
    while place is not None and len(names) < 4:
        names.append(place.name)
        place = place.parent if place.parent_id and _cached(place, "parent") else None
    return ", ".join(names)


def _cached(obj, name: str) -> bool:
    return obj._meta.get_field(name).is_cached(obj)


def figure_time(figure) -> str:
    """'as of 9 Mar 2025', '6-9 Mar 2025', or nothing."""
    if figure.period_start or figure.period_end:
        end = figure.period_end or figure.as_of
        if end is None:
            return f"from {day(figure.period_start)}"
        text = period(figure.period_start, end)
        return (
            f"{text}, as of {day(figure.as_of)}" if figure.as_of and figure.as_of != end else text
        )
    return f"as of {day(figure.as_of)}" if figure.as_of else ""


def figure_scope(figure) -> dict:
    """A figure's scope as exports carry it: values for data, words for people."""
    population = figure.get_population_display()
    return {
        "text": figure_text(figure),
        "value": plain_number(figure.value),
        "value_high": plain_number(figure.value_high) if figure.value_high is not None else "",
        "qualifier": figure.qualifier,
        "outcome": figure.outcome.key if figure.outcome_id else "",
        "outcome_label": figure.outcome.label if figure.outcome_id else "",
        "population": figure.population,
        "population_label": population,
        "subgroups": list(figure.subgroups or []),
        "place": figure_place(figure),
        "as_of": iso(figure.as_of) or "",
        "period_start": iso(figure.period_start) or "",
        "period_end": iso(figure.period_end) or "",
        "time": figure_time(figure),
        "basis": figure.basis,
        "basis_label": figure.get_basis_display() if figure.basis else "",
        "part_of": figure.part_of_id,
        "scope_text": figure_scope_text(figure),
    }


def figure_scope_text(figure) -> str:
    """'killed · civilians (children) · Baniyas, Tartus, Syria · cumulative total · as of
    9 Mar 2025'; what is missing is left out."""
    parts = []
    if figure.outcome_id:
        parts.append(figure.outcome.label)
    who = figure.get_population_display()
    if figure.subgroups:
        who = f"{who} ({', '.join(figure.subgroups)})"
    parts.append(who)
    for piece in (
        figure_place(figure),
        figure.get_basis_display() if figure.basis else "",
        figure_time(figure),
    ):
        if piece:
            parts.append(piece)
    return " · ".join(parts)


def source_label(pseudonyms: Pseudonymiser, source: Source | None) -> str:
    if source is None:
        return ""
    return pseudonyms.source_name(source.pk, source.name)
