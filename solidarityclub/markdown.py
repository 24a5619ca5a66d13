"""The project's one Markdown renderer: blog posts, topics and meetings all call it.

Markdown written by anyone is never trusted: python-markdown turns it into
HTML, then nh3 (the maintained successor of bleach) keeps only an allow-list
of tags, attributes and URL schemes. Call it when saving, store the result;
`manage.py rerender_markdown` renders every stored field again when this
policy changes.
"""

import re

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

EXTENSIONS = ["fenced_code", "tables", "sane_lists", "smarty"]
# Table alignment as an `align` attribute: a `style` attribute would be stripped.
EXTENSION_CONFIGS = {"tables": {"use_align_attribute": True}}

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "h5", "h6",
    "hr", "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "td": {"align"},
    "th": {"align"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
LINK_REL = "nofollow noopener noreferrer"

# Control characters mean nothing in prose, and python-markdown uses \x02 and
# \x03 to mark its own placeholders: they go before anything is parsed.
# Tab, line feed and carriage return stay.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_ATTRIBUTE_VALUES = {
    ("td", "align"): re.compile(r"left|center|right"),
    ("th", "align"): re.compile(r"left|center|right"),
    ("ol", "start"): re.compile(r"\d{1,6}"),
}


class _SiteSafeTree(Treeprocessor):
    """Put headings below the page's h1; turn images into plain links.

    The text's highest heading becomes an h2 and the levels it uses follow
    without gaps (# and ### → h2 and h3), so a screen reader's outline of the
    page stays in order. Images would load from another host, which the site never does (and its
    Content-Security-Policy would block), so the reader gets a link instead;
    an image that already sits inside a link becomes its alt text, since a
    link inside a link is not HTML.
    """

    HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")

    def run(self, root):
        used = sorted({element.tag for element in root.iter() if element.tag in self.HEADINGS})
        self.heading_levels = {tag: f"h{min(2 + rank, 6)}" for rank, tag in enumerate(used)}
        self._walk(root, inside_link=False)

    def _walk(self, element, inside_link):
        for child in element:
            if child.tag in self.HEADINGS:
                child.tag = self.heading_levels[child.tag]
            elif child.tag == "img":
                src, alt = child.get("src", ""), child.get("alt", "") or "image"
                child.attrib.clear()
                child.text = alt
                if inside_link:
                    child.tag = "span"  # not allowed: the sanitizer keeps only its text
                else:
                    child.tag = "a"
                    child.set("href", src)
            self._walk(child, inside_link or child.tag == "a")


class _SiteSafeExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (python-markdown's API name)
        md.treeprocessors.register(_SiteSafeTree(md), "site_safe", 0)


def _keep_attribute(tag, attribute, value):
    pattern = _ATTRIBUTE_VALUES.get((tag, attribute))
    if pattern is not None and not pattern.fullmatch(value):
        return None
    return value


def render_markdown(text):
    """Markdown source → sanitized HTML, safe to mark safe in templates."""
    source = _CONTROL_CHARACTERS.sub("", text or "")
    html = markdown.markdown(
        source,
        extensions=[*EXTENSIONS, _SiteSafeExtension()],
        extension_configs=EXTENSION_CONFIGS,
    )
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_keep_attribute,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    ).strip()


class RendersMarkdown:
    """A model mixin: saving renders each Markdown field into its stored HTML field.

    MARKDOWN_FIELDS = {source: html}. A save with `update_fields` writes the HTML fields
    too. `manage.py rerender_markdown` renders every such model's rows again.
    """

    MARKDOWN_FIELDS = {}

    def render_markdown_fields(self):
        for source, html in self.MARKDOWN_FIELDS.items():
            setattr(self, html, render_markdown(getattr(self, source)))

    def save(self, *args, **kwargs):
        self.render_markdown_fields()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *self.MARKDOWN_FIELDS.values()}
        super().save(*args, **kwargs)
