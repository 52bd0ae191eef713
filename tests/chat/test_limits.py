"""The rate limiter, callback data and message fitting, on their own."""

import pytest

from bot.chat.callbacks import CLAIMS_PAGE, FORGET_CANCEL, SETTINGS_ALERTS, parse_callback
from bot.chat.limits import RateLimiter, Verdict
from bot.chat.markup import ELLIPSIS, fit, link
from tests.chat.chat_harness import Ticker


def test_the_window_slides():
    clock = Ticker(step=0.0)
    limiter = RateLimiter(limit=3, window=60.0, clock=clock)
    verdicts = []
    for at in (0, 10, 20, 30, 40, 59.9, 60.0, 70.5):
        clock.now = at
        verdicts.append(limiter.check("ann").verdict)
    assert verdicts == [
        Verdict.ALLOW, Verdict.ALLOW, Verdict.ALLOW,  # three in the window
        Verdict.WARN, Verdict.SILENCE, Verdict.SILENCE,  # told once, then silence
        Verdict.ALLOW,  # 0 left the window
        Verdict.ALLOW,  # 10 left it too
    ]  # fmt: skip
    clock.now = 71
    decision = limiter.check("ann")
    assert decision.verdict is Verdict.WARN and decision.retry_after_seconds == 9  # 20 leaves at 80
    assert limiter.check("bob").verdict is Verdict.ALLOW


def test_idle_users_are_forgotten():
    clock = Ticker(step=0.0)
    limiter = RateLimiter(limit=1, window=1.0, clock=clock)
    for user in range(2000):
        clock.now = user * 10.0
        assert limiter.check(user).verdict is Verdict.ALLOW
    assert len(limiter._windows) < 600


def test_button_data_round_trips_and_stays_short():
    assert parse_callback(CLAIMS_PAGE.data(12)).argument == "12"
    assert parse_callback(SETTINGS_ALERTS.data("off")).action is SETTINGS_ALERTS
    assert parse_callback(FORGET_CANCEL.data()).argument == ""
    with pytest.raises(ValueError):
        CLAIMS_PAGE.data("x")
    with pytest.raises(ValueError):
        CLAIMS_PAGE.data(10**6)


def test_fit_drops_whole_lines_past_the_limit():
    lines = [f"<b>line {n}</b>" for n in range(1000)]
    text = fit(lines, limit=200)
    assert len(text) <= 200 and text.endswith(ELLIPSIS)
    assert text.count("<b>") == text.count("</b>")


def test_links_are_made_only_for_web_addresses():
    assert link("javascript:alert(1)", "x") == "x"
    assert (
        link('https://e.org/"><b>', "<i>")
        == '<a href="https://e.org/&quot;&gt;&lt;b&gt;">&lt;i&gt;</a>'
    )
