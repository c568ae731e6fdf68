"""Existing figures get a scope from their free-text wording where it can be
read: the outcome, population and sub-groups from the base lexicon
(counting.scope), the basis from cues ("toll", "in the past 24 hours", "in
the attack"). No gazetteer exists yet, so the place stays empty: such
figures are kept as they are and listed on the "figures needing scope" page
(and `manage.py scope_figures` reads them again once a workspace has its
places and terms)."""

from django.db import migrations

from counting.scope import Lexicon, parse_counted


def forwards(apps, schema_editor):
    Figure = apps.get_model("claims", "Figure")
    Outcome = apps.get_model("vocabulary", "Outcome")
    outcomes = {o.key: o.pk for o in Outcome.objects.filter(workspace=None)}
    lexicon = Lexicon.build()
    batch = []
    for figure in Figure.objects.filter(outcome__isnull=True).iterator(chunk_size=2000):
        guess = parse_counted(figure.counted, lexicon)
        if guess.outcome in outcomes:
            figure.outcome_id = outcomes[guess.outcome]
        if guess.population:
            figure.population = guess.population
        if guess.subgroups:
            figure.subgroups = guess.subgroups
        if guess.basis and not figure.basis:
            figure.basis = guess.basis
        batch.append(figure)
        if len(batch) >= 2000:
            Figure.objects.bulk_update(batch, ["outcome", "population", "subgroups", "basis"])
            batch = []
    if batch:
        Figure.objects.bulk_update(batch, ["outcome", "population", "subgroups", "basis"])


class Migration(migrations.Migration):
    dependencies = [("claims", "0008_knn_indexes"), ("vocabulary", "0002_base_outcomes")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
