"""Permissions and layers are declared once: no module outside accounts/roles.py and
portfolio/access.py compares roles itself, every API operation and project page names its
permission in one decorator and nowhere else, the layers contract in pyproject.toml holds, and
no import of the office's own code hides inside a function without a stated reason."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import get_resolver
from ninja import Router

from projectoffice.accounts.roles import GlobalRole, ProjectRole
from projectoffice.api import api
from projectoffice.portfolio.access import declared_permission, project_operation

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


DECLARATIONS = {"project_operation", "office_operation", "object_operation"}
ROUTES = {"get", "post", "put", "patch", "delete", "api_operation"}
CHECKS = {"access_project", "require_perm"}


def _top_fetch(fn: ast.FunctionDef) -> bool:
    """Whether the function's first statement fetches the project named by its `code`, or
    checks an office-wide permission."""
    body = [s for s in fn.body if not (isinstance(s, ast.Expr)
                                       and isinstance(s.value, ast.Constant))]
    value = body[0].value if body and isinstance(body[0], ast.Assign | ast.Expr) else None
    return (isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
            and ((value.func.id == "access_project" and len(value.args) >= 2
                  and ast.unparse(value.args[1]) == "code")
                 or value.func.id == "require_global"))


def permission_declarations(tree: ast.Module) -> list[str]:
    """How operations and pages fail to declare their permission exactly once."""
    found = []
    for fn in ast.walk(tree):
        if not isinstance(fn, ast.FunctionDef):
            continue
        if fn.name == "needs":
            found.append(f"{fn.lineno}: a needs() helper spells x-permission out")
        routes = [d for d in fn.decorator_list if isinstance(d, ast.Call)
                  and isinstance(d.func, ast.Attribute) and d.func.attr in ROUTES
                  and "router" in ast.unparse(d.func.value)]
        declared = [d for d in fn.decorator_list if isinstance(d, ast.Call)
                    and isinstance(d.func, ast.Name) and d.func.id in DECLARATIONS]
        for route in routes:
            extra = [k for k in route.keywords if k.arg == "openapi_extra" and (
                (isinstance(k.value, ast.Dict) and any(
                    isinstance(key, ast.Constant) and key.value == "x-permission"
                    for key in k.value.keys))
                or (isinstance(k.value, ast.Call) and ast.unparse(k.value.func) == "needs"))]
            if extra:
                found.append(f"{fn.lineno}: {fn.name} writes x-permission in openapi_extra")
        if routes and len(declared) != 1:
            found.append(f"{fn.lineno}: {fn.name} has {len(declared)} permission declarations")
        if declared and declared[0].func.id == "project_operation":  # type: ignore[attr-defined]
            perm = ast.unparse(declared[0].args[0])
            for call in ast.walk(fn):
                if (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                        and call.func.id in CHECKS and len(call.args) >= 3
                        and ast.unparse(call.args[2]) == perm):
                    found.append(f"{call.lineno}: {fn.name} checks {perm} again in its body")
        pages = fn.decorator_list and fn.args.args and fn.args.args[0].arg == "request"
        if pages and not declared and _top_fetch(fn):
            what = "fetches its project" if "code" in [a.arg for a in fn.args.args] else \
                "checks its permission"
            found.append(f"{fn.lineno}: {fn.name} {what} in its body")
    return found


def test_the_check_finds_a_permission_declared_twice_or_not_at_all() -> None:
    assert permission_declarations(ast.parse(
        "@router.get('/p/{code}', openapi_extra={'x-permission': 'plan.view'})\n"
        "@project_operation('plan.view')\n"
        "def plan(request, project):\n    return project\n")) == [
        "3: plan writes x-permission in openapi_extra"]
    assert permission_declarations(ast.parse(
        "@router.get('/p/{code}')\ndef plan(request, code):\n    return code\n")) == [
        "2: plan has 0 permission declarations"]
    assert permission_declarations(ast.parse(
        "@login_required\n@project_operation('plan.edit')\ndef edit(request, project):\n"
        "    require_perm(request.user, project, 'plan.edit')\n")) == [
        "4: edit checks 'plan.edit' again in its body"]
    assert permission_declarations(ast.parse(
        "@login_required\ndef page(request, code):\n"
        "    project = access_project(request.user, code, 'plan.view')\n")) == [
        "2: page fetches its project in its body"]
    assert permission_declarations(ast.parse(
        "@login_required\ndef page(request):\n"
        "    require_global(request.user, 'portfolio.manage')\n")) == [
        "2: page checks its permission in its body"]
    assert permission_declarations(ast.parse(
        "@login_required\n@project_operation('plan.view')\ndef page(request, project):\n"
        "    if request.method == 'POST':\n"
        "        require_perm(request.user, project, 'plan.edit')\n")) == []


def test_every_operation_and_page_declares_its_permission_once() -> None:
    found = [f"{name}:{hit}" for name, tree, _ in _modules() if name not in DECIDE_ROLES
             for hit in permission_declarations(tree)]
    assert found == [], ("declare the permission with project_operation, office_operation or "
                         f"object_operation (portfolio/access.py), once: {found}")


def test_a_permission_declared_twice_stops_the_office_from_starting() -> None:
    router = Router()
    with pytest.raises(ImproperlyConfigured, match="declares its permission twice"):
        @router.get("/p/{code}", openapi_extra={"x-permission": "plan.view"})
        @project_operation("plan.view")
        def plan(request: Any, project: Any) -> str:
            return str(project)


def test_every_api_operation_documents_the_declared_permission() -> None:
    doc = api.get_openapi_schema()
    missing = [f"{method.upper()} {path}" for path, methods in doc["paths"].items()
               for method, op in methods.items() if not op.get("x-permission")]
    assert missing == []


def _pages(patterns: list[Any], prefix: str = "") -> list[tuple[str, Any]]:
    found = []
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            found += _pages(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            found.append((prefix + str(pattern.pattern), pattern.callback))
    return found


def test_every_project_page_declares_its_permission() -> None:
    pages = [(route, view) for route, view in _pages(get_resolver().url_patterns)
             if route.startswith("projects/<str:code>/")]
    assert len(pages) > 100
    assert [route for route, view in pages if declared_permission(view) is None] == []
