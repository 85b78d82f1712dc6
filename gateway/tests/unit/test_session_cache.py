"""The gateway's session cache: kept for a moment, forgotten at once when identity announces an
end, and never kept while the announcements cannot be heard."""

from types import SimpleNamespace

import pytest

from hrss_contracts.sessions import sessions_ended_channel, token_hash
from hrss_gateway.session_cache import SessionCache

pytestmark = pytest.mark.unit

SESSION = {"account_id": "enterprise:X", "role": "legal", "uscc": "X"}


class Identity:
    """Identity as the cache asks it: counts the questions, answers what it holds."""

    def __init__(self):
        self.sessions, self.asked, self.while_asked = {}, 0, None

    def __call__(self, token):
        self.asked += 1
        if self.while_asked:
            self.while_asked()
        found = self.sessions.get(token)
        return dict(found) if found else None


@pytest.fixture
def identity():
    return Identity()


def cache_of(live=True, **config):
    channels = {}
    cache = SessionCache()
    cache.container = SimpleNamespace(config={"IDENTITY_REDIS_PREFIX": "idp", **config})
    cache.notices = SimpleNamespace(listen=lambda channel, listener: channels.setdefault(channel, listener))
    cache.setup()
    cache.now = 100.0
    cache.clock = lambda: cache.now
    assert channels == {sessions_ended_channel("idp"): cache}
    if live:
        cache.resumed()
    return cache


def test_a_confirmed_session_is_kept_for_its_moment_then_asked_again(identity):
    cache, identity.sessions["t"] = cache_of(SESSION_CACHE_SECONDS="0.5"), SESSION
    assert cache.authenticate("t", identity) == SESSION
    cache.now += 0.49
    assert cache.authenticate("t", identity) == SESSION and identity.asked == 1
    cache.now += 0.02
    del identity.sessions["t"]  # ended at identity by the clock alone (idle or absolute limit)
    assert cache.authenticate("t", identity) is None and identity.asked == 2


def test_an_announced_end_is_refused_at_once_and_only_that_session(identity):
    cache = cache_of(SESSION_CACHE_SECONDS="0.9")
    identity.sessions = {"t": SESSION, "u": SESSION, "v": SESSION}
    for token in "tuv":
        cache.authenticate(token, identity)
    del identity.sessions["t"], identity.sessions["u"]
    cache.heard(f"{token_hash('t')} {token_hash('u')}")  # as identity's close_all announces them
    assert cache.authenticate("t", identity) is None and cache.authenticate("u", identity) is None
    assert cache.authenticate("v", identity) == SESSION and identity.asked == 5


def test_a_logout_through_this_gateway_is_forgotten_without_waiting_for_the_announcement(identity):
    cache, identity.sessions["t"] = cache_of(SESSION_CACHE_SECONDS="0.9"), SESSION
    cache.authenticate("t", identity)
    del identity.sessions["t"]
    cache.forget("t")
    assert cache.authenticate("t", identity) is None


def test_nothing_is_kept_while_the_announcements_cannot_be_heard(identity):
    cache, identity.sessions["t"] = cache_of(live=False, SESSION_CACHE_SECONDS="0.9"), SESSION
    cache.authenticate("t", identity)
    cache.authenticate("t", identity)
    assert identity.asked == 2 and cache.kept == {}
    cache.resumed()
    cache.authenticate("t", identity)
    cache.lost()  # the subscription broke: what was kept may have ended unheard
    del identity.sessions["t"]
    assert cache.authenticate("t", identity) is None and cache.kept == {}


def test_a_session_kept_before_the_subscription_came_back_is_asked_again(identity):
    cache, identity.sessions["t"] = cache_of(SESSION_CACHE_SECONDS="0.9"), SESSION
    cache.authenticate("t", identity)
    del identity.sessions["t"]
    cache.resumed()  # after a break: an end may have passed unheard
    assert cache.authenticate("t", identity) is None


def test_an_answer_that_overlapped_an_announcement_is_not_kept(identity):
    cache, identity.sessions["t"] = cache_of(SESSION_CACHE_SECONDS="0.9"), SESSION
    # Identity answered, then ended the session and announced it before the answer arrived.
    identity.while_asked = lambda: cache.heard(token_hash("t"))
    assert cache.authenticate("t", identity) == SESSION
    identity.while_asked = None
    del identity.sessions["t"]
    assert cache.authenticate("t", identity) is None


def test_unknown_tokens_are_never_kept_and_no_token_asks_nobody(identity):
    cache = cache_of()
    assert cache.authenticate("nobody's", identity) is None
    assert cache.authenticate("nobody's", identity) is None and identity.asked == 2
    assert cache.authenticate("", identity) is None and identity.asked == 2


def test_zero_seconds_asks_identity_every_time(identity):
    cache, identity.sessions["t"] = cache_of(SESSION_CACHE_SECONDS="0"), SESSION
    cache.authenticate("t", identity)
    cache.authenticate("t", identity)
    assert identity.asked == 2


def test_the_cache_holds_at_most_its_entries_the_stale_ones_going_first(identity):
    cache = cache_of(SESSION_CACHE_SECONDS="0.5", SESSION_CACHE_ENTRIES="3")
    identity.sessions = {token: SESSION for token in "abcde"}
    cache.authenticate("a", identity)
    cache.now += 2  # a is stale now
    for token in "bcde":
        cache.authenticate(token, identity)
    assert len(cache.kept) == 3 and token_hash("a") not in cache.kept and token_hash("b") not in cache.kept


def test_a_caller_that_changes_its_session_changes_nobody_elses(identity):
    cache, identity.sessions["t"] = cache_of(), SESSION
    cache.authenticate("t", identity)["role"] = "agency"
    cache.authenticate("t", identity)["role"] = "agency"
    assert cache.authenticate("t", identity) == SESSION and identity.asked == 1


@pytest.mark.parametrize("seconds", ["1", "60", "-1", "nan"])
def test_a_cache_that_could_outlive_a_second_is_refused_at_start(seconds):
    with pytest.raises(ValueError, match="SESSION_CACHE_SECONDS"):
        cache_of(SESSION_CACHE_SECONDS=seconds)
