from django.urls import path

from claims.views import articles, claims, pickers, sources, versions, workflow
from workspaces.converters import id_converter

# Object ids in paths are <id:...>: 1 to 2**63 - 1, anything else is a 404.
id_converter()

urlpatterns = [
    path("w/<slug:slug>/", articles.workspace_home, name="workspace_home"),
    path("w/<slug:slug>/articles/new/", articles.article_import_view, name="article_import"),
    path("w/<slug:slug>/articles/<id:pk>/", articles.article_detail, name="article_detail"),
    path(
        "w/<slug:slug>/articles/<id:pk>/claims-at/",
        articles.claims_at_offset,
        name="claims_at_offset",
    ),
    path("w/<slug:slug>/articles/<id:pk>/claims/new/", claims.claim_new, name="claim_new"),
    path(
        "w/<slug:slug>/articles/<id:pk>/claims/cancel/",
        claims.claim_form_cancel,
        name="claim_form_cancel",
    ),
    path("w/<slug:slug>/claims/<id:pk>/", claims.claim_detail, name="claim_detail"),
    path("w/<slug:slug>/claims/<id:pk>/edit/", claims.claim_edit, name="claim_edit"),
    path("w/<slug:slug>/claims/<id:pk>/delete/", claims.claim_delete_view, name="claim_delete"),
    path("w/<slug:slug>/articles/pick/", pickers.article_pick, name="article_pick"),
    path("w/<slug:slug>/sources/pick/", pickers.source_pick, name="source_pick"),
    path("w/<slug:slug>/sources/", sources.source_list, name="source_list"),
    path("w/<slug:slug>/sources/new/", sources.source_edit, name="source_new"),
    path("w/<slug:slug>/sources/inline/", claims.source_inline_create, name="source_inline_create"),
    path("w/<slug:slug>/figures/scope-hint/", claims.figure_scope_hint, name="figure_scope_hint"),
    path("w/<slug:slug>/sources/<id:pk>/edit/", sources.source_edit, name="source_edit"),
    path(
        "w/<slug:slug>/sources/proposals/",
        sources.source_proposal_list,
        name="source_proposals",
    ),
    path(
        "w/<slug:slug>/sources/proposals/<id:pk>/decide/",
        sources.source_proposal_decide,
        name="source_proposal_decide",
    ),
    path("w/<slug:slug>/claims/<id:pk>/evidence/", workflow.evidence_add, name="evidence_add"),
    path(
        "w/<slug:slug>/evidence/<id:pk>/remove/", workflow.evidence_remove, name="evidence_remove"
    ),
    path("w/<slug:slug>/claims/<id:pk>/links/", workflow.link_add, name="link_add"),
    path("w/<slug:slug>/evidence/<id:pk>/edit/", workflow.evidence_edit, name="evidence_edit"),
    path("w/<slug:slug>/links/<id:pk>/remove/", workflow.link_remove, name="link_remove"),
    path(
        "w/<slug:slug>/claims/<id:pk>/transition/",
        workflow.claim_transition_view,
        name="claim_transition",
    ),
    path("w/<slug:slug>/claims/<id:pk>/assign/", workflow.claim_assign_self, name="claim_assign"),
    path("w/<slug:slug>/review/", workflow.review_queue_view, name="review_queue"),
    path("w/<slug:slug>/mine/", workflow.my_claims, name="my_claims"),
    # Article versions (pk: an Article) and re-placing orphaned claims (pk: a Claim).
    path(
        "w/<slug:slug>/articles/<id:pk>/versions/",
        versions.article_versions,
        name="article_versions",
    ),
    path(
        "w/<slug:slug>/articles/<id:pk>/versions/new/",
        versions.article_new_version,
        name="article_new_version",
    ),
    path(
        "w/<slug:slug>/claims/<id:pk>/replace/",
        versions.claim_replace_view,
        name="claim_replace",
    ),
]
