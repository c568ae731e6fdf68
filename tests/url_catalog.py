"""Every workspace URL of the app, what its pk refers to, and which roles may
use it. The isolation and permission-matrix tests walk this catalogue, and a
test fails when a workspace URL is missing from it."""

from django.urls import get_resolver

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
    from claims.services.claims import claim_create
    from claims.services.evidence import evidence_create
    from claims.services.links import claim_link_create

    evidence = evidence_create(claim=claim, actor=analyst, stance="corroborates", title="Report")
    other = claim_create(article=article, actor=analyst, source=monitor, quote="745 civilians")
    link = claim_link_create(
        from_claim=claim, to_claim=other, relation="corroborates", actor=analyst
    )
    return {
        "article": article.pk,
        "claim": claim.pk,
        "source": monitor.pk,
        "evidence": evidence.pk,
        "link": link.pk,
        "membership": analyst.memberships.get(workspace=workspace).pk,
    }


def catalog_urls(slug: str, world: dict[str, int]):
    from django.urls import reverse

    for name, (kind, methods, data) in CATALOG.items():
        args = [slug] + ([world[kind]] if kind else [])
        yield name, reverse(name, args=args), methods, data
