"""Read-only admin pages for the claims data (staff only). The claims
changelist is also the benchmark's anchor: a stock Django list page."""

from django.contrib import admin

from claims.models import Article, Claim, Evidence, Source
from workspaces.admin_base import ReadOnlyAdmin


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin):
    list_display = (
        "id",
        "statement",
        "status",
        "verdict",
        "kind",
        "source",
        "workspace",
        "created_at",
    )
    list_filter = ("workspace", "status", "verdict", "kind")
    list_select_related = ("source", "workspace")
    search_fields = ("statement",)
    ordering = ("-id",)
    raw_id_fields = ("article", "source", "assignee", "proposed_by", "approved_by", "created_by")


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ("id", "title", "outlet", "published_on", "workspace", "imported_at")
    list_select_related = ("outlet", "workspace")
    ordering = ("-id",)
    raw_id_fields = ("outlet", "previous_version", "imported_by")

    def get_queryset(self, request):
        return super().get_queryset(request).defer("body")


@admin.register(Source)
class SourceAdmin(ReadOnlyAdmin):
    list_display = ("id", "name", "kind", "reliability", "protected", "workspace")
    list_filter = ("kind", "reliability")
    list_select_related = ("workspace",)
    ordering = ("name",)


@admin.register(Evidence)
class EvidenceAdmin(ReadOnlyAdmin):
    list_display = ("id", "title", "stance", "kind", "claim_id", "workspace")
    list_filter = ("stance", "kind")
    list_select_related = ("workspace",)
    ordering = ("-id",)
    raw_id_fields = ("claim", "publisher", "origin", "added_by")
