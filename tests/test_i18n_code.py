"""No sentence in the site's Python reaches a person in English only.

Reads the code (ast): a sentence in a string or f-string must be inside a translation call,
or be for developers and deployers (exceptions they see, logs, docstrings). Management
commands, demo data and settings talk to whoever runs them and are left out.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ["blog", "meetings", "members", "topics", "solidarityclub"]
TRANSLATING = {
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "_",
}
# Read by developers and deployers, never shown to a member or an organizer: a 404's message
# (the 404 page does not show it), programming errors, the mailbox settings' errors (the
# command's output), the IMAP step named in them, and log lines.
FOR_DEVELOPERS = {
    "Http404",
    "ValueError",
    "TypeError",
    "ImproperlyConfigured",
    "InboxError",
    "_check",
    "debug",
    "info",
    "warning",
    "error",
    "exception",
}
NOT_PROSE = {
    "solidarityclub/markdown.py": {"nofollow noopener noreferrer"},  # an HTML attribute's value
    "solidarityclub/views.py": {"database unavailable"},  # /healthz, for the load balancer
}
SENTENCE = re.compile(r"[A-Za-z]{2,} [a-z]{2,}")  # two words are enough: “You support “{topic}”.”


def modules():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if {"migrations", "management"} & set(relative.parts) or path.name in {"settings.py"}:
                continue
            if path.name.endswith("demo.py"):
                continue
            yield relative


def called_name(call):
    return call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", "")


def english_sentences(tree):
    left_out = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list):  # docstrings, and the string just after an assignment
            for first, second in zip([None, *body], body, strict=False):
                is_string = isinstance(second, ast.Expr) and isinstance(second.value, ast.Constant)
                if is_string and (first is None or isinstance(first, ast.Assign)):
                    left_out.add(id(second.value))
        if isinstance(node, ast.Call) and called_name(node) in TRANSLATING | FOR_DEVELOPERS:
            left_out.update(id(inner) for inner in ast.walk(node))
    for node in ast.walk(tree):
        if id(node) in left_out:
            continue
        if isinstance(node, ast.JoinedStr):
            text = "".join(part.value for part in node.values if isinstance(part, ast.Constant))
            left_out.update(id(part) for part in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        if SENTENCE.search(re.sub(r"<[^>]*>", " ", text)):  # words, not tags and attributes
            yield node.lineno, text


@pytest.mark.parametrize("path", list(modules()), ids=str)
def test_no_sentence_is_shown_in_english_only(path):
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    allowed = NOT_PROSE.get(path.as_posix(), set())
    found = [(line, text) for line, text in english_sentences(tree) if text not in allowed]
    assert not found, (
        f"{path}: wrap these in gettext (named placeholders), or say why they are not shown: {found}"
    )


def test_the_check_finds_an_untranslated_message():
    code = 'def view(request):\n    messages.success(request, f"You support “{topic}”.")\n'
    assert list(english_sentences(ast.parse(code))) == [(2, "You support “”.")]
    translated = 'def view(request):\n    messages.success(request, gettext("You support it now."))\n'
    assert not list(english_sentences(ast.parse(translated)))
