"""Sessions kept for a moment, so that a page's burst of requests asks identity once.

Every protected request needs its session (``http.api``). Asking identity costs an RPC hop,
which is most of what a cheap route costs, so a gateway process keeps each session identity
confirmed for ``SESSION_CACHE_SECONDS`` (default 0.5; 0 asks every time), at most
``SESSION_CACHE_ENTRIES`` of them. A session that ends is refused at once all the same:

- identity announces every session it ends before its time (``hrss_contracts.sessions``), and
  every gateway process forgets it as it hears it (``notices``);
- a session is kept only while that subscription stands: when it breaks, or hears nothing
  for a second (``notices``' probes), everything kept is forgotten and every request asks
  identity until it is back;
- whatever may go unheard (identity and this gateway on different Redis servers, say), a
  session is kept at most ``MAX_SECONDS``: a start with more is refused;
- a check that overlapped an announcement is not kept (the answer may predate the ending);
- a session idle past its limit, or past its absolute end, is refused at most
  ``SESSION_CACHE_SECONDS`` late (identity slides the idle time at each check it answers).

Only sessions identity confirmed are kept: an unknown token always asks.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from nameko.extensions import DependencyProvider, SharedExtension

from hrss_contracts.sessions import sessions_ended_channel, token_hash
from hrss_gateway.notices import IdentityNotices

DEFAULT_SECONDS, DEFAULT_ENTRIES = 0.5, 10_000
# A session that ends must be refused within a second even if its announcement went unheard.
MAX_SECONDS = 0.9
Session = dict[str, Any]


class SessionCache(SharedExtension):  # type: ignore[misc]
    notices = IdentityNotices()

    def setup(self) -> None:
        config = self.container.config
        self.seconds = float(config.get("SESSION_CACHE_SECONDS", DEFAULT_SECONDS))
        if not 0 <= self.seconds <= MAX_SECONDS:  # nan too
            raise ValueError(f"SESSION_CACHE_SECONDS must be between 0 and {MAX_SECONDS:g}, not {self.seconds:g}")
        self.capacity = max(1, int(config.get("SESSION_CACHE_ENTRIES", DEFAULT_ENTRIES)))
        self.kept: dict[str, tuple[float, Session]] = {}
        self.clock = time.monotonic
        self.live = False  # the subscription stands: only then is anything kept
        self.forgettings = 0  # counts every forgetting; a check that overlapped one is not kept
        self.notices.listen(sessions_ended_channel(str(config.get("IDENTITY_REDIS_PREFIX", "identity"))), self)

    def authenticate(self, token: str, ask: Callable[[str], Session | None]) -> Session | None:
        """The session behind ``token``: kept, or ``ask``ed of identity (None: none, or ended)."""
        if not token:
            return None
        key, now = token_hash(token), self.clock()
        found = self.kept.get(key)
        if found is not None and found[0] > now:
            return dict(found[1])
        before = self.forgettings
        session = ask(token)
        if session is not None and self.live and self.seconds > 0 and self.forgettings == before:
            if len(self.kept) >= self.capacity:
                self._make_room(now)
            self.kept[key] = (now + self.seconds, dict(session))
        return session

    def forget(self, token: str) -> None:
        """This process ended the session itself: refused here from now on."""
        self.heard(token_hash(token))

    def heard(self, message: str) -> None:
        self.forgettings += 1
        for key in message.split():
            self.kept.pop(key, None)

    def lost(self) -> None:
        self.live = False
        self.forgettings += 1
        self.kept.clear()

    def resumed(self) -> None:
        self.forgettings += 1
        self.kept.clear()  # what ended while nobody listened is unknown
        self.live = True

    def _make_room(self, now: float) -> None:
        for key in [key for key, (until, _) in self.kept.items() if until <= now]:
            del self.kept[key]
        while len(self.kept) >= self.capacity:  # all still fresh: the oldest go
            del self.kept[next(iter(self.kept))]


class SessionCheck(DependencyProvider):  # type: ignore[misc]
    """``self.sessions``: the process's ``SessionCache``."""

    cache = SessionCache()

    def get_dependency(self, worker_ctx: Any) -> SessionCache:
        return self.cache
