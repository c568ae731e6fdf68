"""The layout's rules, checked on the source: imports flow one way.

- No import cycle among the project's modules.
- No function-local import of the project's own modules (they hide cycles).
- The pure packages (extraction, safefetch, counting, texttools) import no Django
  and no app.
- Apps import only apps below them in LAYERS; `workbench` (settings, urls,
  middleware) sits on top. A feature triggers another through a job kind or
  fills a slot on its pages, never by importing it.
- Inside an app, selectors and models never import services, services never
  import views, and nothing imports `tasks` modules (tasks -> services only).
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PURE = ("extraction", "safefetch", "counting", "texttools")
# Lowest first: an app may import the apps before it (and the pure packages).
LAYERS = (
    "audit",
    "workspaces",
    "jobs",
    "vocabulary",
    "claims",
    "archive",
    "suggestions",
    "matching",
    "figures",
    "exports",
    "search",
    "dashboard",
    "workbench",
)
PROJECT = PURE + LAYERS
CHECKED_ELSEWHERE = ("tests",)


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _sources(packages) -> dict[str, Path]:
    found = {}
    for package in packages:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" not in path.parts:
                found[_module_name(path)] = path
    return found


MODULES = _sources(PROJECT)


def _imports(path: Path, module: str):
    """(imported module, line, inside a function?) for each project import."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_package = path.name == "__init__.py"
    functions = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
    ]
    local_lines = {
        child.lineno
        for function in functions
        for child in ast.walk(function)
        if isinstance(child, ast.Import | ast.ImportFrom)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            candidates = [target, *(f"{target}.{alias.name}" for alias in node.names)]
        elif isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        else:
            continue
        for name in candidates:
            if (
                name.split(".")[0] in PROJECT
                or name.split(".")[0] in CHECKED_ELSEWHERE
                or (name.split(".")[0] == "django" and name == candidates[0])
            ):
                yield name, node.lineno, node.lineno in local_lines


def _graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = defaultdict(set)
    for module, path in MODULES.items():
        for name, _, _ in _imports(path, module):
            if name in MODULES and name != module:
                graph[module].add(name)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(node: str) -> None:
        nonlocal counter
        index[node] = low[node] = counter
        counter += 1
        stack.append(node)
        on_stack.add(node)
        for neighbour in sorted(graph.get(node, ())):
            if neighbour not in index:
                visit(neighbour)
                low[node] = min(low[node], low[neighbour])
            elif neighbour in on_stack:
                low[node] = min(low[node], index[neighbour])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(MODULES):
        if node not in index:
            visit(node)
    return found


def test_the_project_has_no_import_cycle():
    assert _cycles(_graph()) == []


def test_no_function_imports_a_project_module():
    local = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for module, path in {**MODULES, **_sources(CHECKED_ELSEWHERE)}.items()
        for name, line, inside in _imports(path, module)
        if inside and name.split(".")[0] in PROJECT + CHECKED_ELSEWHERE
    ]
    assert local == []


def test_pure_packages_import_neither_django_nor_apps():
    offending = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for module, path in MODULES.items()
        if module.split(".")[0] in PURE
        for name, line, _ in _imports(path, module)
        if name.split(".")[0] in ("django", *LAYERS)
    ]
    assert offending == []


def test_apps_import_only_the_apps_below_them():
    offending = []
    for module, path in MODULES.items():
        app = module.split(".")[0]
        if app not in LAYERS:
            continue
        allowed = set(LAYERS[: LAYERS.index(app) + 1]) | set(PURE)
        for name, line, _ in _imports(path, module):
            target = name.split(".")[0]
            if target in LAYERS and target not in allowed:
                offending.append(f"{path.relative_to(ROOT)}:{line} ({app}) imports {name}")
    assert offending == []


def _layer_of(module: str) -> str:
    """selectors, services, views, tasks or other, from the module's path."""
    for part in module.split(".")[1:]:
        for layer in ("selectors", "services", "views", "tasks", "models", "presenters"):
            if part == layer or part.startswith(layer + "_"):
                return layer
    return "other"


# Who may not import whom, inside and across apps.
FORBIDDEN = {
    "models": {"services", "selectors", "views", "presenters", "tasks"},
    "selectors": {"services", "views", "presenters", "tasks"},
    "services": {"views", "presenters", "tasks"},
    "presenters": {"views", "tasks"},
    "views": {"tasks"},
    "other": {"tasks"},
}


def test_layers_inside_apps_import_downwards():
    offending = []
    for module, path in MODULES.items():
        if module.split(".")[0] not in LAYERS or module.split(".")[0] == "workbench":
            continue
        mine = _layer_of(module)
        for name, line, _ in _imports(path, module):
            if name not in MODULES or name.split(".")[0] not in LAYERS:
                continue
            theirs = _layer_of(name)
            if mine != theirs and theirs in FORBIDDEN.get(mine, ()):
                offending.append(f"{path.relative_to(ROOT)}:{line} ({mine}) imports {name}")
    assert offending == []


def test_views_never_import_other_views():
    offending = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for module, path in MODULES.items()
        if _layer_of(module) == "views"
        for name, line, _ in _imports(path, module)
        if name in MODULES
        and _layer_of(name) == "views"
        and name.split(".")[:2] != module.split(".")[:2]
    ]
    assert offending == []


def test_below_the_views_nothing_speaks_http():
    """Services, selectors and models raise domain errors, never Http404."""
    offending = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for module, path in MODULES.items()
        if module.split(".")[0] in LAYERS
        and _layer_of(module) in ("services", "selectors", "models")
        for name, line, _ in _imports(path, module)
        if name.startswith(("django.http", "django.shortcuts"))
    ]
    assert offending == []
