"""Corroboration and conflict matching: find claims in other articles of the
workspace that are about the same thing, and propose links for an analyst to
confirm or dismiss.

The matcher runs as a job (Job.Kind.FIND_MATCHES) for one claim:

1. Candidates. On PostgreSQL, trigram similarity (pg_trgm, `%` operator on
   quote and statement) and full-text search (any of the claim's words) pick
   the nearest claims using the GIN indexes of migration 0004. Elsewhere a
   bounded set of the workspace's most recent claims is compared in Python.
   Either way, claims whose figures count the same thing are added, since two
   tolls can disagree in very different words.
2. Classification (pure, below): a possible conflict (incompatible figures
   for the same category, or one statement denies what the other states), a
   possible repeat (near-identical text, or the same original speaker relayed
   again), or a possible corroboration (similar text or agreeing figures from
   another speaker).
3. Proposals. One LinkProposal per unordered pair of claims, stored with the
   smaller claim id first so the unique (claim, other) constraint guards the
   pair in both directions. Re-running updates the scores of pending
   proposals, drops pending ones that no longer match, and never touches a
   decided one: a dismissed proposal is never proposed again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.postgres.search import SearchQuery, TrigramSimilarity
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, QuerySet
from django.db.models.functions import Greatest
from django.utils import timezone
from rapidfuzz import fuzz

from audit.models import AuditEvent
from audit.services import audit_record
from claims.exceptions import TransitionNotAllowed
from claims.models import Claim, ClaimLink, Figure
from claims.search import SEARCH_CONFIG, claim_text_vector
from claims.services.links import claim_link_create
from counting.figures import DEFAULT_TOLERANCE, compatible, describe, normalise_counted, singular
from jobs.models import Job
from jobs.runner import job_progress
from jobs.services import job_enqueue
from matching.models import UPDATE_HINT, LinkProposal
from workspaces.access import ANNOTATORS, require_role

# How many candidates the database hands over, and how many proposals a claim keeps.
CANDIDATE_LIMIT = 60


FALLBACK_CANDIDATE_LIMIT = 400


FIGURE_SCAN_LIMIT = 2000


MAX_PROPOSALS = 10


# Below this text similarity, only figures can make two claims related.
MIN_SIMILARITY = 0.3


NEAR_IDENTICAL = 0.8


STOPWORDS = frozenset(
    {
        *("a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for"),
        *("with", "from", "as", "that", "this", "these", "those", "it", "its", "is", "are"),
        *("was", "were", "be", "been", "has", "have", "had", "said", "says", "say", "told"),
        *("according", "also", "their", "they", "them", "he", "she", "his", "her", "we"),
        *("our", "who", "which", "there", "after", "before", "than", "more", "some", "about"),
    }
)


# Words that deny or negate: one claim carrying them and the other not, on
# the same subject, is a possible conflict.
NEGATION_CUES = frozenset(
    {
        *("not", "no", "never", "none", "nobody", "deny", "denied", "denies", "denying"),
        *("denial", "false", "untrue", "rejected", "rejects", "reject", "refuted", "refutes"),
        *("baseless", "fabricated", "unfounded", "dismissed", "dismisses", "didn't", "wasn't"),
        *("weren't", "isn't", "aren't", "hasn't", "haven't", "fake", "lies", "lie"),
    }
)


_WORD_RE = re.compile(r"[^\W_]+(?:['’][a-z]+)?", re.UNICODE)


def words_of(text: str) -> list[str]:
    return [w.replace("’", "'") for w in _WORD_RE.findall(text.lower().replace(",", ""))]


def tokens(text: str) -> frozenset[str]:
    """Normalised content words: lower case, singular, no stop words or negations."""
    return frozenset(
        singular(w) for w in words_of(text) if w not in STOPWORDS and w not in NEGATION_CUES
    )


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def has_negation(text: str) -> bool:
    return any(w in NEGATION_CUES or w.endswith("n't") for w in words_of(text))


def near_identical(a: str, b: str) -> bool:
    a, b = " ".join(words_of(a)), " ".join(words_of(b))
    if not a or not b:
        return False
    return fuzz.ratio(a, b) / 100 >= NEAR_IDENTICAL


@dataclass(frozen=True)
class FigureFact:
    category: str
    value: Decimal
    qualifier: str
    label: str


@dataclass(frozen=True)
class ClaimFacts:
    """What the classifier needs to know about one claim."""

    pk: int
    text: str
    source_id: int
    source_name: str
    figures: tuple[FigureFact, ...] = ()

    @property
    def words(self) -> frozenset[str]:
        return tokens(self.text)


@dataclass(frozen=True)
class Match:
    relation: str
    score: float
    reason: str


@dataclass
class _FigureComparison:
    agree: list[str] = field(default_factory=list)
    disagree: list[str] = field(default_factory=list)
    # Same category, not the same figure: from one source, an update.
    differ: list[str] = field(default_factory=list)


def compare_figures(a: Iterable[FigureFact], b: Iterable[FigureFact]) -> _FigureComparison:
    result = _FigureComparison()
    b = list(b)
    for x in a:
        for y in b:
            if x.category != y.category:
                continue
            text = f"{describe(x.value, x.qualifier)} vs {describe(y.value, y.qualifier)} {x.label}"
            if (x.value, x.qualifier) != (y.value, y.qualifier):
                result.differ.append(text)
            if compatible(x.value, x.qualifier, y.value, y.qualifier, DEFAULT_TOLERANCE):
                result.agree.append(text)
            else:
                result.disagree.append(text)
    return result


def classify(a: ClaimFacts, b: ClaimFacts, *, db_similarity: float = 0.0) -> Match | None:
    """Is b about the same thing as a, and how do they relate? None if unrelated."""
    similarity = max(jaccard(a.words, b.words), db_similarity)
    figures = compare_figures(a.figures, b.figures)
    same_speaker = a.source_id == b.source_id
    if same_speaker and figures.differ:
        relation = (
            LinkProposal.Relation.CONFLICT if figures.disagree else LinkProposal.Relation.REPEAT
        )
        return Match(
            relation,
            _score(0.6 + 0.4 * similarity),
            f"{a.source_name} gives different figures ({'; '.join(figures.differ[:2])}): "
            f"the later {UPDATE_HINT}",
        )
    if figures.disagree:
        return Match(
            LinkProposal.Relation.CONFLICT,
            _score(0.6 + 0.4 * similarity),
            "different figures: " + "; ".join(figures.disagree[:2]),
        )
    if similarity >= MIN_SIMILARITY and has_negation(a.text) != has_negation(b.text):
        return Match(
            LinkProposal.Relation.CONFLICT,
            _score(0.5 + 0.5 * similarity),
            "one denies or negates what the other states",
        )
    if near_identical(a.text, b.text):
        return Match(
            LinkProposal.Relation.REPEAT, _score(max(similarity, 0.9)), "near-identical text"
        )
    if same_speaker and (similarity >= MIN_SIMILARITY or figures.agree):
        return Match(
            LinkProposal.Relation.REPEAT,
            _score(0.5 + 0.5 * similarity),
            f"the same original source, {a.source_name}, relayed again",
        )
    if figures.agree:
        return Match(
            LinkProposal.Relation.CORROBORATION,
            _score(0.5 + 0.5 * similarity),
            "agreeing figures: " + "; ".join(figures.agree[:2]),
        )
    if similarity >= MIN_SIMILARITY:
        return Match(
            LinkProposal.Relation.CORROBORATION,
            _score(similarity),
            f"similar statements ({similarity:.0%} alike)",
        )
    return None


def _score(value: float) -> float:
    return round(min(1.0, max(0.0, value)), 3)


def claim_text(claim: Claim) -> str:
    return f"{claim.statement} {claim.quote}".strip()


def _excluded_article_ids(claim: Claim) -> set[int]:
    """The claim's own article and its direct versions: a claim never matches itself
    carried over to another version."""
    article = claim.article
    ids = {article.pk}
    if article.previous_version_id:
        ids.add(article.previous_version_id)
    ids.update(article.newer_versions.values_list("pk", flat=True))
    return ids


def _base_candidates(claim: Claim, excluded: set[int]) -> QuerySet[Claim]:
    return (
        Claim.objects.filter(workspace_id=claim.workspace_id)
        .exclude(article_id__in=excluded)
        .exclude(status=Claim.Status.DISMISSED)
    )


def _search_words(text: str) -> list[str]:
    """The claim's content words for an OR full-text query."""
    return sorted({w for w in words_of(text) if w.isalnum() and w not in STOPWORDS and len(w) > 2})[
        :16
    ]


def postgres_candidate_query(claim: Claim, base: QuerySet[Claim]) -> QuerySet[Claim]:
    """Claims near this one by trigram similarity or shared words, best first.
    The expressions are those the GIN indexes of claims.search were built on."""
    statement = claim.statement or claim.quote
    query = base.annotate(
        similarity=Greatest(
            TrigramSimilarity("quote", claim.quote),
            TrigramSimilarity("statement", statement),
        )
    )
    near = Q(quote__trigram_similar=claim.quote) | Q(statement__trigram_similar=statement)
    words = _search_words(claim_text(claim))
    if words:
        any_word = SearchQuery(" | ".join(words), search_type="raw", config=SEARCH_CONFIG)
        query = query.annotate(text_vector=claim_text_vector())
        near |= Q(text_vector=any_word)
    return query.filter(near).order_by("-similarity", "-id")


def _postgres_candidates(claim: Claim, base: QuerySet[Claim]) -> dict[int, float]:
    rows = postgres_candidate_query(claim, base).values_list("pk", "similarity")
    return {pk: float(similarity or 0) for pk, similarity in rows[:CANDIDATE_LIMIT]}


def _fallback_candidates(claim: Claim, base: QuerySet[Claim]) -> dict[int, float]:
    """Without PostgreSQL: token Jaccard over the workspace's most recent claims."""
    mine = tokens(claim_text(claim))
    rows = base.order_by("-id").values_list("pk", "statement", "quote")[:FALLBACK_CANDIDATE_LIMIT]
    scored = {pk: jaccard(mine, tokens(f"{statement} {quote}")) for pk, statement, quote in rows}
    best = sorted(
        ((pk, s) for pk, s in scored.items() if s >= MIN_SIMILARITY / 2),
        key=lambda item: -item[1],
    )
    return dict(best[:CANDIDATE_LIMIT])


def _figure_candidates(claim: Claim, excluded: set[int], categories: set[str]) -> set[int]:
    """Claims with a figure for one of the same categories (most recent first, bounded)."""
    if not categories:
        return set()
    rows = (
        Figure.objects.filter(claim__workspace_id=claim.workspace_id)
        .exclude(claim__article_id__in=excluded)
        .exclude(claim__status=Claim.Status.DISMISSED)
        .order_by("-id")
        .values_list("claim_id", "counted")[:FIGURE_SCAN_LIMIT]
    )
    return {pk for pk, counted in rows if normalise_counted(counted).key in categories}


def _linked_claim_ids(claim: Claim) -> set[int]:
    pairs = ClaimLink.objects.filter(Q(from_claim=claim) | Q(to_claim=claim)).values_list(
        "from_claim_id", "to_claim_id"
    )
    return {a if b == claim.pk else b for a, b in pairs}


def facts_for(claim: Claim) -> ClaimFacts:
    figures = []
    for f in claim.figures.all():
        category = normalise_counted(f.counted)
        figures.append(FigureFact(category.key, f.value, f.qualifier, category.label))
    return ClaimFacts(
        claim.pk, claim_text(claim), claim.source_id, claim.source.name, tuple(figures)
    )


def find_matches(claim: Claim) -> dict[int, Match]:
    """The claims related to this one, by claim id. Reads only."""
    excluded = _excluded_article_ids(claim)
    base = _base_candidates(claim, excluded)
    if connection.vendor == "postgresql":
        similarities = _postgres_candidates(claim, base)
    else:
        similarities = _fallback_candidates(claim, base)
    mine = facts_for(claim)
    categories = {f.category for f in mine.figures}
    ids = set(similarities) | _figure_candidates(claim, excluded, categories)
    ids -= _linked_claim_ids(claim)  # already related by an analyst: nothing to propose
    others = base.filter(pk__in=ids).select_related("source").prefetch_related("figures")
    matches = {}
    for other in others:
        match = classify(mine, facts_for(other), db_similarity=similarities.get(other.pk, 0.0))
        if match is not None:
            matches[other.pk] = match
    best = sorted(matches.items(), key=lambda item: (-item[1].score, item[0]))[:MAX_PROPOSALS]
    return dict(best)


def matches_find_start(*, claim: Claim, actor=None) -> Job:
    """Look for corroboration and conflicts of a claim in the background.
    Called by the claim services after a create or update (actor then already
    checked), or by an analyst asking again."""
    if actor is not None:
        require_role(
            workspace=claim.workspace, user=actor, roles=ANNOTATORS, action="look for matches"
        )
    return job_enqueue(
        workspace=claim.workspace,
        kind=Job.Kind.FIND_MATCHES,
        actor=actor,
        target=claim,
        message="Looking for corroboration and conflicts…",
        # An edit made while a match job runs needs a run of its own.
        reuse_running=False,
    )


def _proposal_changes(proposal: LinkProposal, match: Match) -> dict[str, list]:
    changes = {}
    for name in ("relation", "score", "reason"):
        old, new = getattr(proposal, name), getattr(match, name)
        if old != new:
            changes[name] = [old, new]
    return changes


@transaction.atomic
def proposals_update(*, claim: Claim, matches: dict[int, Match], actor=None) -> dict[str, int]:
    """Write the matcher's findings for one claim as proposals; idempotent."""
    existing = {
        frozenset((p.claim_id, p.other_id)): p
        for p in LinkProposal.objects.select_for_update().involving(claim)
    }
    counts = {"created": 0, "updated": 0, "removed": 0, "unchanged": 0}
    for other_id, match in matches.items():
        pair = frozenset((claim.pk, other_id))
        proposal = existing.get(pair)
        if proposal is None:
            proposal = _proposal_create(claim=claim, other_id=other_id, match=match, actor=actor)
            if proposal is not None:
                counts["created"] += 1
                continue
            proposal = LinkProposal.objects.select_for_update().get(
                claim_id=min(pair), other_id=max(pair)
            )
        if proposal.status != LinkProposal.Status.PENDING:
            counts["unchanged"] += 1  # decided: a dismissed pair is never proposed again
            continue
        changes = _proposal_changes(proposal, match)
        if not changes:
            counts["unchanged"] += 1
            continue
        proposal.relation, proposal.score, proposal.reason = (
            match.relation,
            match.score,
            match.reason,
        )
        proposal.full_clean()
        proposal.save(update_fields=["relation", "score", "reason"])
        audit_record(
            workspace=claim.workspace,
            actor=actor,
            obj=proposal,
            action=AuditEvent.Action.UPDATE,
            changes=changes,
        )
        counts["updated"] += 1
    found = {frozenset((claim.pk, other_id)) for other_id in matches}
    for pair, proposal in existing.items():
        if pair in found or proposal.status != LinkProposal.Status.PENDING:
            continue
        # The claim changed and no longer matches: a stale proposal would mislead.
        audit_record(
            workspace=claim.workspace,
            actor=actor,
            obj=proposal,
            action=AuditEvent.Action.DELETE,
            changes={"relation": [proposal.relation, None], "score": [proposal.score, None]},
        )
        proposal.delete()
        counts["removed"] += 1
    return counts


def _proposal_create(*, claim: Claim, other_id: int, match: Match, actor) -> LinkProposal | None:
    """Create the pair's proposal, or None if a concurrent run just did."""
    low, high = sorted((claim.pk, other_id))
    proposal = LinkProposal(
        workspace_id=claim.workspace_id,
        claim_id=low,
        other_id=high,
        relation=match.relation,
        score=match.score,
        reason=match.reason[:300],
    )
    proposal.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            proposal.save()
    except IntegrityError:
        return None
    audit_record(
        workspace=claim.workspace,
        actor=actor,
        obj=proposal,
        action=AuditEvent.Action.CREATE,
        changes={
            "claim": [None, low],
            "other": [None, high],
            "relation": [None, match.relation],
            "score": [None, match.score],
        },
    )
    return proposal


def find_matches_job(job: Job) -> dict:
    claim = (
        Claim.objects.filter(pk=job.target_id, workspace_id=job.workspace_id)
        .select_related("workspace", "article", "source")
        .prefetch_related("figures")
        .first()
    )
    if claim is None:
        return {"message": "The claim no longer exists; nothing to match."}
    job_progress(job, done=0, total=2, message="Comparing with the workspace's claims…")
    matches = find_matches(claim)
    job_progress(job, done=1, total=2, message="Recording proposals…")
    counts = proposals_update(claim=claim, matches=matches, actor=job.created_by)
    found = len(matches)
    return {
        "message": f"{found} possible match{'es' if found != 1 else ''} found"
        f" ({counts['created']} new).",
        **counts,
    }


def _decide(proposal: LinkProposal, actor, status: str) -> LinkProposal:
    locked = (
        LinkProposal.objects.select_for_update()
        .select_related("workspace", "claim__article", "other__article")
        .get(pk=proposal.pk)
    )
    if locked.status != LinkProposal.Status.PENDING:
        raise TransitionNotAllowed(
            f"This proposal was already {locked.get_status_display().lower()}; reload the claim."
        )
    locked.status = status
    locked.decided_by = actor
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    return locked


def _article_date(claim: Claim):
    article = claim.article
    return (article.published_on or article.imported_at.date(), article.imported_at, claim.pk)


@transaction.atomic
def proposal_confirm(
    *,
    proposal: LinkProposal,
    actor,
    relation: str,
    from_claim: Claim | None = None,
    note: str = "",
) -> ClaimLink:
    """Turn a proposal into a claim link of the analyst's chosen relation.
    The link runs from the claim the analyst is looking at; an "updates" link
    always runs from the later claim to the earlier one."""
    require_role(
        workspace=proposal.workspace, user=actor, roles=ANNOTATORS, action="confirm matches"
    )
    if relation not in ClaimLink.Relation.values:
        raise ValidationError({"relation": "Choose how the two claims relate."})
    locked = _decide(proposal, actor, LinkProposal.Status.CONFIRMED)
    source, target = locked.claim, locked.other
    if from_claim is not None and from_claim.pk == target.pk:
        source, target = target, source
    if relation == ClaimLink.Relation.UPDATES and _article_date(source) < _article_date(target):
        source, target = target, source
    link = ClaimLink.objects.filter(from_claim=source, to_claim=target, relation=relation).first()
    if link is None:
        link = claim_link_create(
            from_claim=source, to_claim=target, relation=relation, actor=actor, note=note
        )
    audit_record(
        workspace=locked.workspace,
        actor=actor,
        obj=locked,
        action=AuditEvent.Action.UPDATE,
        changes={
            "status": [LinkProposal.Status.PENDING, LinkProposal.Status.CONFIRMED],
            "link": [None, link.pk],
            "link_relation": [None, relation],
        },
    )
    return link


@transaction.atomic
def proposal_dismiss(*, proposal: LinkProposal, actor) -> LinkProposal:
    """Set a proposal aside for good: the matcher will not propose the pair again."""
    require_role(
        workspace=proposal.workspace, user=actor, roles=ANNOTATORS, action="dismiss matches"
    )
    locked = _decide(proposal, actor, LinkProposal.Status.DISMISSED)
    audit_record(
        workspace=locked.workspace,
        actor=actor,
        obj=locked,
        action=AuditEvent.Action.UPDATE,
        changes={"status": [LinkProposal.Status.PENDING, LinkProposal.Status.DISMISSED]},
    )
    return locked
