"""The project's one Markdown renderer: blog posts, topics and meetings all call it.

Markdown written by anyone is never trusted: python-markdown turns it into
HTML, then nh3 (the maintained successor of bleach) keeps only an allow-list
of tags, attributes and URL schemes. Call it when saving, store the result.
"""

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

EXTENSIONS = ["fenced_code", "tables", "sane_lists", "smarty"]

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


class _SiteSafeTree(Treeprocessor):
    """Demote headings below the page's h1; turn images into plain links.

    Images would load from another host, which the site never does (and its
    Content-Security-Policy would block), so the reader gets a link instead.
    """

    def run(self, root):
        for element in root.iter():
            if element.tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
                element.tag = f"h{min(int(element.tag[1]) + 1, 6)}"
            elif element.tag == "img":
                src, alt = element.get("src", ""), element.get("alt", "") or "image"
                element.attrib.clear()
                element.tag = "a"
                element.set("href", src)
                element.text = alt


class _SiteSafeExtension(Extension):
    def extendMarkdown(self, md):  # noqa: N802 (python-markdown's API name)
        md.treeprocessors.register(_SiteSafeTree(md), "site_safe", 0)


def render_markdown(text):
    """Markdown source → sanitized HTML, safe to mark safe in templates."""
    html = markdown.markdown(text or "", extensions=[*EXTENSIONS, _SiteSafeExtension()])
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel=LINK_REL,
        strip_comments=True,
    )
