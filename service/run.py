"""Running the service with uvicorn, one process or several.

With ``workers > 1`` uvicorn binds the listening socket itself as ``socket(family)``, whose
protocol number is 0; asyncio then does not switch Nagle's algorithm off on the accepted
connections (it checks ``proto == IPPROTO_TCP``), and on a keep-alive connection every response
waits for the client's delayed ACK: about 40 ms per request. We bind the socket with its protocol
set and hand it to uvicorn's multiprocess supervisor instead.
"""

from __future__ import annotations

import socket

import uvicorn
from uvicorn.supervisors import Multiprocess

APP = "service.app:create_app"


def tcp_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket whose accepted connections get TCP_NODELAY from asyncio."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def run_server(host: str, port: int, workers: int = 1) -> None:
    """Serve until interrupted. Raises OSError when the address cannot be bound."""
    config = uvicorn.Config(APP, factory=True, host=host, port=port, workers=workers, log_level="warning",
                            server_header=False, timeout_graceful_shutdown=10)
    if workers == 1:
        uvicorn.Server(config).run()
        return
    sock = tcp_socket(host, port)
    try:
        Multiprocess(config, sockets=[sock]).run()
    finally:
        sock.close()
