"""The plans app's layers point down: its rules import no models (the models import the rules),
nothing in it hides an import inside a function to dodge a cycle, and the steps registry other
apps plug into lives in core."""

from __future__ import annotations

import ast
from pathlib import Path

import apps.plans

ROOT = Path(apps.plans.__file__).parent


def imports(path: Path) -> list[tuple[str, bool]]:
    """(module, inside a function) for each import of a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    nested = {id(inner) for f in functions for inner in ast.walk(f) if inner is not f}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            found += [(f"{module}.{alias.name}", id(node) in nested) for alias in node.names]
        elif isinstance(node, ast.Import):
            found += [(alias.name, id(node) in nested) for alias in node.names]
    return found


def test_the_rules_import_no_models():
    modules = [module for module, _inner in imports(ROOT / "rules.py")]
    assert not [m for m in modules if "models" in m.split(".")], modules


def test_no_import_hides_inside_a_function():
    """Apart from the app's ``ready`` (which registers with core) and a heavy optional library
    imported only when a PDF is made."""
    allowed = {("apps.py", "apps.core.audit"), ("apps.py", "apps.core.portal"), ("pdf.py", None)}
    hidden = []
    for path in ROOT.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        for module, inner in imports(path):
            if not inner or (path.name, None) in allowed or (path.name, module) in allowed:
                continue
            if path.name == "apps.py" and module.startswith("."):
                continue
            hidden.append((str(path.relative_to(ROOT)), module))
    assert hidden == []


def test_the_steps_registry_is_cores():
    from apps.core import steps
    from apps.plans import steps as plan_sources

    assert "documents" in {source.key for source in steps.sources()}
    assert not hasattr(plan_sources, "register")
