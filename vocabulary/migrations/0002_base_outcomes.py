"""The base outcomes every workspace shares: killed, injured, missing,
detained, displaced, abducted."""

from django.db import migrations

BASE = {
    "killed": "killed",
    "injured": "injured",
    "missing": "missing",
    "detained": "detained",
    "displaced": "displaced",
    "abducted": "abducted",
}


def add(apps, schema_editor):
    outcome = apps.get_model("vocabulary", "Outcome")
    for key, label in BASE.items():
        outcome.objects.get_or_create(workspace=None, key=key, defaults={"label": label})


def remove(apps, schema_editor):
    apps.get_model("vocabulary", "Outcome").objects.filter(
        workspace=None, key__in=list(BASE)
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("vocabulary", "0001_initial")]

    operations = [migrations.RunPython(add, remove)]
