"""Service kit: the nameko plumbing every service of the platform shares.

- ``database``: an engine per container, a session per worker, transactions that wake the relay;
- ``outbox``: the transactional outbox (``record``); ``outbox_relay``: its relay (publisher confirms);
- ``inbox``: idempotent, retried and parked event handling;
- ``rpc``: RPC with timeouts, and errors that cross the wire as catalogue errors;
- ``logs``: JSON logs with the nameko call id and ID numbers masked.
"""

import warnings

# eventlet warns on import that it is in maintenance; nameko 2 is built on it (our choice,
# see the README), so the warning is noise in every command and log.
warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
