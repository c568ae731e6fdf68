"""Forms of the claims pages: import, claim (with its figures), source,
evidence, workflow steps, links and new versions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseFormSet
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe

from claims.models import Claim, ClaimLink, Evidence, Figure, Source
from claims.models.claim import SUMMARY_MAX_LENGTH
from claims.services.sources import clean_aliases
from vocabulary.models import Place
from vocabulary.selectors import place_label
from workspaces.forms import apply_validation_error

CHAIN_LENGTH = 3


class FastSelect(forms.Select):
    """Django's Select, its options written in Python instead of a template
    per option: a workspace's source lists are long, and the claim panel
    renders two of them (the same HTML; a test compares the two)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{escape(widget["name"])}"{flatatt(widget["attrs"])}>']
        for group_name, options, _ in widget["optgroups"]:
            if group_name:
                parts.append(f'<optgroup label="{escape(group_name)}">')
            for option in options:
                value_text = "" if option["value"] is None else str(option["value"])
                parts.append(
                    f'<option value="{escape(value_text)}"{flatatt(option["attrs"])}>'
                    f"{escape(option['label'])}</option>"
                )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        # Every name, value and label above is escaped.
        return mark_safe("".join(parts))


class SourceChoiceField(forms.ModelChoiceField):
    widget = FastSelect

    def label_from_instance(self, obj: Source) -> str:
        return f"{obj.name} ({obj.get_kind_display()}, {obj.reliability})"


class ArticleImportForm(forms.Form):
    title = forms.CharField(max_length=300)
    outlet = SourceChoiceField(
        queryset=Source.objects.none(), required=False, empty_label="— none —"
    )
    url = forms.URLField(label="URL", required=False, max_length=2000, assume_scheme="https")
    published_on = forms.DateField(
        label="Publication date", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    language = forms.CharField(max_length=16, initial="en")
    body = forms.CharField(
        label="Article text",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="Paste the text, or upload a file below.",
    )
    upload = forms.FileField(
        label="Or upload a file",
        required=False,
        help_text=".txt, .md or .html (HTML is reduced to its text).",
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.md,.markdown,.html,.htm"}),
    )

    def __init__(self, *args, workspace, upload_refused: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.upload_refused = upload_refused
        self.fields["outlet"].queryset = Source.objects.filter(workspace=workspace).order_by("name")

    def clean_upload(self):
        # Refused while it streamed in (too large): say so instead of "empty".
        if self.upload_refused:
            raise ValidationError(self.upload_refused)
        return self.cleaned_data["upload"]

    def clean(self):
        cleaned = super().clean()
        has_body = bool((cleaned.get("body") or "").strip())
        if has_body and cleaned.get("upload"):
            raise ValidationError("Paste text or upload a file, not both.")
        if not has_body and not cleaned.get("upload") and not self.has_error("upload"):
            raise ValidationError("The article text is empty: paste the text or upload a file.")
        return cleaned


class ClaimForm(forms.Form):
    start = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)
    end = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)
    quote = forms.CharField(
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Select text in the article, or type a quote that occurs once in it.",
    )
    source = SourceChoiceField(queryset=Source.objects.none(), label="Attributed to")
    kind = forms.ChoiceField(choices=Claim.Kind.choices)
    statement = forms.CharField(
        max_length=300,
        required=False,
        label="Normalised statement",
        help_text="One line in neutral words: who says what.",
    )
    summary = forms.CharField(
        max_length=SUMMARY_MAX_LENGTH,
        required=False,
        label="Short summary",
        help_text=f"What a published fact-check shows as the claim, at most {SUMMARY_MAX_LENGTH} "
        "characters. Empty: the statement, shortened.",
    )
    credibility = forms.TypedChoiceField(
        choices=Claim.Credibility.choices, coerce=int, initial=Claim.Credibility.CANNOT_JUDGE
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        sources = Source.objects.filter(workspace=workspace).order_by("name")
        self.fields["source"].queryset = sources
        for position in range(1, CHAIN_LENGTH + 1):
            self.fields[f"via_{position}"] = SourceChoiceField(
                queryset=sources,
                required=False,
                label=f"Relayed by ({position})",
                empty_label="—",
            )

    @property
    def via_fields(self):
        return [self[f"via_{position}"] for position in range(1, CHAIN_LENGTH + 1)]

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if (start is None) != (end is None):
            raise ValidationError("Give both offsets of the selection, or neither.")
        cleaned["intermediaries"] = [
            cleaned[f"via_{p}"] for p in range(1, CHAIN_LENGTH + 1) if cleaned.get(f"via_{p}")
        ]
        return cleaned


def claim_fields(form: ClaimForm, figures) -> dict:
    """The claim service's keyword arguments from a valid claim form and figure formset."""
    data = form.cleaned_data
    fields = {
        name: data[name]
        for name in (
            "source",
            "start",
            "end",
            "quote",
            "kind",
            "statement",
            "summary",
            "credibility",
        )
    }
    return {
        **fields,
        "intermediaries": data["intermediaries"],
        "figures": figures_from_formset(figures),
    }


@dataclass
class ClaimFormSubmission:
    """A posted claim form and its figures, and the claim they saved (if they did)."""

    form: ClaimForm
    figures: BaseFormSet
    claim: Claim | None = None


def submit_claim_form(data, *, workspace, save: Callable[..., Claim]) -> ClaimFormSubmission:
    """Bind the claim form and its figures to posted data and, if both are
    valid, call `save(**claim_fields)` (a claim service). A service refusal is
    shown on the form; nothing is saved then."""
    submission = ClaimFormSubmission(
        ClaimForm(data, workspace=workspace), FigureFormSet(data, prefix="fig")
    )
    if submission.form.is_valid() and submission.figures.is_valid():
        try:
            submission.claim = save(**claim_fields(submission.form, submission.figures))
        except ValidationError as exc:
            apply_validation_error(submission.form, exc)
    return submission


class FigureForm(forms.Form):
    """One figure of the claim form: the number, the report's words, and the
    scope (outcome, population, sub-groups, place, time, basis, part of).
    Place, outcome and sub-groups are typed with suggestions from the
    workspace's vocabulary (type-ahead); a scope left blank is suggested from
    the wording when the claim is saved."""

    qualifier = forms.ChoiceField(choices=Figure.Qualifier.choices, initial=Figure.Qualifier.EXACT)
    value = forms.DecimalField(max_digits=14, decimal_places=2, required=False)
    value_high = forms.DecimalField(
        max_digits=14, decimal_places=2, required=False, label="to (range)"
    )
    counted = forms.CharField(
        max_length=200,
        required=False,
        label="What is counted",
        help_text="In the report's words: “members of the security forces killed”.",
    )
    outcome = forms.CharField(max_length=80, required=False)
    population = forms.ChoiceField(
        choices=[("", "— from the words —"), *Figure.Population.choices], required=False
    )
    subgroups = forms.CharField(
        max_length=300, required=False, label="Sub-groups", help_text="Comma-separated tags."
    )
    place = forms.CharField(max_length=250, required=False)
    as_of = forms.DateField(
        required=False, label="As of", widget=forms.DateInput(attrs={"type": "date"})
    )
    period_start = forms.DateField(
        required=False, label="Period from", widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        required=False, label="to", widget=forms.DateInput(attrs={"type": "date"})
    )
    basis = forms.ChoiceField(
        choices=[("", "— from the words —"), *Figure.Basis.choices], required=False
    )
    part_of = forms.TypedChoiceField(
        choices=[("", "—")] + [(str(n), f"figure {n} above") for n in range(1, 21)],
        coerce=int,
        empty_value=None,
        required=False,
        label="Part of",
    )
    part_of_figure = forms.IntegerField(
        min_value=1,
        required=False,
        label="or of figure #",
        help_text="A figure of another claim (its number is shown in that claim).",
    )

    def clean(self):
        cleaned = super().clean()
        has_value = cleaned.get("value") is not None
        has_counted = bool(cleaned.get("counted"))
        if has_value != has_counted:
            raise ValidationError("A figure needs both a value and what it counts.")
        if cleaned.get("value") is not None and cleaned["value"] < 0:
            self.add_error("value", "A count cannot be negative.")
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The period ends before it starts.")
        if cleaned.get("part_of") and cleaned.get("part_of_figure"):
            raise ValidationError("A figure is a part of one total: pick one, not both.")
        return cleaned


FigureFormSet = forms.formset_factory(FigureForm, extra=2, max_num=20, validate_max=True)


def figures_from_formset(formset) -> list[dict]:
    """The figure dicts of the claim services' contract (claims.services.figures)."""
    figures = []
    for f in formset.forms:
        data = f.cleaned_data
        if not data or data.get("value") is None:
            continue
        part_of = None
        if data.get("part_of"):
            part_of = data["part_of"] - 1  # "figure 2 above" is index 1
        elif data.get("part_of_figure"):
            part_of = f"figure:{data['part_of_figure']}"
        figures.append(
            {
                "value": data["value"],
                "qualifier": data["qualifier"],
                "value_high": data.get("value_high"),
                "counted": data["counted"],
                "outcome": data.get("outcome") or None,
                "population": data.get("population") or None,
                "subgroups": data.get("subgroups") if data.get("subgroups") else None,
                "place": data.get("place") or None,
                "as_of": data.get("as_of"),
                "period_start": data.get("period_start"),
                "period_end": data.get("period_end"),
                "basis": data.get("basis") or None,
                "part_of": part_of,
            }
        )
    return figures


def figure_initial(figure: Figure, siblings: list[Figure]) -> dict:
    """A stored figure as the claim form shows it."""
    part_of, part_of_figure = None, None
    if figure.part_of_id:
        positions = {f.pk: n for n, f in enumerate(siblings, start=1)}
        if figure.part_of_id in positions:
            part_of = positions[figure.part_of_id]
        else:
            part_of_figure = figure.part_of_id
    return {
        "qualifier": figure.qualifier,
        "value": figure.value,
        "value_high": figure.value_high,
        "counted": figure.counted,
        "outcome": figure.outcome.label if figure.outcome_id else "",
        "population": figure.population,
        "subgroups": ", ".join(figure.subgroups or []),
        "place": place_label(figure.place) if figure.place_id else "",
        "as_of": figure.as_of,
        "period_start": figure.period_start,
        "period_end": figure.period_end,
        "basis": figure.basis,
        "part_of": part_of,
        "part_of_figure": part_of_figure,
    }


class InlinePlaceForm(forms.Form):
    """The small 'new place' form inside the claim form."""

    new_place_name = forms.CharField(max_length=200, label="Name")
    new_place_level = forms.ChoiceField(choices=Place.Level.choices, label="Level")
    new_place_parent = forms.CharField(
        max_length=250, required=False, label="Inside", help_text="A place of the gazetteer."
    )
    new_place_alternatives = forms.CharField(
        max_length=1000, required=False, label="Other spellings", help_text="Comma-separated."
    )


class SourceForm(forms.ModelForm):
    aliases = forms.CharField(
        required=False, help_text="Other names, separated by commas.", max_length=2000
    )

    class Meta:
        model = Source
        fields = ["name", "kind", "aliases", "reliability", "description", "protected"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["aliases"] = ", ".join(self.instance.aliases)

    def clean_aliases(self):
        return clean_aliases(self.cleaned_data["aliases"])

    def validate_unique(self):
        # The service validates uniqueness with the workspace set.
        pass


class InlineSourceForm(forms.Form):
    """The small 'new source' form inside the claim form."""

    new_source_name = forms.CharField(max_length=200, label="Name")
    new_source_kind = forms.ChoiceField(choices=Source.Kind.choices, label="Kind")
    new_source_reliability = forms.ChoiceField(
        choices=Source.Reliability.choices, initial=Source.Reliability.F, label="Reliability"
    )


class EvidenceForm(forms.Form):
    stance = forms.ChoiceField(choices=Evidence.Stance.choices)
    kind = forms.ChoiceField(choices=Evidence.Kind.choices)
    title = forms.CharField(max_length=300)
    url = forms.URLField(label="URL", required=False, max_length=2000, assume_scheme="https")
    publisher = SourceChoiceField(queryset=Source.objects.none(), required=False, empty_label="—")
    origin = SourceChoiceField(
        queryset=Source.objects.none(),
        required=False,
        empty_label="— same as publisher —",
        label="Original source",
        help_text="Who it traces back to, if the publisher relays someone else.",
    )
    published_on = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    excerpt = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, workspace, **kwargs):
        super().__init__(*args, **kwargs)
        sources = Source.objects.filter(workspace=workspace).order_by("name")
        rows = SharedRows(sources)
        for name in ("publisher", "origin"):
            field = self.fields[name]
            field.queryset = sources  # what validation accepts
            field.widget.choices = SourceChoices(field, rows)  # what is shown


class SharedRows:
    """A queryset read once, when first needed, by whoever asks first."""

    def __init__(self, queryset):
        self.queryset = queryset
        self.rows = None

    def __iter__(self):
        if self.rows is None:
            self.rows = list(self.queryset)
        return iter(self.rows)


class SourceChoices:
    """A source select's choices from rows shared with the form's other
    source select: the evidence form lists the workspace's sources twice."""

    def __init__(self, field: SourceChoiceField, rows: SharedRows):
        self.field = field
        self.rows = rows

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for source in self.rows:
            yield (source.pk, self.field.label_from_instance(source))


class TransitionForm(forms.Form):
    name = forms.CharField()
    version = forms.IntegerField()
    verdict = forms.ChoiceField(choices=[("", "—"), *Claim.Verdict.choices], required=False)
    rationale = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    comment = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ClaimLinkForm(forms.Form):
    relation = forms.ChoiceField(choices=ClaimLink.Relation.choices)
    to_claim = forms.IntegerField(label="Other claim number", min_value=1)
    note = forms.CharField(required=False, max_length=1000)


class NewVersionForm(forms.Form):
    title = forms.CharField(max_length=300, required=False, help_text="Blank keeps the title.")
    published_on = forms.DateField(
        label="Publication date of the edit",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Blank keeps the original date.",
    )
    body = forms.CharField(
        label="Edited text",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 12}),
    )
    upload = forms.FileField(
        label="Or upload a file",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".txt,.md,.markdown,.html,.htm"}),
    )

    def __init__(self, *args, upload_refused: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.upload_refused = upload_refused

    def clean_upload(self):
        if self.upload_refused:
            raise ValidationError(self.upload_refused)
        return self.cleaned_data["upload"]

    def clean(self):
        cleaned = super().clean()
        has_body = bool((cleaned.get("body") or "").strip())
        if has_body and cleaned.get("upload"):
            raise ValidationError("Paste text or upload a file, not both.")
        if not has_body and not cleaned.get("upload") and not self.has_error("upload"):
            raise ValidationError("Paste the edited text or upload a file.")
        return cleaned
