"""Every field is drawn one way: templates/_field.html through FORM_RENDERER (solidarityclub/forms.py)."""

from topics.forms import TopicForm


def test_a_field_group_is_the_sites_one_field_template():
    form = TopicForm(data={"title": ""})
    html = form["title"].as_field_group()
    assert html.startswith('<div class="field has-error">')
    assert '<label for="id_title">' in html
    assert '<ul class="errorlist" id="id_title_error"><li>Give the topic a title.</li></ul>' in html
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_title_helptext id_title_error"' in html
