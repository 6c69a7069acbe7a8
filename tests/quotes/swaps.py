"""The article page as a browser holds it, with htmx's out-of-band swaps applied.

Enough of a DOM for Quotetrail's own markup (html.parser, every element closed), so
a test can apply a save's answer to the page it was made from and compare the result
with the page a reload gives, as tests/browser/test_save_answers.py does in Chromium.
"""

import re
from dataclasses import dataclass, field
from html import escape
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
STATE = re.compile(r'id="counts" data-reading="(\w+)"')


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    children: list = field(default_factory=list)  # Elements and strings
    parent: "Element | None" = None

    def html(self, blank_text=True) -> str:
        attrs = "".join(
            f" {k}" if v is None else f' {k}="{escape(v)}"' for k, v in self.attrs.items()
        )
        if self.tag in VOID:
            return f"<{self.tag}{attrs}>"
        return f"<{self.tag}{attrs}>{self.inner(blank_text)}</{self.tag}>"

    def inner(self, blank_text=True) -> str:
        parts = []
        for child in self.children:
            if isinstance(child, Element):
                parts.append(child.html(blank_text))
            elif blank_text or child.strip():
                parts.append(escape(child, quote=False))
        return "".join(parts)

    def walk(self):
        for child in self.children:
            if isinstance(child, Element):
                yield child
                yield from child.walk()

    def by_id(self, ident: str) -> "Element | None":
        return next((e for e in self.walk() if e.attrs.get("id") == ident), None)

    def adopt(self, nodes, index: int | None = None) -> None:
        index = len(self.children) if index is None else index
        for node in nodes:
            if isinstance(node, Element):
                node.parent = self
        self.children[index:index] = list(nodes)


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#root", {})
        self.open = self.root

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs), parent=self.open)
        self.open.children.append(element)
        if tag not in VOID:
            self.open = element

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        assert self.open.tag == tag, f"</{tag}> closes <{self.open.tag}>"
        self.open = self.open.parent

    def handle_data(self, data):
        self.open.children.append(data)


def parse(html: str) -> Element:
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root


class Page:
    """An article page, changed by the htmx answers it receives."""

    def __init__(self, html: str):
        self.root = parse(html[html.index("<body") : html.index("</body>") + len("</body>")])

    @property
    def state(self) -> str:
        return self.root.by_id("counts").attrs["data-reading"]

    def region(self, ident: str, blank_text: bool = False) -> str:
        """A region's HTML; text that is only white space between tags is left out unless
        `blank_text` (in the article body every character is text)."""
        element = self.root.by_id(ident)
        return element.html(blank_text) if element is not None else ""

    def swap(self, answer: str, target: str = "editor") -> list[str]:
        """Apply an htmx answer swapped into #target (outerHTML) with its out-of-band
        elements; returns the oob swap values, in the order applied."""
        fragment = parse(answer)
        applied = []
        for element in [e for e in fragment.walk() if "hx-swap-oob" in e.attrs]:
            assert element.parent is fragment, "an out-of-band swap nested in another"
            fragment.children.remove(element)
            applied.append(self._oob(element))
        self._replace(self.root.by_id(target), fragment.children)
        return applied

    def _oob(self, element: Element) -> str:
        value = element.attrs.pop("hx-swap-oob")
        style, _, selector = value.partition(":")
        if not selector:
            style, selector = ("outerHTML" if style == "true" else style), "#" + element.attrs["id"]
        assert selector.startswith("#") and " " not in selector, selector
        target = self.root.by_id(selector[1:])
        assert target is not None, f"no element {selector} on the page for {value}"
        parent = target.parent
        if style == "outerHTML":
            self._replace(target, [element])
        elif style == "delete":
            parent.children.remove(target)
        elif style == "innerHTML":
            target.children = []
            target.adopt(element.children)
        elif style == "beforebegin":
            parent.adopt(element.children, parent.children.index(target))
        elif style == "beforeend":
            target.adopt(element.children)
        else:
            raise AssertionError(f"unexpected swap {value}")
        return value

    @staticmethod
    def _replace(target: Element, nodes) -> None:
        parent = target.parent
        index = parent.children.index(target)
        parent.children.remove(target)
        parent.adopt(nodes, index)
