"""Imports point down only: workflows/ (the composition root) on top, the stages under it in pipeline
order, quality (the validation library) and core (the shared layer) at the bottom."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAGE_ORDER = ("ingest", "topics", "metrics", "publish")


def layer_of(module: str) -> str | None:
    """`workflows`, `tools`, `core`, `quality`, a stage name, or None for third-party modules."""
    parts = module.split(".")
    if parts[0] in ("workflows", "tools"):
        return parts[0]
    if parts[0] == "assets":
        return parts[1] if len(parts) > 1 else "assets"
    return None


def allowed(importer: str, imported: str) -> bool:
    if importer == imported or imported is None:
        return True
    if importer == "tools":
        return True
    if importer == "workflows":
        return imported != "tools"
    if imported in ("workflows", "tools", "assets"):
        return False
    if importer == "core":
        return False
    if importer == "quality":
        return imported == "core"
    if imported in ("core", "quality"):
        return True
    return STAGE_ORDER.index(imported) < STAGE_ORDER.index(importer)


def imported_modules(path: Path, package: str) -> list[tuple[int, str]]:
    """Every import in the file, at module level or inside functions, as absolute module names."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the file's package
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names if module == "assets"]
    return found


def wrong_way_imports(root: Path) -> list[str]:
    problems = []
    for top in ("assets", "workflows"):
        for path in sorted((root / top).rglob("*.py")):
            module = ".".join(path.relative_to(root).with_suffix("").parts)
            package = module.rsplit(".", 1)[0] if path.name != "__init__.py" else module
            importer = layer_of(module)
            for line, name in imported_modules(path, package):
                if not allowed(importer, layer_of(name)):
                    problems.append(f"{path.relative_to(root)}:{line}: {importer} imports {name}")
    return problems


def test_no_wrong_way_imports():
    assert wrong_way_imports(ROOT) == []


def test_rules():
    assert not allowed("ingest", "topics") and not allowed("topics", "publish") and not allowed("metrics", "publish")
    assert not allowed("quality", "metrics") and not allowed("core", "ingest") and not allowed("publish", "workflows")
    assert allowed("publish", "metrics") and allowed("topics", "ingest") and allowed("metrics", "quality")
    assert allowed("workflows", "publish") and allowed("ingest", "core")


def test_a_planted_wrong_import_is_found(tmp_path):
    """The scan sees module-level, in-function and relative imports."""
    for folder in ("assets/core", "assets/quality", "assets/topics", "workflows"):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "__init__.py").write_text("")
    (tmp_path / "assets/topics/defs.py").write_text(
        "import polars\nfrom assets.core import storage\n\ndef f():\n    from assets.publish.release import x\n"
    )
    (tmp_path / "assets/quality/suites.py").write_text("from ..metrics import claims\n")
    (tmp_path / "assets/core/resources.py").write_text("import workflows.cli\n")
    assert wrong_way_imports(tmp_path) == [
        "assets/core/resources.py:1: core imports workflows.cli",
        "assets/quality/suites.py:1: quality imports assets.metrics",
        "assets/topics/defs.py:5: topics imports assets.publish.release",
    ]
