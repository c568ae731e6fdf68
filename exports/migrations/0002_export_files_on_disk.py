"""Stored exports move from a database column to files under
EXPORT_FILES_DIR: each stored file is written out, then the column dropped.
(And ClaimReview exports become JSON Lines: their label says so.)"""

import uuid
from pathlib import Path

from django.conf import settings
from django.db import migrations, models

EXTENSIONS = {
    "pdf": "pdf",
    "html": "html",
    "csv": "csv",
    "json": "json",
    "claimreview": "jsonld",
    "annotation": "jsonld",
}


def content_to_files(apps, schema_editor):
    Export = apps.get_model("exports", "Export")
    root = Path(settings.EXPORT_FILES_DIR)
    stored = Export.objects.filter(content__isnull=False).values_list("pk", flat=True)
    for pk in stored.iterator(chunk_size=100):
        # One row's bytes in memory at a time.
        export = Export.objects.only("pk", "workspace_id", "format", "content").get(pk=pk)
        name = f"{export.workspace_id}/{uuid.uuid4().hex}.{EXTENSIONS.get(export.format, 'bin')}"
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(bytes(export.content))
        Export.objects.filter(pk=pk).update(file=name)


def files_to_content(apps, schema_editor):
    Export = apps.get_model("exports", "Export")
    root = Path(settings.EXPORT_FILES_DIR)
    for export in Export.objects.exclude(file="").only("pk", "file").iterator(chunk_size=100):
        path = root / export.file
        if path.exists():
            Export.objects.filter(pk=export.pk).update(content=path.read_bytes())


class Migration(migrations.Migration):
    dependencies = [("exports", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="export",
            name="file",
            field=models.CharField(blank=True, max_length=200),
        ),
        migrations.RunPython(content_to_files, files_to_content),
        migrations.RemoveField(model_name="export", name="content"),
        migrations.AlterField(
            model_name="export",
            name="format",
            field=models.CharField(
                choices=[
                    ("pdf", "PDF audit report"),
                    ("html", "HTML audit report"),
                    ("csv", "CSV"),
                    ("json", "JSON bundle"),
                    ("claimreview", "schema.org ClaimReview (JSON-LD, one review per line)"),
                    ("annotation", "W3C Web Annotation (JSON-LD)"),
                ],
                max_length=16,
            ),
        ),
    ]
