"""Permissions and layers are declared once: no module outside accounts/roles.py and
portfolio/access.py compares roles itself, the layers contract in pyproject.toml holds, and
no import of the office's own code hides inside a function without a stated reason."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from projectoffice.accounts.roles import GlobalRole, ProjectRole

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "projectoffice"
ROLE_VALUES = {r.value for r in GlobalRole if r.value} | {r.value for r in ProjectRole}
DECIDE_ROLES = {"projectoffice/accounts/roles.py", "projectoffice/portfolio/access.py"}
# Imports inside functions are fine where Django must be set up first or the app registry be
# ready: settings, AppConfig.ready, the command line before django.setup().
SETUP_TIME = ("/apps.py", "/settings.py", "projectoffice/cli.py", "projectoffice/commands/")


def _modules() -> list[tuple[str, ast.Module, list[str]]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if "/migrations/" not in name:
            text = path.read_text()
            out.append((name, ast.parse(text), text.splitlines()))
    return out


def _role_like(node: ast.expr) -> bool:
    if isinstance(node, ast.Attribute):
        return node.attr in ("global_role", "role") or (
            isinstance(node.value, ast.Name) and node.value.id in ("GlobalRole", "ProjectRole"))
    if isinstance(node, ast.Constant):
        return node.value in ROLE_VALUES
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return any(_role_like(e) for e in node.elts)
    return False


def role_comparisons(tree: ast.Module) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            roles = [s for s in sides if isinstance(s, ast.Attribute)
                     and s.attr in ("global_role", "role")]
            if roles and any(_role_like(s) for s in sides if s not in roles):
                found.append(f"{node.lineno}: {ast.unparse(node)}")
    return found


def test_the_check_finds_a_role_comparison() -> None:
    tree = ast.parse("def f(user):\n    return user.is_superuser or "
                     "user.global_role == 'pmo_manager'\n")
    assert role_comparisons(tree) == ["2: user.global_role == 'pmo_manager'"]
    assert role_comparisons(ast.parse("x = m.role in (ProjectRole.PLANNER,)\n"))


def test_only_the_access_module_and_the_roles_compare_roles() -> None:
    found = [f"{name}:{hit}" for name, tree, _ in _modules() if name not in DECIDE_ROLES
             for hit in role_comparisons(tree)]
    assert found == [], ("ask portfolio/access.py (has_perm, has_global, is_pmo_manager…) "
                         f"instead of comparing roles: {found}")


def _imports_in_functions(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    found: list[ast.Import | ast.ImportFrom] = []
    for fn in ast.walk(tree):
        if isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(fn):
                own = (isinstance(node, ast.ImportFrom) and bool(
                    node.level or (node.module or "").startswith("projectoffice"))) or (
                    isinstance(node, ast.Import)
                    and any(a.name.startswith("projectoffice") for a in node.names))
                if own:
                    found.append(node)  # type: ignore[arg-type]
    return found


def test_no_import_of_the_office_hides_in_a_function_without_a_reason() -> None:
    found = []
    for name, tree, lines in _modules():
        if any(part in name for part in SETUP_TIME):
            continue
        for node in _imports_in_functions(tree):
            before = lines[node.lineno - 2].strip() if node.lineno > 1 else ""
            if "#" not in lines[node.lineno - 1] and not before.startswith("#"):
                found.append(f"{name}:{node.lineno}")
    assert found == [], f"move these imports to the top, or say why they wait: {found}"


def test_the_layers_contract_holds() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    run = subprocess.run([str(lint)], cwd=ROOT, capture_output=True, text=True,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, check=False)
    assert run.returncode == 0, run.stdout[-4000:]
    assert "Contracts: 1 kept, 0 broken." in run.stdout
