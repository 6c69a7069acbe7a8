"""`{% joined %}`: short template lines, no white space added to the page."""

from django.template import Context, Template


def render(source: str, **context) -> str:
    return Template("{% load layout %}" + source).render(Context(context))


def test_joined_removes_the_templates_line_breaks_and_indentation():
    source = """{% joined %}<h2 id="t"
        {% if oob %} hx-swap-oob="true"{% endif %}
        >Suggested ({{ count }})</h2>{% endjoined %}"""
    assert render(source, oob=True, count=3) == '<h2 id="t" hx-swap-oob="true">Suggested (3)</h2>'
    assert render(source, oob=False, count=0) == '<h2 id="t">Suggested (0)</h2>'


def test_joined_keeps_what_variables_render_and_spaces_within_a_line():
    source = """{% joined %}{% for word in words %}
      <b>{{ word }}</b> {% endfor %}
      end{% endjoined %}"""
    assert render(source, words=["line\n  break", "x"]) == "<b>line\n  break</b> <b>x</b> end"


def test_text_outside_joined_is_left_as_written():
    assert render("a\n  b{% joined %}c\n  d{% endjoined %}") == "a\n  bcd"
