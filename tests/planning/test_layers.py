"""Plans sit below the apps that build on them: planning never imports resources, controls,
finance or schedule risk (not even inside a function), and those apps change plans through
the plan-editing core's public functions, never its private ones."""

from __future__ import annotations

import ast
from pathlib import Path

import projectoffice

ROOT = Path(projectoffice.__file__).parent
ABOVE_PLANNING = ("resources", "controls", "finance", "schedulerisk")


def _imports(path: Path) -> list[tuple[str, list[str], bool]]:
    """(module, names, inside a function) for every import in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nested: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            nested.update(id(inner) for inner in ast.walk(node) if inner is not node)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            module = node.module
            if node.level:  # relative: resolve against the file's package
                package = path.parent.relative_to(ROOT.parent).parts
                module = ".".join(package[:len(package) - node.level + 1]) + "." + module
            found.append((module, [a.name for a in node.names], id(node) in nested))
        elif isinstance(node, ast.Import):
            found.extend((a.name, [], id(node) in nested) for a in node.names)
    return found


def test_planning_imports_no_app_built_on_plans() -> None:
    offending = [f"{path.name}: {module}"
                 for path in sorted((ROOT / "planning").rglob("*.py"))
                 for module, _, _ in _imports(path)
                 if any(module.startswith(f"projectoffice.{app}") for app in ABOVE_PLANNING)]
    assert offending == []


def test_other_apps_use_only_public_planning_functions() -> None:
    offending = []
    for path in sorted(ROOT.rglob("*.py")):
        if (ROOT / "planning") in path.parents:
            continue
        for module, names, _ in _imports(path):
            if module.startswith("projectoffice.planning"):
                offending += [f"{path.relative_to(ROOT)}: {module}.{name}" for name in names
                              if name.startswith("_")]
    assert offending == []


def test_resources_imports_planning_at_the_top_only() -> None:
    hidden = [f"{path.name}: {module}"
              for path in sorted((ROOT / "resources").rglob("*.py"))
              for module, _, nested in _imports(path)
              if nested and module.startswith("projectoffice.planning")]
    assert hidden == []
