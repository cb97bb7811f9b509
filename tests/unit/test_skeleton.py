"""The module skeleton holds: every domain module has the same four files, every problem code is a named
class in an errors.py, and no source file grows past a few hundred lines."""

from __future__ import annotations

import re
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src" / "app"
SKELETON = {"entities.py", "services.py", "ports.py", "errors.py"}
MAX_LINES = 450  # "no source file over ~400 lines"


def test_every_domain_module_has_the_skeleton() -> None:
    modules = [p for p in (SRC / "domain").iterdir() if p.is_dir() and (p / "__init__.py").exists()]
    assert len(modules) == 13
    for module in modules:
        missing = SKELETON - {f.name for f in module.iterdir()}
        assert not missing, (module.name, missing)


def test_problem_codes_are_named_classes_in_errors_modules() -> None:
    declared = re.compile(r'^\s+code = "', re.M)
    passed_inline = re.compile(r'\bcode="[a-z-]+"')
    for path in SRC.rglob("*.py"):
        text = path.read_text()
        if path.name != "errors.py":
            assert not declared.search(text), f"{path}: a problem class outside errors.py"
        # errors.py files are the catalogue; the edge's own responses (problems.py, system.py) name theirs.
        if path.name not in {"errors.py", "problems.py", "system.py"}:
            assert not passed_inline.search(text), f"{path}: an inline problem code"


def test_no_source_file_outgrows_its_concern() -> None:
    for path in SRC.rglob("*.py"):
        assert len(path.read_text().splitlines()) <= MAX_LINES, path
