"""Benchmark data: a workspace with N claims that uses every part of the graph.

Articles of ten claims each, imported over the last half year; about 200
sources (three of them protected witnesses whose names occur in the texts)
with every reliability grade; claims in every status, assigned mostly to
bench-analyst (so "My claims" is large), with verdicts, proposals waiting in
the review queue for days or weeks, approvals and dismissals; per claim one or
two figures with a scope (an outcome, a population, a place of the coast's
gazetteer, mostly cumulative, dated by the article), a chain of up to two
intermediaries, evidence for about two in
three (half of it archived); reviews; corroborating and contradicting links
and pending conflict proposals. Every source, article and claim has a create
event and every approved claim a transition event, so the audit chain is real
(and verifies) and reports have history to print.

Rows are bulk-inserted; the audit events go through one audit_batch (chained
in memory, bulk-inserted, the chain head written once). 100,000 claims take
about two minutes on PostgreSQL. The timestamps (created, proposed, approved)
are spread over time on purpose, so the dashboard has weeks to chart.

Used by bench/run_exports.py and bench/run_pages.py; run with Django set up.
"""

from __future__ import annotations

import hashlib
import random
from contextlib import contextmanager
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.utils import timezone

from archive.models import Snapshot
from audit.models import AuditEvent
from audit.services import audit_batch
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
from counting.scope import normalise_phrase
from matching.models import LinkProposal
from vocabulary.models import Outcome, Place
from vocabulary.seeds import SYRIA_COAST
from vocabulary.services import place_names_write
from workspaces.models import Membership, Workspace

CLAIMS_PER_ARTICLE = 10
DAYS = 182
WITNESSES = ["Ali Sheha", "Mona Haddad", "Youssef Karam"]
TOWNS = [
    "Baniyas",
    "Jableh",
    "Latakia",
    "Tartus",
    "Qardaha",
    "Hama",
    "Homs",
    "Masyaf",
    "Safita",
    "Duraykish",
    "Slunfeh",
    "Kessab",
    "Mukharram",
    "Talkalakh",
    "Ain al-Arab",
    "Sheikh Badr",
    "Rabia",
    "Bayda",
    "Qadmus",
    "Hreisoun",
]
SENTENCES = [
    "A monitoring group said {n} people were killed in the attack on the market of {town}.",
    "The ministry said its forces had answered attacks by {n} gunmen near {town}.",
    "{witness} told reporters that gunmen fired at close range in the streets of {town}.",
    "Residents of {town} said {n} houses were looted and burned overnight.",
    "An aid agency counted {n} displaced families arriving from {town} since {day}.",
    "Hospital staff in {town} said they had received {n} wounded, most of them with shrapnel injuries.",
    "The governor of {town} denied that any civilians had been detained at the checkpoint.",
    "{witness} said a convoy of {n} vehicles entered {town} before dawn on {day}.",
    "Local officials reported that {n} schools in {town} were closed after the shelling.",
    "A rights observatory documented {n} summary executions in villages around {town}.",
    "Volunteers in {town} said they buried {n} bodies in a mass grave near the orchards.",
    "The defence ministry said drones destroyed {n} weapons depots outside {town}.",
    "According to {witness}, electricity and water have been cut in {town} for {n} days.",
    "Relief workers said {n} trucks of flour reached {town} after the road reopened.",
    "A spokesman for the armed group claimed it had captured {n} soldiers near {town}.",
    "Doctors in {town} warned that {n} patients needed dialysis and the fuel was running out.",
]
DAYS_OF_WEEK = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ORGS = [
    ("Observatory for Human Rights", "monitor"),
    ("Ministry of Interior", "government"),
    ("Ministry of Defence", "government"),
    ("Civil Defence", "international_org"),
    ("Relief Committee", "international_org"),
    ("Media Office", "armed_group"),
    ("Coordination Committee", "armed_group"),
    ("Daily", "news_outlet"),
    ("News Agency", "news_outlet"),
    ("Broadcasting", "news_outlet"),
    ("Documentation Centre", "monitor"),
    ("Foreign Ministry", "foreign_government"),
]
REGIONS = ["Coastal", "Northern", "Central", "Syrian", "Levant", "Eastern", "Western", "National"]
# Status, share of claims.
STATUSES = [
    ("new", 0.30),
    ("in_progress", 0.18),
    ("pending_review", 0.12),
    ("changes_requested", 0.05),
    ("approved", 0.30),
    ("dismissed", 0.05),
]
VERDICTS = ["corroborated", "partly_corroborated", "unverified", "contested", "contradicted"]
BULK = 2000


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
        witness = rng.randrange(len(WITNESSES))
        sentence = template.format(
            n=rng.randint(3, 1500),
            town=rng.choice(TOWNS),
            witness=WITNESSES[witness],
            day=rng.choice(DAYS_OF_WEEK),
        )
        speaker = witness if "{witness}" in template else rng.randint(len(WITNESSES), 199)
        spans.append((position, position + len(sentence), speaker))
        parts.append(sentence + " ")
        position += len(sentence) + 1
    return "".join(parts), spans


@contextmanager
def _timestamps_as_given(*models):
    """Let bulk_create keep the created/updated times the generator sets
    (auto_now and auto_now_add would stamp them all with 'now')."""
    fields = [
        f for m in models for f in m._meta.concrete_fields if getattr(f, "auto_now_add", False)
    ] + [f for m in models for f in m._meta.concrete_fields if getattr(f, "auto_now", False)]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def _pick_status(rng: random.Random) -> str:
    roll = rng.random()
    for status, share in STATUSES:
        if roll < share:
            return status
        roll -= share
    return STATUSES[-1][0]


@transaction.atomic
def generate(*, slug: str, claims: int, seed: int = 2025) -> Workspace:
    """Create workspace `slug` with `claims` claims (refuses an existing slug)."""
    rng = random.Random(seed)
    if Workspace.objects.filter(slug=slug).exists():
        raise ValueError(f"Workspace {slug} exists already.")
    workspace = Workspace.objects.create(slug=slug, name=f"Benchmark {claims:,} claims")
    User = get_user_model()
    users = {}
    for name, role in (
        ("bench-analyst", "analyst"),
        ("bench-analyst-2", "analyst"),
        ("bench-analyst-3", "analyst"),
        ("bench-reviewer", "reviewer"),
        ("bench-admin", "admin"),
    ):
        user, _ = User.objects.get_or_create(username=name)
        Membership.objects.create(workspace=workspace, user=user, role=role)
        users[name] = user
    analyst, reviewer = users["bench-analyst"], users["bench-reviewer"]
    analysts = [analyst, users["bench-analyst-2"], users["bench-analyst-3"]]
    now = timezone.now()
    start = now - timedelta(days=DAYS)

    timestamped = (Source, Article, Claim, Evidence, Review, ClaimLink, LinkProposal)
    with _timestamps_as_given(*timestamped), audit_batch(workspace=workspace) as audit:
        sources = _sources(rng, workspace, analyst, start)
        for source in sources:
            audit.record(
                actor=analyst,
                obj=source,
                action=AuditEvent.Action.CREATE,
                changes={"name": [None, source.name]},
            )
        articles, bodies = _articles(rng, workspace, analyst, sources, claims, start, now)
        for article in articles:
            audit.record(
                actor=analyst,
                obj=article,
                action=AuditEvent.Action.CREATE,
                changes={"title": [None, article.title]},
            )
        claim_objs = _claims(rng, workspace, users, analysts, sources, articles, bodies, now)
        _around_claims(rng, workspace, analyst, reviewer, sources, claim_objs, now)
        for claim in claim_objs:
            audit.record(
                actor=analyst,
                obj=claim,
                action=AuditEvent.Action.CREATE,
                changes={"quote": [None, claim.quote], "source_id": [None, claim.source_id]},
            )
        for claim in claim_objs:
            if claim.status == "approved":
                audit.record(
                    actor=reviewer,
                    obj=claim,
                    action=AuditEvent.Action.TRANSITION,
                    changes={
                        "status": ["pending_review", "approved"],
                        "verdict": ["", claim.verdict],
                    },
                )
    return workspace


def _sources(rng, workspace, analyst, start) -> list[Source]:
    rows = []
    for i in range(200):
        if i < len(WITNESSES):
            name, kind = WITNESSES[i], "witness"
        else:
            org, kind = ORGS[i % len(ORGS)]
            name = f"{REGIONS[(i // len(ORGS)) % len(REGIONS)]} {org}"
            if i >= len(ORGS) * len(REGIONS):
                name += f" {i}"
        rows.append(
            Source(
                workspace=workspace,
                name=name,
                kind=kind,
                reliability=rng.choice("AABBBCCCCDDEF"),
                protected=i < len(WITNESSES),
                aliases=[f"S{i}"],
                created_by=analyst,
                created_at=start,
                updated_at=start,
            )
        )
    return Source.objects.bulk_create(rows)


def _articles(rng, workspace, analyst, sources, claims, start, now):
    count = (claims + CLAIMS_PER_ARTICLE - 1) // CLAIMS_PER_ARTICLE
    bodies = [
        _body(rng, min(CLAIMS_PER_ARTICLE, claims - i * CLAIMS_PER_ARTICLE)) for i in range(count)
    ]
    outlets = [s for s in sources if s.kind == "news_outlet"]
    span = (now - start).total_seconds()
    articles = []
    for i, (body, _) in enumerate(bodies):
        # Imported in order over the half year: the newest articles come last.
        imported = start + timedelta(seconds=span * (i + 1) / (count + 1))
        town = TOWNS[i % len(TOWNS)]
        articles.append(
            Article(
                workspace=workspace,
                title=f"Report {i}: what happened in {town}",
                outlet=outlets[i % len(outlets)],
                url=f"https://example.org/news/{i}",
                published_on=imported.date(),
                body=body,
                body_sha256=hashlib.sha256(body.encode()).hexdigest(),
                imported_by=analyst,
                imported_at=imported,
            )
        )
    return Article.objects.bulk_create(articles, batch_size=500), bodies


def _claims(rng, workspace, users, analysts, sources, articles, bodies, now) -> list[Claim]:
    rows = []
    reviewer = users["bench-reviewer"]
    for article, (body, spans) in zip(articles, bodies, strict=True):
        for start, end, source_index in spans:
            created = article.imported_at + timedelta(minutes=rng.randint(1, 600))
            status = _pick_status(rng)
            proposed = status in ("pending_review", "approved", "changes_requested")
            proposed_at = (
                min(created + timedelta(hours=rng.randint(1, 24 * 20)), now) if proposed else None
            )
            approved_at = (
                min(proposed_at + timedelta(hours=rng.randint(1, 24 * 5)), now)
                if status == "approved"
                else None
            )
            if status in ("new", "in_progress", "changes_requested"):
                roll = rng.random()
                assignee = analysts[0] if roll < 0.7 else analysts[1] if roll < 0.85 else None
            else:
                assignee = analysts[0] if rng.random() < 0.5 else None
            quote = body[start:end]
            rows.append(
                Claim(
                    workspace=workspace,
                    article=article,
                    quote=quote,
                    start=start,
                    end=end,
                    prefix=body[max(0, start - 32) : start],
                    suffix=body[end : end + 32],
                    source=sources[source_index],
                    kind=rng.choice(["figure", "statement", "testimony", "event", "reaction"]),
                    statement=quote[:120],
                    status=status,
                    verdict=rng.choice(VERDICTS) if proposed else "",
                    rationale="Two independent sources agree." if proposed else "",
                    proposed_by=analysts[0] if proposed else None,
                    proposed_at=proposed_at,
                    approved_by=reviewer if approved_at else None,
                    approved_at=approved_at,
                    dismissed_reason="Duplicate of an earlier report."
                    if status == "dismissed"
                    else "",
                    assignee=assignee,
                    credibility=rng.randint(1, 6),
                    created_by=analysts[0],
                    created_at=created,
                    updated_at=approved_at or proposed_at or created,
                )
            )
    return Claim.objects.bulk_create(rows, batch_size=BULK)


def _gazetteer(workspace) -> list[Place]:
    """The coast's places (vocabulary.seeds), written directly: the benchmark's
    audit chain is built in one batch, so no service appends to it here."""
    created: dict[str, Place] = {}
    for key, name, level, parent, alternatives in SYRIA_COAST:
        created[key] = Place.objects.create(
            workspace=workspace,
            name=name,
            key=normalise_phrase(name),
            level=level,
            parent=created.get(parent) if parent else None,
            alternatives=list(alternatives),
        )
    place_names_write(list(created.values()))
    return list(created.values())


def _around_claims(rng, workspace, analyst, reviewer, sources, claim_objs, now) -> None:
    """Figures, chains, evidence, archives, reviews, links and conflict proposals."""
    # Figures with a scope: an outcome, one of the populations, a place of the
    # coast's gazetteer, mostly cumulative totals counted to their article's
    # day (so sources form timelines, and disagree now and then).
    places = _gazetteer(workspace)
    outcomes = {o.key: o for o in Outcome.objects.filter(workspace=None)}
    counted = {"killed": "people killed", "injured": "people wounded", "displaced": "displaced"}
    figures = []
    for c in claim_objs:
        for p in range(rng.randint(1, 2)):
            outcome = rng.choice(["killed", "killed", "killed", "injured", "displaced"])
            population = rng.choice(["unspecified", "civilians", "security_forces", "armed_groups"])
            basis = rng.choice(["cumulative"] * 3 + ["increment", "incident"])
            day = c.article.published_on
            figures.append(
                Figure(
                    claim=c,
                    position=p,
                    value=rng.randint(1, 2000),
                    qualifier=rng.choice(["about", "exact", "more_than", "at_least"]),
                    counted=counted[outcome],
                    outcome=outcomes[outcome],
                    population=population,
                    place=rng.choice(places),
                    basis=basis,
                    as_of=day,
                    period_start=day - timedelta(days=1) if basis == "increment" else None,
                    period_end=day if basis == "increment" else None,
                )
            )
    Figure.objects.bulk_create(figures, batch_size=BULK)
    ClaimIntermediary.objects.bulk_create(
        (
            ClaimIntermediary(claim=c, position=p, source=sources[150 + p + c.pk % 40])
            for c in claim_objs
            for p in range(rng.randint(0, 2))
        ),
        batch_size=BULK,
    )
    evidence_rows = []
    for c in claim_objs:
        if rng.random() < 0.33:
            continue
        for n, stance in enumerate(("corroborates", rng.choice(["contradicts", "context"]))):
            if n and rng.random() < 0.5:
                break
            added = c.created_at + timedelta(hours=1 + n)
            evidence_rows.append(
                Evidence(
                    workspace=workspace,
                    claim=c,
                    stance=stance,
                    kind=rng.choice(["news_report", "official", "ngo_report", "photo_video"]),
                    url=f"https://example.org/evidence/{c.pk}/{n}/a-long-path-that-must-wrap-in-print",
                    title=f"Report {n} on claim {c.pk}",
                    publisher=sources[20 + (c.pk + n) % 100],
                    excerpt="An excerpt of the report that supports or disputes the claim.",
                    added_by=analyst,
                    added_at=added,
                    updated_at=added,
                )
            )
    evidence = Evidence.objects.bulk_create(evidence_rows, batch_size=BULK)
    Snapshot.objects.bulk_create(
        (
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
        ),
        batch_size=BULK,
    )
    Review.objects.bulk_create(
        (
            Review(
                claim=c,
                reviewer=reviewer,
                decision="approved" if c.status == "approved" else "changes_requested",
                verdict=c.verdict,
                rationale=c.rationale,
                proposed_by=analyst,
                comment="" if c.status == "approved" else "Find a second source.",
                claim_version=1,
                created_at=c.approved_at or c.updated_at,
            )
            for c in claim_objs
            if c.status in ("approved", "changes_requested")
        ),
        batch_size=BULK,
    )
    # Links and proposals between claims of different articles.
    links = []
    proposals = []
    for i in range(0, len(claim_objs) - CLAIMS_PER_ARTICLE, 7):
        a, b = claim_objs[i], claim_objs[i + CLAIMS_PER_ARTICLE]
        roll = rng.random()
        if roll < 0.08:
            relation = "contradicts"
        elif roll < 0.7:
            relation = "corroborates"
        else:
            first, second = sorted((a, b), key=lambda c: c.pk)
            proposals.append(
                LinkProposal(
                    workspace=workspace,
                    claim=first,
                    other=second,
                    relation=rng.choice(["conflict", "corroboration", "conflict"]),
                    score=round(rng.uniform(0.3, 0.95), 2),
                    reason="Figures for the same category differ by more than 10 %.",
                    created_at=second.created_at,
                )
            )
            continue
        created = max(a.created_at, b.created_at)
        links.append(
            ClaimLink(
                workspace=workspace,
                from_claim=b,
                to_claim=a,
                relation=relation,
                created_by=analyst,
                created_at=created,
            )
        )
    ClaimLink.objects.bulk_create(links, batch_size=BULK)
    LinkProposal.objects.bulk_create(proposals, batch_size=BULK)


def analyze() -> None:
    """Refresh the planner's statistics and the visibility map after a bulk
    load (autovacuum would, minutes later); PostgreSQL only."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
