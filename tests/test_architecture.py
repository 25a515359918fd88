"""The layering promises of DESIGN.md, checked on the source itself."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_library_never_imports_streamlit():
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / "timeline").rglob("*.py")
        if "streamlit" in _imports(p)
    ]
    assert offenders == []


def test_importing_the_library_does_not_load_streamlit():
    code = (
        "import sys, importlib, pkgutil, timeline\n"
        "for m in pkgutil.walk_packages(timeline.__path__, 'timeline.'):\n"
        "    if not m.name.endswith('__main__'): importlib.import_module(m.name)\n"
        "print('streamlit' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"


def test_library_does_not_read_the_clock():
    """Reference time is passed in; the library never asks the machine what day it is.

    The CLI (timeline/commands) is the edge where "now" may enter, like the UI.
    """
    offenders = []
    for p in (ROOT / "timeline").rglob("*.py"):
        if "commands" in p.parts:
            continue
        src = p.read_text(encoding="utf-8")
        for bad in ("date.today()", "datetime.now()", "datetime.today()", "dt.datetime.now()"):
            if bad in src:
                offenders.append(f"{p.relative_to(ROOT)}: {bad}")
    assert offenders == []
