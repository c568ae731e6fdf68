"""Builders for the export tests (no tests here): a small world that uses every
part of the graph, with a protected witness whose name appears everywhere, and
a bulk builder for size tests."""

from __future__ import annotations

import datetime
import hashlib
import io
import json
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from archive.models import LinkCheck, Snapshot
from audit.models import AuditEvent
from audit.services import audit_record
from claims.models import (
    Article,
    Claim,
    ClaimIntermediary,
    ClaimLink,
    Evidence,
    Figure,
    Review,
    Source,
)
from claims.services.articles import article_import
from claims.services.claims import claim_create
from claims.services.sources import source_create
from exports.services.runner import export_blocks, export_prepare, export_write
from workspaces.models import Workspace

WITNESS = "Ali Sheha"
WITNESS_ALIAS = "Abu Karim"

# The evidence's archive: a stand-in WARC file and its SHA-256 (a real one is
# tested in tests/archive); the archived page body's hash is "ab" * 32.
WARC_BYTES = f"WARC/1.1 ... {WITNESS} ...".encode()
WARC_SHA256 = hashlib.sha256(WARC_BYTES).hexdigest()
PROTECTED_NAMES = (WITNESS, WITNESS_ALIAS)

BODY = (
    "A monitoring group said more than 1,000 people were killed, among them 745 civilians.\n\n"
    'The ministry blamed the violence on "individual actions" and denied any policy of reprisals.\n\n'
    "A local resident, Ali Sheha, said the gunmen stopped people from collecting the dead. "
    "Neighbours call him Abu Karim; ali sheha was shot at twice, he said.\n\n"
    "Residents told a news agency that gunmen fired at close range."
)


@dataclass
class World:
    workspace: Workspace
    article: Article
    witness: Source
    monitor: Source
    ministry: Source
    agency: Source
    figure_claim: Claim
    statement_claim: Claim
    witness_claim: Claim
    evidence: Evidence


def _span(body: str, quote: str) -> dict[str, Any]:
    start = body.index(quote)
    return {"start": start, "end": start + len(quote), "quote": quote}


def build_world(*, workspace, analyst, reviewer, monitor, ministry, agency) -> World:
    """One article, three claims (one approved with evidence, a review, a
    snapshot, a link check; one by the protected witness), a link, history."""
    witness = source_create(
        workspace=workspace,
        actor=analyst,
        name=WITNESS,
        kind=Source.Kind.WITNESS,
        aliases=[WITNESS_ALIAS],
        description=f"Resident of Baniyas; {WITNESS} asked not to be named.",
        protected=True,
    )
    article = article_import(
        workspace=workspace,
        actor=analyst,
        title=f"Clashes on the coast, as told by {WITNESS}",
        body=BODY,
        outlet=agency,
        url="https://example.org/news/coast-clashes",
        published_on=datetime.date(2025, 3, 9),
    )
    figure_claim = claim_create(
        article=article,
        actor=analyst,
        source=monitor,
        kind="figure",
        statement='=HYPERLINK("http://evil.example")',
        intermediaries=[agency],
        figures=[{"value": "1000", "qualifier": "more_than", "counted": "people killed"}],
        **_span(BODY, "more than 1,000 people were killed"),
    )
    statement_claim = claim_create(
        article=article,
        actor=analyst,
        source=ministry,
        kind="statement",
        statement='Ministry blames "individual actions"',
        **_span(BODY, 'blamed the violence on "individual actions"'),
    )
    witness_claim = claim_create(
        article=article,
        actor=analyst,
        source=witness,
        kind="testimony",
        statement=f"{WITNESS} says gunmen stopped people collecting the dead",
        intermediaries=[agency],
        **_span(BODY, "Ali Sheha, said the gunmen stopped people from collecting the dead"),
    )
    now = timezone.now()
    evidence = Evidence.objects.create(
        workspace=workspace,
        claim=figure_claim,
        stance=Evidence.Stance.CORROBORATES,
        kind=Evidence.Kind.NGO_REPORT,
        url="https://example.org/reports/a-very-long-path/that-must-wrap/in-the-report?id=1",
        title=f"Monitor's count, confirmed by {WITNESS_ALIAS}",
        publisher=monitor,
        published_on=datetime.date(2025, 3, 10),
        excerpt=f"At least 1,000 dead, {WITNESS.upper()} among the witnesses",
        note=f"Call {WITNESS} back",
        added_by=analyst,
    )
    Evidence.objects.create(
        workspace=workspace,
        claim=figure_claim,
        stance=Evidence.Stance.CONTRADICTS,
        title="Ministry denies the toll",
        publisher=ministry,
        added_by=analyst,
    )
    Snapshot.objects.create(
        workspace=workspace,
        evidence=evidence,
        url=evidence.url,
        final_url=evidence.url,
        status_code=200,
        headers=[["Content-Type", "text/html"]],
        content_type="text/html",
        sha256="ab" * 32,
        warc=WARC_BYTES,
        warc_sha256=WARC_SHA256,
        text=f"Report text naming {WITNESS}",
        fetched_at=now,
    )
    LinkCheck.objects.create(
        evidence=evidence, checked_at=now, outcome=LinkCheck.Outcome.LIVE, status_code=200
    )
    with_workflow(
        figure_claim,
        status=Claim.Status.APPROVED,
        verdict=Claim.Verdict.CORROBORATED,
        rationale=f"Two independent counts agree; {WITNESS} confirmed by phone.",
        proposed_by=analyst,
        approved_by=reviewer,
    )
    Review.objects.create(
        claim=figure_claim,
        reviewer=reviewer,
        decision=Review.Decision.APPROVED,
        verdict=Claim.Verdict.CORROBORATED,
        rationale="Two independent counts agree.",
        proposed_by=analyst,
        comment=f"Fine; keep {WITNESS_ALIAS} out of it.",
        claim_version=figure_claim.version,
    )
    with_workflow(
        witness_claim,
        status=Claim.Status.PENDING_REVIEW,
        verdict=Claim.Verdict.UNVERIFIED,
        rationale="Single witness.",
        proposed_by=analyst,
    )
    ClaimLink.objects.create(
        workspace=workspace,
        from_claim=witness_claim,
        to_claim=figure_claim,
        relation=ClaimLink.Relation.CORROBORATES,
        note=f"{WITNESS}'s account fits the toll",
        created_by=analyst,
    )
    return World(
        workspace=workspace,
        article=article,
        witness=witness,
        monitor=monitor,
        ministry=ministry,
        agency=agency,
        figure_claim=Claim.objects.get(pk=figure_claim.pk),
        statement_claim=statement_claim,
        witness_claim=Claim.objects.get(pk=witness_claim.pk),
        evidence=evidence,
    )


def with_workflow(
    claim: Claim, *, status, verdict="", rationale="", proposed_by=None, approved_by=None
):
    """Set the workflow fields as the lead's workflow would, with a history event."""
    from django.db import transaction

    now = timezone.now()
    with transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(
            status=status,
            verdict=verdict,
            rationale=rationale,
            proposed_by=proposed_by,
            proposed_at=now if proposed_by else None,
            approved_by=approved_by,
            approved_at=now if approved_by else None,
        )
        audit_record(
            workspace=claim.workspace,
            actor=approved_by or proposed_by,
            obj=claim,
            action=AuditEvent.Action.TRANSITION,
            changes={"status": [claim.status, status], "verdict": ["", verdict]},
        )


def bulk_claims(*, workspace, user, count: int, per_article: int = 20, protected=False) -> None:
    """`count` claims fast (bulk inserts, no history): figures, a chain link and
    two pieces of evidence each."""
    sources = Source.objects.bulk_create(
        Source(
            workspace=workspace,
            name=f"Bulk source {i}",
            kind="monitor",
            protected=protected and i == 0,
        )
        for i in range(5)
    )
    sentence = "Officials said 12 people were killed near the river crossing. "
    body = sentence * per_article
    articles = Article.objects.bulk_create(
        Article(
            workspace=workspace,
            title=f"Bulk article {i}",
            body=body,
            body_sha256="0" * 64,
            url=f"https://example.org/bulk/{i}",
            imported_by=user,
        )
        for i in range((count + per_article - 1) // per_article)
    )
    claims = []
    for i in range(count):
        article = articles[i // per_article]
        start = (i % per_article) * len(sentence)
        end = start + len(sentence) - 1
        claims.append(
            Claim(
                workspace=workspace,
                article=article,
                quote=body[start:end],
                start=start,
                end=end,
                prefix=body[max(0, start - 32) : start],
                suffix=body[end : end + 32],
                source=sources[i % 5],
                kind="figure",
                statement=f"12 killed ({i})",
                status="approved" if i % 3 == 0 else "new",
                verdict="corroborated" if i % 3 == 0 else "",
                rationale="Checked." if i % 3 == 0 else "",
                created_by=user,
            )
        )
    claims = Claim.objects.bulk_create(claims, batch_size=500)
    Figure.objects.bulk_create(
        (Figure(claim=c, value=12, counted="people killed") for c in claims), batch_size=1000
    )
    ClaimIntermediary.objects.bulk_create(
        (
            ClaimIntermediary(claim=c, position=0, source=sources[4])
            for c in claims
            if c.source_id != sources[4].pk
        ),
        batch_size=1000,
    )
    Evidence.objects.bulk_create(
        (
            Evidence(
                workspace=workspace,
                claim=c,
                stance=stance,
                title=f"Evidence {n}",
                url=f"https://example.org/evidence/{c.pk}/{n}",
                publisher=sources[n],
                added_by=user,
            )
            for c in claims
            for n, stance in enumerate(("corroborates", "context"))
        ),
        batch_size=1000,
    )


def testserver_url() -> str:
    return "http://testserver"


_TEST_SERVER = object()


def export_bytes(
    *,
    workspace,
    actor,
    format,
    params=None,
    include_real_names=False,
    record=True,
    base_url=_TEST_SERVER,
) -> bytes:
    """Run an export in-process and return the file (ids under
    http://testserver unless another base_url, or None for the setting)."""
    ctx = export_prepare(
        workspace=workspace,
        actor=actor,
        format=format,
        params=params or {},
        include_real_names=include_real_names,
        base_url=testserver_url() if base_url is _TEST_SERVER else base_url,
    )
    if not record:
        return b"".join(export_blocks(ctx))
    out = io.BytesIO()
    export_write(ctx, out)
    return out.getvalue()


def export_json(**kwargs) -> Any:
    return json.loads(export_bytes(**kwargs).decode("utf-8"))
