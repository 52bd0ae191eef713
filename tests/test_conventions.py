"""The project's rules that matter, as tests: dependency directions, settings, documentation."""

import ast
import importlib
import re
from pathlib import Path

import pytest

from bot.settings import declared, env_example, is_secret

ROOT = Path(__file__).resolve().parents[1]
IO_LIBRARIES = {"httpx", "telegram", "sqlalchemy", "aiosqlite", "asyncpg", "alembic"}
PURE = (
    "bot/analysis",
    "bot/normalize",
    "bot/digest/build.py",
    "bot/digest/render.py",
    "bot/digest/disputes.py",
    "bot/digest/chart.py",
)
BANNED_MODULE_NAMES = {"utils", "helpers", "misc", "common", "manager"}


def python_files(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (ROOT / folder).rglob("*.py"))


def imported_modules(path: Path) -> set[str]:
    modules: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module)
            if node.module == "bot":  # `from bot import translation` imports bot.translation
                modules.update(f"bot.{alias.name}" for alias in node.names)
    return modules


def top_level(modules: set[str]) -> set[str]:
    return {module.split(".")[0] for module in modules}


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_only_storage_imports_sqlalchemy():
    offenders = [
        relative(p)
        for p in python_files("bot")
        if top_level(imported_modules(p)) & {"sqlalchemy", "alembic"}
    ]
    assert offenders == []


def test_storage_imports_nothing_from_bot():
    offenders = [
        relative(p) for p in python_files("storage") if "bot" in top_level(imported_modules(p))
    ]
    assert offenders == []


def test_pure_stages_import_no_io_library():
    offenders = {
        relative(p): sorted(top_level(imported_modules(p)) & IO_LIBRARIES)
        for p in python_files("bot")
        if relative(p).startswith(PURE) and top_level(imported_modules(p)) & IO_LIBRARIES
    }
    assert offenders == {}


def opens_transactions(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return any(
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "transaction"
        for node in ast.walk(tree)
    )


def test_the_chat_reaches_storage_only_through_services():
    """Handlers and transports (bot/chat/) call bot.subscribers, bot.ledger, bot.app...: they
    neither open a transaction nor hold the database."""
    offenders = [
        relative(p)
        for p in python_files("bot/chat")
        if opens_transactions(p) or "storage.db" in imported_modules(p)
    ]
    assert offenders == []


def reads_environment(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv", "environb"}:
            return True
        imports_from_os = isinstance(node, ast.ImportFrom) and node.module == "os"
        if imports_from_os and {a.name for a in node.names} & {"environ", "getenv", "environb"}:
            return True
    return False


def test_only_settings_reads_the_environment():
    offenders = [relative(p) for p in python_files("bot", "storage") if reads_environment(p)]
    assert offenders == ["bot/settings.py"]


def test_no_grab_bag_module_names():
    offenders = [
        relative(p) for p in python_files("bot", "storage") if p.stem in BANNED_MODULE_NAMES
    ]
    assert offenders == []


def readme_settings_table() -> dict[str, tuple[str, str]]:
    """The Configuration section's table: environment name -> (its name cell, its default)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Configuration\n", 1)[1].split("\n### ", 1)[0]
    rows = [line.split(" | ") for line in section.splitlines() if line.startswith("| `")]
    return {row[0].split("`")[1]: (row[0], row[1]) for row in rows}


def test_the_readme_table_lists_every_setting_with_its_default():
    table = readme_settings_table()
    assert list(table) == [name for name, _ in declared()], "the README table != Settings"
    for name, field in declared():
        name_cell, default_cell = table[name]
        assert ("(or `_FILE`)" in name_cell) == is_secret(field), name
        if field.default:
            assert default_cell == f"`{field.default}`", name
        else:
            assert "`" not in default_cell, f"{name}: say an empty default in words (unset, empty)"


def test_env_example_is_written_from_the_settings():
    written = (ROOT / ".env.example").read_text(encoding="utf-8")
    assert written == env_example(), "regenerate: python -m bot.settings > .env.example"
    for name, field in declared():  # what the file says, whatever its comments
        assert re.search(rf"^(# )?{name}={re.escape(str(field.default))}$", written, re.M), name


def test_every_cli_command_is_in_the_readme():
    from bot.cli import build_parser

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    for name, sub in commands.items():
        actions = [a for a in sub._actions if hasattr(a, "choices") and isinstance(a.choices, dict)]
        names = [f"{name} {action}" for a in actions for action in a.choices] or [name]
        for full in names:
            assert f"claimwatch {full}" in readme, f"`claimwatch {full}` missing from README"


def test_readme_command_list_is_the_command_table():
    from bot.chat.commands import readme_commands

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("<!-- commands:start", 1)[1].split("-->", 1)[1]
    assert block.split("<!-- commands:end -->", 1)[0].strip() == readme_commands().strip()


# A line of bot/errors.py's tree: branches, the class (with a note in brackets), its module.
TREE_LINE = re.compile(
    r"^    (?P<branch>[│├└─ ]*)(?P<name>\w+Error)(?: \([^)]*\))?\s{2,}(?P<module>[\w.]+): "
)


def defined_exceptions() -> dict[str, type[BaseException]]:
    """Every exception class bot/ and storage/ define (the migrations aside), by name."""
    found: dict[str, type[BaseException]] = {}
    for path in python_files("bot", "storage"):
        if "migrations" in path.parts:
            continue
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for value in vars(importlib.import_module(name)).values():
            is_exception = isinstance(value, type) and issubclass(value, BaseException)
            if is_exception and value.__module__ == name:
                found[value.__name__] = value
    return found


def drawn_tree() -> dict[str, tuple[str, str | None]]:
    """bot/errors.py's docstring as {class: (module, the class drawn as its parent)}."""
    import bot.errors

    drawn: dict[str, tuple[str, str | None]] = {}
    parents: list[tuple[int, str]] = []  # the open branches: (column, name)
    for line in (bot.errors.__doc__ or "").splitlines():
        found = TREE_LINE.match(line)
        if found is None:
            continue
        column = len(found["branch"])
        while parents and parents[-1][0] >= column:
            parents.pop()
        drawn[found["name"]] = (found["module"], parents[-1][1] if parents else None)
        parents.append((column, found["name"]))
    return drawn


def test_every_exception_is_named_an_error():
    assert [name for name in defined_exceptions() if not name.endswith("Error")] == []


def test_the_errors_docstring_draws_every_exception_where_it_is():
    defined = defined_exceptions()

    def parent(cls: type[BaseException]) -> str | None:
        return next((base.__name__ for base in cls.__bases__ if base.__name__ in defined), None)

    actual = {name: (cls.__module__, parent(cls)) for name, cls in defined.items()}
    assert drawn_tree() == actual


# --- the layout: folders are layers along the data's path --------------------------------------

# Lowest first. A module may import from its own layer and the layers before it.
LAYERS = [
    ["storage"],
    ["bot.errors", "bot.printable", "bot.translation", "bot.logs"],
    ["bot.config", "bot.fetch"],
    ["bot.normalize", "bot.analysis"],
    ["bot.ingest"],
    # the defaults ask the parser pool how many processes a machine takes
    ["bot.settings", "bot.setting_values"],
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
    return {
        m for m in imported_modules(path) if top_level({m}) <= {"bot", "storage"} and m != "bot"
    }


def modules() -> list[Path]:
    return python_files("bot", "storage")


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


# --- sizes a reader can hold in mind --------------------------------------------------------

LONGEST_MODULE = 400  # lines
LONGEST_FUNCTION = 60  # lines, decorators and docstring included


def test_no_module_is_longer_than_a_reader_can_hold():
    long = {
        relative(p): n for p in modules() if (n := len(p.read_text().splitlines())) > LONGEST_MODULE
    }
    assert long == {}


def long_functions(path: Path) -> dict[str, int]:
    return {
        f"{relative(path)}:{node.lineno} {node.name}": node.end_lineno - node.lineno + 1
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > LONGEST_FUNCTION
    }


def test_no_function_is_longer_than_a_screen():
    assert {name: n for p in modules() for name, n in long_functions(p).items()} == {}
