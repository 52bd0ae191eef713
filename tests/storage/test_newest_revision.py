"""The newest revision, known without Alembic, is Alembic's head."""

from storage.migrations import NEWEST_REVISION, head_revision


def test_the_newest_revision_is_alembics_head():
    assert head_revision() == NEWEST_REVISION, "a revision file was added: update NEWEST_REVISION"
