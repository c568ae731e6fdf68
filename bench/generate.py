"""Benchmark data: a workspace with N claims that uses every part of the graph.

Articles of ten claims each; sixty sources, three of them protected witnesses
whose names occur in the texts; per claim one or two figures, a chain of up
to two intermediaries, two pieces of evidence (one archived), a review and
approval for a third of them; a create event per source, article and claim
and a transition event per approved claim, so the audit chain is real and the
report has history to print. Rows are bulk-inserted; the audit events go
through audit_record so the chain verifies.

Used by bench/run_exports.py; run with Django set up.
"""

from __future__ import annotations

import hashlib
import random

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from archive.models import Snapshot
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
from workspaces.models import Membership, Workspace

CLAIMS_PER_ARTICLE = 10
WITNESSES = ["Ali Sheha", "Mona Haddad", "Youssef Karam"]
SENTENCES = [
    "A monitoring group said {n} people were killed in the attack on the market of {town}.",
    "The ministry said its forces had answered attacks by {n} gunmen near {town}.",
    "{witness} told reporters that gunmen fired at close range in the streets of {town}.",
    "Residents of {town} said {n} houses were looted and burned overnight.",
    "An aid agency counted {n} displaced families arriving from {town} since Monday.",
]
TOWNS = ["Baniyas", "Jableh", "Latakia", "Tartus", "Qardaha", "Hama", "Homs"]
BULK = 1000


def _body(rng: random.Random, count: int) -> tuple[str, list[tuple[int, int, int]]]:
    """A text of `count` claim sentences (plus filler) and the spans of the claims."""
    parts: list[str] = []
    spans = []
    position = 0
    for _ in range(count):
        filler = "Electricity and water were cut across the countryside. "
        parts.append(filler)
        position += len(filler)
        template = rng.choice(SENTENCES)
        sentence = template.format(
            n=rng.randint(3, 1500), town=rng.choice(TOWNS), witness=rng.choice(WITNESSES)
        )
        spans.append((position, position + len(sentence), rng.randint(0, 59)))
        parts.append(sentence + " ")
        position += len(sentence) + 1
    return "".join(parts), spans


@transaction.atomic
def generate(*, slug: str, claims: int, seed: int = 2025) -> Workspace:
    """Create workspace `slug` with `claims` claims (refuses an existing slug)."""
    rng = random.Random(seed)
    if Workspace.objects.filter(slug=slug).exists():
        raise ValueError(f"Workspace {slug} exists already.")
    workspace = Workspace.objects.create(slug=slug, name=f"Benchmark {claims} claims")
    User = get_user_model()
    users = {}
    for name, role in (
        ("bench-analyst", "analyst"),
        ("bench-reviewer", "reviewer"),
        ("bench-admin", "admin"),
    ):
        user, _ = User.objects.get_or_create(username=name)
        Membership.objects.create(workspace=workspace, user=user, role=role)
        users[role] = user
    analyst, reviewer = users["analyst"], users["reviewer"]

    sources = Source.objects.bulk_create(
        [
            Source(
                workspace=workspace,
                name=WITNESSES[i] if i < len(WITNESSES) else f"Source {i}",
                kind="witness"
                if i < len(WITNESSES)
                else rng.choice(["monitor", "government", "news_outlet"]),
                reliability=rng.choice("ABCDEF"),
                protected=i < len(WITNESSES),
                aliases=[f"S{i}"],
                created_by=analyst,
            )
            for i in range(60)
        ]
    )
    for source in sources:
        audit_record(
            workspace=workspace,
            actor=analyst,
            obj=source,
            action=AuditEvent.Action.CREATE,
            changes={"name": [None, source.name]},
        )

    article_count = (claims + CLAIMS_PER_ARTICLE - 1) // CLAIMS_PER_ARTICLE
    bodies = [
        _body(rng, min(CLAIMS_PER_ARTICLE, claims - i * CLAIMS_PER_ARTICLE))
        for i in range(article_count)
    ]
    articles = Article.objects.bulk_create(
        [
            Article(
                workspace=workspace,
                title=f"Report {i} from the coast",
                outlet=sources[3 + i % 10],
                url=f"https://example.org/news/{i}",
                body=body,
                body_sha256=hashlib.sha256(body.encode()).hexdigest(),
                imported_by=analyst,
            )
            for i, (body, _) in enumerate(bodies)
        ],
        batch_size=BULK,
    )
    for article in articles:
        audit_record(
            workspace=workspace,
            actor=analyst,
            obj=article,
            action=AuditEvent.Action.CREATE,
            changes={"title": [None, article.title]},
        )

    now = timezone.now()
    claim_rows = []
    for article, (body, spans) in zip(articles, bodies, strict=True):
        for start, end, source_index in spans:
            approved = rng.random() < 1 / 3
            claim_rows.append(
                Claim(
                    workspace=workspace,
                    article=article,
                    quote=body[start:end],
                    start=start,
                    end=end,
                    prefix=body[max(0, start - 32) : start],
                    suffix=body[end : end + 32],
                    source=sources[source_index],
                    kind=rng.choice(["figure", "statement", "testimony", "event"]),
                    statement=body[start:end][:120],
                    status="approved"
                    if approved
                    else rng.choice(["new", "in_progress", "pending_review"]),
                    verdict=rng.choice(["corroborated", "partly_corroborated", "contested"])
                    if approved
                    else "",
                    rationale="Two independent sources agree." if approved else "",
                    proposed_by=analyst if approved else None,
                    proposed_at=now if approved else None,
                    approved_by=reviewer if approved else None,
                    approved_at=now if approved else None,
                    credibility=rng.randint(1, 6),
                    created_by=analyst,
                )
            )
    claim_objs = Claim.objects.bulk_create(claim_rows, batch_size=BULK)
    Figure.objects.bulk_create(
        [
            Figure(
                claim=c,
                position=p,
                value=rng.randint(1, 2000),
                qualifier="about",
                counted="people killed",
            )
            for c in claim_objs
            for p in range(rng.randint(1, 2))
        ],
        batch_size=BULK,
    )
    ClaimIntermediary.objects.bulk_create(
        [
            ClaimIntermediary(claim=c, position=p, source=sources[50 + p])
            for c in claim_objs
            for p in range(rng.randint(0, 2))
        ],
        batch_size=BULK,
    )
    evidence = Evidence.objects.bulk_create(
        [
            Evidence(
                workspace=workspace,
                claim=c,
                stance=stance,
                kind="news_report",
                url=f"https://example.org/evidence/{c.pk}/{n}/a-long-path-that-must-wrap-in-print",
                title=f"Report {n} on claim {c.pk}",
                publisher=sources[20 + n],
                excerpt="An excerpt of the report that supports or disputes the claim.",
                added_by=analyst,
            )
            for c in claim_objs
            for n, stance in enumerate(("corroborates", rng.choice(["contradicts", "context"])))
        ],
        batch_size=BULK,
    )
    Snapshot.objects.bulk_create(
        [
            Snapshot(
                workspace=workspace,
                evidence=e,
                url=e.url,
                final_url=e.url,
                status_code=200,
                content_type="text/html",
                sha256=hashlib.sha256(e.url.encode()).hexdigest(),
                warc=b"WARC/1.1\r\n" + e.url.encode() * 4,
                warc_sha256=hashlib.sha256(e.url.encode() * 4).hexdigest(),
                text="Archived text",
                fetched_at=now,
            )
            for e in evidence[::2]
        ],
        batch_size=BULK,
    )
    approved = [c for c in claim_objs if c.status == "approved"]
    Review.objects.bulk_create(
        [
            Review(
                claim=c,
                reviewer=reviewer,
                decision="approved",
                verdict=c.verdict,
                rationale=c.rationale,
                proposed_by=analyst,
                claim_version=1,
            )
            for c in approved
        ],
        batch_size=BULK,
    )
    ClaimLink.objects.bulk_create(
        [
            ClaimLink(
                workspace=workspace,
                from_claim=a,
                to_claim=b,
                relation="corroborates",
                created_by=analyst,
            )
            for a, b in zip(claim_objs[::7], claim_objs[1::7], strict=False)
        ],
        batch_size=BULK,
    )
    for claim in claim_objs:
        audit_record(
            workspace=workspace,
            actor=analyst,
            obj=claim,
            action=AuditEvent.Action.CREATE,
            changes={"quote": [None, claim.quote], "source_id": [None, claim.source_id]},
        )
    for claim in approved:
        audit_record(
            workspace=workspace,
            actor=reviewer,
            obj=claim,
            action=AuditEvent.Action.TRANSITION,
            changes={"status": ["pending_review", "approved"], "verdict": ["", claim.verdict]},
        )
    return workspace
