"""solidarityclub.markdown: what Markdown gives, and what no payload gets through.

The output is parsed with html.parser and judged by its tag names, attributes
and URL schemes, the way a browser would read it, never by substring.
"""

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from solidarityclub.markdown import render_markdown

SAFE_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "del", "em", "h2", "h3", "h4", "h5", "h6",
    "hr", "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
SAFE_ATTRIBUTES = {"href", "title", "rel", "align", "start"}
SAFE_SCHEMES = {None, "http", "https", "mailto"}
REL = {"nofollow", "noopener", "noreferrer"}


class Parsed(HTMLParser):
    """Every start tag of a fragment with its attributes (values unescaped, as a browser reads them)."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.elements = []
        self.text = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)

    @property
    def tags(self):
        return [tag for tag, _ in self.elements]

    def all(self, tag):
        return [attrs for name, attrs in self.elements if name == tag]


def url_scheme(url):
    """The scheme a browser would see: C0 controls and spaces trimmed, tabs and newlines dropped."""
    url = url.strip("".join(chr(c) for c in range(0x21)))
    url = re.sub(r"[\t\n\r]", "", url)
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.\-]*):", url)
    return match.group(1).lower() if match else None


def assert_harmless(html):
    parsed = Parsed(html)
    for tag, attrs in parsed.elements:
        assert tag in SAFE_TAGS, (tag, html)
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name, html)
            assert name in SAFE_ATTRIBUTES, (tag, name, html)
            if name == "href":
                assert url_scheme(value or "") in SAFE_SCHEMES, (value, html)
        if tag == "a":
            assert set((attrs.get("rel") or "").split()) == REL, html
    return parsed


XSS_PAYLOADS = [
    # script and style
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    "<style>body { display: none }</style>",
    '<p style="background:url(javascript:alert(1))">x</p>',
    "<link rel=stylesheet href=//evil.example/x.css>",
    # event-handler attributes
    "<p onclick=alert(1)>click</p>",
    "<img src=x onerror=alert(1)>",
    '<a href="https://ok.example" onmouseover="alert(1)">x</a>',
    "<details open ontoggle=alert(1)>x</details>",
    "<body onload=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    # javascript:, data:, vbscript: URLs in Markdown links and images
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;&#x61;vascript:alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x](java&#x09;script:alert(1))",
    "[x](java\tscript:alert(1))",
    "[x]( javascript:alert(1))",
    "[x](<javascript:alert(1)>)",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](DATA:text/html,<script>alert(1)</script>)",
    "[x](vbscript:msgbox(1))",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "[![x](javascript:alert(1))](javascript:alert(2))",
    "[x][ref]\n\n[ref]: javascript:alert(1)",
    '[x](https://ok.example "a" onmouseover="alert(1)")',
    "<javascript:alert(1)>",
    # the same in raw HTML
    '<a href="javascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="&#x6A;avascript&colon;alert(1)">x</a>',
    '<a href="&#0000106avascript:alert(1)">x</a>',
    '<a href="java&#9;script:alert(1)">x</a>',
    '<a href="java&#x0A;script:alert(1)">x</a>',
    '<a href="\x01javascript:alert(1)">x</a>',
    "<a href='javas\x00cript:alert(1)'>x</a>",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    # raw HTML blocks and embedded documents
    "<div>\n<script>alert(1)</script>\n</div>",
    '<iframe src="https://evil.example"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    "<embed src=javascript:alert(1)>",
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    '<base href="javascript:/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "<table><tr><td background='javascript:alert(1)'>x</td></tr></table>",
    '<ol start="1 onmouseover=alert(1)"><li>x</li></ol>',
    '<td align="javascript:alert(1)">x</td>',
    # SVG and MathML
    "<svg onload=alert(1)><circle r=10 /></svg>",
    '<svg><a xlink:href="javascript:alert(1)"><text>x</text></a></svg>',
    "<svg><script>alert(1)</script></svg>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    # comments, CDATA and python-markdown's own placeholders
    "<!--><script>alert(1)</script>-->",
    "<![CDATA[<script>alert(1)</script>]]>",
    "\x02wzxhzdk:0\x03<script>alert(1)</script>",
    # malformed Markdown and HTML
    "[x](javascript:alert(1)",
    "[x]((javascript:alert(1)))",
    '<a href="javascript:alert(1)"',
    "<a href=javascript:alert(1)>unclosed",
    "```\n</code></pre><script>alert(1)</script>\n```",
    "`<script>alert(1)</script>`",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_it_neutralizes_the_payload(payload):
    parsed = assert_harmless(render_markdown(payload))
    assert "script" not in parsed.tags


def test_it_drops_the_content_of_script_and_style_not_only_the_tags():
    parsed = assert_harmless(render_markdown("before <script>alert(1)</script><style>p{}</style> after"))
    assert "alert(1)" not in "".join(parsed.text)
    assert "p{}" not in "".join(parsed.text)


def test_code_blocks_show_html_as_text():
    parsed = assert_harmless(render_markdown("```\n<script>alert(1)</script>\n```"))
    assert parsed.tags == ["pre", "code"]
    assert "<script>alert(1)</script>" in "".join(parsed.text)


FRAGMENTS = [
    "<", ">", "[", "]", "(", ")", "!", "`", "```\n", "\n", "\n\n", '"', "'", "&", "&#", ";", ":",
    "javascript", "JaVaScRiPt", "data", "vbscript", "alert(1)", "<script>", "</script>", "<a href=",
    "<img src=x onerror=", "<svg onload=", "<iframe", "<style>", " onclick=", "&#106;", "&#x09;",
    "\t", "\x00", "\x02", "\x03", "http://ok.example", "# ", "> ", "- ", "1. ", "| a |\n|---|\n",
]  # fmt: skip


@settings(max_examples=300, database=None, deadline=None)
@given(st.one_of(st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join), st.text(max_size=200)))
def test_no_combination_of_fragments_gets_through(text):
    assert_harmless(render_markdown(text))


# What Markdown gives


def test_links_keep_safe_schemes_and_get_rel():
    parsed = assert_harmless(
        render_markdown(
            "[web](https://example.org/a?b=1) [plain](http://example.org) [mail](mailto:us@solidarityclub.org) "
            "[here](/meetings/) <https://example.org/auto> <us@solidarityclub.org>"
        )
    )
    hrefs = [attrs["href"] for attrs in parsed.all("a")]
    assert hrefs == [
        "https://example.org/a?b=1",
        "http://example.org",
        "mailto:us@solidarityclub.org",
        "/meetings/",
        "https://example.org/auto",
        "mailto:us@solidarityclub.org",
    ]


def test_unsafe_links_keep_their_text_without_the_url():
    parsed = Parsed(render_markdown("[read me](javascript:alert(1))"))
    assert parsed.all("a") == [{"rel": "nofollow noopener noreferrer"}]
    assert "read me" in "".join(parsed.text)


def test_headings_never_outrank_the_pages_h1():
    parsed = assert_harmless(render_markdown("# One\n\n## Two\n\nSetext\n======\n\n##### Five\n\n###### Six"))
    assert parsed.tags == ["h2", "h3", "h2", "h4", "h5"]


def test_heading_levels_start_at_h2_and_follow_without_gaps():
    assert Parsed(render_markdown("## A\n\n#### B\n\n## C")).tags == ["h2", "h3", "h2"]
    assert Parsed(render_markdown("### Only")).tags == ["h2"]
    assert Parsed(render_markdown("# 1\n## 2\n### 3\n#### 4\n##### 5\n###### 6")).tags == [
        "h2", "h3", "h4", "h5", "h6", "h6",
    ]  # fmt: skip


def test_raw_h1_is_stripped_to_its_text():
    parsed = assert_harmless(render_markdown("<h1>Shout</h1>"))
    assert "h1" not in parsed.tags
    assert "Shout" in "".join(parsed.text)


def test_images_become_links_so_nothing_loads_from_another_host():
    parsed = assert_harmless(render_markdown("![a poster](https://images.example/poster.png)"))
    assert "img" not in parsed.tags
    assert parsed.all("a")[0]["href"] == "https://images.example/poster.png"
    assert "a poster" in "".join(parsed.text)


def test_an_image_inside_a_link_becomes_its_alt_text():
    parsed = assert_harmless(
        render_markdown("[![the poster](https://images.example/p.png)](https://example.org)")
    )
    assert [attrs["href"] for attrs in parsed.all("a")] == ["https://example.org"]
    assert "the poster" in "".join(parsed.text)


def test_tables_keep_their_alignment():
    parsed = assert_harmless(render_markdown("| a | b | c |\n| :- | :-: | -: |\n| 1 | 2 | 3 |"))
    assert parsed.tags[:2] == ["table", "thead"]
    assert [attrs.get("align") for attrs in parsed.all("th")] == ["left", "center", "right"]
    assert [attrs.get("align") for attrs in parsed.all("td")] == ["left", "center", "right"]


def test_fenced_code_lists_quotes_and_emphasis():
    source = (
        "Some *emphasis*, **strong** and `code`.\n\n"
        "- one\n- two\n\n"
        "3. three\n4. four\n\n"
        "> a quote\n\n"
        "```python\nprint('hi')\n```\n\n"
        "---"
    )
    parsed = assert_harmless(render_markdown(source))
    assert parsed.tags == [
        "p", "em", "strong", "code", "ul", "li", "li", "ol", "li", "li", "blockquote", "p", "pre", "code", "hr",
    ]  # fmt: skip
    assert parsed.all("ol") == [{"start": "3"}]
    assert parsed.all("code")[1] == {}  # the language class is not kept


def test_smart_quotes():
    text = "".join(Parsed(render_markdown("\"Solidarity\" isn't 'charity' -- it's mutual.")).text)
    assert text == "“Solidarity” isn’t ‘charity’ – it’s mutual."


def test_sane_lists_do_not_merge_different_list_types():
    parsed = Parsed(render_markdown("1. a\n2. b\n\n- c\n- d"))
    assert [tag for tag in parsed.tags if tag in {"ol", "ul"}] == ["ol", "ul"]


def test_empty_and_missing_text_render_to_nothing():
    assert render_markdown("") == ""
    assert render_markdown(None) == ""


def test_control_characters_are_dropped_but_text_stays():
    text = "".join(Parsed(render_markdown("soli\x00dar\x07ity\x02")).text)
    assert text == "solidarity"
