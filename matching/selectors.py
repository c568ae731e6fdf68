"""Reads for matching: a claim's pending proposals, how independent its support
is (reports traced back to their original sources), and the latest match job."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from claims.models import Claim, ClaimLink, Evidence
from jobs.models import Job
from matching.models import DEFAULT_LINK_RELATION, LinkProposal
from workspaces.models import Workspace
from workspaces.selectors import get_or_not_found

# Links that count as support for a claim, and links that count against it.
SUPPORTING = (ClaimLink.Relation.CORROBORATES, ClaimLink.Relation.REPEATS)


OPPOSING = (ClaimLink.Relation.CONTRADICTS,)


@dataclass(frozen=True)
class ProposalView:
    """A pending proposal seen from one of its two claims."""

    proposal: LinkProposal
    other: Claim
    suggested_relation: str

    @property
    def pk(self) -> int:
        return self.proposal.pk


def proposals_for_claim(*, claim: Claim) -> list[ProposalView]:
    """Pending proposals involving the claim, best first (one query)."""
    rows = (
        LinkProposal.objects.involving(claim)
        .pending()
        .select_related("claim__source", "claim__article", "other__source", "other__article")
        .order_by("-score", "id")
    )
    views = []
    for proposal in rows:
        other = proposal.other if proposal.claim_id == claim.pk else proposal.claim
        suggested = DEFAULT_LINK_RELATION[proposal.relation]
        views.append(ProposalView(proposal, other, suggested))
    return views


def proposal_for_workspace(*, workspace: Workspace, pk: int) -> LinkProposal:
    return get_or_not_found(
        LinkProposal.objects.select_related("workspace"), workspace=workspace, pk=pk
    )


def latest_match_job(*, claim: Claim) -> Job | None:
    return Job.objects.latest_for(kind=Job.Kind.FIND_MATCHES, target=claim)


@dataclass
class Report:
    kind: str  # "claim", "evidence" or "link"
    label: str
    claim: Claim | None = None
    evidence: Evidence | None = None
    relayed_by: str = ""

    @property
    def is_link(self) -> bool:
        """A linked claim (the page links to it)."""
        return self.kind == "link"


@dataclass
class SourceGroup:
    """Reports that trace back to one original source: they count once."""

    key: str
    name: str
    reports: list[Report] = field(default_factory=list)


@dataclass
class Independence:
    groups: list[SourceGroup] = field(default_factory=list)

    @property
    def reports(self) -> int:
        return sum(len(g.reports) for g in self.groups)

    @property
    def independent_sources(self) -> int:
        return len(self.groups)

    @property
    def repeated(self) -> bool:
        return self.reports > self.independent_sources

    def add(self, key: str, name: str, report: Report) -> None:
        for group in self.groups:
            if group.key == key:
                group.reports.append(report)
                return
        self.groups.append(SourceGroup(key, name, [report]))

    def as_dict(self) -> dict[str, Any]:
        return {
            "reports": self.reports,
            "independent_sources": self.independent_sources,
            "groups": self.groups,
        }


def _evidence_root(evidence: Evidence, claim: Claim, relays: set[int]) -> tuple[str, str, str]:
    """(key, name, relayed by) of the original source a piece of evidence traces to.

    The origin when recorded; else the publisher, except that a publisher who
    relays this very claim (one of its intermediaries, or the article's outlet)
    is an echo of the claim's own speaker; else the evidence stands alone."""
    publisher = evidence.publisher.name if evidence.publisher_id else ""
    if evidence.origin_id:
        relayed = publisher if evidence.publisher_id != evidence.origin_id else ""
        return f"source:{evidence.origin_id}", evidence.origin.name, relayed
    if evidence.publisher_id:
        if evidence.publisher_id in relays:
            return f"source:{claim.source_id}", claim.source.name, publisher
        return f"source:{evidence.publisher_id}", publisher, ""
    return f"evidence:{evidence.pk}", evidence.title, ""


def _prefetched(claim: Claim, name: str) -> list | None:
    cache = getattr(claim, "_prefetched_objects_cache", {})
    return list(cache[name]) if name in cache else None


def _claim_evidence(claim: Claim) -> list[Evidence]:
    """The claim's evidence: from the panel's prefetch, else one query."""
    rows = _prefetched(claim, "evidence")
    if rows is None:
        rows = list(Evidence.objects.filter(claim=claim).select_related("publisher", "origin"))
    return sorted(rows, key=lambda e: (e.added_at, e.pk))


def _claim_links(claim: Claim) -> list[tuple[ClaimLink, Claim]]:
    """(link, the other claim) in both directions: prefetched, else one query."""
    links_out, links_in = _prefetched(claim, "links_out"), _prefetched(claim, "links_in")
    if links_out is None or links_in is None:
        rows = ClaimLink.objects.filter(Q(from_claim=claim) | Q(to_claim=claim)).select_related(
            "from_claim__source", "from_claim__article", "to_claim__source", "to_claim__article"
        )
        links_out = [r for r in rows if r.from_claim_id == claim.pk]
        links_in = [r for r in rows if r.from_claim_id != claim.pk]
    pairs = [(link, link.to_claim) for link in links_out]
    pairs += [(link, link.from_claim) for link in links_in]
    return sorted(pairs, key=lambda pair: (pair[0].created_at, pair[0].pk))


def independence_summary(claim: Claim) -> dict[str, Any]:
    """How many reports support the claim and how many independent sources they
    come from: "2 reports, 1 independent source" when an outlet only relays
    what the claim's own speaker said. Counts the claim itself, its
    corroborating evidence and the claims linked as corroborating or repeating;
    `contradicting` does the same for evidence and links against it.

    No query for a claim loaded by claims.selectors.claim_for_workspace (its
    evidence and links are prefetched); two otherwise."""
    relays = {via.source_id for via in claim.intermediaries.all()}
    if claim.article.outlet_id:
        relays.add(claim.article.outlet_id)
    support, against = Independence(), Independence()
    support.add(
        f"source:{claim.source_id}",
        claim.source.name,
        Report("claim", f"this claim, in {claim.article.title}", claim=claim),
    )
    for evidence in _claim_evidence(claim):
        if evidence.stance not in (Evidence.Stance.CORROBORATES, Evidence.Stance.CONTRADICTS):
            continue
        key, name, relayed = _evidence_root(evidence, claim, relays)
        target = support if evidence.stance == Evidence.Stance.CORROBORATES else against
        target.add(
            key, name, Report("evidence", evidence.title, evidence=evidence, relayed_by=relayed)
        )
    seen: set[int] = set()
    for link, other in _claim_links(claim):
        if link.relation not in SUPPORTING + OPPOSING or other.pk in seen:
            continue
        seen.add(other.pk)
        target = support if link.relation in SUPPORTING else against
        target.add(
            f"source:{other.source_id}",
            other.source.name,
            Report("link", f"{other.source.name} in {other.article.title}", claim=other),
        )
    summary = support.as_dict()
    summary["contradicting"] = against.as_dict()
    return summary


def claim_panel_context(claim: Claim) -> dict[str, Any]:
    """The claim panel's matching section: proposals, independence, the match job."""
    return {
        "match_proposals": proposals_for_claim(claim=claim),
        "independence": independence_summary(claim),
        "match_job": latest_match_job(claim=claim),
        "link_relations": ClaimLink.Relation.choices,
    }
