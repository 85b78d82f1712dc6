"""nameko's queue consumer, safe to stop while it is still connecting, and to lose its broker
between a handler's end and its acknowledgement.

nameko's ``QueueConsumer.unregister_provider`` has a start-up branch (consumer not ready yet)
that sends "last provider unregistered" once per provider and keeps the provider. A service
stopped during start-up then fails one of two ways: with two event handlers, the second
handler's ``stop`` raises ``AssertionError: Trying to re-send() an already-triggered event``
and the container never finishes stopping; with one, the consumer connects a moment later
with the stopped handler still in it and consumes for ever, so ``stop`` waits for ever.
"""

from __future__ import annotations

import contextlib
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

    def ack_message(self, message: Any) -> None:
        """nameko catches amqp's ``ConnectionError`` here, not the socket's (``OSError``): a broker
        gone between the handler's end and its ack (a restart, found by ``make faults``) killed
        the container, and the whole process exited. Unacked, the message comes again, to an
        idempotent handler."""
        with contextlib.suppress(OSError):
            super().ack_message(message)

    def requeue_message(self, message: Any) -> None:
        with contextlib.suppress(OSError):  # as ``ack_message``: the broker requeues it anyway
            super().requeue_message(message)
