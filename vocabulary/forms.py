"""Forms of the vocabulary and places pages."""

from __future__ import annotations

from django import forms

from counting.scope import Population
from vocabulary.models import Place, Term


class TermForm(forms.Form):
    phrase = forms.CharField(max_length=120, label="Word or phrase")
    kind = forms.ChoiceField(choices=Term.Kind.choices, label="Means a")
    meaning = forms.CharField(
        max_length=80,
        label="Meaning",
        help_text="An outcome key (killed), a population (armed_groups) or a sub-group tag.",
    )


class OutcomeForm(forms.Form):
    label = forms.CharField(max_length=80, label="New outcome", help_text="e.g. “tortured”.")


class SubgroupForm(forms.Form):
    label = forms.CharField(max_length=80, label="New sub-group", help_text="e.g. “Alawites”.")


class ToleranceForm(forms.Form):
    tolerance = forms.CharField(
        max_length=8,
        label="Tolerance (%)",
        help_text="How far apart two independent sources' figures may be and still agree.",
    )


class PlaceForm(forms.Form):
    name = forms.CharField(max_length=200)
    level = forms.ChoiceField(choices=Place.Level.choices)
    parent = forms.CharField(
        max_length=250, required=False, label="Inside", help_text="A place of the gazetteer."
    )
    alternatives = forms.CharField(
        max_length=2000,
        required=False,
        label="Other spellings",
        help_text="Comma-separated: Banias, Baniyas district.",
    )

    def clean_alternatives(self) -> list[str]:
        return [a.strip() for a in self.cleaned_data["alternatives"].split(",") if a.strip()]


POPULATIONS = list(Population.LABELS.items())
