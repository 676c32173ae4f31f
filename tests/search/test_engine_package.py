"""The engine package stands alone: no Django, no other app, and the only home of Whoosh."""

import ast
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / "apps" / "search" / "engine"
# What engine modules may import besides each other (relative imports) and the standard library.
THIRD_PARTY = {"whoosh", "pythainlp", "nlpo3", "numpy"}


def imported_modules(path: Path) -> set[str]:
    """Top-level names of every absolute import in ``path`` (function-level ones too)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_engine_modules_import_only_the_standard_library_whoosh_thai_nlp_and_numpy():
    allowed = set(sys.stdlib_module_names) | THIRD_PARTY
    modules = sorted(ENGINE.glob("*.py"))
    assert len(modules) > 5
    for path in modules:
        foreign = {name for name in imported_modules(path) if name.split(".")[0] not in allowed}
        assert not foreign, f"{path.name} imports {sorted(foreign)}"


def test_the_engine_imports_and_works_without_django_settings(tmp_path):
    """GIVEN a fresh process with no Django settings WHEN it indexes and searches with the
    facade THEN it works, and neither Django nor another app was imported on the way."""
    script = (
        "import sys\n"
        "from apps.search.engine import SearchEngine, SearchRequest, Viewer\n"
        f"engine = SearchEngine({str(tmp_path / 'index')!r})\n"
        "engine.upsert([{'kind': 'note', 'pk': 1, 'title': 'ประชุมสหกรณ์', 'access': 'all'}])\n"
        "hits = engine.search(SearchRequest(viewer=Viewer(user_id=1), text='สหกรณ์')).hits\n"
        "assert [h.uid for h in hits] == ['note:1'], hits\n"
        "loaded = [m for m in sys.modules if m == 'django' or m.startswith(('django.', 'apps.'))]\n"
        "outside = [m for m in loaded if not m.startswith('apps.search.engine')]\n"
        "assert outside == ['apps.search'], outside\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_whoosh_is_imported_only_by_the_search_app():
    site = Path(sysconfig.get_paths()["purelib"]).resolve()
    for path in sorted((ROOT / "apps").rglob("*.py")):
        if site in path.resolve().parents:
            continue
        if any(name.split(".")[0] == "whoosh" for name in imported_modules(path)):
            assert ENGINE in path.parents, f"{path.relative_to(ROOT)} imports Whoosh"
