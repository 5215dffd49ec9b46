"""The house keeps its layers: imports go down only (the import-linter contract in
pyproject.toml), no module imports another in a circle, no ``_private`` name is imported from
another module, and no module is longer than its limit.

The contract is also shown to fail: a copy of ``sim/`` with one upward import added is refused.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SIM = ROOT / "sim"
PY_LIMIT = 400  # lines of a module in sim/
PXI_LIMIT = 500  # lines of a Cython include in ext/
LINT = Path(sys.executable).with_name("lint-imports")


def _modules() -> dict[str, Path]:
    out = {}
    for p in sorted(SIM.rglob("*.py")):
        parts = list(p.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = p
    return out


def _imports(mod: str, path: Path, mods: dict[str, Path]) -> list[tuple[str, str]]:
    """(imported module, imported name) for each name imported from sim, outside
    ``if TYPE_CHECKING:`` blocks (type hints draw no arrow at run time)."""
    tree = ast.parse(path.read_text())
    typing_only = {
        id(n)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
        for b in node.body
        for n in ast.walk(b)
    }
    base = mod.split(".") if path.name == "__init__.py" else mod.split(".")[:-1]
    out = []
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom):
            if node.level:
                parts = base[: len(base) - (node.level - 1)]
                target = ".".join(parts + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target == "sim" or target.startswith("sim."):
                for a in node.names:
                    sub = f"{target}.{a.name}"
                    out.append((sub, "") if sub in mods else (target, a.name))
        elif isinstance(node, ast.Import):
            out += [(a.name, "") for a in node.names if a.name in mods]
    return out


def test_import_contract_holds():
    p = subprocess.run([str(LINT), "--no-cache"], cwd=ROOT, capture_output=True, text=True)
    assert p.returncode == 0, p.stdout[-3000:]
    assert "1 kept, 0 broken" in p.stdout


def test_import_contract_refuses_an_upward_import(tmp_path):
    """The check can fail: the model importing the views breaks the contract."""
    shutil.copytree(SIM, tmp_path / "sim", ignore=shutil.ignore_patterns("*.so", "__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    timing = tmp_path / "sim" / "model" / "timing.py"
    timing.write_text(timing.read_text() + "\nfrom ..views import text  # noqa: F401, E402\n")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    p = subprocess.run(
        [str(LINT), "--no-cache"], cwd=tmp_path, capture_output=True, text=True, env=env
    )
    assert p.returncode == 1
    assert "sim.model is not allowed to import sim.views" in p.stdout
    assert "sim.model.timing -> sim.views.text" in p.stdout


def test_no_import_circles():
    mods = _modules()
    edges = {m: set() for m in mods}
    for m, p in mods.items():
        for target, _ in _imports(m, p, mods):
            dst = target if target in mods else None
            # a package's __init__ re-exporting its own children draws no arrow back
            if dst and dst != m and not (p.name == "__init__.py" and dst.startswith(m + ".")):
                edges[m].add(dst)
    # Tarjan's strongly connected components, iteratively
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    circles = []
    for root in mods:
        if root in index:
            continue
        work = [(root, iter(sorted(edges[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on.add(root)
        while work:
            v, it = work[-1]
            w = next(it, None)
            if w is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[v])
                if low[v] == index[v]:
                    comp = []
                    while True:
                        x = stack.pop()
                        on.discard(x)
                        comp.append(x)
                        if x == v:
                            break
                    if len(comp) > 1:
                        circles.append(sorted(comp))
            elif w not in index:
                index[w] = low[w] = len(index)
                stack.append(w)
                on.add(w)
                work.append((w, iter(sorted(edges[w]))))
            elif w in on:
                low[v] = min(low[v], index[w])
    assert circles == []


def test_no_private_name_imported_across_modules():
    mods = _modules()
    found = [
        f"{m} imports {name} from {target}"
        for m, p in mods.items()
        for target, name in _imports(m, p, mods)
        if name.startswith("_") and not name.startswith("__") and target != m
    ]
    assert found == []


@pytest.mark.parametrize(
    "pattern,limit", [("sim/**/*.py", PY_LIMIT), ("ext/*.pxi", PXI_LIMIT), ("ext/*.pyx", PXI_LIMIT)]
)
def test_modules_are_short(pattern, limit):
    long = {
        str(p.relative_to(ROOT)): n
        for p in sorted(ROOT.glob(pattern))
        if (n := p.read_text().count("\n")) > limit
    }
    assert long == {}


def test_every_layer_says_what_it_holds():
    for init in sorted(SIM.glob("*/__init__.py")):
        doc = ast.get_docstring(ast.parse(init.read_text())) or ""
        assert "import" in doc and len(doc.split(".")) >= 2, init
