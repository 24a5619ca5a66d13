"""The meetings app's modules depend one way: models ← emails, template tags (and the times module).

The models import neither the emails nor the template tags, so nothing in meetings/ needs an
import hidden inside a function to dodge a circle (only AppConfig.ready imports late, as Django asks).
"""

import ast
from pathlib import Path

MEETINGS = Path(__file__).resolve().parent.parent / "meetings"


def imported_modules(node):
    """The module names an import statement names ("." for `from . import x` is joined with x)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = "." * node.level + (node.module or "")
    return [base] if node.module else [base + alias.name for alias in node.names]


def module_level_imports(path):
    tree = ast.parse(path.read_text())
    return [
        name
        for node in tree.body
        if isinstance(node, ast.Import | ast.ImportFrom)
        for name in imported_modules(node)
    ]


def imports_inside_functions(path):
    tree = ast.parse(path.read_text())
    found = []
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom):
                    found.extend((function.name, name) for name in imported_modules(node))
    return found


def test_the_models_import_neither_the_emails_nor_the_template_tags():
    imports = module_level_imports(MEETINGS / "models.py")
    assert imports_inside_functions(MEETINGS / "models.py") == []
    for name in imports:
        assert "emails" not in name.replace("solidarityclub.emails", ""), name
        assert "templatetags" not in name, name


def test_no_import_in_meetings_is_hidden_inside_a_function():
    hidden = {
        str(path.relative_to(MEETINGS)): imports_inside_functions(path)
        for path in MEETINGS.rglob("*.py")
        if "migrations" not in path.parts and path.name != "apps.py"
    }
    assert {path: found for path, found in hidden.items() if found} == {}
