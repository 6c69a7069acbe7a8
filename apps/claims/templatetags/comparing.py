from django import template

from apps.claims.board import compare_sides, comparison_url

register = template.Library()


@register.filter
def compare_url(yes, no) -> str:
    """`{{ yes|compare_url:no }}`: the comparison of a contradicting pair's two parties,
    or "" when there are no two sides to compare (one speaker contradicting itself)."""
    sides = compare_sides(yes, no)
    return comparison_url(*sides) if sides else ""
