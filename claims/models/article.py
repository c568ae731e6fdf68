from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models

from .source import Source


class ArticleQuerySet(models.QuerySet):
    def in_workspace(self, workspace) -> ArticleQuerySet:
        return self.filter(workspace_id=workspace.pk)

    def newest_first(self) -> ArticleQuerySet:
        return self.order_by("-imported_at", "-id")


class Article(models.Model):
    """An imported text. Its body never changes once claims point into it:
    an edited text is imported as a new version, so claim offsets never rot."""

    workspace = models.ForeignKey(
        "workspaces.Workspace", on_delete=models.CASCADE, related_name="articles"
    )
    title = models.CharField(max_length=300)
    outlet = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, related_name="articles"
    )
    url = models.URLField(max_length=2000, blank=True)
    published_on = models.DateField(null=True, blank=True)
    body = models.TextField()
    language = models.CharField(max_length=16, default="en")
    body_sha256 = models.CharField(max_length=64)
    previous_version = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="newer_versions"
    )
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    imported_at = models.DateTimeField(auto_now_add=True)

    # Background jobs about this object, deleted with it.
    jobs = GenericRelation(
        "jobs.Job", content_type_field="target_type", object_id_field="target_id"
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-imported_at", "-id"]
        # The workspace home lists articles newest first.
        indexes = [models.Index(fields=["workspace", "-imported_at"], name="article_ws_recent_idx")]

    def __str__(self) -> str:
        return self.title
