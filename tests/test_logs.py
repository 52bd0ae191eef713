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
    logging.getLogger("bot.ingest.poll").info("hello")
    line = stream.getvalue().strip()
    assert line.endswith("INFO    bot.ingest.poll: hello")


def test_one_shot_commands_log_warnings_only_unless_debugging():
    stream = io.StringIO()
    configure_logging("INFO", [], stream, one_shot=True)
    logging.getLogger("bot.ledger.claim_ledger").info("ledger ready")
    logging.getLogger("bot.ingest.poll").warning("source paused")
    configure_logging("DEBUG", [], stream, one_shot=True)
    logging.getLogger("bot.ingest.poll").debug("details")
    configure_logging("WARNING")
    assert "ledger ready" not in stream.getvalue()
    assert "source paused" in stream.getvalue() and "details" in stream.getvalue()


def _raise_rejected_token() -> None:
    """What python-telegram-bot raises when getMe answers 401 or an error page echoes the path."""
    from telegram.error import InvalidToken, NetworkError

    page = f"<html><h1>502</h1><p>/bot{TOKEN.replace(':', '%3A')}/getMe</p></html>"
    try:
        raise NetworkError(f"Bad Gateway (502). Parsing the server response {page!r} failed")
    except NetworkError as exc:
        raise InvalidToken(f"The token `{TOKEN}` was rejected by the server.") from exc


def test_the_token_is_scrubbed_from_chained_exceptions_and_echoed_pages(stream):
    try:
        _raise_rejected_token()
    except Exception:
        logging.getLogger("telegram.ext.Application").exception("initialize failed")
    output = stream.getvalue()
    secret = TOKEN.partition(":")[2]
    assert secret not in output and TOKEN not in output
    assert "The token `[redacted]` was rejected" in output
    assert "/bot123456789%3A[redacted]/getMe" in output  # the percent-encoded echo too


def test_the_token_is_scrubbed_from_stack_info_and_arguments_that_do_not_fit(stream):
    log = logging.getLogger("claimwatch.test")
    log.warning("stack of %s", TOKEN, stack_info=True)
    log.warning("two placeholders %s %s", TOKEN)  # logging would print the arguments raw
    output = stream.getvalue()
    assert TOKEN not in output and output.count("[redacted]") >= 2


def test_uncaught_exceptions_are_printed_scrubbed(stream):
    import sys
    import threading

    try:
        _raise_rejected_token()
    except Exception as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    thread = threading.Thread(target=_raise_rejected_token, name=f"worker {TOKEN}")
    thread.start()
    thread.join()
    output = stream.getvalue()
    assert "InvalidToken: The token `[redacted]` was rejected" in output
    assert "Exception in thread worker [redacted]" in output
    assert TOKEN.partition(":")[2] not in output


def test_terminal_control_characters_in_log_lines_are_escaped(stream):
    title = "Feed\x1b]0;pwned\x07 \x1b[2Jtitle\u202e"
    logging.getLogger("claimwatch.test").warning("source %s failed", title)
    output = stream.getvalue()
    assert "\x1b" not in output and "\x07" not in output and "\u202e" not in output
    assert "\\u001b]0;pwned\\u0007" in output and output.endswith("\n")
