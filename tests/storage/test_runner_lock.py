"""The runner lock on an SQLite file: held while the block runs, refused to a second holder."""

import os
from pathlib import Path

import pytest

from storage.errors import DatabaseUnavailableError, StorageError
from storage.runner_lock import DatabaseInUseError, lock_path, runner_lock


def test_a_second_holder_is_refused_with_the_first_ones_pid(tmp_path: Path) -> None:
    database = tmp_path / "cw.db"
    with (
        runner_lock(database),
        pytest.raises(DatabaseInUseError) as refused,
        runner_lock(database),
    ):
        pytest.fail("the lock was taken twice")
    assert refused.value.pid == os.getpid()
    assert str(refused.value) == (
        f"another claimwatch run is using {database} (pid {os.getpid()}); stop it first"
    )
    assert isinstance(refused.value, StorageError)  # the CLI's boundary reports it, exit 2


def test_the_lock_is_free_again_after_the_block_and_its_file_stays(tmp_path: Path) -> None:
    database = tmp_path / "cw.db"
    with runner_lock(database):
        pass
    with runner_lock(database):
        assert lock_path(database).read_text() == f"{os.getpid()}\n"
    assert lock_path(database) == tmp_path / "cw.db.lock"


def test_no_lock_without_an_sqlite_file(tmp_path: Path) -> None:
    with runner_lock(None), runner_lock(None):
        assert list(tmp_path.iterdir()) == []


def test_a_lock_file_that_cannot_be_opened_is_a_clear_database_error(tmp_path: Path) -> None:
    database = tmp_path / "cw.db"
    lock_path(database).mkdir()  # root may write anywhere; nobody opens a directory for writing
    with pytest.raises(DatabaseUnavailableError) as unusable, runner_lock(database):
        pytest.fail("a directory was locked")
    assert (
        str(unusable.value) == f"{tmp_path}/cw.db.lock: cannot open the runner lock: Is a directory"
    )
