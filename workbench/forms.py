"""How forms render across the workbench: Django's field groups
(`{{ form.field.as_field_group }}`) with the workbench's field template."""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    field_template_name = "forms/field.html"
