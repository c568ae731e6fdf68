"""Every workspace URL of the app, what its pk refers to, and which roles may
use it. The isolation and permission-matrix tests walk this catalogue, and a
test fails when a workspace URL is missing from it."""

from django.urls import get_resolver

from archive.models import Snapshot
from claims.models import SourceChangeProposal
from claims.services.claims import claim_create
from claims.services.evidence import evidence_create
from claims.services.links import claim_link_create
from exports.files import new_file_name, open_for_writing
from exports.models import Export
from figures.models import FigureCategory
from jobs.models import Job
from matching.models import LinkProposal
from suggestions.models import ClaimSuggestion
from vocabulary.services import place_create

ALL = frozenset({"analyst", "reviewer", "admin"})
ANNOTATORS = frozenset({"analyst", "admin"})
REVIEWERS = frozenset({"reviewer", "admin"})
ADMINS = frozenset({"admin"})

# name: (what the pk refers to, roles allowed per method, POST data for the matrix)
CATALOG: dict[str, tuple[str | None, dict[str, frozenset], dict]] = {
    "workspace_home": (None, {"get": ALL}, {}),
    "article_import": (None, {"get": ANNOTATORS, "post": ANNOTATORS}, {}),
    "article_detail": ("article", {"get": ALL}, {}),
    "claims_at_offset": ("article", {"get": ALL}, {}),
    "claim_new": ("article", {"get": ANNOTATORS, "post": ANNOTATORS}, {}),
    "claim_form_cancel": ("article", {"get": ALL}, {}),
    "claim_detail": ("claim", {"get": ALL}, {}),
    "claim_edit": ("claim", {"get": ANNOTATORS, "post": ANNOTATORS}, {}),
    "claim_delete": ("claim", {"post": ANNOTATORS}, {"version": "99"}),
    "source_list": (None, {"get": ALL}, {}),
    "source_new": (None, {"get": ANNOTATORS, "post": ANNOTATORS}, {}),
    "source_inline_create": (None, {"post": ANNOTATORS}, {}),
    "source_edit": ("source", {"get": ANNOTATORS, "post": ANNOTATORS}, {}),
    "source_proposals": (None, {"get": ADMINS}, {}),
    "source_proposal_decide": ("sourceproposal", {"post": ADMINS}, {"decision": "reject"}),
    "evidence_add": ("claim", {"post": ANNOTATORS}, {}),
    "evidence_edit": ("evidence", {"get": ANNOTATORS, "post": ANNOTATORS}, {}),
    "evidence_remove": ("evidence", {"post": ANNOTATORS}, {"version": "99"}),
    "link_add": ("claim", {"post": ANNOTATORS}, {}),
    "link_remove": ("link", {"post": ANNOTATORS}, {}),
    # Approving a new claim: analysts lack the role (403); reviewers and
    # admins have it and are told the claim is not pending (409).
    "claim_transition": ("claim", {"post": REVIEWERS}, {"name": "approve", "version": "1"}),
    "claim_assign": ("claim", {"post": ALL}, {"version": "99"}),
    "review_queue": (None, {"get": ALL}, {}),
    "my_claims": (None, {"get": ALL}, {}),
    "member_list": (None, {"get": ADMINS, "post": ADMINS}, {}),
    "member_update": ("membership", {"post": ADMINS}, {"action": "role", "role": "analyst"}),
    # Jobs, fetching and archives
    "job_list": (None, {"get": ALL}, {}),
    "links_recheck": (None, {"post": ALL}, {}),
    "job_detail": ("job", {"get": ALL}, {}),
    "job_retry": ("job", {"post": ALL}, {}),
    "job_cancel": ("job", {"post": ALL}, {}),
    "article_fetch": (None, {"post": ANNOTATORS}, {"url": "https://example.org/a"}),
    "evidence_archive": ("evidence", {"get": ALL, "post": ALL}, {}),
    "snapshot_download": ("snapshot", {"get": ALL}, {}),
    # Suggested claims
    "suggestion_list": ("article", {"get": ALL}, {}),
    "suggestion_job_status": ("article", {"get": ALL}, {}),
    "suggestions_run": ("article", {"post": ANNOTATORS}, {}),
    "suggestions_bulk": ("article", {"post": ANNOTATORS}, {}),
    "suggestion_accept": ("suggestion", {"post": ANNOTATORS}, {}),
    "suggestion_dismiss": ("suggestion", {"post": ANNOTATORS}, {}),
    "suggestion_edit": ("suggestion", {"get": ANNOTATORS, "post": ANNOTATORS}, {}),
    # Matching, versions, figures
    "figures": (None, {"get": ALL}, {}),
    "figures_reconcile": (None, {"post": ANNOTATORS}, {}),
    "figures_category": ("figure_category", {"get": ALL}, {}),
    "figures_unscoped": (None, {"get": ALL, "post": ADMINS}, {}),
    # Vocabulary and places
    "vocabulary": (None, {"get": ALL, "post": ADMINS}, {"action": "outcome"}),
    "places": (None, {"get": ALL, "post": ANNOTATORS}, {}),
    "place_edit": ("place", {"get": ADMINS, "post": ADMINS}, {}),
    "place_inline_create": (None, {"post": ANNOTATORS}, {}),
    "complete_places": (None, {"get": ALL}, {}),
    "complete_outcomes": (None, {"get": ALL}, {}),
    "complete_subgroups": (None, {"get": ALL}, {}),
    "figure_scope_hint": (None, {"get": ALL}, {}),
    "claim_matches": ("claim", {"get": ALL}, {}),
    "claim_matches_find": ("claim", {"post": ANNOTATORS}, {}),
    "claim_replace": ("claim", {"post": ANNOTATORS}, {"version": "99"}),
    "proposal_confirm": ("linkproposal", {"post": ANNOTATORS}, {"relation": "corroborates"}),
    "proposal_dismiss": ("linkproposal", {"post": ANNOTATORS}, {}),
    "article_versions": ("article", {"get": ALL}, {}),
    "article_new_version": ("article", {"post": ANNOTATORS}, {}),
    # Exports
    "export_list": (None, {"get": ALL}, {}),
    "export_create": (None, {"post": ALL}, {"format": "csv"}),
    "export_download": ("export", {"get": ALL}, {}),
    "export_job": ("export_job", {"get": ALL}, {}),
    # Search, the claims table, pickers, the dashboard. Starting claims in
    # bulk needs an annotator's role (checked before the empty choice: 400).
    "claims_table": (None, {"get": ALL}, {}),
    "claims_bulk": (None, {"post": ANNOTATORS}, {"action": "start"}),
    "search": (None, {"get": ALL}, {}),
    "article_pick": (None, {"get": ALL}, {}),
    "source_pick": (None, {"get": ALL}, {}),
    "dashboard": (None, {"get": ALL}, {}),
    "dashboard_refresh": (None, {"post": ALL}, {}),
}


def workspace_url_names() -> list[str]:
    def walk(patterns, prefix=""):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif "<slug:slug>" in prefix + str(p.pattern):
                yield p.name

    return sorted(walk(get_resolver().url_patterns))


def build_world(*, workspace, analyst, article, claim, monitor) -> dict[str, int]:
    """One object of every kind a workspace URL can point at."""
    from django.utils import timezone

    evidence = evidence_create(claim=claim, actor=analyst, stance="corroborates", title="Report")
    other = claim_create(article=article, actor=analyst, source=monitor, quote="745 civilians")
    link = claim_link_create(
        from_claim=claim, to_claim=other, relation="corroborates", actor=analyst
    )
    job = Job.objects.create(workspace=workspace, kind=Job.Kind.SUGGEST_CLAIMS, status="failed")
    snapshot = Snapshot.objects.create(
        workspace=workspace,
        evidence=evidence,
        url="https://example.org/",
        final_url="https://example.org/",
        status_code=200,
        sha256="0" * 64,
        warc=b"",
        warc_sha256="0" * 64,
        fetched_at=timezone.now(),
    )
    first, second = sorted((claim, other), key=lambda c: c.pk)
    proposal = LinkProposal.objects.create(
        workspace=workspace, claim=first, other=second, relation="corroboration", score=0.5
    )
    suggestion = ClaimSuggestion.objects.create(
        workspace=workspace,
        article=article,
        start=0,
        end=10,
        quote=article.body[:10],
        speaker="Residents",
    )
    name = new_file_name(workspace_id=workspace.pk, extension="csv")
    with open_for_writing(name) as out:
        out.write(b"article,quote\r\n")
    export = Export.objects.create(
        workspace=workspace,
        scope={"workspace": workspace.slug},
        scope_label=workspace.name,
        format=Export.Format.CSV,
        created_by=analyst,
        file=name,
        sha256="0" * 64,
        size=15,
    )
    export_job = Job.objects.create(workspace=workspace, kind=Job.Kind.EXPORT, status="queued")
    source_proposal = SourceChangeProposal.objects.create(
        workspace=workspace, source=monitor, fields={"name": "Renamed"}, proposed_by=analyst
    )
    place = place_create(workspace=workspace, actor=analyst, name="Latakia", level="region")
    category = FigureCategory.objects.create(
        workspace=workspace, rank=1, key="k", label="killed", latest=timezone.now().date()
    )
    return {
        "sourceproposal": source_proposal.pk,
        "export": export.pk,
        "export_job": export_job.pk,
        "article": article.pk,
        "claim": claim.pk,
        "source": monitor.pk,
        "evidence": evidence.pk,
        "link": link.pk,
        "membership": analyst.memberships.get(workspace=workspace).pk,
        "job": job.pk,
        "snapshot": snapshot.pk,
        "linkproposal": proposal.pk,
        "suggestion": suggestion.pk,
        "place": place.pk,
        "figure_category": category.rank,
    }


def catalog_urls(slug: str, world: dict[str, int]):
    from django.urls import reverse

    for name, (kind, methods, data) in CATALOG.items():
        args = [slug] + ([world[kind]] if kind else [])
        yield name, reverse(name, args=args), methods, data
