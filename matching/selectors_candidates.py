"""Reads of the matcher: the claims near one claim, and how each relates to it.

1. Candidates, each channel an indexed nearest-neighbour read with a LIMIT:
   - on PostgreSQL, the claims whose statement, and those whose quote, are
     nearest by trigram distance (`<->`, KNN over the GiST indexes of
     claims migration 0004, which lead with the workspace);
   - the claims that share an anchor of the claim's frame (a place, a named
     party, an object such as a school) from their match profiles (GIN
     index of matching migration 0003 on PostgreSQL);
   - the claims with a figure of the same scope (the figure scope index);
   - elsewhere (SQLite) the workspace's most recent claims stand in for the
     trigram channel.
2. Relations (matching.rules): figures of one scope first, by the rules of
   counting.reconcile; then statements by meaning (frames and character
   n-grams).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.contrib.postgres.search import TrigramDistance
from django.db import connection
from django.db.models import Q, QuerySet

from claims.figure_records import figure_records, reconcilable
from claims.models import Claim, ClaimLink, Figure
from counting.reconcile import FigureRecord, figure_relations
from matching.models import MatchProfile
from matching.rules import (
    PRIORITY,
    ClaimView,
    Context,
    Match,
    Relation,
    figure_concepts,
    meaning_text,
    statement_relation,
)
from texttools.meaning import ANCHORS, NgramIndex, read_frame
from vocabulary.selectors import Gazetteer, gazetteer_for

# How many claims each nearest-neighbour channel hands over.
CANDIDATE_LIMIT = 40


# Without PostgreSQL: how many of the workspace's newest claims are compared.
FALLBACK_CANDIDATE_LIMIT = 400


# Figures of one scope the matcher reads (newest first).
FIGURE_SCOPE_LIMIT = 500


# Proposals a claim keeps, strongest first.
MAX_PROPOSALS = 20


# A figure relation's score: the rules are exact, the proposal strong.
FIGURE_SCORES = {
    Relation.CONFLICT: 0.95,
    Relation.UPDATES: 0.9,
    Relation.REPEAT: 0.9,
    Relation.CORROBORATION: 0.85,
}


def claim_text(claim: Claim) -> str:
    return f"{claim.statement} {claim.quote}".strip()


def excluded_article_ids(claim: Claim) -> set[int]:
    """The claim's own article and its direct versions: claims in one report
    are not proposed to each other, nor a claim to itself carried over to
    another version."""
    article = claim.article
    ids = {article.pk}
    if article.previous_version_id:
        ids.add(article.previous_version_id)
    ids.update(article.newer_versions.values_list("pk", flat=True))
    return ids


def base_candidates(claim: Claim, excluded: set[int]) -> QuerySet[Claim]:
    return (
        Claim.objects.filter(workspace_id=claim.workspace_id)
        .exclude(article_id__in=excluded)
        .exclude(status=Claim.Status.DISMISSED)
    )


def nearest_by_trigram(claim: Claim, base: QuerySet[Claim], field: str) -> QuerySet[Claim]:
    """The claims whose `field` is nearest to this claim's by trigram distance,
    nearest first, at most CANDIDATE_LIMIT: a KNN scan of the GiST index on
    (workspace, field), stopped by the LIMIT."""
    text = (claim.statement or claim.quote) if field == "statement" else claim.quote
    return (
        base.annotate(distance=TrigramDistance(field, text))
        .order_by("distance")
        .values_list("pk", "distance")[:CANDIDATE_LIMIT]
    )


def _fallback_candidates(claim: Claim, base: QuerySet[Claim]) -> set[int]:
    """Without PostgreSQL: the workspace's newest claims."""
    return set(base.order_by("-id").values_list("pk", flat=True)[:FALLBACK_CANDIDATE_LIMIT])


def anchors_of(view: ClaimView) -> dict[str, int]:
    """The keys a match profile stores: places, named parties, anchor objects."""
    frame = view.frame
    keys = {f"place:{p}" for p in frame.places | view.figure_places}
    keys |= {f"entity:{e}" for e in frame.entities}
    keys |= set(frame.concepts & ANCHORS)
    return {key: 1 for key in sorted(keys)}


def nearest_by_anchors(claim: Claim, anchors: dict[str, int], excluded: set[int]) -> QuerySet:
    """Claims whose profile shares an anchor, newest first (GIN on PostgreSQL)."""
    return (
        MatchProfile.objects.filter(
            workspace_id=claim.workspace_id, anchors__has_any_keys=list(anchors)
        )
        .exclude(claim__article_id__in=excluded)
        .exclude(claim_id=claim.pk)
        .order_by("-claim_id")
        .values_list("claim_id", flat=True)[:CANDIDATE_LIMIT]
    )


def _scope_filter(figure: Figure) -> Q:
    return Q(
        place_id=figure.place_id,
        outcome_id=figure.outcome_id,
        population=figure.population,
        basis=figure.basis,
    )


def scope_figures(claim: Claim) -> QuerySet[Figure]:
    """Figures of the workspace in the scopes of this claim's figures (the
    figure scope index; sub-groups are compared by the rules)."""
    scoped = [f for f in claim.figures.all() if f.has_scope]
    if not scoped:
        return Figure.objects.none()
    condition = Q()
    for figure in scoped:
        condition |= _scope_filter(figure)
    return reconcilable(Figure.objects.filter(condition)).filter(
        claim__workspace_id=claim.workspace_id
    )


def linked_claim_ids(claim: Claim) -> set[int]:
    pairs = ClaimLink.objects.filter(Q(from_claim=claim) | Q(to_claim=claim)).values_list(
        "from_claim_id", "to_claim_id"
    )
    return {a if b == claim.pk else b for a, b in pairs}


def view_of(claim: Claim, gazetteer: Gazetteer) -> ClaimView:
    """A claim as the rules read it: its frame, and what its figures count."""
    figures = list(claim.figures.all())
    concepts: frozenset[str] = frozenset()
    places: set[int] = set()
    for figure in figures:
        if figure.outcome_id:
            concepts |= figure_concepts(figure.outcome.key, figure.population)
        if figure.place_id:
            places.add(figure.place_id)
    frame = read_frame(
        meaning_text(claim.statement, claim.quote),
        places=gazetteer.names,
        parents=gazetteer.parents,
    )
    return ClaimView(
        pk=claim.pk,
        source_id=claim.source_id,
        source_name=claim.source.name,
        article_id=claim.article_id,
        frame=frame,
        has_figures=bool(figures),
        figure_concepts=concepts,
        figure_places=frozenset(places),
        statement=claim.statement,
        can_deny=claim.kind != Claim.Kind.FIGURE,
    )


@dataclass
class Findings:
    """What the matcher found for one claim: the matches by claim id, and the
    claim's profile for the next claims' candidates."""

    matches: dict[int, Match]
    anchors: dict[str, int]


def _figure_matches(claim: Claim, excluded: set[int], tolerance) -> dict[int, Match]:
    """Other claims related by figures of one scope, by the reconciliation's rules."""
    rows = scope_figures(claim).order_by("-id")[:FIGURE_SCOPE_LIMIT]
    records: list[FigureRecord] = figure_records(
        Figure.objects.filter(pk__in=list(rows.values_list("pk", flat=True)))
    )
    mine = {f.pk for f in claim.figures.all()}
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for relation in figure_relations(records, tolerance=tolerance):
        a, b = relation.a, relation.b
        if (a.id in mine) == (b.id in mine):
            continue
        other = b if a.id in mine else a
        if other.article_id in excluded:
            continue
        found[other.claim_id].append((relation.relation, relation.reason))
    matches = {}
    for other_id, relations in found.items():
        relation, reason = min(relations, key=lambda item: PRIORITY[item[0]])
        matches[other_id] = Match(relation, FIGURE_SCORES[relation], reason)
    return matches


def find_matches(claim: Claim) -> Findings:
    """The claims related to this one, by claim id, with the reason. Reads only."""
    excluded = excluded_article_ids(claim)
    base = base_candidates(claim, excluded)
    gazetteer = gazetteer_for(workspace=claim.workspace)
    mine = view_of(claim, gazetteer)
    anchors = anchors_of(mine)
    ids: set[int] = set()
    if connection.vendor == "postgresql":
        for field in ("statement", "quote"):
            ids.update(pk for pk, _ in nearest_by_trigram(claim, base, field))
    else:
        ids |= _fallback_candidates(claim, base)
    if anchors:
        ids.update(nearest_by_anchors(claim, anchors, excluded))
    matches = _figure_matches(claim, excluded, claim.workspace.figure_tolerance)
    linked = linked_claim_ids(claim)  # already related by an analyst: nothing to propose
    ids -= linked | set(matches) | {claim.pk}
    others = list(
        base.filter(pk__in=ids).select_related("source").prefetch_related("figures__outcome")
    )
    index = NgramIndex.build(
        {claim.pk: meaning_text(claim.statement, claim.quote)}
        | {o.pk: meaning_text(o.statement, o.quote) for o in others}
    )
    context = Context(gazetteer.parents, gazetteer.depth_of)
    for other in others:
        match = statement_relation(
            mine, view_of(other, gazetteer), cosine=index.cosine(claim.pk, other.pk), ctx=context
        )
        if match is not None:
            matches[other.pk] = match
    for pk in linked:
        matches.pop(pk, None)
    best = sorted(matches.items(), key=lambda item: (-item[1].score, item[0]))[:MAX_PROPOSALS]
    return Findings(dict(best), anchors)
