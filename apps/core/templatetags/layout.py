"""Template layout helpers.

`{% joined %}…{% endjoined %}` lets a template keep short lines where the page must have
no white space: every line break in the template's own text inside it is removed with
the indentation after it, so

    {% joined %}<h2 id="title"
      {% if oob %} hx-swap-oob="true"{% endif %}
      >Suggested ({{ count }})</h2>{% endjoined %}

renders `<h2 id="title" hx-swap-oob="true">Suggested (3)</h2>`. What variables and tags
render (a quote's own line breaks) is never touched, and spaces within a line are kept:
write the space a sentence needs at the end of the line before the break.
"""

import re

from django import template
from django.template.base import TextNode

register = template.Library()

BREAK = re.compile(r"\n[ \t]*")


class JoinedNode(template.Node):
    def __init__(self, nodelist):
        for node in nodelist.get_nodes_by_type(TextNode):
            node.s = BREAK.sub("", node.s)
        self.nodelist = nodelist

    def render(self, context):
        return self.nodelist.render(context)


@register.tag
def joined(parser, token):
    nodelist = parser.parse(("endjoined",))
    parser.delete_first_token()
    return JoinedNode(nodelist)
