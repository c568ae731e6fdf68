"""F1-F4: a protected name cannot leave the workbench, however it is spelled,
wherever it is written, whatever the source was called before, and an
analyst cannot switch protection off to export it."""

import unicodedata
from urllib.parse import quote

import pytest
from django.urls import reverse

from audit.models import AuditEvent
from claims.models import Source, SourceChangeProposal
from claims.services.articles import article_import
from claims.services.claims import claim_create
from claims.services.evidence import evidence_create
from claims.services.sources import source_change_decide, source_create, source_update
from exports.models import Export
from tests.exports.test_protected import FORMATS, LEAK, _text
from tests.exports.world import WITNESS, WITNESS_ALIAS, export_bytes, with_workflow
from workspaces.exceptions import NotAllowed


def _leaks(format: str, data: bytes, tmp_path, *names: str) -> list[str]:
    text = _text(format, data, tmp_path)
    return [name for name in names if name.casefold() in text.casefold()]


# F1 -------------------------------------------------------------------------


def test_f1_an_analyst_cannot_untick_protection_and_export(world, analyst, admin_user):
    with pytest.raises(NotAllowed, match="Only an admin"):
        source_update(source=world.witness, actor=analyst, protected=False)
    with pytest.raises(NotAllowed, match="Only an admin"):
        source_update(source=world.witness, actor=analyst, aliases=[])
    with pytest.raises(NotAllowed, match="Only an admin"):
        source_update(source=world.witness, actor=analyst, name="Someone Else")
    world.witness.refresh_from_db()
    assert world.witness.protected and world.witness.aliases == [WITNESS_ALIAS]
    data = export_bytes(workspace=world.workspace, actor=analyst, format="json")
    assert not LEAK.search(data.decode())


def test_f1_an_analyst_may_still_edit_the_rest_of_a_protected_source(world, analyst):
    source_update(source=world.witness, actor=analyst, description="Resident", reliability="C")
    world.witness.refresh_from_db()
    assert world.witness.reliability == "C"


def test_f1_the_form_turns_an_analysts_change_into_a_proposal(
    client_for, world, analyst, admin_user
):
    response = client_for(analyst).post(
        reverse("source_edit", args=[world.workspace.slug, world.witness.pk]),
        {
            "name": WITNESS,
            "kind": "witness",
            "reliability": "B",
            "aliases": "",
            "description": "Moved away",
            "protected": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    world.witness.refresh_from_db()
    assert world.witness.protected and world.witness.aliases == [WITNESS_ALIAS]
    assert world.witness.reliability == "B"
    proposal = SourceChangeProposal.objects.get()
    assert proposal.fields == {"aliases": [], "protected": False}
    assert any(
        "change_proposed" in e.changes for e in AuditEvent.objects.filter(object_type="source")
    )
    page = client_for(admin_user).get(reverse("source_proposals", args=[world.workspace.slug]))
    assert page.status_code == 200 and "protected" in page.content.decode()
    response = client_for(admin_user).post(
        reverse("source_proposal_decide", args=[world.workspace.slug, proposal.pk]),
        {"decision": "accept"},
    )
    assert response.status_code == 302
    world.witness.refresh_from_db()
    assert not world.witness.protected
    proposal.refresh_from_db()
    assert proposal.status == "accepted" and proposal.decided_by == admin_user


def test_f1_only_an_admin_decides_a_proposal(world, analyst):
    proposal = SourceChangeProposal.objects.create(
        workspace=world.workspace,
        source=world.witness,
        fields={"protected": False},
        proposed_by=analyst,
    )
    with pytest.raises(NotAllowed):
        source_change_decide(proposal=proposal, actor=analyst, accept=True)


def test_f1_every_export_records_the_protection_state_it_used(world, analyst, admin_user):
    export_bytes(workspace=world.workspace, actor=analyst, format="csv")
    export = Export.objects.get()
    state = {
        "protected_sources": [world.witness.pk],
        "pseudonymised": True,
        "real_names_included": False,
    }
    assert export.protection.items() >= state.items()
    assert export.protection["names_covered"] >= 2
    event = AuditEvent.objects.get(action="export")
    assert event.changes["protection"] == export.protection
    export_bytes(workspace=world.workspace, actor=admin_user, format="csv", include_real_names=True)
    latest = Export.objects.order_by("-id").first()
    assert latest.protection["real_names_included"] is True
    assert latest.protection["pseudonymised"] is False


# F2 -------------------------------------------------------------------------


@pytest.mark.parametrize("format", FORMATS)
def test_f2_names_in_urls_never_leave_in_any_format(world, analyst, format, tmp_path):
    world.article.url = f"https://news.example/{WITNESS.lower().replace(' ', '-')}/story"
    world.article.save()
    evidence_create(
        claim=world.statement_claim,
        actor=analyst,
        stance="context",
        title="Interview",
        url="https://example.org/search?q=" + quote(WITNESS) + "#" + quote(quote(WITNESS_ALIAS)),
        note="see https://example.org/p/" + quote(WITNESS, safe=""),
    )
    data = export_bytes(workspace=world.workspace, actor=analyst, format=format)
    text = _text(format, data, tmp_path)
    assert not LEAK.search(text), LEAK.search(text)
    for encoded in (quote(WITNESS), quote(quote(WITNESS_ALIAS)), "ali-sheha"):
        assert encoded.casefold() not in text.casefold()


# F3 -------------------------------------------------------------------------


@pytest.mark.parametrize("format", ["json", "html", "csv"])
def test_f3_a_renamed_sources_old_names_are_pseudonymised(
    world, admin_user, analyst, format, tmp_path
):
    source_update(source=world.witness, actor=admin_user, name="W. Karim", aliases=["Abu K."])
    data = export_bytes(workspace=world.workspace, actor=analyst, format=format)
    assert _leaks(format, data, tmp_path, WITNESS, WITNESS_ALIAS) == []


# F4 -------------------------------------------------------------------------


@pytest.mark.parametrize("format", FORMATS)
def test_f4_a_name_typed_in_decomposed_unicode_still_matches(
    workspace, analyst, admin_user, agency, format, tmp_path
):
    name = "Zoë Ångström"
    witness = source_create(
        workspace=workspace,
        actor=analyst,
        name=unicodedata.normalize("NFD", name),
        kind=Source.Kind.WITNESS,
        protected=True,
    )
    body = f"A resident, {name}, said the road was closed. ＺＯË ÅNGSTRÖM repeated it."
    article = article_import(workspace=workspace, actor=analyst, title="Road", body=body)
    claim = claim_create(
        article=article, actor=analyst, source=witness, quote=f"{name}, said the road was closed"
    )
    with_workflow(
        claim,
        status="approved",
        verdict="unverified",
        rationale=f"Only {name} says so.",
        proposed_by=analyst,
        approved_by=admin_user,
    )
    data = export_bytes(workspace=workspace, actor=admin_user, format=format)
    text = unicodedata.normalize("NFKC", _text(format, data, tmp_path)).casefold()
    assert "zoë" not in text and "angstr" not in text
