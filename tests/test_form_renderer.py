"""Every field on the site is drawn one way: templates/_field.html, through FORM_RENDERER
(solidarityclub/forms.py). No other template writes a field's label, help or errors by hand."""

import re
from pathlib import Path

from django import forms
from django.conf import settings
from django.forms.renderers import get_default_renderer
from django.template.loader import get_template

from topics.forms import TopicForm

TEMPLATES = Path(settings.BASE_DIR) / "templates"

# What drawing a field by hand looks like: Django's label or legend tags, an include of the
# field template (or the copies it replaced), a label written for a bound field, or its errors.
HAND_DRAWN = [
    re.compile(r"label_tag|legend_tag"),
    re.compile(r"""\{%\s*include\s+["'][^"']*(_field|_checkbox)\.html"""),
    re.compile(r"""<label for="\{\{\s*[\w.]+\.id_for_label\s*\}\}"""),
    re.compile(r"\{\{\s*[\w.]+\.errors\s*\}\}|\{%\s*for \w+ in [\w.]+\.errors\s*%\}"),
]
# The one field template; the error summary on top of a form (it links to each field, it draws none);
# the Django admin's own templates (not the public site).
ALLOWED = {"_field.html", "_form_errors.html"}


def _public_templates():
    for path in sorted(TEMPLATES.rglob("*.html")):
        relative = path.relative_to(TEMPLATES).as_posix()
        if relative.startswith("admin/") or relative.startswith("members/admin/"):
            continue
        yield relative, path.read_text()


def test_the_form_renderer_draws_fields_with_the_sites_one_template():
    renderer = get_default_renderer()
    assert settings.FORM_RENDERER == "solidarityclub.forms.ClubFormRenderer"
    assert renderer.field_template_name == "_field.html"
    template = get_template(renderer.field_template_name)
    assert Path(template.origin.name) == TEMPLATES / "_field.html"


def test_no_template_but_the_field_template_draws_a_field_by_hand():
    assert not (TEMPLATES / "topics" / "_field.html").exists()
    assert not (TEMPLATES / "members" / "_checkbox.html").exists()
    hand_drawn = [
        f"{name}: {pattern.pattern}"
        for name, text in _public_templates()
        if name not in ALLOWED
        for pattern in HAND_DRAWN
        if pattern.search(text)
    ]
    assert hand_drawn == []


def test_a_field_has_its_label_help_and_errors_tied_to_the_input():
    form = TopicForm(data={"title": ""})
    html = form["title"].as_field_group()
    assert html.strip().startswith('<div class="field has-error">')
    assert '<label for="id_title">' in html
    assert '<ul class="errorlist" id="id_title_error"><li>Give the topic a title.</li></ul>' in html
    assert 'aria-invalid="true"' in html
    assert re.search(r'<input [^>]*aria-describedby="[^"]*\bid_title_error\b', html)


class _Choices(forms.Form):
    answer = forms.ChoiceField(
        label="Your answer",
        choices=[("yes", "Yes"), ("no", "No")],
        widget=forms.RadioSelect,
        help_text="Pick one.",
    )
    days = forms.MultipleChoiceField(
        label="Which days",
        choices=[("mon", "Monday"), ("tue", "Tuesday")],
        widget=forms.CheckboxSelectMultiple,
    )
    agree = forms.BooleanField(label="I agree", help_text="Required.")


def test_a_radio_group_is_a_fieldset_with_a_legend_and_its_error_tied_to_it():
    form = _Choices(data={})
    html = form["answer"].as_field_group()
    fieldset = re.search(r"<fieldset[^>]*>", html).group(0)
    assert 'class="field field-choices has-error"' in fieldset
    assert 'aria-describedby="id_answer_helptext id_answer_error"' in fieldset
    assert "<legend>Your answer</legend>" in html
    assert '<ul class="errorlist" id="id_answer_error"><li>This field is required.</li></ul>' in html
    assert "<label>Your answer" not in html
    assert 'for="id_answer"' not in html
    # Each radio button is outlined as invalid and labelled by its choice.
    assert html.count('type="radio"') == 2
    assert len(re.findall(r'<input type="radio"[^>]*aria-invalid="true"', html)) == 2
    assert '<label for="id_answer_0">' in html


def test_a_group_of_tick_boxes_is_a_fieldset_too():
    html = _Choices(data={})["days"].as_field_group()
    assert "<fieldset" in html
    assert "<legend>Which days</legend>" in html


def test_a_tick_box_comes_before_its_label():
    html = _Choices(data={})["agree"].as_field_group()
    assert 'class="field field-checkbox has-error"' in html
    box, label = html.index('type="checkbox"'), html.index('<label for="id_agree">I agree</label>')
    assert box < label
    assert re.search(r'<input type="checkbox"[^>]*aria-describedby="id_agree_helptext id_agree_error"', html)


def test_a_hidden_field_is_only_its_input():
    class Hidden(forms.Form):
        next = forms.CharField(widget=forms.HiddenInput)

    assert Hidden()["next"].as_field_group().strip() == '<input type="hidden" name="next" id="id_next">'


def test_the_error_summary_says_this_or_these_as_many_problems_as_there_are():
    """Found by an outsider: one problem of the whole form was announced as "Please check these:"."""
    from django import forms
    from django.template.loader import render_to_string

    class Form(forms.Form):
        name = forms.CharField()

        def clean(self):
            raise forms.ValidationError("Too many requests; try again later.")

    def heading(data):
        form = Form(data)
        form.is_valid()
        return render_to_string("_form_errors.html", {"form": form})

    assert "Please check this:" in heading({"name": "Ana"})
    assert "Please check these:" in heading({})
