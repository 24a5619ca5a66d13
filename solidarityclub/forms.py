"""How every form field is drawn: one template, templates/_field.html, through FORM_RENDERER."""

from django.forms.renderers import TemplatesSetting


class ClubFormRenderer(TemplatesSetting):
    """The site's templates first (widgets from django.forms); `{{ form.field.as_field_group }}`
    draws a field with its label, help and errors the site's one way."""

    field_template_name = "_field.html"
