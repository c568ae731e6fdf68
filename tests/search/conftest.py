"""A small world for the claims table and search: claims in several states,
sources of several grades, evidence, a contradiction, a pending conflict
proposal, and a claim in another workspace that must never show."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.db import transaction

from claims.models import Claim
from claims.services.articles import article_import
from claims.services.claims import claim_create
from claims.services.evidence import evidence_create
from claims.services.links import claim_link_create
from claims.services.sources import source_create
from claims.services.workflow import claim_assign, claim_transition
from matching.models import LinkProposal
from workspaces.models import Membership, Workspace

TEXT = (
    "The observatory said 40 people were killed in Baniyas on Monday. "
    "The ministry denied that any civilians were killed in Baniyas. "
    "Residents said gunmen looted houses in Jableh overnight. "
    "An aid agency counted 300 displaced families arriving from Tartus. "
    "Mona Haddad told reporters the hospital in Latakia had no fuel."
)


@dataclass
class World:
    workspace: object
    analyst: object
    reviewer: object
    article: object
    observatory: object
    ministry: object
    witness: object
    killed: Claim  # new, observatory (A), evidence, contradicted
    denied: Claim  # in progress, ministry (D), assigned to the analyst
    looted: Claim  # pending review, witness (F)
    displaced: Claim  # approved, observatory (A), evidence
    fuel: Claim  # dismissed, witness (F), conflict proposal
    stranger: Claim  # another workspace, also about Baniyas


def _claim(article, actor, source, quote, **more):
    start = article.body.index(quote)
    return claim_create(
        article=article,
        actor=actor,
        source=source,
        start=start,
        end=start + len(quote),
        quote=quote,
        statement=more.pop("statement", quote),
        **more,
    )


def _member(workspace, username, role):
    user = get_user_model().objects.create(username=username)
    Membership.objects.create(workspace=workspace, user=user, role=role)
    return user


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker):
    """Built once per test module, inside a transaction rolled back at its
    end; each test runs in a savepoint of it (so its changes are undone)."""
    with django_db_blocker.unblock(), transaction.atomic():
        workspace = Workspace.objects.create(slug="desk-a", name="Desk A")
        other_workspace = Workspace.objects.create(slug="desk-b", name="Desk B")
        yield _build(
            workspace,
            _member(workspace, "ana", "analyst"),
            _member(workspace, "rita", "reviewer"),
            other_workspace,
            _member(other_workspace, "otto", "analyst"),
        )
        transaction.set_rollback(True)


@pytest.fixture
def world(_world, db) -> World:
    return _world


def _build(workspace, analyst, reviewer, other_workspace, outsider) -> World:
    observatory = source_create(
        workspace=workspace, actor=analyst, name="Coastal Observatory", reliability="A"
    )
    ministry = source_create(
        workspace=workspace, actor=analyst, name="Interior Ministry", reliability="D"
    )
    witness = source_create(
        workspace=workspace,
        actor=analyst,
        name="Mona Haddad",
        kind="witness",
        reliability="F",
        protected=True,
    )
    article = article_import(
        workspace=workspace, actor=analyst, title="Clashes in Baniyas", body=TEXT
    )
    killed = _claim(
        article,
        analyst,
        observatory,
        "The observatory said 40 people were killed in Baniyas on Monday.",
        kind="figure",
    )
    denied = _claim(
        article,
        analyst,
        ministry,
        "The ministry denied that any civilians were killed in Baniyas.",
        kind="statement",
    )
    looted = _claim(
        article, analyst, witness, "Residents said gunmen looted houses in Jableh overnight."
    )
    displaced = _claim(
        article,
        analyst,
        observatory,
        "An aid agency counted 300 displaced families arriving from Tartus.",
        kind="figure",
    )
    fuel = _claim(
        article, analyst, witness, "Mona Haddad told reporters the hospital in Latakia had no fuel."
    )
    evidence_create(
        claim=killed, actor=analyst, stance="corroborates", title="Hospital records of Baniyas"
    )
    evidence_create(
        claim=displaced,
        actor=analyst,
        stance="corroborates",
        title="UNHCR note",
        excerpt="Families from Tartus registered at the camp.",
    )
    claim_link_create(from_claim=denied, to_claim=killed, relation="contradicts", actor=analyst)
    denied = claim_transition(
        claim=Claim.objects.get(pk=denied.pk), name="start", actor=analyst, expected_version=1
    )
    for claim, verdict in ((looted, "unverified"), (displaced, "corroborated")):
        claim = Claim.objects.get(pk=claim.pk)
        claim_transition(
            claim=claim,
            name="propose",
            actor=analyst,
            expected_version=claim.version,
            verdict=verdict,
            rationale="Checked.",
        )
    displaced = Claim.objects.get(pk=displaced.pk)
    claim_transition(
        claim=displaced, name="approve", actor=reviewer, expected_version=displaced.version
    )
    fuel = Claim.objects.get(pk=fuel.pk)
    claim_transition(
        claim=fuel, name="dismiss", actor=analyst, expected_version=fuel.version, reason="Dup."
    )
    LinkProposal.objects.create(
        workspace=workspace, claim=displaced, other=fuel, relation="conflict", score=0.7
    )
    other_source = source_create(workspace=other_workspace, actor=outsider, name="Other Monitor")
    other_article = article_import(
        workspace=other_workspace, actor=outsider, title="Baniyas elsewhere", body=TEXT
    )
    stranger = _claim(
        other_article,
        outsider,
        other_source,
        "The observatory said 40 people were killed in Baniyas on Monday.",
    )
    claim_assign(
        claim=Claim.objects.get(pk=denied.pk),
        actor=analyst,
        assignee=analyst,
        expected_version=Claim.objects.get(pk=denied.pk).version,
    )
    return World(
        workspace=workspace,
        analyst=analyst,
        reviewer=reviewer,
        article=article,
        observatory=observatory,
        ministry=ministry,
        witness=witness,
        killed=Claim.objects.get(pk=killed.pk),
        denied=Claim.objects.get(pk=denied.pk),
        looted=Claim.objects.get(pk=looted.pk),
        displaced=Claim.objects.get(pk=displaced.pk),
        fuel=Claim.objects.get(pk=fuel.pk),
        stranger=stranger,
    )


@pytest.fixture
def second_analyst(world):
    return _member(world.workspace, "bea", "analyst")
