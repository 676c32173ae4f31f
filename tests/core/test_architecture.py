"""The shape of ``apps/``: no import cycles between modules or between apps, lower layers never
import higher ones, search is reached only through the core's registries, and permission rules
import no models.

Imports are read from the source (``ast``), every one of them: at module level, inside
functions and methods, and under ``if TYPE_CHECKING`` alike, so a function-level import used to
dodge a cycle still counts as one. ``from package import name`` is an import of
``package.name`` when that is a module, of ``package`` otherwise. Migrations are left out (they
name apps by label, not by import).
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

APPS = Path(__file__).resolve().parents[2] / "apps"

# Lowest first. An app may import apps of its own layer or lower ones (within a layer, as long as
# there is no cycle). A new app must be given its place here.
LAYERS: list[set[str]] = [
    {"core"},
    {"accounts", "teams"},
    {"notifications"},
    {"search"},
    {"library"},
    {"knowledge", "plans", "meetings", "experts"},
    {"community", "board", "learning"},
    {"dashboard", "ops"},
]
# Apps plug into search by registering with the core (``apps.core`` registries); only the top
# layer, which shows and maintains the whole portal, may use search directly.
SEARCH_CLIENTS = {"dashboard", "ops"}
# Each app's permission rules: its models import them, so they must not import models.
# (``apps/teams/predicates.py`` is the source the rules are built from: it reads the memberships
# that make a role, so it imports the teams models, which never import it; the cycle check above
# keeps it that way.)
RULE_MODULES = {"rules"}


@cache
def modules() -> dict[str, tuple[Path, bool]]:
    """Dotted name → (file, is a package) for every module under ``apps/`` but migrations."""
    found = {}
    for path in sorted(APPS.rglob("*.py")):
        parts = list(path.relative_to(APPS.parent).with_suffix("").parts)
        if "migrations" in parts:
            continue
        package = parts[-1] == "__init__"
        found[".".join(parts[:-1] if package else parts)] = (path, package)
    return found


def _resolve(name: str) -> str | None:
    """The module of ``apps`` that importing ``name`` loads last (``a.b.Model`` → ``a.b``)."""
    while name and name not in modules():
        name = name.rpartition(".")[0]
    return name or None


def _imported_names(module: str):
    """(dotted name, line) for every import statement anywhere in the module."""
    path, package = modules()[module]
    here = module if package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = here.split(".")
                base = ".".join([*parts[: len(parts) - node.level + 1], node.module or ""])
            else:
                base = node.module or ""
            for alias in node.names:
                yield f"{base.rstrip('.')}.{alias.name}", node.lineno


@cache
def graph() -> dict[str, dict[str, int]]:
    """Module → {module of apps it imports: first line that does}."""
    edges: dict[str, dict[str, int]] = {}
    for module in modules():
        edges[module] = {}
        for name, line in _imported_names(module):
            target = _resolve(name) if name.startswith("apps.") else None
            if target and target != module:
                edges[module].setdefault(target, line)
    return edges


def app_of(module: str) -> str:
    return module.split(".")[1]


def app_graph() -> dict[str, dict[str, list[str]]]:
    """App → {other app it imports: ["module:line -> module", ...]}."""
    edges: dict[str, dict[str, list[str]]] = {}
    for module, targets in graph().items():
        for target, line in targets.items():
            if app_of(target) != app_of(module):
                edges.setdefault(app_of(module), {}).setdefault(app_of(target), []).append(
                    f"{module}:{line} -> {target}"
                )
    return edges


def cycles(edges: dict) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found = []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(edges.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return sorted(found)


def _describe_module_cycles() -> list[str]:
    lines = []
    for component in cycles(graph()):
        members = set(component)
        lines.append(
            "cycle: "
            + "; ".join(
                f"{module}:{line} -> {target}"
                for module in component
                for target, line in sorted(graph()[module].items())
                if target in members
            )
        )
    return lines


def _describe_app_cycles() -> list[str]:
    edges = app_graph()
    lines = []
    for component in cycles(edges):
        members = set(component)
        lines.append(
            f"apps {', '.join(component)}: "
            + "; ".join(
                f"{app} -> {other} ({', '.join(via)})"
                for app in component
                for other, via in sorted(edges.get(app, {}).items())
                if other in members
            )
        )
    return lines


def _layer(app: str) -> int:
    for number, layer in enumerate(LAYERS):
        if app in layer:
            return number
    raise AssertionError(f"apps/{app} has no layer: add it to LAYERS in {__file__}")


def _layer_breaches() -> list[str]:
    breaches = []
    for app, others in sorted(app_graph().items()):
        for other, via in sorted(others.items()):
            if other == "search" and app not in SEARCH_CLIENTS:
                breaches.append(f"{app} imports search directly: {', '.join(via)}")
            elif _layer(other) > _layer(app):
                breaches.append(f"{app} (lower) imports {other} (higher): {', '.join(via)}")
    return breaches


def _rules_importing_models() -> list[str]:
    found = []
    for module, targets in sorted(graph().items()):
        if module.rpartition(".")[2] in RULE_MODULES:
            found += [
                f"{module}:{line} -> {target}"
                for target, line in sorted(targets.items())
                if target.split(".")[2:3] == ["models"]
            ]
    return found


# --- The checker itself -------------------------------------------------------------------------
def test_the_checker_sees_every_kind_of_import(tmp_path, monkeypatch):
    """GIVEN a small tree with a cycle made only by a function-level relative import WHEN the
    graph is read THEN the cycle, the app cycle and the layer breach are all found."""
    for name, text in {
        "core/__init__.py": "",
        "core/a.py": "from apps.shop import views\n",
        "shop/__init__.py": "",
        "shop/models.py": "def later():\n    from .rules import can\n",
        "shop/rules.py": "from apps.shop.models import Thing\n",
        "shop/views.py": "from apps.core import a\nfrom . import models\n",
    }.items():
        (tmp_path / "apps" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "apps" / name).write_text(text)
    monkeypatch.setattr(f"{__name__}.APPS", tmp_path / "apps")
    monkeypatch.setattr(f"{__name__}.LAYERS", [{"core"}, {"shop"}])
    modules.cache_clear()
    graph.cache_clear()
    try:
        assert cycles(graph()) == [
            ["apps.core.a", "apps.shop.views"],
            ["apps.shop.models", "apps.shop.rules"],
        ]
        assert cycles(app_graph()) == [["core", "shop"]]
        assert _layer_breaches() == [
            "core (lower) imports shop (higher): apps.core.a:1 -> apps.shop.views"
        ]
        assert _rules_importing_models() == ["apps.shop.rules:1 -> apps.shop.models"]
    finally:
        modules.cache_clear()
        graph.cache_clear()


def test_the_checker_reads_the_real_tree():
    assert len(modules()) > 100
    assert "apps.dashboard.figures" in graph()["apps.dashboard.views"]  # from . import figures
    assert "apps.core.models" in graph()["apps.teams.models"]


# --- The rules ------------------------------------------------------------------------------------
def test_no_import_cycle_between_modules():
    assert _describe_module_cycles() == []


def test_no_import_cycle_between_apps():
    assert _describe_app_cycles() == []


def test_lower_layers_never_import_higher_ones():
    assert _layer_breaches() == []


def test_rules_import_no_models():
    assert _rules_importing_models() == []
