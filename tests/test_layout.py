"""The package's shape: sub-packages that show the pipeline, small modules, no private imports, no circles."""
from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "publisher"
MAX_LINES = 400


def module_name(path: Path) -> str:
    """publisher/pages/render.py -> publisher.pages.render; a package's __init__.py -> the package."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported(name: str, path: Path) -> list[tuple[str, str, int]]:
    """Every (module, name, line) that module name imports from the package, wherever the import stands."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, "", node.lineno) for alias in node.names if alias.name in MODULES]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                source = f"{base}.{node.module}" if node.module else base
            else:
                source = node.module or ""
            if source not in MODULES:
                continue
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                found.append((submodule, "", node.lineno) if submodule in MODULES else (source, alias.name, node.lineno))
    return found


def test_the_package_has_at_least_four_sub_packages():
    packages = [path.parent for path in PACKAGE.glob("*/__init__.py")]
    assert len(packages) >= 4, packages


def test_no_module_is_over_400_lines():
    long = {name: n for name, path in MODULES.items() if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_no_module_imports_another_modules_private_name():
    private = [f"{MODULES[name].relative_to(PACKAGE.parent)}:{line}: {source}.{what}"
               for name, path in MODULES.items() for source, what, line in imported(name, path)
               if what.startswith("_") and source != name]
    assert private == []


def test_no_modules_import_each_other_in_a_circle():
    graph = {name: sorted({source for source, _, _ in imported(name, path)} - {name}) for name, path in MODULES.items()}
    state: dict[str, str] = {}
    circles = []

    def visit(stack: list[str]) -> None:
        state[stack[-1]] = "open"
        for other in graph[stack[-1]]:
            if state.get(other) == "open":
                circles.append(" -> ".join(stack[stack.index(other):] + [other]))
            elif other not in state:
                visit(stack + [other])
        state[stack[-1]] = "done"

    for name in graph:
        if name not in state:
            visit([name])
    assert circles == []
