"""The normalize stage is pure: no I/O library, no environment, no clock."""

from __future__ import annotations

import ast
from pathlib import Path

import bot.normalize

PACKAGE = Path(bot.normalize.__file__).parent
FORBIDDEN_MODULES = ("httpx", "telegram", "sqlalchemy", "requests", "urllib.request", "socket")
FORBIDDEN_CALLS = ("os.environ", "os.getenv", "datetime.now", "datetime.utcnow", "time.time")


def _sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_imports_no_io_library() -> None:
    for path in _sources():
        for node in ast.walk(ast.parse(path.read_text())):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert not name.startswith(FORBIDDEN_MODULES), f"{path.name} imports {name}"


def test_reads_no_environment_and_no_clock() -> None:
    for path in _sources():
        source = path.read_text()
        for call in FORBIDDEN_CALLS:
            assert call not in source, f"{path.name} uses {call}"
