"""The layout's rule as a test: the folders of bot/ are layers along the data's path, and an
import never runs back up to a later layer."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Lowest first. A module may import from its own layer and the layers before it.
LAYERS = [
    ["storage"],
    ["bot.errors", "bot.printable", "bot.translation", "bot.logs"],
    ["bot.config", "bot.fetch"],
    ["bot.normalize", "bot.analysis"],
    ["bot.ingest"],
    ["bot.settings"],  # its defaults ask the parser pool how many processes a machine takes
    ["bot.digest"],
    ["bot.subscribers"],
    ["bot.ledger"],
    ["bot.chat"],
    ["bot.app"],
    ["bot.cli"],
]
# Built by app/ and handed down: the container of long-lived parts every service function
# receives, and the health report /status shows. Below app/ they are imported for their types.
HANDED_DOWN = {"bot.app.services", "bot.app.health"}


def layer_of(module: str) -> int | None:
    for index, prefixes in enumerate(LAYERS):
        if any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes):
            return index
    return None


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def project_imports(path: Path) -> set[str]:
    """Every bot/storage module ``path`` imports (``from bot import x`` counts as ``bot.x``)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            if node.module == "bot":
                found.update(f"bot.{alias.name}" for alias in node.names)
    return {name for name in found if name.split(".")[0] in {"bot", "storage"} and name != "bot"}


def modules() -> list[Path]:
    return sorted([*(ROOT / "bot").rglob("*.py"), *(ROOT / "storage").rglob("*.py")])


def test_every_module_has_a_layer():
    names = [module_name(p) for p in modules()]
    assert [name for name in names if name != "bot" and layer_of(name) is None] == []


def upward_imports(path: Path) -> list[str]:
    own = layer_of(module_name(path))
    assert own is not None
    return sorted(
        imported
        for imported in project_imports(path)
        if imported not in HANDED_DOWN and (layer_of(imported) or 0) > own
    )


def test_no_import_runs_back_up():
    offenders = {module_name(p): upward_imports(p) for p in modules() if module_name(p) != "bot"}
    assert {module: found for module, found in offenders.items() if found} == {}


def test_every_package_says_what_it_owns():
    """`ls bot/` reads as the pipeline: each folder's __init__ says in a line what it holds."""
    missing = [
        p.parent.name
        for p in (ROOT / "bot").glob("*/__init__.py")
        if not (ast.get_docstring(ast.parse(p.read_text(encoding="utf-8"))) or "").strip()
    ]
    assert missing == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from bot.chat.commands import ChatBot\n", {"bot.chat.commands"}),
        ("from bot import translation\n", {"bot.translation"}),
        ("import storage.db\nimport httpx\n", {"storage.db"}),
    ],
)
def test_imports_are_read_as_modules(tmp_path, source, expected):
    path = tmp_path / "probe.py"
    path.write_text(source)
    assert project_imports(path) == expected


def test_a_handler_importing_the_wiring_is_caught():
    assert layer_of("bot.app.runner") > layer_of("bot.chat.commands")  # type: ignore[operator]
    assert "bot.app.runner" not in HANDED_DOWN
