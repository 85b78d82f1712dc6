"""An open-loop load: requests sent at a steady rate whatever the answers take (a slow platform
makes requests wait, it does not slow the rate), as a population of clients would."""

import http.client
import json
import queue
import threading
import time
from urllib.parse import urlsplit


class OpenLoop:
    """POSTs ``bodies`` to ``url`` at ``rate`` a second from ``workers`` keep-alive connections.

    Each answer is kept as ``(scheduled, sent, answered, status)`` in monotonic seconds; the
    time from ``scheduled`` includes any wait for a free connection (no coordinated omission).
    """

    def __init__(self, url, bodies, rate, workers=32):
        self.url, self.bodies, self.rate, self.workers = urlsplit(url), list(bodies), rate, workers
        self.answers = []
        self._lock = threading.Lock()

    def run(self):
        """Send every body, ``1 / rate`` apart; returns when all are answered."""
        slots = queue.Queue()
        threads = [threading.Thread(target=self._worker, args=(slots,), daemon=True) for _ in range(self.workers)]
        for thread in threads:
            thread.start()
        started = time.monotonic()
        for i, body in enumerate(self.bodies):
            scheduled = started + i / self.rate
            delay = scheduled - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            slots.put((scheduled, body))
        for _ in threads:
            slots.put(None)
        for thread in threads:
            thread.join()
        return self.answers

    def _worker(self, slots):
        connection = None
        while (slot := slots.get()) is not None:
            scheduled, body = slot
            sent = time.monotonic()
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(self.url.hostname, self.url.port, timeout=30)
                connection.request(
                    "POST", self.url.path, json.dumps(body).encode(), {"Content-Type": "application/json"}
                )
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                if connection is not None:
                    connection.close()
                status, connection = 0, None  # no answer: counted, and the next request reconnects
            with self._lock:
                self.answers.append((scheduled, sent, time.monotonic(), status))
