"""Where the running platform is: the same environment variables the services read."""

from __future__ import annotations

import os

AMQP_URI = os.environ.get("AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/")
SERVICES = ("enterprise", "identity", "authorization", "business")
