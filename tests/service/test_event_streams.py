"""The pieces that end a stream, without a server: token expiry read from the claims,
the bounds' reasons and pauses, and the per-user slots (the server paths are in
tests/e2e/test_event_streams.py)."""

import pytest

from service.api.stream_slots import StreamSlots, TooManyStreams
from service.api.streams import StreamBounds, end_event, token_expiry


@pytest.mark.parametrize("exp", ["9999999999", True, None, float("nan"), float("inf"), [1]])
def test_an_exp_that_is_not_a_finite_number_ends_the_stream_at_once(exp: object) -> None:
    assert token_expiry({"exp": exp}) == 0.0
    assert StreamBounds(token_expiry({"exp": exp}), until=10**12).ended() == "token-expired"


def test_bounds_say_why_and_never_sleep_past_the_end() -> None:
    now = [100.0]
    bounds = StreamBounds(token_expires_at=101.2, until=200.0, clock=lambda: now[0])
    assert bounds.ended() is None
    assert bounds.pause(0.5) == 0.5
    now[0] = 101.0
    assert bounds.pause(0.5) == pytest.approx(0.2)
    now[0] = 101.2
    assert bounds.ended() == "token-expired"
    assert bounds.pause(0.5) == 0.0
    assert StreamBounds(300.0, until=150.0, clock=lambda: 150.0).ended() == "time-limit"
    assert end_event("token-expired") == 'event: end\ndata: {"reason": "token-expired"}\n\n'


def test_slots_are_per_tenant_and_user_and_a_double_release_frees_one() -> None:
    slots = StreamSlots()
    first = slots.take("acme", "bob", limit=2)
    slots.take("acme", "bob", limit=2)
    with pytest.raises(TooManyStreams):
        slots.take("acme", "bob", limit=2)
    slots.take("globex", "bob", limit=2)  # the same sub in another tenant is another caller
    first.release()
    first.release()
    assert slots.open_count("acme", "bob") == 1
    slots.take("acme", "bob", limit=2)
    assert slots.open_count("acme", "bob") == 2
