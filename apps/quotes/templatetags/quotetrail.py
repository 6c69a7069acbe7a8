from django import template

register = template.Library()


@register.filter
def call_highlight(highlighter, text):
    """`{{ highlight|call_highlight:text }}`: the text escaped, the query's words marked."""
    return highlighter(text or "")
