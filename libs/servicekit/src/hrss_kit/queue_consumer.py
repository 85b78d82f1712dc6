"""nameko's queue consumer, safe to stop while it is still connecting.

nameko's ``QueueConsumer.unregister_provider`` has a start-up branch (consumer not ready yet)
that sends "last provider unregistered" once per provider and keeps the provider. A service
stopped during start-up then fails one of two ways: with two event handlers, the second
handler's ``stop`` raises ``AssertionError: Trying to re-send() an already-triggered event``
and the container never finishes stopping; with one, the consumer connects a moment later
with the stopped handler still in it and consumes for ever, so ``stop`` waits for ever.
"""

from __future__ import annotations

from typing import Any

from nameko import messaging


class QueueConsumer(messaging.QueueConsumer):  # type: ignore[misc]
    def __init__(self) -> None:
        super().__init__()
        self._stopped_early: set[Any] = set()

    def unregister_provider(self, provider: Any) -> None:
        if self._consumers_ready.ready():
            # Connected after all: the ones stopped early are consuming too; cancel them as well.
            for early in list(self._stopped_early - {provider}):
                self._stopped_early.discard(early)
                super().unregister_provider(early)
            super().unregister_provider(provider)
            return
        # Still connecting (the providers set is being iterated: leave it be). The container
        # stops every entrypoint at once; when the last has asked, the consumer stops.
        self._stopped_early.add(provider)
        if self._stopped_early >= self._providers and not self._last_provider_unregistered.ready():
            # The consume loop checks this before it reads a message, so a connection made
            # after now closes at once; ``stop`` kills one still being made.
            self.should_stop = True
            self._last_provider_unregistered.send()
