"""The command line's Redis: the configured one, or the embedded one started for the
command (the web and the services connect through `workers.dispatch` and never start it)."""
from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import redis

from config import current as settings
from workers.queues import connect
from workers.redis_server import EmbeddedRedis


@contextmanager
def redis_connection(*, start_embedded: bool = True) -> Iterator[redis.Redis]:
    """A connection to the configured Redis; the embedded one is started if need be
    and stopped again if this call started it."""
    c = settings()
    server = EmbeddedRedis(c.redis_socket) if (c.embedded_redis and start_embedded) else None
    if server is not None:
        server.start()
    try:
        yield connect(c.effective_redis_url())
    finally:
        if server is not None:
            server.stop()
