"""The head read from the revision files' headers, without Alembic, is Alembic's head; files
that are not one plain line of revisions are left to Alembic."""

import pytest

from storage.migrations import head_revision, newest_revision


def revision_file(revision: str, down: str | None, extra: str = "") -> str:
    return (
        f'"""Revision {revision}."""\n\nimport sqlalchemy as sa\n\n'
        f"revision: str = {revision!r}\ndown_revision: str | None = {down!r}\n"
        f"branch_labels = None\ndepends_on = None\n{extra}\n\ndef upgrade() -> None:\n    pass\n"
    )


MERGE = "revision = '0003'\ndown_revision = ('0001', '0002')\n"


def test_the_shipped_revisions_have_alembics_head():
    assert newest_revision() is not None
    assert newest_revision() == head_revision()


def test_a_line_of_revisions_ends_at_its_head(tmp_path):
    (tmp_path / "a.py").write_text(revision_file("0001", None))
    (tmp_path / "c.py").write_text(revision_file("0003", "0002"))
    (tmp_path / "b.py").write_text(revision_file("0002", "0001"))
    (tmp_path / "__init__.py").write_text("revision = 'not one'\n")
    assert newest_revision(tmp_path) == "0003"


@pytest.mark.parametrize(
    "files",
    [
        {},
        {"b.py": revision_file("0002", "0001"), "c.py": revision_file("0003", "0001")},  # branch
        {"b.py": revision_file("0002", "0001"), "m.py": MERGE},
        {"b.py": revision_file("0002", "0001"), "d.py": revision_file("0002", "0001")},  # twice
        {"b.py": revision_file("0002", "0009")},  # after a revision that is not there
        {"b.py": revision_file("0002", "0001", "branch_labels = ('feature',)")},
        {"b.py": "revision = '00' + '02'\ndown_revision = '0001'\n"},  # computed
        {"b.py": "def broken(:\n"},
    ],
    ids=["none", "branch", "merge", "twice", "dangling", "labels", "computed", "syntax"],
)
def test_anything_but_a_line_is_left_to_alembic(tmp_path, files):
    (tmp_path / "a.py").write_text(revision_file("0001", None))
    if not files:
        (tmp_path / "a.py").unlink()
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    assert newest_revision(tmp_path) is None
