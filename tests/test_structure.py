"""The structure rules of docs/architecture.md, checked on the source itself."""

from __future__ import annotations

import ast
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent / "gongkai"

# Function-level imports of project modules, each with its reason (docs/architecture.md):
# AppConfig.ready() connects receivers once the models are loaded; the annual-report
# reader and the CLI load a format's heavy library only for a file of that format.
LAZY_IMPORTS_ALLOWED = {
    "accounts/apps.py",
    "audit/apps.py",
    "inforequests/apps.py",
    "portal/apps.py",
    "publishing/apps.py",
    "search/apps.py",
    "core/annual/parse/sniff.py",
    "cli/report.py",
    "cli/report_common.py",
}


def _source_files() -> list[Path]:
    return [
        p
        for p in ROOT.rglob("*.py")
        if "migrations" not in p.parts and "tests" not in p.parts
    ]


def _lazy_project_imports(path: Path) -> list[int]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for inner in ast.walk(node):
                if (
                    isinstance(inner, ast.ImportFrom)
                    and (inner.module or "").startswith("gongkai")
                ) or (
                    isinstance(inner, ast.Import)
                    and any(a.name.startswith("gongkai") for a in inner.names)
                ):
                    lines.append(inner.lineno)
    return lines


def test_no_function_level_imports_of_project_modules_without_a_reason():
    found = {
        f"{p.relative_to(ROOT).as_posix()}:{line}"
        for p in _source_files()
        if p.relative_to(ROOT).as_posix() not in LAZY_IMPORTS_ALLOWED
        for line in _lazy_project_imports(p)
    }
    assert found == set()


def test_no_import_cycles_between_project_modules():
    graph = grimp.build_graph("gongkai")
    modules = {m for m in graph.modules if ".migrations" not in m and ".tests" not in m}
    assert len(modules) > 100  # the graph really holds the project
    cycles = []
    for module in sorted(modules):
        for imported in graph.find_modules_directly_imported_by(module):
            if imported in modules and graph.chain_exists(
                importer=imported, imported=module
            ):
                cycles.append((module, imported))
    assert cycles == []


def _direct_django_form_classes(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.relative_to(ROOT).as_posix()}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
        for base in node.bases
        if isinstance(base, ast.Attribute)
        and isinstance(base.value, ast.Name)
        and base.value.id == "forms"
        and base.attr in {"Form", "ModelForm"}
    ]


def test_every_form_derives_from_the_project_base():
    """Issue 17: forms.Form / forms.ModelForm show Django's stock messages
    ("确保该变量包含不超过 100 字符"); gongkai.formbase.Form / ModelForm name the field."""
    found = [
        hit
        for p in _source_files()
        if p.name != "formbase.py"
        for hit in _direct_django_form_classes(p)
    ]
    assert found == []
