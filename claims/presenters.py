"""The one place that builds what the article page and the claim panel show.
Views call these; each runs a fixed number of queries, whatever the size of
the article or the claim (the tests assert it at two sizes)."""

from __future__ import annotations

from audit.selectors import history_for_object
from claims import slots
from claims.forms import ClaimLinkForm, EvidenceForm
from claims.models import Claim, Evidence
from claims.selectors import claim_for_workspace, claims_for_article
from claims.services.workflow import transitions_for
from texttools.segments import segment_text
from workspaces.access import ANNOTATORS, WorkspaceAccess
from workspaces.selectors import members_of


def article_page_context(*, workspace, article) -> dict:
    claims = list(claims_for_article(article=article))
    access: WorkspaceAccess = workspace.access
    return {
        "workspace": workspace,
        "access": access,
        "article": article,
        "claims": claims,
        "segments": segment_text(article.body, claims),
        "can_annotate": access.can_annotate,
        "kinds": Claim.Kind.choices,
    }


def claim_panel_context(*, workspace, user, claim_id: int) -> dict:
    """Everything the claim panel shows, the claim loaded once (404 if it is
    not in this workspace), plus what other features add to its slots."""
    claim = claim_for_workspace(workspace=workspace, pk=claim_id)
    access: WorkspaceAccess = workspace.access
    evidence = list(claim.evidence.all())
    by_stance = [
        (value, label, [e for e in evidence if e.stance == value])
        for value, label in Evidence.Stance.choices
    ]
    context = {
        "workspace": workspace,
        "access": access,
        "claim": claim,
        "article": claim.article,
        "history": history_for_object(workspace=workspace, object_type="claim", object_id=claim.pk),
        "can_annotate": access.can_annotate,
        "evidence": evidence,
        "evidence_by_stance": by_stance,
        "evidence_count": len(evidence),
        "links": [(link.relation, link.to_claim, link, "out") for link in claim.links_out.all()]
        + [(link.relation, link.from_claim, link, "in") for link in claim.links_in.all()],
        "transitions": transitions_for(claim=claim, role=access.role, user=user),
        "verdicts": Claim.Verdict.choices,
        "evidence_form": EvidenceForm(workspace=workspace),
        "link_form": ClaimLinkForm(),
        "assignable": [m.user for m in members_of(workspace=workspace) if m.role in ANNOTATORS],
    }
    context.update(slots.prepare("claim_panel", context))
    context.update(slots.prepare("evidence_item", context))
    return context
