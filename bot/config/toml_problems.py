"""Validate a parsed TOML file with a pydantic model, and say every problem as a person reads it:
the file, the line of the table (or key) at fault, which table, and what is wrong.

tomllib keeps no positions, so the line of a table is found by parsing beginnings of the file
for the shortest one that holds it: the real TOML parser decides, for every model alike.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, TypeVar, get_args

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import ErrorDetails

from bot.errors import ConfigError

Model = TypeVar("Model", bound=BaseModel)
Location = tuple[int | str, ...]

# pydantic's own checks, said for a person; {key} is the key at fault
_SAID = {
    "missing": "needs a non-empty '{key}'",
    "string_too_short": "needs a non-empty '{key}'",
    "string_type": "'{key}' must be a string",
    "extra_forbidden": "unknown key '{key}' (known: {known})",
}
_NEEDS = {"missing", "string_too_short"}  # said after the table: "a topic needs a 'name'"


class Table(BaseModel):
    """One TOML table: unknown keys are problems; `noun` and `label` name it in messages."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
    noun: ClassVar[str] = "table"
    label: ClassVar[str | None] = None  # the key whose value names the table, if any


def validated(
    model: type[Model], path: Path, text: str, data: dict[str, Any], context: dict[str, Any]
) -> Model:
    """The file's data as `model`, or a ConfigError listing every problem with its line."""
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        line_of = _line_finder(text)
        problems = []
        for error in exc.errors():
            table = _table_at(data, error["loc"])
            line = line_of(table)
            where = f"{path}:{line}" if line else str(path)
            problems.append(f"{where}: {_describe(model, data, table, error)}")
        raise ConfigError(problems) from None


def _table_at(data: dict[str, Any], loc: Location) -> Location:
    """The part of an error's location that names a table, ("topics", 3) for ("topics", 3,
    "aliases"); or the top-level key, ("topics",), when the fault is the key itself."""
    tables = [loc[:depth] for depth in (2, 1) if isinstance(_at(data, loc[:depth]), dict)]
    return tables[0] if tables else loc[:1]  # the files' tables are top-level arrays of tables


def _line_finder(text: str) -> Callable[[Location], int | None]:
    """line_of(where): the first line such that the file up to it holds `where` (a table's
    header line, a key's line), found with tomllib itself by halving (files only grow)."""
    lines = text.splitlines()
    parsed: dict[int, Any] = {}

    def parsed_through(count: int) -> tuple[int, Any]:
        """The first beginning of at least `count` lines that is TOML on its own, parsed."""
        while count not in parsed:
            try:
                parsed[count] = tomllib.loads("\n".join(lines[:count]))
            except tomllib.TOMLDecodeError:  # the cut falls inside a value: take one more line
                count += 1
        return count, parsed[count]

    def line_of(where: Location) -> int | None:
        low, high = 1, len(lines)
        if not where or _at(parsed_through(high)[1], where) is _ABSENT:
            return None
        while low < high:
            middle = (low + high) // 2
            if _at(parsed_through(middle)[1], where) is _ABSENT:
                low = middle + 1
            else:
                high = middle
        return parsed_through(low)[0]

    return line_of


_ABSENT = object()


def _at(data: Any, where: Location) -> Any:
    """What the parsed TOML holds at `where`, or _ABSENT."""
    for part in where:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return _ABSENT
    return data


def _describe(
    model: type[BaseModel], data: dict[str, Any], table: Location, error: ErrorDetails
) -> str:
    """One validation error as "topic 'T': what is wrong" (never quoting what pydantic saw)."""
    kind = _table_model(model, table)
    loc = error["loc"]
    key = loc[len(table)] if len(loc) > len(table) else table[-1]
    said = _said(error, key, kind or model)
    if kind is None:  # a fault of the file's top level
        return said
    subject = _name_of(kind, _at(data, table)) or f"a {kind.noun}"
    if error["type"] in _NEEDS:
        return f"{subject} {said}{_explained(kind, key)}"
    return f"{subject}: {said}"


def _said(error: ErrorDetails, key: int | str, owner: type[BaseModel]) -> str:
    cause = error.get("ctx", {}).get("error")
    if isinstance(cause, ValueError):  # one of the models' own rules, said in full
        return str(cause)
    template = _SAID.get(error["type"], "{message}")
    return template.format(key=key, known=", ".join(owner.model_fields), message=error["msg"])


def _table_model(model: type[BaseModel], table: Location) -> type[Table] | None:
    """The Table model of an array-of-tables element: ("topics", 3) -> the topics' model."""
    field = model.model_fields.get(str(table[0])) if len(table) == 2 else None
    kinds = [a for a in get_args(field.annotation) if isinstance(a, type)] if field else []
    return next((k for k in kinds if issubclass(k, Table)), None)


def _name_of(kind: type[Table], table: Any) -> str | None:
    value = table.get(kind.label) if kind.label and isinstance(table, dict) else None
    return f"{kind.noun} {value.strip()!r}" if isinstance(value, str) and value.strip() else None


def _explained(kind: type[Table], key: int | str) -> str:
    field = kind.model_fields.get(str(key))
    return f" ({field.description})" if field is not None and field.description else ""
