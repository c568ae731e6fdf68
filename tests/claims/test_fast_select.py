"""The source selects render as Django's Select would, only faster."""

from django import forms
from django.test import SimpleTestCase

from claims.forms import EvidenceForm, FastSelect
from claims.services.sources import source_create


def test_it_renders_what_djangos_select_renders(workspace, analyst, monitor, ministry):
    source_create(workspace=workspace, actor=analyst, name='Quote " & <b>tag</b>')
    form = EvidenceForm(workspace=workspace, initial={"publisher": ministry.pk})
    field = form["publisher"]
    fast = field.as_widget()
    field.field.widget = forms.Select(choices=field.field.widget.choices)
    slow = field.as_widget()
    assert isinstance(form.fields["origin"].widget, forms.Select)
    SimpleTestCase().assertHTMLEqual(fast, slow)
    assert "&lt;b&gt;tag&lt;/b&gt;" in fast
    assert f'<option value="{ministry.pk}" selected>' in fast


def test_a_plain_choice_list_renders_the_same_too():
    choices = [("", "—"), ("a", "A & B"), ("Group", [("g1", "One"), ("g2", "Two")])]
    fast = FastSelect(choices=choices).render("pick", "g2", {"id": "id_pick"})
    slow = forms.Select(choices=choices).render("pick", "g2", {"id": "id_pick"})
    SimpleTestCase().assertHTMLEqual(fast, slow)
