import io
import logging

import pytest

from bot.logs import configure_logging

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


@pytest.fixture
def stream():
    stream = io.StringIO()
    configure_logging("DEBUG", [TOKEN], stream)
    yield stream
    configure_logging("WARNING")


def test_token_is_scrubbed_from_messages_arguments_and_tracebacks(stream):
    log = logging.getLogger("claimwatch.test")
    url = f"https://api.telegram.org/bot{TOKEN}/getMe"
    log.info("calling %s", url)
    log.warning("plain " + url)
    try:
        raise RuntimeError(f"failed {url}")
    except RuntimeError:
        log.exception("request failed")
    output = stream.getvalue()
    assert TOKEN not in output
    assert output.count("[redacted]") == 3  # two messages and the traceback
    assert "https://api.telegram.org/bot[redacted]/getMe" in output


def test_httpx_request_lines_are_not_logged(stream):
    logging.getLogger("httpx").info("HTTP Request: POST https://api.telegram.org/bot%s/x", TOKEN)
    assert stream.getvalue() == ""
    assert logging.getLogger("httpx").getEffectiveLevel() == logging.WARNING


def test_one_format_with_level_and_logger_name(stream):
    logging.getLogger("bot.ingest").info("hello")
    line = stream.getvalue().strip()
    assert line.endswith("INFO    bot.ingest: hello")


def test_one_shot_commands_log_warnings_only_unless_debugging():
    stream = io.StringIO()
    configure_logging("INFO", [], stream, one_shot=True)
    logging.getLogger("bot.ledger").info("ledger ready")
    logging.getLogger("bot.ingest").warning("source paused")
    configure_logging("DEBUG", [], stream, one_shot=True)
    logging.getLogger("bot.ingest").debug("details")
    configure_logging("WARNING")
    assert "ledger ready" not in stream.getvalue()
    assert "source paused" in stream.getvalue() and "details" in stream.getvalue()
