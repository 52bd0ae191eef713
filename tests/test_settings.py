from datetime import time, timedelta
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.errors import ConfigError
from bot.ingest.parsers import default_workers
from bot.settings import NAMES, Settings, load_settings, normalize_database_url, redact_url

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def load(env: dict[str, str], env_file: Path | None = None):
    return load_settings(env, env_file)


def plain(value):
    """A setting's value, a secret's text revealed."""
    return value.get_secret_value() if isinstance(value, SecretStr) else value


def test_defaults():
    settings = load({})
    assert settings.telegram_bot_token is None
    assert settings.database_url.get_secret_value() == "sqlite+aiosqlite:///data/claimwatch.db"
    assert settings.watchlist_path == Path("config/watchlist.toml")
    assert settings.sources_path == Path("config/sources.toml")
    assert settings.telegram_api_url == "https://api.telegram.org"
    assert settings.telegram_preview_url == "https://t.me"
    assert settings.admin_ids == frozenset()
    assert settings.timezone == "UTC"
    assert settings.digest_time == time(8, 0)
    assert settings.allow_private_networks is False
    assert settings.log_level == "INFO"
    assert settings.conflict_window == timedelta(hours=72)
    assert settings.sqlite_path == Path("data/claimwatch.db")


@pytest.mark.parametrize(
    ("env", "attribute", "expected"),
    [
        ({"CLAIMWATCH_ADMIN_IDS": "1, 22 ,333"}, "admin_ids", frozenset({1, 22, 333})),
        ({"CLAIMWATCH_TIMEZONE": "Europe/Kyiv"}, "timezone", "Europe/Kyiv"),
        ({"CLAIMWATCH_DIGEST_TIME": "7:30"}, "digest_time", time(7, 30)),
        ({"CLAIMWATCH_ALLOW_PRIVATE_NETWORKS": "YES"}, "allow_private_networks", True),
        ({"CLAIMWATCH_LOG_LEVEL": "debug"}, "log_level", "DEBUG"),
        ({"CLAIMWATCH_ALERTS_PER_HOUR": "0"}, "alerts_per_hour", 0),
        ({"CLAIMWATCH_PARSE_WORKERS": "0"}, "parse_workers", 0),
        ({"CLAIMWATCH_PARSE_WORKERS": "3"}, "parse_workers", 3),
        ({"CLAIMWATCH_PARSE_WORKERS": "AUTO"}, "parse_workers", default_workers()),
        ({"CLAIMWATCH_CONFLICT_WINDOW": "7d"}, "conflict_window", timedelta(days=7)),
        ({"CLAIMWATCH_CONFLICT_WINDOW": "36h"}, "conflict_window", timedelta(hours=36)),
        ({"CLAIMWATCH_CONFLICT_WINDOW": "0"}, "conflict_window", None),
        ({"CLAIMWATCH_SOURCE_LEASE": "2m"}, "source_lease", timedelta(minutes=2)),
        (
            {"CLAIMWATCH_WEBHOOK_URL": "https://bot.example.org/hook"},
            "webhook_url",
            "https://bot.example.org/hook",
        ),
        ({"CLAIMWATCH_WEBHOOK_URL": ""}, "webhook_url", None),
        ({"CLAIMWATCH_WEBHOOK_PORT": "88"}, "webhook_port", 88),
        ({"CLAIMWATCH_WEBHOOK_SECRET": "abc_DEF-9"}, "webhook_secret", "abc_DEF-9"),
        (
            {"CLAIMWATCH_TELEGRAM_API_URL": "http://127.0.0.1:8081/"},
            "telegram_api_url",
            "http://127.0.0.1:8081",
        ),
        (
            {"CLAIMWATCH_DATABASE_URL": "postgresql://u:p@db/x"},
            "database_url",
            "postgresql+asyncpg://u:p@db/x",
        ),
        (
            {"CLAIMWATCH_DATABASE_URL": "sqlite:////var/lib/cw.db"},
            "database_url",
            "sqlite+aiosqlite:////var/lib/cw.db",
        ),
        ({"TELEGRAM_BOT_TOKEN": TOKEN}, "telegram_bot_token", TOKEN),
    ],
)
def test_values_are_parsed(env, attribute, expected):
    assert plain(getattr(load(env), attribute)) == expected


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"CLAIMWATCH_DATABASE_URL": "mysql://x/y"}, "CLAIMWATCH_DATABASE_URL"),
        ({"CLAIMWATCH_DATABASE_URL": "sqlite:/relative.db"}, "CLAIMWATCH_DATABASE_URL"),
        ({"CLAIMWATCH_DATABASE_URL": "postgresql+asyncpg:///nohost"}, "CLAIMWATCH_DATABASE_URL"),
        ({"CLAIMWATCH_TIMEZONE": "Mars/Olympus"}, "CLAIMWATCH_TIMEZONE"),
        ({"CLAIMWATCH_DIGEST_TIME": "25:00"}, "CLAIMWATCH_DIGEST_TIME"),
        ({"CLAIMWATCH_DIGEST_TIME": "8am"}, "CLAIMWATCH_DIGEST_TIME"),
        ({"CLAIMWATCH_ALLOW_PRIVATE_NETWORKS": "maybe"}, "CLAIMWATCH_ALLOW_PRIVATE_NETWORKS"),
        ({"CLAIMWATCH_LOG_LEVEL": "LOUD"}, "CLAIMWATCH_LOG_LEVEL"),
        ({"CLAIMWATCH_ALERTS_PER_HOUR": "-1"}, "CLAIMWATCH_ALERTS_PER_HOUR"),
        ({"CLAIMWATCH_PARSE_WORKERS": "many"}, "CLAIMWATCH_PARSE_WORKERS"),
        ({"CLAIMWATCH_PARSE_WORKERS": "1000"}, "CLAIMWATCH_PARSE_WORKERS"),
        ({"CLAIMWATCH_CONFLICT_WINDOW": "three days"}, "CLAIMWATCH_CONFLICT_WINDOW"),
        ({"CLAIMWATCH_SOURCE_LEASE": "30s"}, "CLAIMWATCH_SOURCE_LEASE"),
        ({"CLAIMWATCH_WEBHOOK_URL": "http://bot.example.org/hook"}, "CLAIMWATCH_WEBHOOK_URL"),
        ({"CLAIMWATCH_WEBHOOK_PORT": "70000"}, "CLAIMWATCH_WEBHOOK_PORT"),
        ({"CLAIMWATCH_WEBHOOK_SECRET": "has space"}, "CLAIMWATCH_WEBHOOK_SECRET"),
        ({"CLAIMWATCH_ADMIN_IDS": "12,bob"}, "CLAIMWATCH_ADMIN_IDS"),
        ({"CLAIMWATCH_TELEGRAM_API_URL": "ftp://x"}, "CLAIMWATCH_TELEGRAM_API_URL"),
        ({"TELEGRAM_BOT_TOKEN": "not a token"}, "TELEGRAM_BOT_TOKEN"),
    ],
)
def test_bad_values_name_the_setting(env, named):
    with pytest.raises(ConfigError) as error:
        load(env)
    assert len(error.value.problems) == 1
    assert error.value.problems[0].startswith(named)


def test_every_problem_is_listed_at_once():
    with pytest.raises(ConfigError) as error:
        load(
            {
                "CLAIMWATCH_TIMEZONE": "Nowhere",
                "CLAIMWATCH_LOG_LEVEL": "x",
                "CLAIMWATCH_DIGEST_TIME": "noon",
            }
        )
    assert len(error.value.problems) == 3


def test_dotenv_file_is_read_and_environment_wins(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("CLAIMWATCH_TIMEZONE=Europe/Kyiv\nCLAIMWATCH_LOG_LEVEL=DEBUG\n")
    settings = load({"CLAIMWATCH_LOG_LEVEL": "WARNING"}, env_file)
    assert settings.timezone == "Europe/Kyiv"
    assert settings.log_level == "WARNING"


def test_unknown_setting_in_dotenv_is_a_problem_with_a_suggestion(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("CLAIMWATCH_TIMEZONEE=UTC\n")
    with pytest.raises(ConfigError, match="did you mean CLAIMWATCH_TIMEZONE"):
        load({}, env_file)


def test_secret_file_twin(tmp_path):
    secret = tmp_path / "token"
    secret.write_text(TOKEN + "\n")
    assert plain(load({"TELEGRAM_BOT_TOKEN_FILE": str(secret)}).telegram_bot_token) == TOKEN


def test_every_secret_has_a_file_twin_also_in_dotenv(tmp_path):
    secret = tmp_path / "hook"
    secret.write_text("abc_DEF-9\n")
    env_file = tmp_path / ".env"
    env_file.write_text(f"CLAIMWATCH_WEBHOOK_SECRET_FILE={secret}\n")
    assert plain(load({}, env_file).webhook_secret) == "abc_DEF-9"


def test_a_file_twin_of_a_setting_that_is_no_secret_is_unknown(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("CLAIMWATCH_WATCHLIST_FILE=w.toml\n")
    with pytest.raises(ConfigError, match="unknown setting CLAIMWATCH_WATCHLIST_FILE"):
        load({}, env_file)


def test_other_names_in_dotenv_and_the_environment_are_left_alone(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("POSTGRES_PASSWORD=x\nCOMPOSE_PROJECT_NAME=cw\n")
    assert load({"HOME": "/root", "CLAIMWATCH_TIMEZONEE": "x"}, env_file).timezone == "UTC"


def test_a_problem_never_repeats_a_secret_it_could_not_read():
    secret = "123456789:short-but-secret"
    with pytest.raises(ConfigError) as error:
        load({"TELEGRAM_BOT_TOKEN": secret, "CLAIMWATCH_WEBHOOK_SECRET": "s3cret with space"})
    assert len(error.value.problems) == 2
    assert "short-but-secret" not in str(error.value) and "s3cret" not in str(error.value)


def test_secret_and_its_twin_together_is_a_problem(tmp_path):
    secret = tmp_path / "token"
    secret.write_text(TOKEN)
    with pytest.raises(ConfigError, match="keep one"):
        load({"TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BOT_TOKEN_FILE": str(secret)})


def test_missing_secret_file_is_named(tmp_path):
    with pytest.raises(ConfigError, match="CLAIMWATCH_DATABASE_URL_FILE: cannot read"):
        load({"CLAIMWATCH_DATABASE_URL_FILE": str(tmp_path / "absent")})


def test_secrets_are_redacted_everywhere_settings_are_shown():
    settings = load(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "CLAIMWATCH_DATABASE_URL": "postgresql://bot:hunter22@db:5432/cw",
        }
    )
    shown = settings.redacted()
    assert set(shown) == NAMES
    for text in (repr(settings), str(settings), str(shown), str(settings.model_dump())):
        assert TOKEN not in text
        assert "hunter22" not in text
    assert shown["CLAIMWATCH_DATABASE_URL"] == "postgresql+asyncpg://bot:***@db:5432/cw"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://u:secret@h/db", "postgresql://u:***@h/db"),
        ("postgresql://u@h/db", "postgresql://u@h/db"),
        ("sqlite+aiosqlite:///data/x.db", "sqlite+aiosqlite:///data/x.db"),
    ],
)
def test_redact_url(url, expected):
    assert redact_url(url) == expected


def test_error_message_about_a_database_url_hides_its_password():
    with pytest.raises(ValueError) as error:
        normalize_database_url("mysql://u:hunter22@h/db")
    assert "hunter22" not in str(error.value)


@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("sqlite+aiosqlite:///data/x.db", Path("data/x.db")),
        ("sqlite+aiosqlite:////abs/x.db", Path("/abs/x.db")),
        ("sqlite+aiosqlite:///:memory:", None),
        ("postgresql+asyncpg://h/db", None),
    ],
)
def test_sqlite_path(url, path):
    assert load({"CLAIMWATCH_DATABASE_URL": url}).sqlite_path == path


@pytest.mark.parametrize("window", ["72h", "7d", "90m", "0"])
def test_conflict_window_is_shown_as_it_reads(window):
    assert (
        load({"CLAIMWATCH_CONFLICT_WINDOW": window}).redacted()["CLAIMWATCH_CONFLICT_WINDOW"]
        == window
    )


def test_each_default_is_the_text_a_person_would_write_and_is_read_as_one():
    defaults = {field.alias: field.default for field in Settings.model_fields.values()}
    assert all(isinstance(text, str) for text in defaults.values())
    assert load(defaults) == load({})
